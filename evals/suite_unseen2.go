package evals

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

func init() { register("classify_unseen2", runClassifyUnseen2) }

// unseen2Case is one hand-labelled document of evals/unseen2/labels.yaml.
type unseen2Case struct {
	ID          string   `yaml:"id"`
	Doc         string   `yaml:"doc"`
	Procedure   string   `yaml:"procedure"`
	Kind        string   `yaml:"kind"`
	Requirement string   `yaml:"requirement"` // a requirement's source name, "other" or "needs_review"
	Also        []string `yaml:"also"`
}

// labelNeedsReview is the label of a paper an official must look at.
const labelNeedsReview = "needs_review"

// runClassifyUnseen2 measures classification on procedures held out of
// training with the fresh set evals/unseen2: drawn by a seeded sampler,
// split by procedure (sample.jsonl), labelled by requirement name before
// any run. A paper of the procedure must get its requirement or go to
// review; a confident "other" for it, or any confident wrong answer, counts
// against.
func runClassifyUnseen2(_ context.Context, x *Env, s Suite, r *Result) error {
	if x.SharedData == "" {
		return skip("shared/data is absent: the national catalog is needed")
	}
	dir := x.path(paramString(s, "dir", "evals/unseen2"))
	b, err := os.ReadFile(filepath.Join(dir, "labels.yaml"))
	if err != nil {
		return err
	}
	var cases []unseen2Case
	if err := yaml.Unmarshal(b, &cases); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	splits, err := unseen2Splits(filepath.Join(dir, "sample.jsonl"))
	if err != nil {
		return err
	}
	split := paramString(s, "split", "test")
	want := map[string]bool{}
	var keep []unseen2Case
	for _, c := range cases {
		sp, ok := splits[c.Procedure]
		if !ok {
			return fmt.Errorf("label %s: procedure %s was not drawn", c.ID, c.Procedure)
		}
		if split == "all" || sp == split {
			keep = append(keep, c)
			want[c.Procedure] = true
		}
	}
	if len(keep) == 0 {
		return fmt.Errorf("no case in split %q", split)
	}
	procs, err := nationalProcedures(filepath.Join(x.SharedData, "dvc-procedures-2026", "procedures.jsonl"), want)
	if err != nil {
		return err
	}
	m := classifier.Default()
	threshold := x.Definition.Thresholds.ClassifyMinConfidence
	type tally struct{ n, right, review, wrong int }
	byKind := map[string]*tally{}
	var own, ownRight, review, wrong, wrongOther, misplaced, misplacedOK, blank, blankReview int
	for _, c := range keep {
		p, ok := procs[c.Procedure]
		if !ok {
			return fmt.Errorf("procedure %s of %s not in the national catalog", c.Procedure, c.ID)
		}
		text, err := unseen2Text(dir, x.SharedData, c.Doc)
		if err != nil {
			return fmt.Errorf("%s: %w", c.ID, err)
		}
		var accept map[string]bool
		switch c.Requirement {
		case dossier.TypeOther, labelNeedsReview:
		default:
			accept = map[string]bool{}
			for _, name := range append([]string{c.Requirement}, c.Also...) {
				keys := requirementByName(p.Requirements, name)
				if len(keys) == 0 {
					return fmt.Errorf("label %s: no requirement of %s is named %q", c.ID, c.Procedure, name)
				}
				for _, k := range keys {
					accept[k] = true
				}
			}
		}
		res := m.Classify(classifier.Input{Filename: filepath.Base(c.Doc), Text: text}, p.Requirements, threshold)
		decided := res.Requirement != dossier.TypeUnknown && !res.NeedsReview
		var right bool
		switch c.Requirement {
		case dossier.TypeOther:
			misplaced++
			right = decided && res.Requirement == dossier.TypeOther
			if !decided || right {
				misplacedOK++
			}
		case labelNeedsReview:
			blank++
			right = !decided
			if right {
				blankReview++
			}
		default:
			own++
			right = decided && accept[res.Requirement]
			if right {
				ownRight++
			}
		}
		k := byKind[c.Kind]
		if k == nil {
			k = &tally{}
			byKind[c.Kind] = k
		}
		k.n++
		switch {
		case !decided:
			review++
			k.review++
		case !right:
			wrong++
			k.wrong++
			if res.Requirement == dossier.TypeOther {
				wrongOther++
			}
		}
		if right {
			k.right++
		}
		if !right {
			wantKey := c.Requirement
			if accept != nil {
				wantKey = strings.Join(sortedKeys(accept), " | ")
			}
			r.Worst = append(r.Worst, Case{ID: c.ID + " " + c.Kind + " @ " + c.Procedure, Want: wantKey,
				Got:    fmt.Sprintf("%s (%s)", res.Requirement, label(decided, "tự quyết/automatic", "cần xem/review")),
				Detail: fmt.Sprintf("độ tin cậy (confidence) %.2f", res.Confidence), Score: res.Confidence})
		}
	}
	n := float64(len(keep))
	r.N = len(keep)
	if own > 0 {
		r.add("accuracy", "Giấy tờ của thủ tục: xếp đúng thành phần, tự quyết (own papers: right requirement, decided automatically)", float64(ownRight)/float64(own), "ratio")
	}
	r.add("confident_wrong", "Tự quyết sai (confident and wrong)", float64(wrong)/n, "ratio", "lower")
	r.add("confident_other", "Bị coi chắc chắn là \"khác\" mà sai (confident \"other\" that is wrong)", float64(wrongOther)/n, "ratio", "lower")
	r.add("review_share", "Chuyển cán bộ xem (sent to review)", float64(review)/n, "ratio", "info")
	if misplaced > 0 {
		r.add("misplaced_handled", "Giấy tờ không thuộc thủ tục: \"khác\" hoặc cần xem (foreign papers: other or review)", float64(misplacedOK)/float64(misplaced), "ratio")
	}
	if blank > 0 {
		r.add("title_only_review", "Chỉ có tiêu đề: chuyển cán bộ xem (title only: sent to review)", float64(blankReview)/float64(blank), "ratio")
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t := byKind[k]
		r.note("%s: %d giấy tờ (documents), %d đúng (right), %d cần xem (review), %d tự quyết sai (confident wrong)", k, t.n, t.right, t.review, t.wrong)
	}
	r.add("documents", "Số giấy tờ (documents)", n, "count", "info")
	r.note("Thủ tục chưa từng huấn luyện, bộ mới (held-out procedures, fresh set evals/unseen2): split %q theo thủ tục, rút bằng hạt giống (split by procedure, seeded draw); nhãn tay viết trước khi chạy (hand labels written before any run).", split)
	return nil
}

// unseen2Splits reads the split of each drawn procedure from the sampler's
// plan.
func unseen2Splits(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for sc.Scan() {
		var p struct{ Procedure, Split string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			return nil, err
		}
		out[p.Procedure] = p.Split
	}
	return out, sc.Err()
}

// unseen2Text reads a labelled document: a hand-written one in the set's
// docs, or "template:<file>", a real blank form of shared/data.
func unseen2Text(dir, shared, doc string) (string, error) {
	p := filepath.Join(dir, doc)
	if t, ok := strings.CutPrefix(doc, "template:"); ok {
		p = filepath.Join(shared, "form-templates-docfilling", "text", t)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	return vntext.NFC(string(b)), nil
}

// requirementByName maps a requirement's name as the source writes it onto
// the keys of the parsed requirements that best share its syllables (Dice
// over folded syllables of the name and the raw row); every requirement
// tied at the best score, or as close as sameRow, counts: a procedure's
// cases repeat a row with a word changed ("…của Luật này", "…của Luật Hợp
// tác xã 2020").
// Evaluation code: it reads the label, never the document.
func requirementByName(reqs []catalog.Requirement, name string) []string {
	want := syllableSet(name)
	best := 0.0
	scores := make([]float64, len(reqs))
	for i, q := range reqs {
		s := dice(want, syllableSet(q.Name))
		if q.Raw != "" {
			s = max(s, dice(want, syllableSet(q.Raw)))
		}
		scores[i] = s
		best = max(best, s)
	}
	if best < 0.6 {
		return nil
	}
	var out []string
	for i, q := range reqs {
		if scores[i] >= best-0.02 || scores[i] >= sameRow {
			out = append(out, q.Key)
		}
	}
	return out
}

// sameRow is the syllable overlap above which two rows name the same paper.
const sameRow = 0.85

func syllableSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range vntext.FoldedTokens(s) {
		out[t] = true
	}
	return out
}

func dice(a, b map[string]bool) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}
	hit := 0
	for w := range a {
		if b[w] {
			hit++
		}
	}
	return 2 * float64(hit) / float64(len(a)+len(b))
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
