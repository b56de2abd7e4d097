package param

import (
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	for target, ok := range map[string]bool{
		"/api/v1/procedures?level=C%E1%BA%A5p+x%C3%A3": true,
		"/api/v1/procedures?level=%00":                 false,
		"/api/v1/procedures?level=%ff":                 false,
		"/api/v1/procedures?%00=a":                     false,
		"/api/v1/procedures?level=%zz":                 false,
		"/api/v1/dossiers/%00":                         false,
		"/console/audit?before=1&actor=a%09b":          true,
	} {
		err := Check(httptest.NewRequest("GET", target, nil))
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want ok=%v", target, err, ok)
		}
		if err != nil && (dossier.ErrorCode(err) != dossier.CodeInvalid || !strings.Contains(err.Error(), "(")) {
			t.Errorf("%s: %v is not a bilingual invalid-input error", target, err)
		}
	}
	r := httptest.NewRequest("POST", "/console/users", strings.NewReader("id=a%00b"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := Check(r); dossier.ErrorCode(err) != dossier.CodeInvalid {
		t.Errorf("form with NUL: %v", err)
	}
}

func TestNumbers(t *testing.T) {
	t.Parallel()
	q := url.Values{"n": {"99999999999999999999"}, "m": {"7"}, "f": {"1e400"}, "g": {"0.5"}, "nan": {"NaN"}}
	if _, err := Int(q, "n", 0, 0, 1<<62); dossier.ErrorCode(err) != dossier.CodeInvalid {
		t.Errorf("huge int: %v", err)
	}
	if n, err := Int(q, "m", 0, 0, 10); n != 7 || err != nil {
		t.Errorf("m = %d, %v", n, err)
	}
	if n, err := Int(q, "absent", 3, 0, 10); n != 3 || err != nil {
		t.Errorf("absent = %d, %v", n, err)
	}
	if _, err := Int(q, "m", 0, 8, 10); err == nil {
		t.Error("out of range accepted")
	}
	for _, k := range []string{"f", "nan"} {
		if _, err := Float(q, k, 0, 1); dossier.ErrorCode(err) != dossier.CodeInvalid {
			t.Errorf("%s: %v", k, err)
		}
	}
	if f, err := Float(q, "g", 0, 1); err != nil || *f != 0.5 {
		t.Errorf("g: %v", err)
	}
}

func TestJSONBody(t *testing.T) {
	t.Parallel()
	for body, ok := range map[string]bool{
		`{"reason":"đủ giấy tờ","text":"dòng 1\ndòng 2"}`: true,
		`{"reason":"a\u0000b"}`:             false,
		`{"note":["x",{"y":"\u001b[31m"}]}`: false,
		`not json`:                          true, // the handler's to refuse
	} {
		r := httptest.NewRequest("POST", "/api/v1/suggestions/x/approve", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		err := Check(r)
		if (err == nil) != ok {
			t.Errorf("%s: err = %v, want ok=%v", body, err, ok)
		}
		if ok {
			if b, _ := io.ReadAll(r.Body); string(b) != body {
				t.Errorf("body not left for the handler: %q", b)
			}
		}
	}
}
