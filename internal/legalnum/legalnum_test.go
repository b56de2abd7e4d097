package legalnum

import "testing"

// TestNormalize holds the union of what the catalog's and the regulation
// index's normalisers did before they became this one.
func TestNormalize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"ASCIIIssuer", "123/2015/ND-CP", "123/2015/NĐ-CP"},
		{"TitleAround", "Luật số 68/2020/QH14", "68/2020/QH14"},
		{"TitleWithColon", "Luật số: 60/2014/QH13", "60/2014/QH13"},
		{"SpacesAroundSlashes", "08 / 2025 / TT-BTP", "08/2025/TT-BTP"},
		{"LowerCase", "123 / 2015 / nđ-cp", "123/2015/NĐ-CP"},
		{"PrimeMinisterKeepsTTg", "12/2021/QĐ-TTg", "12/2021/QĐ-TTg"},
		{"PrimeMinisterUpperCase", "12/2021/QD-TTG", "12/2021/QĐ-TTg"},
		{"SemicolonBefore", "Số;123/2015/NĐ-CP", "123/2015/NĐ-CP"},
		{"TwoDigitLeadingZeroKept", "01/2021/NĐ-CP", "01/2021/NĐ-CP"},
		{"LongLeadingZeroDropped", "0123/2015/NĐ-CP", "123/2015/NĐ-CP"},
		{"NoYear", "83/NĐ-CP", "83/NĐ-CP"},
		{"Consolidated", "401/VBHN-BTP", "401/VBHN-BTP"},
		{"DottedNumber", "66.7/2025/NQ-CP", "66.7/2025/NQ-CP"},
		{"JointCircular", "02/2016/TTLT-BTP-BCA", "02/2016/TTLT-BTP-BCA"},
		{"IcelandicEth", "123/2015/NÐ-CP", "123/2015/NĐ-CP"},
		{"SpaceInsideIssuer", "15/2020/TT - BTC", "15/2020/TT-BTC"},
		{"Decomposed", "123/2015/N\u0110-CP", "123/2015/NĐ-CP"},
		{"None", "không có số", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
