package vnid

import (
	"testing"
	"time"
)

func TestApplicant(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	cases := map[string]Kind{
		"001195012345":   KindPersonal, // Hà Nội, female, 1995
		"079196001234":   KindPersonal, // TP HCM, female, 1996
		"001090012345":   KindPersonal,
		"096326000001":   KindPersonal, // Cà Mau, female, 2026
		"0314409058":     KindTaxCode,
		"0314409058-002": KindTaxCode,
		"0314409058002":  KindTaxCode,
		"0100109106":     KindTaxCode,
		"0100109106-001": KindTaxCode,
		// refused
		"abc":              "",
		"":                 "",
		"a1":               "",
		"003195012345":     "", // 003 is no province code
		"001227012345":     "", // born 2027: in the future
		"001495012345":     "", // 22nd century
		"00119501234":      "", // 11 digits
		"0012950123456":    "", // 13 digits, no tax code either
		"0314409059":       "", // wrong check digit
		"0314409058-000":   "", // no unit 000
		"0314409058-02":    "",
		"９１４409058":        "", // full-width digits
		"001195012345\x00": "",
	}
	for in, want := range cases {
		got, ok := Applicant(in, now)
		if got != want || ok != (want != "") {
			t.Errorf("Applicant(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
