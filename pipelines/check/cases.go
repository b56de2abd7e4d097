package check

import (
	"fmt"
	"regexp"
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
