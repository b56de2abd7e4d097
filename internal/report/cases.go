package report

import (
	"context"
	"slices"
	"strings"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// withCase sets r.Case: the dossier's case with its human name and how it
// was determined, in the order the check stage uses (an official's
// correction, the submitter's declaration, the form, the documents), or
// undetermined when the check said so. Procedures without cases get none.
func withCase(ctx context.Context, q store.Querier, r *dossier.Report) error {
	cases, err := loadCases(ctx, q, r.Dossier.ProcedureCode, r.Dossier.SubmittedAt)
	if err != nil || len(cases) < 2 {
		return err
	}
	r.Case = dossierCase(cases, r)
	return nil
}

func dossierCase(cases []catalog.Case, r *dossier.Report) *dossier.DossierCase {
	byKey := func(k string) (catalog.Case, bool) {
		i := slices.IndexFunc(cases, func(c catalog.Case) bool { return c.Key == k })
		if i < 0 {
			return catalog.Case{}, false
		}
		return cases[i], true
	}
	if c, ok := dossier.Corrections(r.Corrections).Case(); ok {
		out := &dossier.DossierCase{Name: c.Value, Source: dossier.CaseOfficial,
			Evidence: "cán bộ " + c.Actor + " xác định trường hợp (set by an official)"}
		if c.Reason != "" {
			out.Evidence += ": " + c.Reason
		}
		for _, k := range cases {
			if k.Name == c.Value {
				out.Key = k.Key
			}
		}
		return out
	}
	declared, _ := r.Dossier.Metadata["cases"].([]any)
	for _, v := range declared {
		k, _ := v.(string)
		if c, ok := byKey(k); ok {
			return &dossier.DossierCase{Key: c.Key, Name: c.Name, Source: dossier.CaseDeclared,
				Evidence: "người nộp khai báo trường hợp (declared by the submitter in metadata.cases)"}
		}
	}
	for _, v := range declared { // a requirement of a case, declared by its key
		k, _ := v.(string)
		for _, c := range cases {
			if slices.Contains(c.Requirements, k) {
				return &dossier.DossierCase{Key: c.Key, Name: c.Name, Source: dossier.CaseDeclared,
					Evidence: "người nộp khai báo giấy tờ " + k + " của trường hợp này (declared by the submitter in metadata.cases)"}
			}
		}
	}
	for _, f := range r.Findings {
		k, _ := f.Details["case"].(string)
		ev, _ := f.Details["case_evidence"].(string)
		if c, ok := byKey(k); ok && ev != "" {
			return &dossier.DossierCase{Key: c.Key, Name: c.Name, Source: dossier.CaseForm, Evidence: ev}
		}
	}
	for _, f := range r.Findings {
		if f.Key == "case_undetermined" {
			return &dossier.DossierCase{Source: dossier.CaseUndetermined, Evidence: f.Evidence}
		}
	}
	// The check found the case from a paper of the case's own.
	for _, c := range cases {
		for _, f := range r.Findings {
			if f.Status == dossier.FindingPresent && slices.Contains(c.Requirements, strings.TrimPrefix(f.Key, "req:")) {
				return &dossier.DossierCase{Key: c.Key, Name: c.Name, Source: dossier.CaseDocuments,
					Evidence: "hồ sơ có " + f.Requirement + " của trường hợp này (a paper of this case is in the dossier)"}
			}
		}
	}
	return nil
}
