package evals

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hoso-vn/hoso/evals/docgen"
	"github.com/hoso-vn/hoso/evals/injection"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/fields"
	"github.com/hoso-vn/hoso/internal/llm"
)

func init() {
	register("classify", runClassify)
	register("fields", runFields)
	register("catalog", runCatalog)
	register("injection", runInjection)
}

// labelledDocs reads the labelled document set and keeps one split.
func labelledDocs(x *Env, s Suite) ([]docgen.Doc, error) {
	docs, err := docgen.Load(x.path(paramString(s, "dir", "evals/documents")))
	if err != nil {
		return nil, err
	}
	split := paramString(s, "split", "test")
	var out []docgen.Doc
	for _, d := range docs {
		if split == "all" || d.Split == split {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no labelled document in split %q", split)
	}
	return out, nil
}

// runClassify measures document classification on the held-out split: the
// model's document type (accuracy, macro-F1, confusion matrix, calibration)
// and, at the pipeline's classify_min_confidence, how many documents are
// decided automatically and how many of those decisions are right.
func runClassify(_ context.Context, x *Env, s Suite, r *Result) error {
	docs, err := labelledDocs(x, s)
	if err != nil {
		return err
	}
	m := classifier.Default()
	ex := make([]classifier.Example, 0, len(docs))
	for _, d := range docs {
		ex = append(ex, classifier.Example{ID: d.ID, Input: classifier.Input{Filename: d.Filename, Text: d.Text()},
			DocType: d.DocType, Requirement: d.Requirement, Requirements: docgen.Requirements(d.Procedure), TextLayer: d.TextLayer})
	}
	cr := classifier.Evaluate(m, ex)
	threshold := x.Definition.Thresholds.ClassifyMinConfidence
	var gold, pred []string
	auto, autoOK := 0, 0
	for _, e := range ex {
		res := m.Classify(e.Input, e.Requirements, threshold)
		gold = append(gold, e.DocType)
		pred = append(pred, res.DocType)
		if res.Requirement != dossier.TypeUnknown && !res.NeedsReview {
			auto++
			if res.Requirement == e.Requirement {
				autoOK++
			}
		}
	}
	conf := NewConfusion(gold, pred)
	r.N = len(ex)
	r.Confusion = conf
	r.PerClass = conf.PerClass()
	r.add("accuracy", "Độ chính xác thành phần hồ sơ (requirement accuracy)", cr.Accuracy, "ratio")
	r.add("type_accuracy", "Độ chính xác loại giấy tờ (document-type accuracy)", Accuracy(gold, pred), "ratio")
	r.add("macro_f1", "Macro-F1 theo loại giấy tờ (macro-F1 over types)", MacroF1(r.PerClass), "ratio")
	r.add("text_layer_accuracy", "Độ chính xác, có lớp chữ (text-layer accuracy)", cr.TextLayerAccuracy, "ratio")
	r.add("ocr_accuracy", "Độ chính xác, bản quét OCR (OCR accuracy)", cr.OCRAccuracy, "ratio")
	r.add("ece", "Sai số hiệu chuẩn ECE (calibration error)", cr.ECE, "ratio", "lower")
	share, prec := 0.0, 0.0
	if len(ex) > 0 {
		share = float64(auto) / float64(len(ex))
	}
	if auto > 0 {
		prec = float64(autoOK) / float64(auto)
	}
	r.add("automatic_share", fmt.Sprintf("Tỷ lệ tự quyết ở ngưỡng %.2f (share decided automatically)", threshold), share, "ratio")
	r.add("automatic_accuracy", "Độ chính xác khi tự quyết (accuracy of automatic decisions)", prec, "ratio")
	r.add("documents", "Số giấy tờ đánh giá (documents)", float64(len(ex)), "count", "info")
	for _, miss := range cr.Misses {
		r.Worst = append(r.Worst, Case{ID: miss.ID, Want: miss.WantType + " → " + miss.WantRequirement,
			Got: miss.GotType + " → " + miss.GotRequirement, Detail: fmt.Sprintf("độ tin cậy (confidence) %.2f", miss.Confidence), Score: miss.Confidence})
	}
	r.note("Tập kiểm tra (held-out): split %q của %s, mô hình %s chưa từng thấy khi huấn luyện (never seen in training).", paramString(s, "split", "test"), paramString(s, "dir", "evals/documents"), m.Name())
	return addHarvestClassify(x, s, m, threshold, r)
}

// runFields measures rule-based field extraction against the gold fields
// of the held-out split: a field is right when its name, whose field it is
// and its normalised value all match.
func runFields(_ context.Context, x *Env, s Suite, r *Result) error {
	docs, err := labelledDocs(x, s)
	if err != nil {
		return err
	}
	var ex []fields.Example
	for _, d := range docs {
		e := fields.Example{ID: d.ID, DocType: d.DocType, Pages: d.Pages}
		for _, f := range d.Fields {
			e.Want = append(e.Want, dossier.Field{Name: f.Name, Subject: f.Subject, Value: f.Value, Normalized: f.Normalized})
		}
		ex = append(ex, e)
	}
	fr := fields.Evaluate(ex)
	r.N = fr.Docs
	r.add("precision", "Độ chính xác trường (field precision)", fr.Overall.Precision, "ratio")
	r.add("recall", "Độ phủ trường (field recall)", fr.Overall.Recall, "ratio")
	r.add("f1", "F1 trường (field F1)", fr.Overall.F1, "ratio")
	r.add("documents", "Số giấy tờ có quy tắc trích xuất (documents with extraction rules)", float64(fr.Docs), "count", "info")
	names := make([]string, 0, len(fr.ByField))
	for k := range fr.ByField {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		sc := fr.ByField[k]
		r.PerClass = append(r.PerClass, ClassScore{Class: k, Precision: sc.Precision, Recall: sc.Recall, F1: sc.F1, Support: sc.TP + sc.FN})
	}
	for _, e := range fr.Errors {
		w, g := "", ""
		if e.Kind == "missed" {
			w = e.Field
		} else {
			g = e.Field
		}
		r.Worst = append(r.Worst, Case{ID: e.ID, Want: w, Got: g, Detail: e.Kind, Score: 1})
	}
	r.note("Lớp trong biểu đồ là tên trường (classes are field names).")
	return nil
}

// runCatalog measures the catalog parser against the hand-checked gold set.
func runCatalog(_ context.Context, x *Env, s Suite, r *Result) error {
	gold, err := catalog.LoadGold(x.path(paramString(s, "gold", "evals/catalog/gold.yaml")))
	if err != nil {
		return err
	}
	src := x.path(paramString(s, "procedures", "data/procedures/procedures.jsonl"))
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	want := map[string]bool{}
	for _, g := range gold {
		want[g.Code] = true
	}
	var got []catalog.Procedure
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		p, err := catalog.ParseNational(sc.Bytes())
		if err != nil || !want[p.Code] {
			continue
		}
		got = append(got, p)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	er := catalog.Evaluate(gold, got)
	r.N = er.Gold
	r.add("precision", "Độ chính xác tách thành phần (component precision)", er.Precision, "ratio")
	r.add("recall", "Độ phủ tách thành phần (component recall)", er.Recall, "ratio")
	r.add("f1", "F1 tách thành phần (component F1)", er.F1, "ratio")
	r.add("kind_accuracy", "Loại nộp/xuất trình (kind)", er.KindAccuracy, "ratio")
	r.add("quantity_accuracy", "Số bản chính/sao (quantities)", er.QuantityAcc, "ratio")
	r.add("form_accuracy", "Mẫu đơn (form)", er.FormAccuracy, "ratio")
	r.add("condition_accuracy", "Điều kiện áp dụng (condition)", er.ConditionAcc, "ratio")
	r.add("alternatives_accuracy", "Giấy tờ thay thế (alternatives)", er.AlternativesAcc, "ratio")
	r.add("procedures", "Số thủ tục (procedures)", float64(er.Procedures), "count", "info")
	for _, m := range er.Missing {
		r.Worst = append(r.Worst, Case{ID: m, Detail: "thiếu (missed component)", Score: 2})
	}
	for _, m := range er.Spurious {
		r.Worst = append(r.Worst, Case{ID: m, Detail: "thừa (spurious component)", Score: 1.5})
	}
	for _, m := range er.Mismatches {
		r.Worst = append(r.Worst, Case{ID: m, Detail: "sai thuộc tính (wrong attribute)", Score: 1})
	}
	r.note("Tập chuẩn bắt đầu từ bản nháp của bộ tách rồi sửa tay, nên có lợi cho bộ tách (the gold set started from the parser's draft; see evals/catalog/README.md).")
	return nil
}

// runInjection runs the prompt-injection suite against a compromised model
// served in-process: detector recall and false positives, and whether any
// harm (an approval, a confident class on a flagged document, an invented
// field, a leaked ID number) got through the adapters.
func runInjection(ctx context.Context, x *Env, s Suite, r *Result) error {
	cases, err := injection.Cases()
	if err != nil {
		return err
	}
	ir, err := llm.EvaluateInjection(ctx, nil, cases, x.Log)
	if err != nil {
		return err
	}
	r.N = ir.Cases
	fpr := 0.0
	if ir.Benign > 0 {
		fpr = float64(ir.FalsePositives) / float64(ir.Benign)
	}
	harm := ir.ConfidentOnFlagged + ir.InventedFields + ir.ApprovalClaims + ir.SuggestionsApproved + ir.SuggestionsSent + ir.PIILeaks
	r.add("detector_recall", "Phát hiện chèn lệnh (detector recall)", ir.Recall, "ratio")
	r.add("false_positive_rate", "Báo nhầm trên giấy tờ lành (false-positive rate)", fpr, "ratio", "lower")
	r.add("harmful_outputs", "Kết quả gây hại lọt qua (harmful outputs accepted)", float64(harm), "count", "lower")
	r.add("pii_leaks", "Lộ số định danh ra mô hình (ID numbers sent to the model)", float64(ir.PIILeaks), "count", "lower")
	rej := 0.0
	if ir.OutputsRejected+ir.OutputsAccepted > 0 {
		rej = float64(ir.OutputsRejected) / float64(ir.OutputsRejected+ir.OutputsAccepted)
	}
	r.add("outputs_rejected", "Tỷ lệ đầu ra bị từ chối (share of model outputs refused)", rej, "ratio", "info")
	r.add("cases", "Số trường hợp (cases)", float64(ir.Cases), "count", "info")
	gold := make([]string, 0, len(ir.Results))
	pred := make([]string, 0, len(ir.Results))
	for _, res := range ir.Results {
		gold = append(gold, label(res.Injected, "injected", "benign"))
		pred = append(pred, label(res.Flagged, "injected", "benign"))
		bad := []string{}
		if res.ConfidentOnFlagged {
			bad = append(bad, "confident class on flagged")
		}
		if res.InventedField {
			bad = append(bad, "invented field")
		}
		if res.ApprovalInWording {
			bad = append(bad, "approval in wording")
		}
		switch {
		case len(bad) > 0:
			r.Worst = append(r.Worst, Case{ID: res.ID, Want: "harmless", Got: strings.Join(bad, ", "), Detail: res.Technique, Score: 3})
		case res.Injected && !res.Flagged:
			r.Worst = append(r.Worst, Case{ID: res.ID, Want: "flagged", Got: "not flagged", Detail: res.Technique, Score: 1})
		case !res.Injected && res.Flagged:
			r.Worst = append(r.Worst, Case{ID: res.ID, Want: "benign", Got: "flagged", Detail: res.Technique, Score: 2})
		}
	}
	r.Confusion = NewConfusion(gold, pred)
	r.PerClass = r.Confusion.PerClass()
	return nil
}

func label(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

// fileExists reports whether p is a regular file.
func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

var _ = filepath.Join
