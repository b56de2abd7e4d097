package check

import (
	"fmt"
	"maps"
	"strings"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// Officials' corrections (issue #15 item 4) are applied around the stage's
// own reasoning: a document's type before it (the requirement it
// satisfies), the dossier's case before it (as declared cases) and after
// it (every other case's requirements do not apply), and a finding's status
// last. Whatever the automatic rules conclude, a human decision wins, in
// every later run and in a replay.

// correctDocuments gives documents the types officials set, marked as
// theirs (no rule remaps them; see caseDocuments).
func correctDocuments(docs []store.Document, cs dossier.Corrections) {
	for i := range docs {
		if cs.ApplyType(&docs[i].Document) {
			docs[i].TypeSource = dossier.SourceOfficial
		}
	}
}

// correctCase returns d with the case an official set declared in its
// metadata: the requirement keys of that case, as a submitter declares
// them, so that the requirement rules (missing, once-only reuse) run for
// them.
func correctCase(d dossier.Dossier, proc *catalog.Procedure, cs dossier.Corrections) dossier.Dossier {
	c, ok := cs.Case()
	if !ok || proc == nil {
		return d
	}
	var keys []any
	for _, r := range proc.Requirements {
		if r.Condition != nil && *r.Condition == c.Value {
			keys = append(keys, r.Key)
		}
	}
	meta := maps.Clone(d.Metadata)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["cases"] = keys
	meta["case"] = c.Value // the case itself, for rules that read cases by name
	d.Metadata = meta
	return d
}

// correctFindings applies the officials' case, document types and finding
// statuses to the findings the rules produced.
func correctFindings(fs []dossier.Finding, proc *catalog.Procedure, cs dossier.Corrections) []dossier.Finding {
	if len(cs) == 0 {
		return fs
	}
	c, hasCase := cs.Case()
	reqs := map[string]catalog.Requirement{}
	if proc != nil {
		for _, r := range proc.Requirements {
			reqs["req:"+r.Key] = r
		}
	}
	out := fs[:0]
	for _, f := range fs {
		if hasCase && f.Key == "case_undetermined" {
			continue // an official determined it
		}
		if r, ok := reqs[f.Key]; ok && hasCase && r.Optional && r.Condition != nil {
			auto := f.Status
			if *r.Condition != c.Value && f.Status != dossier.FindingPresent {
				f.Status, f.Severity = dossier.FindingNotApplicable, "info"
				f.Evidence = fmt.Sprintf("Chỉ yêu cầu khi: %s; cán bộ %s xác định hồ sơ thuộc trường hợp: %s (not this case, as set by an official)", *r.Condition, c.Actor, c.Value)
			}
			markCase(&f, c, auto)
		}
		if strings.HasPrefix(f.Key, "document:") && strings.HasSuffix(f.Key, ":type") {
			docID := strings.TrimSuffix(strings.TrimPrefix(f.Key, "document:"), ":type")
			if dc, ok := cs.Latest(dossier.CorrectDocumentType, docID); ok {
				dossier.MarkOfficial(&f, dc, f.Status)
				f.Status, f.Severity = dossier.FindingNotApplicable, "info"
				f.Evidence = fmt.Sprintf("Cán bộ %s xác định tệp %q không thuộc thành phần hồ sơ nào (set to \"other\" by an official)", dc.Actor, f.Requirement)
			}
		}
		if f.DocumentID != "" && f.Kind == "completeness" {
			if dc, ok := cs.Latest(dossier.CorrectDocumentType, f.DocumentID); ok {
				if f.Details == nil {
					f.Details = map[string]any{}
				}
				f.Details["type_source"] = dossier.SourceOfficial
				f.Details["type_corrected_by"] = dc.Actor
			}
		}
		cs.ApplyFinding(&f)
		out = append(out, f)
	}
	return out
}

func markCase(f *dossier.Finding, c dossier.Correction, auto string) {
	if f.Details == nil {
		f.Details = map[string]any{}
	}
	f.Details["case_source"] = dossier.SourceOfficial
	f.Details["case"] = c.Value
	f.Details["case_set_by"] = c.Actor
	if auto != f.Status {
		f.Details["auto_status"] = auto
	}
}
