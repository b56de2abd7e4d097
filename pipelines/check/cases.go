package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// caseLabel finds a line of an application form that states the case:
// "- Loại công trình: Nhà ở riêng lẻ   Cấp công trình: III", "Trường hợp: …".
var caseLabel = regexp.MustCompile(`(?i)(loại công trình|loại nhà ở|trường hợp|loại hồ sơ|hình thức đề nghị)\s*:\s*([^\n]+)`)

// valueEnd cuts a labelled value before the next label on the same line
// ("Nhà ở riêng lẻ   Cấp công trình: III").
var valueEnd = regexp.MustCompile(`\s{2,}|\s+[A-ZĐ][^\s:]*(?:\s+[^\s:]+){0,3}:`)

// formCases reads the case that the dossier's own papers state — the
// application form's "Loại công trình: Nhà ở riêng lẻ" — and returns the
// procedure's cases it names, with the evidence. Only a case whose name
// holds nearly all the words of the stated value counts, and only when one
// case is the best match.
func formCases(proc *catalog.Procedure, docs []store.Document) map[string]string {
	out := map[string]string{}
	if proc == nil || len(proc.Cases) < 2 {
		return out
	}
	names := make([][]string, len(proc.Cases))
	for i, c := range proc.Cases {
		names[i] = vntext.FoldedTokens(c.Name)
	}
	for _, doc := range docs {
		if doc.ExtractionStatus != dossier.ExtractOK {
			continue
		}
		for _, page := range doc.PageTexts {
			for _, m := range caseLabel.FindAllStringSubmatch(vntext.NFC(page), -1) {
				val := strings.TrimSpace(m[2])
				if loc := valueEnd.FindStringIndex(val); loc != nil && loc[0] > 0 {
					val = strings.TrimSpace(val[:loc[0]])
				}
				vt := vntext.FoldedTokens(val)
				if len(vt) < 2 {
					continue
				}
				best, bi, tie := 0.0, -1, false
				for i, nt := range names {
					s := coverage(vt, nt)
					switch {
					case s > best:
						best, bi, tie = s, i, false
					case s == best:
						tie = true
					}
				}
				if bi < 0 || tie || best < 0.75 {
					continue
				}
				k := proc.Cases[bi].Key
				if _, ok := out[k]; !ok {
					out[k] = fmt.Sprintf("%s ghi «%s: %s» (the form states the case)", doc.Filename, strings.TrimSpace(m[1]), val)
				}
			}
		}
	}
	return out
}

// coverage is the share of a's words found in b.
func coverage(a, b []string) float64 {
	in := map[string]int{}
	for _, t := range b {
		in[t]++
	}
	n := 0
	for _, t := range a {
		if in[t] > 0 {
			in[t]--
			n++
		}
	}
	return float64(n) / float64(len(a))
}

// caseDetermined reports whether the dossier's case is known: declared
// (a case key or a case requirement's key in metadata.cases), stated by the
// form, or inferred from a document of a case's own requirement. A
// procedure without cases always is.
func caseDetermined(proc *catalog.Procedure, docs []store.Document, declared []string, conds map[string]bool, stated map[string]string) bool {
	if proc == nil || len(proc.Cases) < 2 || len(stated) > 0 {
		return true
	}
	for _, c := range proc.Cases {
		if slices.Contains(declared, c.Key) {
			return true
		}
	}
	for _, r := range proc.Requirements {
		if r.Case == "" {
			continue
		}
		if slices.Contains(declared, r.Key) {
			return true
		}
		// The application form says little about the case when the portal
		// lists it under one case only (1.013225 lists "Đơn đề nghị cấp
		// giấy phép xây dựng theo Mẫu số 1" under (1.1) alone): another
		// paper of the case must be there.
		if r.Condition != nil && conds[*r.Condition] && !applicationForm(r.Name) {
			for _, d := range docs {
				if d.Type == r.Key {
					return true
				}
			}
		}
	}
	return false
}

// applicationForm: the procedure's own request form (tờ khai, đơn đề nghị…).
func applicationForm(name string) bool {
	f := vntext.Fold(name)
	for _, p := range []string{"to khai", "don de nghi", "giay de nghi", "phieu de nghi", "don dang ky", "van ban de nghi", "ban khai"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// CaseCandidate is one case a dossier may be in, with the papers it would
// still need (Finding.Details["candidates"] of case_undetermined).
type CaseCandidate struct {
	Key           string   `json:"key"`
	Name          string   `json:"name"`
	StillRequires []string `json:"still_requires"`
}

// caseUndetermined is the dossier-level finding when the case cannot be
// determined: the candidate cases and what each would still require, for
// the official to settle.
func caseUndetermined(proc *catalog.Procedure, docs []store.Document) dossier.Finding {
	have := map[string]bool{}
	for _, d := range docs {
		have[d.Type] = true
	}
	names := map[string]catalog.Requirement{}
	for _, r := range proc.Requirements {
		names[r.Key] = r
	}
	var cands []CaseCandidate
	var parts []string
	for _, c := range proc.Cases {
		cc := CaseCandidate{Key: c.Key, Name: c.Name, StillRequires: []string{}}
		for _, k := range c.Requirements {
			r, ok := names[k]
			if !ok || have[k] || r.Kind == catalog.KindPresent {
				continue
			}
			cc.StillRequires = append(cc.StillRequires, r.Name)
		}
		cands = append(cands, cc)
		parts = append(parts, fmt.Sprintf("%s (còn thiếu %d giấy tờ)", c.Name, len(cc.StillRequires)))
	}
	return dossier.Finding{
		Key: "case_undetermined", Kind: "completeness", Requirement: "Trường hợp của hồ sơ (the dossier's case)",
		Status: dossier.FindingNeedsReview, Severity: "warning", Citations: []dossier.Citation{},
		Evidence: "Chưa xác định được hồ sơ thuộc trường hợp nào; cán bộ xác định trường hợp: " + strings.Join(parts, "; ") +
			" (case undetermined: neither declared, stated by the form nor shown by the documents)",
		Details: map[string]any{"candidates": cands},
	}
}
