package web

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// findingView is a finding as the dossier page shows it: its citations
// deduplicated per article.
type findingView struct {
	dossier.Finding
	Cites []citeView
}

// citeView is one cited article, with the other copies or versions of the
// same document number and article that retrieval also returned.
type citeView struct {
	dossier.Citation
	Also []string // titles (or numbers) of the other copies, for "also in"
}

// arrangeFindings orders findings for the page and splits off the
// not-applicable ones. The order within a status is the report's.
func arrangeFindings(all []dossier.Finding) (shown, notApplicable []findingView) {
	for _, f := range all {
		fv := findingView{Finding: f, Cites: dedupeCitations(f.Citations)}
		if f.Status == dossier.FindingNotApplicable {
			notApplicable = append(notApplicable, fv)
			continue
		}
		shown = append(shown, fv)
	}
	slices.SortStableFunc(shown, func(a, b findingView) int {
		return cmp.Compare(dossier.FindingRank(a.Status), dossier.FindingRank(b.Status))
	})
	return shown, notApplicable
}

// dedupeCitations keeps one citation per document number and article: the
// corpus may hold the same text twice (a clean copy and an OCR copy, or two
// versions). The one kept is the in-force legal basis when there is one,
// else the cleanest text (fewest characters that are neither letters,
// digits, punctuation nor spaces — OCR debris), else retrieval's order;
// the others are listed as "also in".
func dedupeCitations(list []dossier.Citation) []citeView {
	var out []citeView
	at := map[string]int{}
	for _, c := range list {
		key := citationKey(c)
		i, seen := at[key]
		if !seen {
			at[key] = len(out)
			out = append(out, citeView{Citation: c})
			continue
		}
		kept := &out[i]
		other := c
		if better(c, kept.Citation) {
			other = kept.Citation
			kept.Citation = c
		}
		label := cmp.Or(other.Title, other.Document)
		if label == cmp.Or(kept.Title, kept.Document) {
			label = other.Document
		}
		if !slices.Contains(kept.Also, label) {
			kept.Also = append(kept.Also, label)
		}
	}
	return out
}

func citationKey(c dossier.Citation) string {
	doc := strings.ToUpper(strings.Join(strings.Fields(vntext.NFC(c.Document)), ""))
	if c.Article <= 0 {
		return doc + "#" + vntext.CollapseSpace(c.Text)
	}
	return doc + "#" + strconv.Itoa(c.Article)
}

// better reports whether a is a better copy to show than b.
func better(a, b dossier.Citation) bool {
	if (a.Source == "legal_basis") != (b.Source == "legal_basis") {
		return a.Source == "legal_basis"
	}
	return debris(a.Text)*len([]rune(b.Text)) < debris(b.Text)*len([]rune(a.Text))
}

// debris counts characters that clean legal text does not hold.
func debris(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r == ' ' || r == '\n' || r == '\t':
		case strings.ContainsRune(".,;:()\"'“”‘’-–—/%§…!?[]", r):
		case r >= '0' && r <= '9':
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
		default:
			n++
		}
	}
	return n
}
