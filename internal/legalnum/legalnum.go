// Package legalnum provides the one normaliser of Vietnamese legal document
// numbers (số hiệu văn bản), used by the procedure catalog and the
// regulation index alike, so that "123/2015/ND-CP" in a procedure's legal
// basis and "123 / 2015 / nđ-cp" in a regulation name the same document.
package legalnum

import (
	"regexp"
	"strings"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// number matches a số hiệu: a number (with an optional ".n" part and letter,
// as in "66.7/2025/NQ-CP" or "12a/…"), an optional year, and the type and
// issuer ("NĐ-CP", "QĐ-TTg", "TTLT-BTP-BCA", "QH14", "VBHN-BTP"). It is
// matched case-insensitively: "nđ-cp" is "NĐ-CP".
var number = regexp.MustCompile(`(?i)(\d{1,4}(?:\.\d+)?[a-z]?)\s*/\s*(?:(\d{4})\s*/\s*)?((?:VBHN|[A-ZĐ]{1,4}\d{0,2})(?:\s*-\s*[A-ZĐ][A-ZĐ]{0,6}\d{0,2}){0,2})`)

// Normalize returns the canonical form of the first số hiệu in s, or ""
// when s holds none:
//
//   - spaces go ("08 / 2025 / TT-BTP" → "08/2025/TT-BTP");
//   - the type and issuer are upper case with the Vietnamese Đ ("nd-cp",
//     "ND-CP", "NÐ-CP" → "NĐ-CP"; "QD" → "QĐ"), except the Prime
//     Minister's "TTg", kept as published ("QĐ-TTG" → "QĐ-TTg");
//   - leading zeros go ("0123/…" → "123/…"), except a two-digit number with
//     a year, which keeps it as published ("01/2021/NĐ-CP");
//   - text around the number goes ("Luật số 68/2020/QH14" → "68/2020/QH14").
func Normalize(s string) string {
	s = strings.ReplaceAll(vntext.NFC(s), "Ð", "Đ") // U+00D0 (Icelandic eth) looks like Đ
	m := number.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	n, year := m[1], m[2]
	if !(len(n) == 2 && n[0] == '0' && year != "") {
		if n = strings.TrimLeft(n, "0"); n == "" || n[0] == '.' {
			n = "0" + n
		}
	}
	parts := strings.Split(strings.Join(strings.Fields(m[3]), ""), "-")
	for i, p := range parts {
		switch p = strings.ToUpper(p); p {
		case "ND":
			p = "NĐ"
		case "QD":
			p = "QĐ"
		case "TTG":
			p = "TTg"
		}
		parts[i] = p
	}
	out := n + "/"
	if year != "" {
		out += year + "/"
	}
	return out + strings.Join(parts, "-")
}

// FindAll returns every số hiệu in s as written, for Normalize.
func FindAll(s string) []string { return number.FindAllString(s, -1) }
