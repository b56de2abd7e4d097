// Package check is the fourth stage: it compares the classified documents
// with the procedure's required components (thành phần hồ sơ) and lists each
// as present, missing or not applicable; it adds consistency and validity
// findings across documents (names, ID numbers, dates, expiry), and attaches
// to every finding the articles of regulation behind it. Next: suggest.
package check

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/consistency"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/fields"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/internal/vntext"
	"github.com/hoso-vn/hoso/pipelines"
)

type procedures interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

// citations returns the stored citations of a requirement, best first.
type citations interface {
	Citations(ctx context.Context, procedureCode, requirementKey string) ([]dossier.Citation, error)
}

// indexes gives the citations of the regulation index a pipeline version
// names (its embed provider; *regulation.Indexes), so that a candidate index
// can be tried in shadow and activated like any other change.
type indexes interface {
	CitationsUnder(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure, requirementKey string) ([]dossier.Citation, error)
}

// allCitations and allIndexes give every requirement's citations at once
// (*regulation.Store, *regulation.Indexes); without them the stage asks a
// requirement at a time.
type allCitations interface {
	CitationsOf(ctx context.Context, procedureCode string) (map[string][]dossier.Citation, error)
}

type allIndexes interface {
	CitationsOfUnder(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure) (map[string][]dossier.Citation, error)
}

// records finds a verified, valid vault record of the applicant that
// satisfies a requirement and is about the dossier's subject (once-only).
type records interface {
	Lookup(ctx context.Context, q vault.Query) (vault.Result, error)
}

// Stage is the check stage.
type Stage struct {
	Store      pipelines.Records
	Procedures procedures
	Citations  citations // nil: findings carry no citations
	Indexes    indexes   // nil: Citations for every version
	Vault      records   // nil: no once-only reuse
	Registry   pipelinedef.Registry
	Log        *slog.Logger
}

// Run writes the dossier's findings.
func (s *Stage) Run(ctx context.Context, in pipelines.Input) (string, error) {
	started := time.Now()
	d, docs, def, err := pipelines.BeginDocuments(ctx, s.Store, s.Registry, in.DossierID)
	if err != nil {
		return "", err
	}
	proc, err := s.Procedures.Get(ctx, d.ProcedureCode, d.SubmittedAt)
	if err != nil && dossier.ErrorCode(err) != dossier.CodeNotFound {
		return "", err
	}
	corr, err := pipelines.Corrections(ctx, s.Store, d.ID)
	if err != nil {
		return "", err
	}
	correctDocuments(docs, corr)
	findings, err := s.Findings(ctx, correctCase(d, proc, corr), proc, docs, def)
	if err != nil {
		return "", err
	}
	findings = correctFindings(findings, proc, corr)
	var hashes []string
	for _, doc := range docs {
		hashes = append(hashes, doc.SHA256+doc.Type)
	}
	if h := corr.Hash(); h != "" {
		hashes = append(hashes, h) // officials' corrections make a new run
	}
	return pipelines.Done(ctx, s.Store, def, dossier.StageCheck, d.ID, in, started, hashes,
		fmt.Sprintf("%d findings", len(findings)), store.Effects{Findings: findings})
}

// citations returns a requirement's citations from the index def names, at
// most three, dropping those scored below the version's
// citation_min_score.
func (s *Stage) citations(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure, key string, all map[string][]dossier.Citation) ([]dossier.Citation, error) {
	var cs []dossier.Citation
	var err error
	switch {
	case all != nil:
		cs = all[key]
	case s.Indexes != nil && def != nil:
		cs, err = s.Indexes.CitationsUnder(ctx, def, proc, key)
	case s.Citations != nil:
		cs, err = s.Citations.Citations(ctx, proc.Code, key)
	}
	if err != nil {
		return nil, err
	}
	out := []dossier.Citation{}
	for _, c := range cs {
		if def != nil && c.Score < def.Thresholds.CitationMinScore {
			continue
		}
		if out = append(out, c); len(out) == 3 {
			break
		}
	}
	return out, nil
}

// noPaperList is the finding for a procedure whose catalog entry lists no
// paper (its component text is empty, or holds the end of the steps text):
// nothing can be checked, so the dossier is never shown as complete; an
// official checks its papers against the law.
func noPaperList(proc *catalog.Procedure) dossier.Finding {
	why := strings.Join(proc.ReviewReasons, "; ")
	if why == "" {
		why = "không có giấy tờ nào (no papers)"
	}
	return dossier.Finding{
		Key: "catalog", Kind: "completeness", Requirement: proc.Code, Status: dossier.FindingNeedsReview, Severity: "warning",
		Evidence: "Danh mục chưa liệt kê giấy tờ của thủ tục này (" + why + "); cán bộ kiểm tra thành phần hồ sơ theo quy định" +
			" (the catalog lists no papers for this procedure; an official checks the dossier's papers against the law)",
		Citations: []dossier.Citation{},
	}
}

// Findings computes the findings of a dossier; proc is nil when the
// procedure is not in the catalog.
func (s *Stage) Findings(ctx context.Context, d dossier.Dossier, proc *catalog.Procedure, docs []store.Document, def *pipelinedef.Definition) ([]dossier.Finding, error) {
	var out []dossier.Finding
	if proc == nil {
		out = append(out, dossier.Finding{
			Key: "procedure", Kind: "completeness", Requirement: d.ProcedureCode, Status: dossier.FindingInvalid, Severity: "error",
			Evidence:  fmt.Sprintf("Thủ tục %s không có trong danh mục thủ tục hành chính (procedure not in the catalog)", d.ProcedureCode),
			Citations: []dossier.Citation{},
		})
	} else {
		if len(proc.Requirements) == 0 {
			out = append(out, noPaperList(proc))
		}
		cases := declaredCases(d.Metadata)
		stated := formCases(proc, docs)
		// Once the case is chosen, each paper counts for that case's own
		// row of it (the portal lists the application form once per case).
		cdocs := caseDocuments(proc, docs, chosenCases(proc, cases, stated))
		conds := activeConditions(proc.Requirements, cdocs)
		undetermined := !caseDetermined(proc, cdocs, cases, conds, stated)
		all, err := s.allCitations(ctx, def, proc)
		if err != nil {
			return nil, err
		}
		for _, req := range proc.Requirements {
			f, err := s.requirement(ctx, d, def, proc, req, cdocs, cases, conds, stated, all)
			if err != nil {
				return nil, err
			}
			if undetermined && req.Case != "" && f.Status == dossier.FindingNotApplicable {
				f.Evidence += " — trường hợp của hồ sơ chưa xác định, xem case_undetermined (the dossier's case is undetermined)"
			}
			out = append(out, f)
		}
		if undetermined {
			out = append(out, caseUndetermined(proc, docs))
		}
	}
	for _, doc := range docs {
		out = append(out, signatureFindings(doc)...)
		name := vntext.Display(doc.Filename) // findings are shown to people
		switch doc.ExtractionStatus {
		case dossier.ExtractFailed:
			out = append(out, dossier.Finding{
				Key: "document:" + doc.ID + ":readable", Kind: "validity", Requirement: name, Status: dossier.FindingInvalid,
				Severity: "error", DocumentID: doc.ID, Citations: []dossier.Citation{},
				Evidence: fmt.Sprintf("Không đọc được tệp %q: %s (file could not be read)", name, doc.ExtractionError),
			})
		case dossier.ExtractNeedsOCR:
			out = append(out, dossier.Finding{
				Key: "document:" + doc.ID + ":readable", Kind: "validity", Requirement: name, Status: dossier.FindingNeedsReview,
				Severity: "warning", DocumentID: doc.ID, Citations: []dossier.Citation{},
				Evidence: fmt.Sprintf("Tệp %q là bản quét chưa nhận dạng được chữ; cán bộ cần xem trực tiếp (scan needs manual review)", name),
			})
		}
		if doc.ExtractionStatus == dossier.ExtractOK && (doc.Type == dossier.TypeUnknown || doc.Type == dossier.TypeOther) {
			out = append(out, dossier.Finding{
				Key: "document:" + doc.ID + ":type", Kind: "classification", Requirement: name, Status: dossier.FindingNeedsReview,
				Severity: "warning", DocumentID: doc.ID, Citations: []dossier.Citation{},
				Evidence: fmt.Sprintf("Không xác định được tệp %q là thành phần hồ sơ nào (document matches no required component)", name),
			})
		}
	}
	cdocs := make([]consistency.Doc, 0, len(docs))
	for _, doc := range docs {
		dt, _ := doc.Classification["doc_type"].(string)
		fs := doc.Fields
		if len(fs) == 0 && !fields.Knows(dt) && doc.ExtractionStatus == dossier.ExtractOK {
			// A paper of a type with no label table still names people by
			// role ("Họ tên cha/mẹ/giám hộ"): they are checked against the
			// others' names too.
			fs = fields.ExtractPeople(doc.PageTexts)
		}
		cdocs = append(cdocs, consistency.Doc{ID: doc.ID, Filename: vntext.Display(doc.Filename), DocType: dt, Fields: fs})
	}
	for _, f := range consistency.Check(cdocs, d.SubmittedAt) {
		if f.Citations == nil {
			f.Citations = []dossier.Citation{}
		}
		out = append(out, f)
	}
	return out, nil
}

// allCitations returns every requirement's citations of proc in one read
// when the index can give them so, else nil (citations asks a requirement
// at a time).
func (s *Stage) allCitations(ctx context.Context, def *pipelinedef.Definition, proc *catalog.Procedure) (map[string][]dossier.Citation, error) {
	var all map[string][]dossier.Citation
	var err error
	if s.Indexes != nil && def != nil {
		if ix, ok := s.Indexes.(allIndexes); ok {
			all, err = ix.CitationsOfUnder(ctx, def, proc)
		}
	} else if s.Citations != nil {
		if c, ok := s.Citations.(allCitations); ok {
			all, err = c.CitationsOf(ctx, proc.Code)
		}
	} else {
		all = map[string][]dossier.Citation{} // no citations at all
	}
	if err != nil {
		return nil, fmt.Errorf("citations of %s: %w", proc.Code, err)
	}
	return all, nil
}

func (s *Stage) requirement(ctx context.Context, d dossier.Dossier, def *pipelinedef.Definition, proc *catalog.Procedure, req catalog.Requirement, docs []store.Document, cases []string, conds map[string]bool, stated map[string]string, all map[string][]dossier.Citation) (f dossier.Finding, err error) {
	f = dossier.Finding{Key: "req:" + req.Key, Kind: "completeness", Requirement: req.Name, Citations: []dossier.Citation{}}
	cs, err := s.citations(ctx, def, proc, req.Key, all)
	if err != nil {
		return f, fmt.Errorf("citations of %s/%s: %w", proc.Code, req.Key, err)
	}
	f.Citations = cs
	// A one-of group is met by a document of any requirement the catalog
	// lists as one of its options (catalog.AlternativeGroup.OptionKeys).
	accept := map[string]bool{req.Key: true}
	for _, g := range proc.Groups {
		if g.Requirement == req.Key {
			for _, k := range g.OptionKeys {
				accept[k] = true
			}
		}
	}
	var matched []store.Document
	for _, doc := range docs {
		if accept[doc.Type] {
			matched = append(matched, doc)
		}
	}
	// The case comes from the submitter (a requirement key or a case key in
	// metadata.cases), then from what the form itself states ("Loại công
	// trình: Nhà ở riêng lẻ"), then from the documents present (inferred).
	caseEvidence := ""
	if req.Case != "" {
		caseEvidence = stated[req.Case]
	}
	declared := !req.Optional || slices.Contains(cases, req.Key) || (req.Case != "" && (slices.Contains(cases, req.Case) || caseEvidence != ""))
	inferred := !declared && req.Condition != nil && conds[*req.Condition]
	applies := declared || inferred
	switch {
	case len(matched) > 0:
		f.Status, f.DocumentID = dossier.FindingPresent, matched[0].ID
		names := make([]string, len(matched))
		review := false
		for i, m := range matched {
			names[i] = fmt.Sprintf("%s (độ tin cậy %.2f)", vntext.Display(m.Filename), m.Confidence)
			review = review || m.NeedsReview
		}
		f.Evidence = "Đã nộp: " + strings.Join(names, "; ")
		if from := mappedRequirement(proc, matched); from != nil {
			// Classified as another case's row of the same paper.
			f.Evidence += fmt.Sprintf(". Giấy tờ được phân loại là «%s» (%s); hồ sơ thuộc trường hợp %s nên được tính cho thành phần này của trường hợp (the same paper, counted for the dossier's case)",
				from.Name, proc.CaseName(from.Case), proc.CaseName(req.Case))
			f.Details = map[string]any{mappedFrom: from.Key, "case": req.Case}
			if caseEvidence != "" {
				f.Details["case_evidence"] = caseEvidence
				f.Evidence += " — " + caseEvidence
			}
		}
		if review {
			f.Severity = "warning"
			if f.Details == nil {
				f.Details = map[string]any{}
			}
			f.Details["needs_review"] = true
		}
		signedOriginal(&f, req, matched)
		// Looking like the paper is not holding its content: when no
		// matched document holds what its type must hold, an official
		// looks before anyone calls the requirement met.
		if reasons := contentReasons(matched); len(reasons) == len(matched) {
			f.Status, f.Severity = dossier.FindingNeedsReview, "warning"
			f.Evidence += ". " + strings.Join(reasons, "; ")
			if f.Details == nil {
				f.Details = map[string]any{}
			}
			f.Details["needs_review"], f.Details["content_check"] = true, dossier.ContentNeedsReview
		}
	case req.Kind == catalog.KindPresent:
		f.Status, f.Severity = dossier.FindingNotApplicable, "info"
		f.Evidence = "Giấy tờ phải xuất trình, không phải nộp; cán bộ kiểm tra khi tiếp nhận (to be shown, not submitted)"
	case !applies:
		f.Status, f.Severity = dossier.FindingNotApplicable, "info"
		cond := "trường hợp đặc biệt"
		if req.Condition != nil {
			cond = *req.Condition
		}
		f.Evidence = "Chỉ yêu cầu khi: " + cond + " (conditional; the dossier is not in this case)"
	default:
		if s.Vault != nil {
			res, err := s.Vault.Lookup(ctx, vault.Query{ApplicantID: d.ApplicantID, Requirement: req, ProcedureCode: proc.Code,
				At: d.SubmittedAt, Subjects: dossierSubjects(d, docs)})
			if err != nil {
				return f, fmt.Errorf("vault lookup for %s: %w", req.Key, err)
			}
			if len(res.Refused) > 0 {
				// Why the vault's records of this paper were not reused
				// (another child, an unclear subject) goes with the finding.
				defer func() {
					if err != nil {
						return
					}
					f.Evidence += ". Không dùng lại từ kho dữ liệu: " + strings.Join(res.Refused, "; ")
					if f.Details == nil {
						f.Details = map[string]any{}
					}
					f.Details["vault_not_reused"] = res.Refused
				}()
			}
			if r := res.Match; r != nil {
				f.Status, f.Kind, f.Severity = dossier.FindingSatisfiedByReuse, "reuse", "info"
				f.Evidence = r.Evidence
				f.Details = map[string]any{"vault_record": r.RecordID}
				f.Citations = append([]dossier.Citation{r.Citation}, f.Citations...)
				return f, nil
			}
		}
		if req.ElectronicSubstitute != nil {
			f.Details = map[string]any{"electronic_substitute": *req.ElectronicSubstitute}
		}
		if inferred {
			// The case was inferred from the other documents, not declared:
			// the catalog's case groups also hold alternatives ("một trong
			// những giấy tờ…"), so an official confirms before anyone asks
			// the citizen for it.
			f.Status, f.Severity = dossier.FindingNeedsReview, "warning"
			f.Evidence = "Có thể còn thiếu: " + req.Name + " (áp dụng cho trường hợp: " + deref(req.Condition) + "; cán bộ xác nhận — case inferred from the other documents)"
			return f, nil
		}
		f.Status, f.Severity = dossier.FindingMissing, "error"
		f.Evidence = "Chưa có giấy tờ: " + req.Name
		if len(req.Alternatives) > 0 {
			f.Evidence += ". Có thể thay bằng: " + strings.Join(req.Alternatives, "; ")
		}
		if caseEvidence != "" && !slices.Contains(cases, req.Key) && !slices.Contains(cases, req.Case) {
			f.Evidence += " (trường hợp xác định theo hồ sơ: " + caseEvidence + ")"
			if f.Details == nil {
				f.Details = map[string]any{}
			}
			f.Details["case"], f.Details["case_evidence"] = req.Case, caseEvidence
		}
	}
	catalogUncertain(&f, req)
	return f, nil
}

// catalogUncertain marks a present or missing finding whose requirement the
// catalog itself read with doubt (a cell it could not split, a row it could
// not recognise: catalog.Requirement.Uncertain). On procedures no one has
// labelled, such a requirement may hold two papers, so "present" may hide a
// missing one and "missing" may ask for something the law does not: the
// official checks it against the procedure's own text before a citizen is
// told either. The status stays the rule's; the doubt is in the evidence
// and in details.catalog_uncertain.
func catalogUncertain(f *dossier.Finding, req catalog.Requirement) {
	if req.Uncertain == "" || (f.Status != dossier.FindingPresent && f.Status != dossier.FindingMissing) {
		return
	}
	if f.Details == nil {
		f.Details = map[string]any{}
	}
	f.Details["catalog_uncertain"] = req.Uncertain
	f.Evidence += ". Danh mục chưa tách chắc chắn thành phần này: " + req.Uncertain +
		"; cán bộ đối chiếu với văn bản thủ tục (the catalog's reading of this requirement is uncertain; check it against the procedure's text)"
}

// mappedRequirement is the requirement the first of docs that
// caseDocuments mapped was classified as, or nil.
func mappedRequirement(proc *catalog.Procedure, docs []store.Document) *catalog.Requirement {
	for _, d := range docs {
		k, _ := d.Classification[mappedFrom].(string)
		for i, r := range proc.Requirements {
			if k != "" && r.Key == k {
				return &proc.Requirements[i]
			}
		}
	}
	return nil
}

// contentReasons returns, for each matched document whose content check
// (classify stage) needs review, the reason with its file name.
func contentReasons(docs []store.Document) []string {
	var out []string
	for _, d := range docs {
		cc, _ := d.Classification["content_check"].(map[string]any)
		if st, _ := cc["status"].(string); st == dossier.ContentNeedsReview {
			why, _ := cc["reason"].(string)
			out = append(out, fmt.Sprintf("%s: %s", d.Filename, why))
		}
	}
	return out
}

// dossierSubjects is whom the dossier is about, by role, from the fields
// of its own documents (application forms first).
func dossierSubjects(d dossier.Dossier, docs []store.Document) vault.Subjects {
	var forms, others [][]dossier.Field
	for _, doc := range docs {
		dt, _ := doc.Classification["doc_type"].(string)
		rn, _ := doc.Classification["requirement_name"].(string)
		if vault.FormDocument(dt, rn) {
			forms = append(forms, doc.Fields)
		} else {
			others = append(others, doc.Fields)
		}
	}
	return vault.DossierSubjects(d.ApplicantID, forms, others)
}

// activeConditions infers which conditional cases the dossier is in: a
// case ("Trường hợp ủy quyền…", "(1.1) Đối với công trình không theo tuyến")
// applies when the dossier carries a document of one of its requirements,
// and then every other requirement of that case applies too.
func activeConditions(reqs []catalog.Requirement, docs []store.Document) map[string]bool {
	out := map[string]bool{}
	for _, r := range reqs {
		if r.Condition == nil || !r.Optional {
			continue
		}
		for _, doc := range docs {
			if doc.Type == r.Key {
				out[*r.Condition] = true
			}
		}
	}
	return out
}

// declaredCases reads the requirement keys of conditional requirements that
// the applicant declared as applying ("cases" in the dossier metadata).
func declaredCases(meta map[string]any) []string {
	raw, _ := meta["cases"].([]any)
	var out []string
	for _, v := range raw {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
