package evals

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hoso-vn/hoso/evals/dossiergen"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/submission"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/internal/vntext"
	"github.com/hoso-vn/hoso/pipelines/check"
)

func init() {
	register("completeness", runCompleteness)
	register("e2e", runE2E)
	register("extraction", runExtraction)
}

// generated returns the suite's generated dossiers, checked against the
// catalog as the pipeline loads it (overrides applied). Their expectations
// are the generator's scenario labels, never recomputed from the catalog
// or the check stage's rule. n is the subset size; 0 or x.Full takes all.
func generated(ctx context.Context, x *Env, s Suite, n int) ([]dossiergen.Dossier, map[string]*catalog.Procedure, error) {
	cat, err := x.Catalog(ctx)
	if err != nil {
		return nil, nil, err
	}
	procs := map[string]*catalog.Procedure{}
	get := func(code string) (*catalog.Procedure, error) {
		if p, ok := procs[code]; ok {
			return p, nil
		}
		p, err := cat.Get(ctx, code, time.Now())
		if err != nil {
			return nil, fmt.Errorf("procedure %s: %w", code, err)
		}
		procs[code] = p
		return p, nil
	}
	total := paramInt(s, "dossiers", 500)
	ds, err := dossiergen.Generate(dossiergen.Options{Seed: uint64(paramInt(s, "seed", 1)), N: total, Root: x.Root, Procedures: get})
	if err != nil {
		return nil, nil, err
	}
	if n > 0 && n < len(ds) && !x.Full {
		// A seeded subset spread evenly over the whole set (and so over
		// every procedure and fault).
		step := float64(len(ds)) / float64(n)
		var sub []dossiergen.Dossier
		for i := 0; i < n; i++ {
			sub = append(sub, ds[int(float64(i)*step)])
		}
		ds = sub
	}
	return ds, procs, nil
}

// statusOf maps a completeness finding onto the three labelled statuses.
func statusOf(f dossier.Finding) string {
	switch f.Status {
	case dossier.FindingPresent, dossier.FindingSatisfiedByReuse:
		return dossiergen.Present
	case dossier.FindingMissing:
		return dossiergen.Missing
	case dossier.FindingNotApplicable:
		return dossiergen.NotApplicable
	}
	return f.Status
}

// completenessScore compares one dossier's completeness findings with its
// expectations and adds to the running tallies.
type completenessScore struct {
	gold, pred    []string
	missing       PRF
	byCategory    map[string][2]int // category → (right, total)
	dossiersExact int
	dossiers      int
	worst         []Case
}

func newCompletenessScore() *completenessScore {
	return &completenessScore{byCategory: map[string][2]int{}}
}

func (c *completenessScore) add(d dossiergen.Dossier, p *catalog.Procedure, findings []dossier.Finding) {
	got := map[string]string{}
	for _, f := range findings {
		if f.Kind != "completeness" && f.Kind != "reuse" {
			continue
		}
		if k, ok := strings.CutPrefix(f.Key, "req:"); ok {
			got[k] = statusOf(f)
		}
	}
	keys := make([]string, 0, len(d.Expect))
	for k := range d.Expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var wantMissing, gotMissing, wrong []string
	alt := slices.Contains(d.Faults, dossiergen.FaultAlternative)
	for _, k := range keys {
		w, g := d.Expect[k], got[k]
		if g == "" {
			g = "(none)"
		}
		c.gold = append(c.gold, w)
		c.pred = append(c.pred, g)
		if w == dossiergen.Missing {
			wantMissing = append(wantMissing, k)
		}
		if g == dossiergen.Missing {
			gotMissing = append(gotMissing, k)
		}
		var req catalog.Requirement
		for _, r := range p.Requirements {
			if r.Key == k {
				req = r
			}
		}
		cats := []string{w}
		if req.Optional {
			cats = append(cats, "conditional")
		}
		if alt && w == dossiergen.Present && fileFor(d, k).DocType != "" && isAlternative(d, k) {
			cats = append(cats, "alternative")
		}
		for _, cat := range cats {
			t := c.byCategory[cat]
			t[1]++
			if w == g {
				t[0]++
			}
			c.byCategory[cat] = t
		}
		if w != g {
			wrong = append(wrong, fmt.Sprintf("%s: cần %s, được %s", k, w, g))
		}
	}
	// A missing finding on a requirement the scenario does not label is a
	// false alarm too: the labels say what the dossier lacks.
	for k, g := range got {
		if _, ok := d.Expect[k]; !ok && g == dossiergen.Missing {
			gotMissing = append(gotMissing, k)
			wrong = append(wrong, fmt.Sprintf("%s: không cần, được missing", k))
		}
	}
	tp, fp, fn := SetCounts(wantMissing, gotMissing)
	c.missing = c.missing.Add(PRF{TP: tp, FP: fp, FN: fn})
	c.dossiers++
	if len(wrong) == 0 {
		c.dossiersExact++
	} else {
		c.worst = append(c.worst, Case{ID: d.ID + " " + d.Procedure, Want: "faults: " + strings.Join(d.Faults, ","), Got: strings.Join(wrong, "; "), Score: float64(len(wrong))})
	}
}

func fileFor(d dossiergen.Dossier, req string) dossiergen.File {
	for _, f := range d.Files {
		if f.Requirement == req {
			return f
		}
	}
	return dossiergen.File{}
}

// isAlternative reports whether the file satisfying req is an alternative
// document rather than the usual one.
func isAlternative(d dossiergen.Dossier, req string) bool {
	f := fileFor(d, req)
	return f.DocType == "van_ban_lam_chung" || f.DocType == "giay_cam_doan" || (f.DocType == "hop_dong_thue_nha" && req == "thong-tin-chung-minh-ve-cho-o-hop-phap-duoc-khai")
}

func (c *completenessScore) report(r *Result) {
	r.add("status_accuracy", "Độ chính xác trạng thái thành phần (requirement status accuracy)", Accuracy(c.gold, c.pred), "ratio")
	r.add("missing_precision", "Độ chính xác phát hiện thiếu (missing-finding precision)", c.missing.Precision, "ratio")
	r.add("missing_recall", "Độ phủ phát hiện thiếu (missing-finding recall)", c.missing.Recall, "ratio")
	r.add("missing_f1", "F1 phát hiện thiếu (missing-finding F1)", c.missing.F1, "ratio")
	names := map[string]string{
		dossiergen.Present: "present_accuracy", dossiergen.Missing: "missing_accuracy", dossiergen.NotApplicable: "not_applicable_accuracy",
		"conditional": "conditional_accuracy", "alternative": "alternative_satisfied_accuracy",
	}
	labels := map[string]string{
		dossiergen.Present: "Đúng khi đã nộp (present)", dossiergen.Missing: "Đúng khi thiếu (missing)", dossiergen.NotApplicable: "Đúng khi không áp dụng (not applicable)",
		"conditional": "Thành phần có điều kiện (conditional)", "alternative": "Giấy tờ thay thế được chấp nhận (alternative satisfied)",
	}
	for _, cat := range []string{dossiergen.Present, dossiergen.Missing, dossiergen.NotApplicable, "conditional", "alternative"} {
		t := c.byCategory[cat]
		if t[1] == 0 {
			continue
		}
		r.add(names[cat], labels[cat], float64(t[0])/float64(t[1]), "ratio")
	}
	if c.dossiers > 0 {
		r.add("dossier_exact", "Hồ sơ đúng hoàn toàn (dossiers entirely right)", float64(c.dossiersExact)/float64(c.dossiers), "ratio")
	}
	r.Confusion = NewConfusion(c.gold, c.pred)
	r.PerClass = r.Confusion.PerClass()
	r.Worst = append(r.Worst, c.worst...)
}

// runCompleteness checks the completeness logic alone: every generated
// dossier's documents are given their true requirement (as if
// classification were perfect) and the check stage's findings are compared
// with the expectations.
func runCompleteness(ctx context.Context, x *Env, s Suite, r *Result) error {
	ds, procs, err := generated(ctx, x, s, 0)
	if err != nil {
		return err
	}
	st := &check.Stage{}
	c := newCompletenessScore()
	for _, d := range ds {
		p := procs[d.Procedure]
		var docs []store.Document
		for i, f := range d.Files {
			docs = append(docs, store.Document{Document: dossier.Document{ID: fmt.Sprintf("%s-%d", d.ID, i), Filename: f.Name,
				Type: f.Requirement, Confidence: 1, ExtractionStatus: dossier.ExtractOK}})
		}
		meta := map[string]any{}
		if len(d.Cases) > 0 {
			cs := make([]any, len(d.Cases))
			for i, k := range d.Cases {
				cs[i] = k
			}
			meta["cases"] = cs
		}
		fs, err := st.Findings(ctx, dossier.Dossier{ID: d.ID, ProcedureCode: d.Procedure, ApplicantID: d.Applicant, SubmittedAt: d.SubmittedAt, Metadata: meta}, p, docs, x.Definition)
		if err != nil {
			return err
		}
		c.add(d, p, fs)
	}
	r.N = len(ds)
	c.report(r)
	r.note("Giấy tờ được gán đúng thành phần (oracle document types): đo riêng logic kiểm tra đầy đủ, không tính lỗi phân loại.")
	return addHarvestCompleteness(x, s, r)
}

// runE2E runs generated dossiers through the real pipeline — submission,
// JetStream, extraction (PDF text layer, pdftotext fallback, OCR for the
// scans), classification, field extraction, the check stage with
// citations — and compares each pre-check report with the labels.
func runE2E(ctx context.Context, x *Env, s Suite, r *Result) error {
	ds, procs, err := generated(ctx, x, s, paramInt(s, "subset", 60))
	if err != nil {
		return err
	}
	hard, err := dossiergen.Hard(dossiergen.Options{Seed: uint64(paramInt(s, "seed", 1)), Root: x.Root}, paramInt(s, "hard_per_scenario", 3))
	if err != nil {
		return err
	}
	for _, d := range hard {
		if _, ok := procs[d.Procedure]; !ok {
			cat, err := x.Catalog(ctx)
			if err != nil {
				return err
			}
			p, err := cat.Get(ctx, d.Procedure, time.Now())
			if err != nil {
				return fmt.Errorf("procedure %s: %w", d.Procedure, err)
			}
			procs[d.Procedure] = p
		}
	}
	// Dossiers that later ones build on (a first child's accepted birth
	// registration) go in and are accepted first.
	var prereq []dossiergen.Dossier
	for _, d := range hard {
		if d.Hard == dossiergen.HardPrerequisite {
			prereq = append(prereq, d)
		} else {
			ds = append(ds, d)
		}
	}
	nStd := len(ds) - (len(hard) - len(prereq))
	svc, err := x.Service(ctx)
	if err != nil {
		return err
	}
	for code, p := range procs {
		n, err := citationCount(ctx, svc.Pool, code, p.Version)
		if err != nil {
			return err
		}
		if n > 0 { // cited already by the citations suite of this run
			continue
		}
		if err := svc.Regulations.CiteProcedure(ctx, p); err != nil {
			return fmt.Errorf("cite %s: %w", code, err)
		}
	}
	// The generator drew every date (a card's expiry, a child's birth)
	// against dossiergen.AsOf, so the dossiers are submitted on that day:
	// submitted today, a card valid on AsOf that has expired since is an
	// "expired ID" the labels do not expect, and the figures would drift
	// with the calendar. skew maps the submission clock back to real time
	// for the latency figures.
	skew := dossiergen.AsOf.Sub(time.Now())
	prevNow := svc.Submission.Now
	svc.Submission.Now = func() time.Time { return time.Now().Add(skew) }
	defer func() { svc.Submission.Now = prevNow }()
	var rd dossiergen.Renderer
	run := fmt.Sprintf("%08x", time.Now().UnixNano()&0xffffffff)
	submit := func(d *dossiergen.Dossier) (string, error) {
		req := submission.Request{ProcedureCode: d.Procedure, ApplicantID: d.Applicant, Agency: d.Agency,
			IdempotencyKey: "eval-" + run + "-" + d.ID, Submitter: "eval", Metadata: map[string]any{"eval": d.ID}}
		if len(d.Cases) > 0 {
			cs := make([]any, len(d.Cases))
			for i, k := range d.Cases {
				cs[i] = k
			}
			req.Metadata["cases"] = cs
		}
		for _, f := range d.Files {
			b, err := rd.File(ctx, d.ID, f)
			if err != nil {
				return "", err
			}
			req.Files = append(req.Files, submission.File{Name: f.Name, Data: b})
		}
		res, err := svc.Submission.Submit(ctx, req)
		if err != nil {
			return "", fmt.Errorf("submit %s: %w", d.ID, err)
		}
		return res.DossierID, nil
	}
	wctx, cancel := context.WithTimeout(ctx, time.Duration(paramInt(s, "timeout_seconds", 900))*time.Second)
	defer cancel()
	if len(prereq) > 0 {
		var pids []string
		for i := range prereq {
			id, err := submit(&prereq[i])
			if err != nil {
				return err
			}
			pids = append(pids, id)
		}
		if _, err := svc.WaitDone(wctx, pids, io.Discard); err != nil {
			return err
		}
		vs := vault.New(svc.Pool)
		for _, id := range pids {
			if _, err := vs.Accept(ctx, id, review.Actor{ID: "eval", Roles: []string{review.RoleAdmin}}, "eval: hồ sơ trước (prerequisite)"); err != nil {
				return fmt.Errorf("accept %s: %w", id, err)
			}
		}
	}
	bar := newBar(x.Progress, len(ds), "  e2e: nộp hồ sơ / submitting")
	ids := make([]string, len(ds))
	for i := range ds {
		id, err := submit(&ds[i])
		if err != nil {
			return err
		}
		ids[i] = id
		_ = bar.Add(1)
	}
	_ = bar.Finish()
	reps, err := waitWithBar(wctx, x, svc.WaitDone, ids)
	if err != nil {
		return err
	}
	c := newCompletenessScore()
	var docGold, docPred []string
	var lat []float64
	flags := map[string][2]int{} // flag → (detected, expected)
	falseAlarms, clean := 0, 0
	failed := 0
	hardScore := newHardScore()
	for i, rep := range reps {
		d := ds[i]
		if rep.Dossier.Status == dossier.StatusFailed {
			failed++
		}
		if i >= nStd {
			hardScore.add(d, rep, r)
			continue
		}
		c.add(d, procs[d.Procedure], rep.Findings)
		byName := map[string]dossier.Document{}
		for _, doc := range rep.Documents {
			byName[doc.Filename] = doc
		}
		for _, f := range d.Files {
			doc := byName[f.Name]
			docGold = append(docGold, f.Requirement)
			got := doc.Type
			if doc.CountsFor != "" {
				got = doc.CountsFor // the check's mapping onto the dossier's case
			}
			if got == "" || got == dossier.TypeUnknown {
				got = dossier.TypeUnknown
			}
			docPred = append(docPred, got)
			if got != f.Requirement && !(f.Requirement == dossier.TypeOther && got == dossier.TypeUnknown) {
				r.Worst = append(r.Worst, Case{ID: d.ID + "/" + f.Name, Want: f.DocType + " → " + f.Requirement, Got: got,
					Detail: fmt.Sprintf("%s, độ tin cậy %.2f, trích xuất %s", d.Procedure, doc.Confidence, doc.ExtractionStatus), Score: 0.5 + doc.Confidence})
			}
		}
		raised := map[string]bool{}
		for _, f := range rep.Findings {
			switch {
			case strings.HasPrefix(f.Key, "validity/") && f.Status == dossier.FindingInvalid && strings.Contains(f.Key, "expir"):
				raised[dossiergen.FaultExpiredID] = true
			case strings.HasPrefix(f.Key, "validity/") && f.Status == dossier.FindingInvalid:
				raised[dossiergen.FaultExpiredID] = true
			case strings.HasPrefix(f.Key, "consistency/name/") && f.Status != dossier.FindingPresent:
				raised[dossiergen.FaultMismatchedName] = true
			}
		}
		for _, fl := range []string{dossiergen.FaultExpiredID, dossiergen.FaultMismatchedName} {
			if slices.Contains(d.ExpectFlags, fl) {
				t := flags[fl]
				t[1]++
				if raised[fl] {
					t[0]++
				} else {
					r.Worst = append(r.Worst, Case{ID: d.ID, Want: fl, Got: "không phát hiện (not detected)", Detail: d.Procedure, Score: 1.2})
				}
				flags[fl] = t
			}
		}
		if len(d.ExpectFlags) == 0 {
			clean++
			if len(raised) > 0 {
				falseAlarms++
				var fl []string
				for k := range raised {
					fl = append(fl, k)
				}
				r.Worst = append(r.Worst, Case{ID: d.ID, Want: "không cảnh báo (no flag)", Got: strings.Join(fl, ","), Detail: d.Procedure, Score: 1.1})
			}
		}
		if end := lastFinished(rep); !end.IsZero() {
			lat = append(lat, float64(end.Sub(rep.Dossier.SubmittedAt.Add(-skew)).Milliseconds()))
		}
	}
	r.N = nStd
	c.report(r)
	hardScore.report(r)
	r.add("document_accuracy", "Giấy tờ gán đúng thành phần (documents mapped to the right requirement)", Accuracy(docGold, docPred), "ratio")
	for _, fl := range []string{dossiergen.FaultExpiredID, dossiergen.FaultMismatchedName} {
		if t := flags[fl]; t[1] > 0 {
			label := map[string]string{dossiergen.FaultExpiredID: "Phát hiện thẻ hết hạn (expired ID recall)", dossiergen.FaultMismatchedName: "Phát hiện tên không khớp (mismatched-name recall)"}[fl]
			r.add(fl+"_recall", label, float64(t[0])/float64(t[1]), "ratio")
		}
	}
	if clean > 0 {
		r.add("false_alarm_rate", "Cảnh báo nhầm trên hồ sơ sạch (false alarms on clean dossiers)", float64(falseAlarms)/float64(clean), "ratio", "lower")
	}
	r.add("failed_dossiers", "Hồ sơ xử lý lỗi (dossiers failed)", float64(failed), "count", "lower")
	r.add("latency_p50_ms", "Thời gian kiểm tra trước p50 (pre-check latency p50)", Percentile(lat, 50), "ms", "lower", "info")
	r.add("latency_p95_ms", "Thời gian kiểm tra trước p95 (pre-check latency p95)", Percentile(lat, 95), "ms", "lower", "info")
	calls, tokens, err := aiUsage(ctx, x, ids)
	if err != nil {
		return err
	}
	r.add("ai_calls_per_dossier", "Lượt gọi AI mỗi hồ sơ (AI calls per dossier)", calls/float64(max(1, len(ids))), "per_dossier", "lower")
	r.add("ai_tokens_per_dossier", "Token AI mỗi hồ sơ (AI tokens per dossier)", tokens/float64(max(1, len(ids))), "per_dossier", "lower")
	r.add("dossiers", "Số hồ sơ (dossiers)", float64(nStd), "count", "info")
	docConf := NewConfusion(docGold, docPred)
	r.PerClass = append(r.PerClass, docConf.PerClass()...)
	r.note("Ma trận nhầm lẫn: trạng thái thành phần hồ sơ; biểu đồ lớp: trạng thái và thành phần hồ sơ của từng giấy tờ (confusion: requirement statuses; per-class: statuses, then per-requirement document mapping).")
	if !x.Full {
		r.note("Tập con %d hồ sơ chọn đều theo hạt giống trong %d hồ sơ sinh ra; chạy đủ: --full (seeded subset; --full runs all).", len(ds), paramInt(s, "dossiers", 500))
	}
	r.note("Chỉ mô hình cục bộ (offline, local models only): 0 lượt gọi AI là đúng thiết kế, không phải lỗi đo.")
	return nil
}

func lastFinished(rep dossier.Report) time.Time {
	var t time.Time
	for _, e := range rep.Timeline {
		if e.FinishedAt.After(t) {
			t = e.FinishedAt
		}
	}
	return t
}

// waitWithBar waits for the pipeline, drawing progress as dossiers finish.
func waitWithBar(ctx context.Context, x *Env, wait func(context.Context, []string, io.Writer) ([]dossier.Report, error), ids []string) ([]dossier.Report, error) {
	bar := newBar(x.Progress, len(ids), "  e2e: chờ kiểm tra / pre-checking")
	var mu sync.Mutex
	done := 0
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				n, err := countDone(ctx, x, ids)
				if err == nil {
					mu.Lock()
					if n > done {
						_ = bar.Add(n - done)
						done = n
					}
					mu.Unlock()
				}
			}
		}
	}()
	reps, err := wait(ctx, ids, nil)
	close(stop)
	wg.Wait()
	_ = bar.Finish()
	return reps, err
}

// runExtraction measures text extraction: the character error rate of the
// generated dossiers' PDFs (fpdf output, whose text layer forces the
// fidelity check and the pdftotext fallback) against the text drawn, and,
// when shared/data is present, of the real government PDFs with an
// exact-version reference, plus the share of real scans recognised as
// needing OCR rather than passed off as text.
func runExtraction(ctx context.Context, x *Env, s Suite, r *Result) error {
	xo := doctext.DefaultOptions()
	xo.OCR = false
	xo.InProcess = x.InProcessExtract
	ex := doctext.New(xo, x.Log)
	ds, err := dossiergen.Generate(dossiergen.Options{Seed: uint64(paramInt(s, "seed", 7)), N: paramInt(s, "dossiers", 30), Root: x.Root, Scans: -1})
	if err != nil {
		return err
	}
	var rd dossiergen.Renderer
	var cers []float64
	var lat []float64
	okN, total := 0, 0
	byType := map[string][]float64{}
	for _, d := range ds {
		for _, f := range d.Files {
			b, err := rd.PDF(f.Pages)
			if err != nil {
				return err
			}
			start := time.Now()
			res, err := ex.Extract(ctx, f.Name, b)
			lat = append(lat, float64(time.Since(start).Milliseconds()))
			total++
			if err != nil {
				return err
			}
			var got []string
			for _, p := range res.Pages {
				got = append(got, p.Text)
			}
			hyp, ref := normCER(strings.Join(got, " ")), normCER(strings.Join(f.Pages, " "))
			cer := CER(hyp, ref)
			if res.Status == doctext.StatusOK {
				okN++
			}
			cers = append(cers, cer)
			byType[f.DocType] = append(byType[f.DocType], cer)
			if cer > 0.02 || res.Status != doctext.StatusOK {
				r.Worst = append(r.Worst, Case{ID: d.ID + "/" + f.Name, Want: "CER ≤ 2%", Got: fmt.Sprintf("CER %.1f%%, %s", 100*cer, res.Status), Score: cer})
			}
		}
	}
	r.add("generated_cer", "Tỷ lệ lỗi ký tự, PDF sinh ra (CER, generated PDFs)", Mean(cers), "ratio", "lower")
	r.add("generated_ok", "Trích xuất thành công (extraction ok)", float64(okN)/float64(max(1, total)), "ratio")
	r.add("latency_p50_ms", "Thời gian mỗi tệp p50 (per-file latency p50)", Percentile(lat, 50), "ms", "lower", "info")
	r.add("latency_p95_ms", "Thời gian mỗi tệp p95 (per-file latency p95)", Percentile(lat, 95), "ms", "lower", "info")
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		acc := 1 - Mean(byType[t])
		r.PerClass = append(r.PerClass, ClassScore{Class: t, Precision: acc, Recall: acc, F1: acc, Support: len(byType[t])})
	}
	r.N = total
	r.note("Biểu đồ lớp: 1 − CER theo loại giấy tờ (per-class bars: 1 − CER per document type).")

	shared := x.SharedData
	if shared == "" || !fileExists(filepath.Join(shared, "pdfs-vn-gov", "manifest.csv")) {
		r.note("Không có shared/data: bỏ qua 15 PDF thật (real PDFs skipped).")
		r.unavailable("không có ../shared/data/pdfs-vn-gov (real PDFs absent)", "real_cer", "scan_detection", "real_text_ok")
		return nil
	}
	f, err := os.Open(filepath.Join(shared, "pdfs-vn-gov", "manifest.csv"))
	if err != nil {
		return err
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return err
	}
	refs := map[string]string{ // exact-version references named by the manifest
		"luat-15-2012-QH13-xu-ly-vi-pham-hanh-chinh.pdf": "laws-underthesea-vlc/Luat-xu-ly-vi-pham-hanh-chinh-2012-142766.txt",
		"to-khai-can-cuoc-cong-dan-mau-CC01.pdf":         "form-templates-docfilling/text/08_cccd.txt",
	}
	scans, scansFlagged, textOK, textN := 0, 0, 0, 0
	var realCER []float64
	for _, row := range rows[1:] {
		name, kind := row[0], row[2]
		data, err := os.ReadFile(filepath.Join(shared, "pdfs-vn-gov", name))
		if err != nil {
			return err
		}
		res, err := ex.Extract(ctx, name, data)
		if err != nil {
			return err
		}
		if strings.HasPrefix(kind, "scanned") {
			scans++
			if res.Status == doctext.StatusNeedsOCR {
				scansFlagged++
			} else {
				r.Worst = append(r.Worst, Case{ID: name, Want: "needs_ocr", Got: res.Status, Detail: kind, Score: 1})
			}
			continue
		}
		textN++
		if res.Status == doctext.StatusOK {
			textOK++
		}
		ref, ok := refs[name]
		if !ok {
			continue
		}
		rb, err := os.ReadFile(filepath.Join(shared, ref))
		if err != nil {
			return err
		}
		var got []string
		for i, p := range res.Pages {
			if name == "luat-15-2012-QH13-xu-ly-vi-pham-hanh-chinh.pdf" && i >= 2 {
				break // the first two pages, aligned inside the whole law
			}
			got = append(got, p.Text)
		}
		hyp, refText := []rune(normCER(strings.Join(got, " "))), []rune(normCER(string(rb)))
		var cer float64
		if len(hyp) < len(refText) {
			cer = float64(InfixDistance(hyp, refText)) / float64(max(1, len(hyp)))
		} else {
			cer = float64(InfixDistance(refText, hyp)) / float64(max(1, len(refText)))
		}
		realCER = append(realCER, cer)
		r.PerClass = append(r.PerClass, ClassScore{Class: "real:" + strings.TrimSuffix(name, ".pdf"), Precision: 1 - cer, Recall: 1 - cer, F1: 1 - cer, Support: 1})
	}
	if len(realCER) > 0 {
		r.add("real_cer", "CER, PDF thật có bản đối chiếu (CER, real PDFs with exact references)", Mean(realCER), "ratio", "lower")
	}
	if scans > 0 {
		r.add("scan_detection", "Bản quét được nhận ra cần OCR (scans flagged needs_ocr)", float64(scansFlagged)/float64(scans), "ratio")
	}
	if textN > 0 {
		r.add("real_text_ok", "PDF thật có lớp chữ đọc được (real text-layer PDFs read)", float64(textOK)/float64(textN), "ratio")
	}
	return nil
}

// normCER prepares text for CER: NFC, fill-in leaders removed (forms draw
// blanks with different numbers of dots), white space collapsed.
func normCER(s string) string {
	s = vntext.NFC(s)
	s = leaderRun.ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(s), " ")
}

var leaderRun = regexp.MustCompile(`[.…_]{2,}`)
