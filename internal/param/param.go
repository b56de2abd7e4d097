// Package param validates what an HTTP request carries before a handler
// reads it: the path, the query parameters and url-encoded form fields, and
// the numbers parsed from them. A bad parameter is a dossier.CodeInvalid
// error (400) with a message in Vietnamese and English, never a 500 from
// PostgreSQL refusing a NUL or a strconv range error. The API and the
// console share it.
package param

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// MaxLen bounds one parameter value, in bytes.
const MaxLen = 4096

// Text reports why s cannot be a parameter value, or "" when it can: it
// must be valid UTF-8 without NUL or other control characters (tab, line
// feed and carriage return aside, for text areas).
func Text(s string) string {
	if !utf8.ValidString(s) {
		return "không phải UTF-8 hợp lệ (not valid UTF-8)"
	}
	if len(s) > MaxLen {
		return "quá dài (too long)"
	}
	if controls(s) {
		return "chứa ký tự điều khiển (holds a control character)"
	}
	return ""
}

func invalid(name, why string) error {
	return dossier.Errorf(dossier.CodeInvalid, "tham số %q không hợp lệ: %s (invalid parameter %q)", clip(name), why, clip(name))
}

func clip(s string) string {
	s = strings.ToValidUTF8(s, "\ufffd")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\ufffd'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// Check validates r's path, query and, for url-encoded bodies, form fields.
func Check(r *http.Request) error {
	if why := Text(r.URL.Path); why != "" {
		return dossier.Errorf(dossier.CodeInvalid, "đường dẫn không hợp lệ: %s (invalid path)", why)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return dossier.Errorf(dossier.CodeInvalid, "chuỗi truy vấn không hợp lệ (malformed query string)")
	}
	if err := values(q); err != nil {
		return err
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
		switch ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct {
		case "application/x-www-form-urlencoded":
			if err := r.ParseForm(); err != nil {
				return dossier.Errorf(dossier.CodeInvalid, "biểu mẫu không hợp lệ (malformed form)")
			}
			if err := values(r.PostForm); err != nil {
				return err
			}
		case "application/json", "": // the API reads JSON whatever the header says
			return jsonBody(r)
		}
	}
	return nil
}

// MaxJSON bounds a JSON request body that Check reads (the handlers' own
// limits are lower).
const MaxJSON = 1 << 20

// jsonBody refuses a JSON body whose strings hold NUL or other control
// characters (escaped as \u0000…, the only way JSON carries them), and
// leaves the body for the handler to read again. What is not JSON is the
// handler's to refuse.
func jsonBody(r *http.Request) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxJSON+1))
	if err != nil {
		return dossier.Errorf(dossier.CodeInvalid, "không đọc được nội dung yêu cầu (unreadable body)")
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	if len(b) > MaxJSON {
		return dossier.Errorf(dossier.CodeTooLarge, "nội dung yêu cầu quá lớn (body too large)")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil
	}
	var bad string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if bad == "" && controls(v) {
				bad = v
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				walk(k)
				walk(x)
			}
		}
	}
	walk(v)
	if bad != "" {
		return dossier.Errorf(dossier.CodeInvalid, "nội dung JSON chứa ký tự NUL hoặc ký tự điều khiển (JSON body holds a NUL or control character)")
	}
	return nil
}

func controls(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
	})
}

func values(q url.Values) error {
	for k, vs := range q {
		if why := Text(k); why != "" {
			return invalid(k, why)
		}
		for _, v := range vs {
			if why := Text(v); why != "" {
				return invalid(k, why)
			}
		}
	}
	return nil
}

// Middleware answers a request whose parameters fail Check with fail (the
// API's JSON error, the console's error page) and passes the rest to next.
func Middleware(next http.Handler, fail func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := Check(r); err != nil {
			fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Int parses the query parameter name: def when absent or empty, else an
// integer within [lo, hi].
func Int(q url.Values, name string, def, lo, hi int64) (int64, error) {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, invalid(name, "cần số nguyên từ "+strconv.FormatInt(lo, 10)+" đến "+strconv.FormatInt(hi, 10)+" (an integer within range)")
	}
	return n, nil
}

// Float parses the query parameter name: nil when absent or empty, else a
// finite number within [lo, hi].
func Float(q url.Values, name string, lo, hi float64) (*float64, error) {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < lo || f > hi {
		return nil, invalid(name, "cần số từ "+strconv.FormatFloat(lo, 'g', -1, 64)+" đến "+strconv.FormatFloat(hi, 'g', -1, 64)+" (a number within range)")
	}
	return &f, nil
}
