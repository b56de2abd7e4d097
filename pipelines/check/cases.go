package check

import (
	"fmt"
	"maps"
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

// valueEnd cuts a labelled value before the next label, on the same line
// ("Nhà ở riêng lẻ   Cấp công trình: III") or wrapped across two.
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
			page = vntext.NFC(page)
			for _, ix := range caseLabel.FindAllStringSubmatchIndex(page, -1) {
				label, val := page[ix[2]:ix[3]], strings.TrimSpace(page[ix[4]:ix[5]])
				// The next line is read with it: a layout reading may wrap
				// the next label ("Nhà ở riêng lẻ Cấp\n   công trình: III").
				next, _, _ := strings.Cut(strings.TrimPrefix(page[ix[1]:], "\n"), "\n")
				if loc := valueEnd.FindStringIndex(val + " " + strings.TrimSpace(next)); loc != nil && loc[0] > 0 && loc[0] < len(val) {
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
					out[k] = fmt.Sprintf("%s ghi «%s: %s» (the form states the case)", doc.Filename, strings.TrimSpace(label), val)
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

// chosenCases are the cases the dossier is in by its submitter's (or an
// official's) declaration — a case key, or the key of one of a case's own
// requirements — or by what its form states. A case only inferred from the
// documents present is not chosen: those documents are what is in doubt.
func chosenCases(proc *catalog.Procedure, declared []string, stated map[string]string) map[string]bool {
	out := map[string]bool{}
	if proc == nil || len(proc.Cases) < 2 {
		return out
	}
	for _, c := range proc.Cases {
		if slices.Contains(declared, c.Key) || stated[c.Key] != "" {
			out[c.Key] = true
		}
	}
	for _, r := range proc.Requirements {
		if r.Case != "" && slices.Contains(declared, r.Key) {
			out[r.Case] = true
		}
	}
	return out
}

// mappedFrom is the Classification detail that records the requirement a
// document was classified as before caseDocuments gave it its case's own
// row of the same paper; findings carry it too, and the report reads it.
const mappedFrom = dossier.DetailCaseMappedFrom

// caseDocuments maps the documents onto the dossier's chosen case. The
// portal lists a paper every case needs once per case — each case its own
// row of the application form ("Đơn đề nghị cấp giấy phép xây dựng theo
// Mẫu số 1" under (1.1), "Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công
// trình theo Mẫu số 1" under (1.7)), the same "Quyết định phê duyệt dự án…"
// under several cases — and the classifier, which sees one document and not
// the dossier's case, names one of those rows. Once the case is chosen, a
// document classified as another case's row is the chosen case's row of the
// same paper: the same name, or both the procedure's application form (with
// no different form number). The original row is kept in
// Classification[mappedFrom] for the evidence. An official's type stands.
// docs is not modified; the result shares nothing mutable with it.
func caseDocuments(proc *catalog.Procedure, docs []store.Document, chosen map[string]bool) []store.Document {
	if proc == nil || len(chosen) == 0 {
		return docs
	}
	byKey := map[string]catalog.Requirement{}
	for _, r := range proc.Requirements {
		byKey[r.Key] = r
	}
	out := slices.Clone(docs)
	for i, d := range out {
		r, ok := byKey[d.Type]
		if !ok || r.Case == "" || chosen[r.Case] || d.TypeSource == dossier.SourceOfficial {
			continue
		}
		to, ok := samePaperInCases(proc, r, chosen)
		if !ok {
			continue
		}
		cl := maps.Clone(d.Classification)
		if cl == nil {
			cl = map[string]any{}
		}
		cl[mappedFrom] = r.Key
		out[i].Type, out[i].Classification = to.Key, cl
	}
	return out
}

// samePaperInCases finds the one requirement of the chosen cases that is
// the same paper as r: the same name, else both an application form whose
// form numbers do not differ, the closest name winning. None when two are
// equally close.
func samePaperInCases(proc *catalog.Procedure, r catalog.Requirement, chosen map[string]bool) (catalog.Requirement, bool) {
	name := vntext.FoldedTokens(r.Name)
	form := applicationForm(r.Name)
	var best catalog.Requirement
	score, tie := 0.0, false
	for _, c := range proc.Requirements {
		if c.Case == "" || !chosen[c.Case] || c.Key == r.Key {
			continue
		}
		cn := vntext.FoldedTokens(c.Name)
		s := 0.0
		switch {
		case slices.Equal(cn, name):
			s = 2 // the same paper, listed again under this case
		case form && applicationForm(c.Name) && !differentForms(r.Form, c.Form):
			s = catalog.NameSimilarity(name, cn)
		default:
			continue
		}
		switch {
		case s > score:
			best, score, tie = c, s, false
		case s == score:
			tie = true
		}
	}
	return best, score > 0 && !tie
}

// differentForms: both rows name a form number and not the same one.
func differentForms(a, b *string) bool {
	return a != nil && b != nil && vntext.Fold(strings.TrimSpace(*a)) != vntext.Fold(strings.TrimSpace(*b))
}
