package evals

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

func init() { register("classify_unseen", runClassifyUnseen) }

// unseenCase is one hand-labelled paper of a procedure outside the
// classifier's training (evals/unseen/labels.yaml).
type unseenCase struct {
	Form        string `yaml:"form"`
	Procedure   string `yaml:"procedure"`
	Requirement string `yaml:"requirement"`
}

// unseenSplit puts a case in dev or test by a seeded hash, fixed before any
// tuning.
func unseenSplit(seed int, c unseenCase) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d\x00%s\x00%s", seed, c.Form, c.Procedure)
	if h.Sum32()%2 == 0 {
		return "dev"
	}
	return "test"
}

// runClassifyUnseen measures classification on procedures held out of
// training: the papers' own requirement lists come from the national
// catalog, the expectations from the hand labels. A paper must be mapped to
// its requirement, or go to review; a confident "other" for a paper of the
// procedure, or any confident wrong answer, counts against.
func runClassifyUnseen(_ context.Context, x *Env, s Suite, r *Result) error {
	if x.SharedData == "" {
		return skip("shared/data is absent: the national catalog is needed")
	}
	b, err := os.ReadFile(x.path(paramString(s, "labels", "evals/unseen/labels.yaml")))
	if err != nil {
		return err
	}
	var cases []unseenCase
	if err := yaml.Unmarshal(b, &cases); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	seed, split := paramInt(s, "seed", 2026), paramString(s, "split", "test")
	want := map[string]bool{}
	var keep []unseenCase
	for _, c := range cases {
		if split == "all" || unseenSplit(seed, c) == split {
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
	var right, review, confidentOther, confidentWrong, own, misplaced, misplacedOK, titleLostRight, titleLostWrong int
	for _, c := range keep {
		p, ok := procs[c.Procedure]
		if !ok {
			return fmt.Errorf("procedure %s of %s not in the national catalog", c.Procedure, c.Form)
		}
		text, err := os.ReadFile(x.path(filepath.Join("data", "forms", c.Form)))
		if err != nil {
			return err
		}
		wantKey := c.Requirement
		if wantKey != dossier.TypeOther {
			wantKey = ""
			for _, q := range p.Requirements {
				if q.Key == c.Requirement || strings.HasPrefix(q.Key, c.Requirement) {
					wantKey = q.Key
				}
			}
			if wantKey == "" {
				return fmt.Errorf("label %s: no requirement %q in %s", c.Form, c.Requirement, c.Procedure)
			}
			own++
		} else {
			misplaced++
		}
		res := m.Classify(classifier.Input{Filename: c.Form, Text: vntext.NFC(string(text))}, p.Requirements, threshold)
		decided := res.Requirement != dossier.TypeUnknown && !res.NeedsReview
		switch {
		case !decided:
			review++
			if wantKey == dossier.TypeOther {
				misplacedOK++ // an official decides: acceptable for a stranger
			}
		case res.Requirement == wantKey:
			right++
			if wantKey == dossier.TypeOther {
				misplacedOK++
			}
		default:
			confidentWrong++
			if res.Requirement == dossier.TypeOther {
				confidentOther++
			}
		}
		if wantKey != dossier.TypeOther {
			// The same paper with its title area lost (a scan cut at the
			// top, a second page uploaded alone): the lines of the first
			// eight that hold no "label:".
			lost := m.Classify(classifier.Input{Filename: c.Form, Text: classifier.WithoutTitle(vntext.NFC(string(text)))}, p.Requirements, threshold)
			if lost.Requirement == wantKey && !lost.NeedsReview {
				titleLostRight++
			}
			if lost.Requirement != wantKey && lost.Requirement != dossier.TypeUnknown && !lost.NeedsReview {
				titleLostWrong++
			}
		}
		if !decided || res.Requirement != wantKey {
			r.Worst = append(r.Worst, Case{ID: c.Form + " @ " + c.Procedure, Want: wantKey,
				Got:    fmt.Sprintf("%s (%s)", res.Requirement, label(decided, "tự quyết/automatic", "cần xem/review")),
				Detail: fmt.Sprintf("độ tin cậy (confidence) %.2f", res.Confidence), Score: res.Confidence})
		}
	}
	n := float64(len(keep))
	r.N = len(keep)
	r.add("accuracy", "Xếp đúng thành phần, tự quyết (right requirement, decided automatically)", float64(right)/n, "ratio")
	r.add("confident_wrong", "Tự quyết sai (confident and wrong)", float64(confidentWrong)/n, "ratio", "lower")
	r.add("confident_other", "Giấy tờ bị coi chắc chắn là \"khác\" (confident \"other\" that is wrong)", float64(confidentOther)/n, "ratio", "lower")
	r.add("review_share", "Chuyển cán bộ xem (sent to review)", float64(review)/n, "ratio", "info")
	if misplaced > 0 {
		r.add("misplaced_handled", "Giấy tờ đặt nhầm thủ tục: \"khác\" hoặc cần xem (misplaced: other or review)", float64(misplacedOK)/float64(misplaced), "ratio")
	}
	if own > 0 {
		r.add("title_lost_accuracy", "Mất phần tiêu đề: vẫn xếp đúng (title area lost: still right)", float64(titleLostRight)/float64(own), "ratio", "info")
		r.add("title_lost_confident_wrong", "Mất phần tiêu đề: tự quyết sai (title area lost: confident and wrong)", float64(titleLostWrong)/float64(own), "ratio", "lower")
	}
	r.add("documents", "Số giấy tờ (documents)", n, "count", "info")
	r.note("Thủ tục chưa từng huấn luyện (procedures held out of training): %d giấy tờ của thủ tục, %d đặt nhầm; split %q theo hạt giống %d của evals/unseen/labels.yaml (nhãn tay).", own, misplaced, split, seed)
	return nil
}

// nationalProcedures parses the procedures of codes from the national
// catalog file.
func nationalProcedures(path string, codes map[string]bool) (map[string]catalog.Procedure, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]catalog.Procedure{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		p, err := catalog.ParseNational(sc.Bytes())
		if err != nil || !codes[p.Code] {
			continue
		}
		out[p.Code] = p
	}
	return out, sc.Err()
}
