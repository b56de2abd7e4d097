package catalog

import (
	"fmt"
	"strings"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// MatchCase finds the case someone named among cases (names as written):
// the case itself, or its label ("1.7", "(1.7)", "a)"), compared without
// case and diacritics. A label that starts several cases matches none.
// Submission (metadata.cases) and officials' corrections both use it.
func MatchCase(cases []string, v string) (string, bool) {
	fv := vntext.Fold(strings.TrimSpace(v))
	if fv == "" {
		return "", false
	}
	for _, c := range cases {
		if vntext.Fold(c) == fv {
			return c, true
		}
	}
	label := strings.Trim(fv, "() ")
	if label == "" {
		return "", false
	}
	var found []string
	for _, c := range cases {
		fc := vntext.Fold(c)
		for _, p := range []string{"(" + label + ")", label + ")", label + " ", label + "."} {
			if strings.HasPrefix(fc, p) {
				found = append(found, c)
				break
			}
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return "", false
}

// CaseName is the human name of a case key ("(1.7) Đối với công trình nhà
// ở riêng lẻ" for case-7), or "" when the procedure has no such case.
func (p *Procedure) CaseName(key string) string {
	for _, c := range p.Cases {
		if c.Key == key {
			return c.Name
		}
	}
	return ""
}

// ResolveCase reads a case as a submitter declares it (metadata.cases,
// hoso submit --case): a case key (case-7), the case's name or label
// ("1.7", "(1.7)"), or the key of a requirement. It returns the case key
// for a case named any way, and a requirement key as it is.
func (p *Procedure) ResolveCase(v string) (string, bool) {
	v = strings.TrimSpace(vntext.NFC(v))
	if v == "" {
		return "", false
	}
	names := make([]string, len(p.Cases))
	for i, c := range p.Cases {
		if c.Key == v {
			return c.Key, true
		}
		names[i] = c.Name
	}
	for _, r := range p.Requirements {
		if r.Key == v {
			// Kept as it is: the check reads a declared requirement as
			// "this paper applies", narrower than its whole case (whose
			// group may hold alternatives).
			return r.Key, true
		}
	}
	if n, ok := MatchCase(names, v); ok {
		for _, c := range p.Cases {
			if c.Name == n {
				return c.Key, true
			}
		}
	}
	return "", false
}

// UnknownCaseMessage is the bilingual refusal of a case the procedure does
// not have, listing the procedure's cases by key and human name.
func (p *Procedure) UnknownCaseMessage(v string) string {
	if len(p.Cases) == 0 {
		return fmt.Sprintf("trường hợp %q không có trong thủ tục %s; thủ tục không chia trường hợp (unknown case: the procedure has no cases)", v, p.Code)
	}
	var list []string
	for _, c := range p.Cases {
		list = append(list, c.Key+" "+c.Name)
	}
	return fmt.Sprintf("trường hợp %q không có trong thủ tục %s; các trường hợp: %s (unknown case: give a case key, its label such as 1.7, or a requirement key; see hoso catalog show %s)", v, p.Code, strings.Join(list, "; "), p.Code)
}
