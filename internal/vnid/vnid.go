// Package vnid checks the identifiers that name an applicant: the 12-digit
// personal identification number (số định danh cá nhân, Thông tư
// 59/2021/TT-BCA) and the tax code (mã số thuế, 10 digits with a mod-11
// check digit, or 13 as "NNNNNNNNNN-NNN" for a dependent unit). The checks
// are structural: a well-formed number may still belong to nobody.
package vnid

import (
	"strings"
	"time"
)

// Kind says what an applicant identifier is.
type Kind string

const (
	KindPersonal Kind = "personal_id" // số định danh cá nhân
	KindTaxCode  Kind = "tax_code"    // mã số thuế
)

// provinces are the 3-digit birth-registration province codes that open a
// personal identification number (Phụ lục, Thông tư 07/2016/TT-BCA).
var provinces = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027
		030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068
		070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096`) {
		provinces[c] = true
	}
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// PersonalID reports whether s is a well-formed personal identification
// number on day now: 12 digits, a known province code, then a century and
// sex digit (0/1 for births in 1900–1999, 2/3 for 2000–2099…) and the two
// last digits of the birth year, which cannot lie in the future.
func PersonalID(s string, now time.Time) bool {
	if len(s) != 12 || !digits(s) || !provinces[s[:3]] {
		return false
	}
	century := int(s[3]-'0') / 2
	year := 1900 + century*100 + int(s[4]-'0')*10 + int(s[5]-'0')
	return year <= now.Year()
}

// TaxCode reports whether s is a well-formed tax code: 10 digits whose last
// is the check digit 10 − (Σ wᵢ·dᵢ mod 11) with weights 31 29 23 19 17 13 7 5
// 3, optionally followed by "-" and a 3-digit dependent-unit number 001–999.
func TaxCode(s string) bool {
	base, branch, dash := strings.Cut(s, "-")
	if !dash && len(s) == 13 {
		base, branch, dash = s[:10], s[10:], true
	}
	if len(base) != 10 || !digits(base) {
		return false
	}
	if dash && (len(branch) != 3 || !digits(branch) || branch == "000") {
		return false
	}
	weights := [9]int{31, 29, 23, 19, 17, 13, 7, 5, 3}
	sum := 0
	for i, w := range weights {
		sum += w * int(base[i]-'0')
	}
	check := 10 - sum%11
	return check < 10 && int(base[9]-'0') == check
}

// Applicant returns the kind of identifier s is, or false when it is
// neither a personal identification number nor a tax code.
func Applicant(s string, now time.Time) (Kind, bool) {
	switch {
	case PersonalID(s, now):
		return KindPersonal, true
	case TaxCode(s):
		return KindTaxCode, true
	}
	return "", false
}
