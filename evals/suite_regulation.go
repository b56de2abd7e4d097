package evals

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/regulation"
)

func init() {
	register("regulation", runRegulation)
	register("citations", runCitations)
	register("everyday", runEveryday)
}

// runEveryday measures retrieval on everyday questions and citations on
// requirement→article pairs (evals/everyday), both labelled from the
// texts of ../shared/data before tuning and split into dev and test. The
// hybrid search is compared with a plain BM25 over the same texts in the
// same run; the gate reads the dev and test figures alike.
func runEveryday(ctx context.Context, x *Env, s Suite, r *Result) error {
	qs, err := regulation.LoadQuestions(x.path(paramString(s, "questions", "evals/everyday/questions.yaml")))
	if err != nil {
		return err
	}
	pairs, err := regulation.LoadPairs(x.path(paramString(s, "pairs", "evals/everyday/pairs.yaml")))
	if err != nil {
		return err
	}
	store, cat, err := x.SharedRegulations(ctx)
	if err != nil {
		return err
	}
	bm, err := store.LoadBM25(ctx)
	if err != nil {
		return err
	}
	// Every question is asked on the date the labels were written: the
	// version in force then is the answer.
	on := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	r.N = len(qs)
	for _, split := range questionSplits(qs) {
		h, err := regulation.EvaluateRanker(ctx, regulation.SearchRanker(store, regulation.ModeHybrid, on, true), qs, split)
		if err != nil {
			return err
		}
		b, err := regulation.EvaluateRanker(ctx, bm.Ranker(), qs, split)
		if err != nil {
			return err
		}
		lbl := " (" + split + ", n=" + fmt.Sprint(h.Questions) + ")"
		r.add("recall_at_1_"+split, "Recall@1"+lbl, h.RecallAt1, "ratio")
		r.add("recall_at_10_"+split, "Recall@10"+lbl, h.RecallAt10, "ratio")
		r.add("mrr_"+split, "MRR"+lbl, h.MRR, "ratio")
		r.add("bm25_recall_at_1_"+split, "BM25 Recall@1"+lbl, b.RecallAt1, "ratio", "info")
		r.add("bm25_recall_at_10_"+split, "BM25 Recall@10"+lbl, b.RecallAt10, "ratio", "info")
		r.add("bm25_mrr_"+split, "BM25 MRR"+lbl, b.MRR, "ratio", "info")
		r.add("mrr_gain_over_bm25_"+split, "MRR hybrid − BM25"+lbl, h.MRR-b.MRR, "ratio")
		r.PerClass = append(r.PerClass, ClassScore{Class: "hybrid " + split, Precision: h.RecallAt1, Recall: h.RecallAt10, F1: h.MRR, Support: h.Questions},
			ClassScore{Class: "bm25 " + split, Precision: b.RecallAt1, Recall: b.RecallAt10, F1: b.MRR, Support: b.Questions})
		if split == "test" {
			for _, m := range h.Misses {
				r.Worst = append(r.Worst, Case{ID: m.ID, Want: questionWant(qs, m.ID), Got: strings.Join(m.Top, "; "), Detail: "test", Score: 1})
			}
		}
	}
	// The corpus-trained PPMI-SVD embedder beside the hashing one, in the
	// same run: trained on the imported chunks, stored, every chunk
	// embedded, and the hybrid search measured with it at three fusion
	// weights on dev (to choose) and at ppmi_weight on test (to report).
	var ppmiStore *regulation.Store
	if paramInt(s, "ppmi", 1) == 1 {
		t0 := time.Now()
		p, err := store.TrainPPMI(ctx, embedding.PPMIOptions{})
		if err != nil {
			return err
		}
		ps := store.WithEmbedder(p)
		if _, err := ps.Reembed(ctx, nil); err != nil {
			return err
		}
		ppmiStore = ps
		r.add("ppmi_train_embed_s", "PPMI-SVD: huấn luyện + tạo vector (train + embed, s)", time.Since(t0).Seconds(), "s", "info")
		r.note("PPMI-SVD: %s (%d terms)", p.Name(), p.Terms())
		eval := func(w float64, split string) (regulation.SplitReport, error) {
			x := ps.WithEmbedder(p)
			x.VectorWeight = w
			return regulation.EvaluateRanker(ctx, regulation.SearchRanker(x, regulation.ModeHybrid, on, true), qs, split)
		}
		for _, w := range []float64{0.25, 0.5, 1} {
			h, err := eval(w, "dev")
			if err != nil {
				return err
			}
			lbl := fmt.Sprintf(" (PPMI-SVD, w=%g, dev, n=%d)", w, h.Questions)
			key := fmt.Sprintf("ppmi_w%g_", w)
			r.add(key+"recall_at_1_dev", "Recall@1"+lbl, h.RecallAt1, "ratio", "info")
			r.add(key+"recall_at_10_dev", "Recall@10"+lbl, h.RecallAt10, "ratio", "info")
			r.add(key+"mrr_dev", "MRR"+lbl, h.MRR, "ratio", "info")
		}
		w := paramFloat(s, "ppmi_weight", 1)
		h, err := eval(w, "test")
		if err != nil {
			return err
		}
		lbl := fmt.Sprintf(" (PPMI-SVD, w=%g, test, n=%d)", w, h.Questions)
		r.add("ppmi_recall_at_1_test", "Recall@1"+lbl, h.RecallAt1, "ratio", "info")
		r.add("ppmi_recall_at_10_test", "Recall@10"+lbl, h.RecallAt10, "ratio", "info")
		r.add("ppmi_mrr_test", "MRR"+lbl, h.MRR, "ratio", "info")
	}
	procs := func(ctx context.Context, code string) (*catalog.Procedure, error) {
		return cat.Get(ctx, code, time.Now())
	}
	for _, split := range []string{"dev", "test"} {
		c, err := regulation.EvaluateCitations(ctx, store, procs, pairs, split)
		if err != nil {
			return err
		}
		lbl := " (" + split + ", n=" + fmt.Sprint(c.Pairs) + ")"
		r.add("citation_accuracy_at_1_"+split, "Trích dẫn đúng ở vị trí 1 (citation accuracy@1)"+lbl, c.AccuracyAt1, "ratio")
		r.add("citation_accuracy_at_3_"+split, "Trích dẫn đúng trong 3 (citation accuracy@3)"+lbl, c.AccuracyAt3, "ratio")
		r.add("unrelated_in_top3_"+split, "Điều không liên quan trong 3 trích dẫn đầu (unrelated article in top-3)"+lbl, float64(c.UnrelatedInTop), "count", "lower")
		r.add("pair_keys_moved_"+split, "Cặp tìm theo tên vì mã thành phần đã đổi (pairs found by name: requirement key moved)"+lbl, float64(c.KeysMoved), "count", "info")
		if split == "test" {
			for _, m := range c.Misses {
				r.Worst = append(r.Worst, Case{ID: m.ID, Want: pairWant(pairs, m.ID), Got: strings.Join(m.Top, "; "), Detail: "citation test", Score: 1})
			}
		}
	}
	// The citations a version naming the PPMI-SVD embedder would attach
	// (providers.embed: {provider: local, model: ppmi-svd}), last: citing
	// replaces the stored citations of each procedure.
	if ppmiStore != nil {
		for _, split := range []string{"dev", "test"} {
			c, err := regulation.EvaluateCitations(ctx, ppmiStore, procs, pairs, split)
			if err != nil {
				return err
			}
			lbl := " (PPMI-SVD, " + split + ", n=" + fmt.Sprint(c.Pairs) + ")"
			r.add("ppmi_citation_accuracy_at_1_"+split, "Trích dẫn đúng ở vị trí 1 (citation accuracy@1)"+lbl, c.AccuracyAt1, "ratio", "info")
			r.add("ppmi_citation_accuracy_at_3_"+split, "Trích dẫn đúng trong 3 (citation accuracy@3)"+lbl, c.AccuracyAt3, "ratio", "info")
			r.add("ppmi_unrelated_in_top3_"+split, "Điều không liên quan trong 3 trích dẫn đầu (unrelated article in top-3)"+lbl, float64(c.UnrelatedInTop), "count", "lower", "info")
		}
	}
	r.note("Chỉ số hybrid so với BM25 thuần trên cùng văn bản, cùng lần chạy; tập dev dùng để chỉnh, tập test chỉ để báo cáo (hybrid vs a plain BM25 over the same texts in the same run; dev was tuned on, test only reported). Biểu đồ: P = recall@1, R = recall@10, F1 = MRR.")
	return nil
}

// questionSplits is dev and test, then any later batch the file holds
// (dev2: questions written after a round of tuning, reported on their own
// so that a change can be judged on questions it was not tuned on).
func questionSplits(qs []regulation.Question) []string {
	out := []string{"dev", "test"}
	seen := map[string]bool{"dev": true, "test": true}
	for _, q := range qs {
		if !seen[q.Split] {
			seen[q.Split] = true
			out = append(out, q.Split)
		}
	}
	return out
}

func questionWant(qs []regulation.Question, id string) string {
	for _, q := range qs {
		if q.ID == id {
			var want []string
			for _, a := range q.Answers {
				want = append(want, regulation.ArticleKey(a.Document, a.Article))
			}
			return q.Question + " → " + strings.Join(want, "; ")
		}
	}
	return id
}

func pairWant(ps []regulation.Pair, id string) string {
	for _, p := range ps {
		if p.ID == id {
			var want []string
			for _, a := range p.Accept {
				want = append(want, regulation.ArticleKey(a.Document, a.Article))
			}
			return p.Procedure + " " + p.Name + " → " + strings.Join(want, "; ")
		}
	}
	return id
}

// runRegulation measures article retrieval on everyday questions with known
// answer articles: recall@1/5/10 and nDCG@10, for each retrieval mode
// listed (the first is the one gated).
func runRegulation(ctx context.Context, x *Env, s Suite, r *Result) error {
	qs, err := regulation.LoadQuestions(x.path(paramString(s, "questions", "evals/regulation/questions.yaml")))
	if err != nil {
		return err
	}
	store, err := x.Regulations(ctx)
	if err != nil {
		return err
	}
	modes := paramStrings(s, "modes")
	if len(modes) == 0 {
		modes = []string{regulation.ModeHybrid}
	}
	r.N = len(qs)
	for i, mode := range modes {
		start := time.Now()
		rr, err := regulation.EvaluateRetrieval(ctx, store, qs, mode)
		if err != nil {
			return err
		}
		perQ := float64(time.Since(start).Milliseconds()) / float64(max(1, len(qs)))
		suffix, label := "", ""
		if i > 0 {
			suffix, label = "_"+mode, " ["+mode+"]"
		}
		r.add("recall_at_1"+suffix, "Recall@1"+label, rr.RecallAt1, "ratio")
		r.add("recall_at_5"+suffix, "Recall@5"+label, rr.RecallAt5, "ratio")
		r.add("recall_at_10"+suffix, "Recall@10"+label, rr.RecallAt10, "ratio")
		r.add("ndcg_at_10"+suffix, "nDCG@10"+label, rr.NDCGAt10, "ratio")
		r.add("latency_ms"+suffix, "Thời gian mỗi câu hỏi (mean latency per question)"+label, perQ, "ms", "lower", "info")
		r.PerClass = append(r.PerClass, ClassScore{Class: mode, Precision: rr.RecallAt1, Recall: rr.RecallAt10, F1: rr.NDCGAt10, Support: len(qs)})
		if i == 0 {
			for _, m := range rr.Misses {
				q := ""
				for _, qq := range qs {
					if qq.ID == m.ID {
						q = qq.Question
						var want []string
						for _, a := range qq.Answers {
							want = append(want, fmt.Sprintf("%s Điều %d", a.Document, a.Article))
						}
						q += " → " + strings.Join(want, "; ")
					}
				}
				r.Worst = append(r.Worst, Case{ID: m.ID, Want: q, Got: strings.Join(m.Top, "; "), Detail: mode, Score: 1})
			}
		}
	}
	r.note("Biểu đồ theo chế độ: cột 1 = recall@1, cột 2 = recall@10, cột 3 = nDCG@10 (per-mode chart: P = recall@1, R = recall@10, F1 = nDCG@10).")
	return nil
}

// goldCitation lists the articles that state one requirement.
type goldCitation struct {
	Procedure   string `yaml:"procedure"`
	Requirement string `yaml:"requirement"`
	Articles    []struct {
		Document string `yaml:"document"`
		Article  int    `yaml:"article"`
	} `yaml:"articles"`
}

// runCitations measures the citations the check stage attaches to
// findings: for each requirement with gold articles, CiteProcedure's top
// citation (accuracy@1) and top three (accuracy@3) against the gold, and
// the share of all stored citations whose quote is verified to occur in
// the cited unit.
func runCitations(ctx context.Context, x *Env, s Suite, r *Result) error {
	b, err := os.ReadFile(x.path(paramString(s, "gold", "evals/citations/gold.yaml")))
	if err != nil {
		return err
	}
	var gold []goldCitation
	if err := yaml.Unmarshal(b, &gold); err != nil {
		return fmt.Errorf("citations gold: %w", err)
	}
	cat, err := x.Catalog(ctx)
	if err != nil {
		return err
	}
	store, err := x.Regulations(ctx)
	if err != nil {
		return err
	}
	cited := map[string]bool{}
	at1, at3, verified, total, evaluated := 0, 0, 0, 0, 0
	for _, g := range gold {
		if !cited[g.Procedure] {
			p, err := cat.Get(ctx, g.Procedure, time.Now())
			if err != nil {
				return fmt.Errorf("procedure %s: %w", g.Procedure, err)
			}
			if err := store.CiteProcedure(ctx, p); err != nil {
				return err
			}
			cited[g.Procedure] = true
		}
		cs, err := store.Citations(ctx, g.Procedure, g.Requirement)
		if err != nil {
			return err
		}
		id := g.Procedure + "/" + g.Requirement
		want := map[string]bool{}
		var wantS []string
		for _, a := range g.Articles {
			k := fmt.Sprintf("%s Điều %d", legalnum.Normalize(a.Document), a.Article)
			want[k] = true
			wantS = append(wantS, k)
		}
		evaluated++
		var got []string
		hit := 0
		for i, c := range cs {
			if i >= 3 {
				break
			}
			k := fmt.Sprintf("%s Điều %d", c.Document, c.Article)
			got = append(got, k)
			if want[k] && hit == 0 {
				hit = i + 1
			}
		}
		for _, c := range cs {
			total++
			ok, err := store.VerifyCitation(ctx, c)
			if err != nil {
				return err
			}
			if ok {
				verified++
			}
		}
		if hit == 1 {
			at1++
		}
		if hit >= 1 {
			at3++
		}
		if hit != 1 {
			sc := 2.0
			if hit > 1 {
				sc = 1
			}
			gotS := strings.Join(got, "; ")
			if gotS == "" {
				gotS = "(không có trích dẫn / no citation)"
			}
			r.Worst = append(r.Worst, Case{ID: id, Want: strings.Join(wantS, " | "), Got: gotS, Score: sc})
		}
	}
	r.N = evaluated
	if evaluated > 0 {
		r.add("accuracy", "Trích dẫn đầu tiên đúng điều (citation accuracy@1)", float64(at1)/float64(evaluated), "ratio")
		r.add("accuracy_at_3", "Có điều đúng trong 3 trích dẫn (citation accuracy@3)", float64(at3)/float64(evaluated), "ratio")
	}
	if total > 0 {
		r.add("quote_verified", "Trích dẫn có nguyên văn kiểm chứng được (quotes verified in the cited unit)", float64(verified)/float64(total), "ratio")
	}
	r.add("citations", "Số trích dẫn kiểm tra (citations checked)", float64(total), "count", "info")
	return nil
}
