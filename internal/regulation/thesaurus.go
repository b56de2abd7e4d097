package regulation

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// A Thesaurus maps the words citizens use to the words of the law
// ("sổ đỏ" → "giấy chứng nhận quyền sử dụng đất"), for query expansion.
// It is read-only after load and safe for concurrent use.
type Thesaurus struct {
	entries []thesaurusEntry
}

type thesaurusEntry struct {
	citizen [][]string // folded syllables of each citizen phrase
	law     []string
	weight  float64
	heading bool
}

// weighted is one expansion phrase and its weight relative to the query's
// own words.
type weighted struct {
	phrase string
	weight float64
	// heading: the phrase is looked for in article headings only. For
	// the words that name what a question asks about ("thời hạn",
	// "thẩm quyền", "lệ phí"): they head the article that answers
	// ("Thời hạn giải quyết …") but occur in the text of most articles.
	heading bool
}

// DefaultExpansionWeight is an entry's weight when the file names none.
const DefaultExpansionWeight = 0.6

//go:embed thesaurus.yaml
var thesaurusYAML []byte

var (
	defaultThesaurus     *Thesaurus
	defaultThesaurusOnce sync.Once
)

// DefaultThesaurus is the curated thesaurus embedded in the binary
// (internal/regulation/thesaurus.yaml, which names its sources).
func DefaultThesaurus() *Thesaurus {
	defaultThesaurusOnce.Do(func() {
		t, err := ParseThesaurus(thesaurusYAML)
		if err != nil {
			panic(fmt.Sprintf("embedded thesaurus.yaml: %v", err))
		}
		defaultThesaurus = t
	})
	return defaultThesaurus
}

// ParseThesaurus reads a thesaurus file (see thesaurus.yaml).
func ParseThesaurus(b []byte) (*Thesaurus, error) {
	var f struct {
		Entries []struct {
			Citizen []string `yaml:"citizen"`
			Law     []string `yaml:"law"`
			Weight  float64  `yaml:"weight"`
			Heading bool     `yaml:"heading"`
		} `yaml:"entries"`
	}
	if err := yaml.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	t := &Thesaurus{}
	for i, e := range f.Entries {
		if len(e.Citizen) == 0 || len(e.Law) == 0 {
			return nil, fmt.Errorf("entry %d: citizen and law must both be given", i+1)
		}
		w := e.Weight
		if w == 0 {
			w = DefaultExpansionWeight
		}
		if w < 0 || w > 1 {
			return nil, fmt.Errorf("entry %d: weight %v outside (0, 1]", i+1, w)
		}
		te := thesaurusEntry{weight: w, heading: e.Heading}
		for _, c := range e.Citizen {
			if toks := vntext.FoldedTokens(c); len(toks) > 0 {
				te.citizen = append(te.citizen, toks)
			}
		}
		for _, l := range e.Law {
			te.law = append(te.law, vntext.NFC(strings.TrimSpace(l)))
		}
		t.entries = append(t.entries, te)
	}
	return t, nil
}

// Expand returns the law's phrases for every citizen phrase found in text
// (whole syllables, compared without diacritics), each once, with the
// weight of its entry. A law phrase the text already holds is left out.
func (t *Thesaurus) Expand(text string) []weighted {
	if t == nil {
		return nil
	}
	toks := vntext.FoldedTokens(text)
	joined := " " + strings.Join(toks, " ") + " "
	// The question once more without its noise words and the classifiers
	// "cái", "chiếc": "dời cái nhà" says "dời nhà", "khách đến ở qua đêm
	// không" still holds "ở qua đêm".
	var kept []string
	if nfc := vntext.Tokens(text); len(nfc) == len(toks) {
		for i, w := range nfc {
			if !queryNoise[w] && w != "cái" && w != "chiếc" {
				kept = append(kept, toks[i])
			}
		}
	}
	bare := " " + strings.Join(kept, " ") + " "
	var out []weighted
	seen := map[string]bool{}
	for _, e := range t.entries {
		hit := false
		for _, c := range e.citizen {
			p := " " + strings.Join(c, " ") + " "
			if strings.Contains(joined, p) || len(kept) > 0 && strings.Contains(bare, p) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, l := range e.law {
			f := " " + strings.Join(vntext.FoldedTokens(l), " ") + " "
			k := fmt.Sprint(e.heading, l) // a phrase may come once for headings, once for all text
			if seen[k] || strings.Contains(joined, f) {
				continue
			}
			seen[k] = true
			out = append(out, weighted{phrase: l, weight: e.weight, heading: e.heading})
		}
	}
	return out
}
