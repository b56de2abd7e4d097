package fields

import (
	"strings"
	"testing"
)

// TestAddressWrappedOverLines: the PDF text layer of the sample birth
// declaration wraps the address after "thành"; the field was cut there
// ("…phường Ba Đình, thành") and the console showed it so.
func TestAddressWrappedOverLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, doc, page string }{
		{"DeclarationWrapsAfterThanh", "to_khai_khai_sinh", "C\u1ed8NG H\u00d2A X\u00c3 H\u1ed8I CH\u1ee6 NGH\u0128A VI\u1ec6T NAM\n\u0110\u1ed9c l\u1eadp - T\u1ef1 do - H\u1ea1nh ph\u00fac\n\nT\u1edc KHAI \u0110\u0102NG K\u00dd KHAI SINH\nK\u00ednh g\u1eedi: \u1ee6y ban nh\u00e2n d\u00e2n ph\u01b0\u1eddng Ba \u0110\u00ecnh, th\u00e0nh ph\u1ed1 H\u00e0 N\u1ed9i\nH\u1ecd, ch\u1eef \u0111\u1ec7m, t\u00ean ng\u01b0\u1eddi y\u00eau c\u1ea7u: NGUY\u1ec4N TH\u1eca LAN\nNg\u00e0y, th\u00e1ng, n\u0103m sinh: 12/03/1995\nN\u01a1i c\u01b0 tr\u00fa: S\u1ed1 18 ph\u1ed1 Phan \u0110\u00ecnh Ph\u00f9ng, ph\u01b0\u1eddng Ba \u0110\u00ecnh, th\u00e0nh\nph\u1ed1 H\u00e0 N\u1ed9i\nGi\u1ea5y t\u1edd t\u00f9y th\u00e2n: Th\u1ebb c\u0103n c\u01b0\u1edbc s\u1ed1 001195012345, c\u1ea5p ng\u00e0y\n10/05/2021, n\u01a1i c\u1ea5p: C\u1ee5c C\u1ea3nh s\u00e1t qu\u1ea3n l\u00fd h\u00e0nh ch\u00ednh v\u1ec1 tr\u1eadt t\u1ef1 x\u00e3\nh\u1ed9i\nQuan h\u1ec7 v\u1edbi ng\u01b0\u1eddi \u0111\u01b0\u1ee3c khai sinh: M\u1eb9\n\u0110\u1ec1 ngh\u1ecb c\u01a1 quan \u0111\u0103ng k\u00fd khai sinh cho ng\u01b0\u1eddi d\u01b0\u1edbi \u0111\u00e2y:\nH\u1ecd, ch\u1eef \u0111\u1ec7m, t\u00ean: TR\u1ea6N MINH AN\nNg\u00e0y, th\u00e1ng, n\u0103m sinh: 02/11/2026 ghi b\u1eb1ng ch\u1eef: Ng\u00e0y hai, th\u00e1ng\nm\u01b0\u1eddi m\u1ed9t, n\u0103m hai ngh\u00ecn kh\u00f4ng tr\u0103m hai m\u01b0\u01a1i s\u00e1u\nGi\u1edbi t\u00ednh: Nam D\u00e2n t\u1ed9c: Kinh Qu\u1ed1c t\u1ecbch: Vi\u1ec7t Nam\nN\u01a1i sinh: B\u1ec7nh vi\u1ec7n Ph\u1ee5 s\u1ea3n H\u00e0 N\u1ed9i, th\u00e0nh ph\u1ed1 H\u00e0 N\u1ed9i\nQu\u00ea qu\u00e1n: x\u00e3 \u0110\u00f4ng Anh, th\u00e0nh ph\u1ed1 H\u00e0 N\u1ed9i\nH\u1ecd, ch\u1eef \u0111\u1ec7m, t\u00ean ng\u01b0\u1eddi m\u1eb9: NGUY\u1ec4N TH\u1eca LAN N\u0103m sinh: 1995\nD\u00e2n t\u1ed9c: Kinh Qu\u1ed1c t\u1ecbch: Vi\u1ec7t Nam\nN\u01a1i c\u01b0 tr\u00fa: S\u1ed1 18 ph\u1ed1 Phan \u0110\u00ecnh Ph\u00f9ng, ph\u01b0\u1eddng Ba \u0110\u00ecnh, th\u00e0nh\nph\u1ed1 H\u00e0 N\u1ed9i\nH\u1ecd, ch\u1eef \u0111\u1ec7m, t\u00ean ng\u01b0\u1eddi cha: TR\u1ea6N V\u0102N H\u00d9NG N\u0103m sinh: 1993\nD\u00e2n t\u1ed9c: Kinh Qu\u1ed1c t\u1ecbch: Vi\u1ec7t Nam\nN\u01a1i c\u01b0 tr\u00fa: S\u1ed1 18 ph\u1ed1 Phan \u0110\u00ecnh Ph\u00f9ng, ph\u01b0\u1eddng Ba \u0110\u00ecnh, th\u00e0nh\nph\u1ed1 H\u00e0 N\u1ed9i\nT\u00f4i cam \u0111oan n\u1ed9i dung \u0111\u1ec1 ngh\u1ecb \u0111\u0103ng k\u00fd khai sinh tr\u00ean \u0111\u00e2y l\u00e0 \u0111\u00fang\ns\u1ef1 th\u1eadt, \u0111\u01b0\u1ee3c s\u1ef1 th\u1ecfa thu\u1eadn nh\u1ea5t tr\u00ed c\u1ee7a c\u00e1c b\u00ean li\u00ean quan theo\nquy \u0111\u1ecbnh ph\u00e1p lu\u1eadt.\n\n\fL\u00e0m t\u1ea1i: H\u00e0 N\u1ed9i, ng\u00e0y 05 th\u00e1ng 11 n\u0103m 2026\nNg\u01b0\u1eddi y\u00eau c\u1ea7u (k\u00fd, ghi r\u00f5 h\u1ecd, ch\u1eef \u0111\u1ec7m, t\u00ean)\nNguy\u1ec5n Th\u1ecb Lan\n\n\f"},
		{"BirthCertificateWrapsAfterBa", "giay_chung_sinh", "C\u1ed8NG H\u00d2A X\u00c3 H\u1ed8I CH\u1ee6 NGH\u0128A VI\u1ec6T NAM\n\u0110\u1ed9c l\u1eadp - T\u1ef1 do - H\u1ea1nh ph\u00fac\n\nGI\u1ea4Y CH\u1ee8NG SINH\nS\u1edf Y t\u1ebf: H\u00e0 N\u1ed9i C\u01a1 s\u1edf kh\u00e1m b\u1ec7nh, ch\u1eefa b\u1ec7nh: B\u1ec7nh vi\u1ec7n Ph\u1ee5 s\u1ea3n\nH\u00e0 N\u1ed9i\nS\u1ed1: 2026/11/00457 Quy\u1ec3n s\u1ed1: 12\nH\u1ecd v\u00e0 t\u00ean m\u1eb9/Ng\u01b0\u1eddi nu\u00f4i d\u01b0\u1ee1ng: NGUY\u1ec4N TH\u1eca LAN\nNg\u00e0y, th\u00e1ng, n\u0103m sinh: 12/03/1995\nN\u01a1i \u0111\u0103ng k\u00fd th\u01b0\u1eddng tr\u00fa: S\u1ed1 18 ph\u1ed1 Phan \u0110\u00ecnh Ph\u00f9ng, ph\u01b0\u1eddng Ba\n\u0110\u00ecnh, th\u00e0nh ph\u1ed1 H\u00e0 N\u1ed9i\nS\u1ed1 \u0111\u1ecbnh danh c\u00e1 nh\u00e2n/CCCD: 001195012345\nD\u00e2n t\u1ed9c: Kinh\n\u0110\u00e3 sinh con v\u00e0o l\u00fac: 08 gi\u1edd 20 ph\u00fat, ng\u00e0y 02 th\u00e1ng 11 n\u0103m 2026\nT\u1ea1i: B\u1ec7nh vi\u1ec7n Ph\u1ee5 s\u1ea3n H\u00e0 N\u1ed9i\nS\u1ed1 con trong l\u1ea7n sinh n\u00e0y: 01\nGi\u1edbi t\u00ednh c\u1ee7a con: Nam C\u00e2n n\u1eb7ng: 3.200 gram\nD\u1ef1 \u0111\u1ecbnh \u0111\u1eb7t t\u00ean con l\u00e0: Tr\u1ea7n Minh An\nGhi ch\u00fa: Sinh th\u01b0\u1eddng, m\u1eb9 v\u00e0 con kh\u1ecfe m\u1ea1nh.\nH\u00e0 N\u1ed9i, ng\u00e0y 03 th\u00e1ng 11 n\u0103m 2026\nTh\u1ee7 tr\u01b0\u1edfng c\u01a1 s\u1edf kh\u00e1m b\u1ec7nh, ch\u1eefa b\u1ec7nh (k\u00fd, \u0111\u00f3ng d\u1ea5u)\n\n\f"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range Extract(tc.doc, []string{tc.page}) {
				if f.Name == Address {
					got = append(got, f.Value)
					if !strings.HasSuffix(f.Value, "phường Ba Đình, thành phố Hà Nội") {
						t.Errorf("address = %q, want it to end with the city", f.Value)
					}
				}
			}
			if len(got) == 0 {
				t.Fatalf("no address extracted")
			}
		})
	}
	// A short line is an author's line end: the next line is not joined.
	page := "Nơi cư trú: phường Ba Đình\nphố Hà Nội"
	for _, f := range Extract("to_khai_khai_sinh", []string{page}) {
		if f.Name == Address && f.Value != "phường Ba Đình" {
			t.Errorf("short line joined: %q", f.Value)
		}
	}
}
