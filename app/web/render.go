package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
	"github.com/hoso-vn/hoso/internal/workcal"
)

var pageNames = []string{"login", "queue", "dossier", "regulation", "audit", "users", "error",
	"ops", "dlq", "dlq_letter", "pipelines", "pipeline", "shadow", // these six: operators (operator.go)
	"agencies"}

func (c *Console) parseTemplates() error {
	c.pages = map[string]map[string]*template.Template{}
	for _, lang := range []string{"vi", "en"} {
		c.pages[lang] = map[string]*template.Template{}
		for _, p := range pageNames {
			t, err := template.New("layout.html").Funcs(c.funcs(lang)).ParseFS(templateFS, "templates/layout.html", "templates/corrections.html", "templates/"+p+".html")
			if err != nil {
				return fmt.Errorf("web: parse template %s: %w", p, err)
			}
			c.pages[lang][p] = t
		}
	}
	return nil
}

func langOf(r *http.Request) string {
	if cookieValue(r, langCookie) == "en" {
		return "en"
	}
	return "vi"
}

func (c *Console) funcs(lang string) template.FuncMap {
	tr := func(key string) string { return translate(lang, key) }
	return template.FuncMap{
		"t": tr,
		// display is how a submitted name (a file name) is shown:
		// bidirectional and invisible controls stripped (vntext.Display).
		"display": vntext.Display,
		"tf":      func(key string, args ...any) string { return fmt.Sprintf(tr(key), args...) },
		// tk translates prefix+value, falling back to the raw value.
		"tk": func(prefix, v string) string {
			if s, ok := messages[prefix+v]; ok {
				if lang == "en" {
					return s[1]
				}
				return s[0]
			}
			return v
		},
		// time is workcal.Show: Vietnam time, saying so; clock leaves
		// the zone to a column header that carries it once.
		"time":  func(t any) string { return workcal.Show(timeOf(t), lang) },
		"clock": func(t any) string { return workcal.Clock(timeOf(t)) },
		"local": func(s string) string { return localText(lang, s) },
		"pct": func(f float64) string {
			if math.IsNaN(f) || f < 0 {
				return "—"
			}
			return strconv.Itoa(int(math.Round(f*100))) + "%"
		},
		"pathesc": url.PathEscape,
		"lang":    func() string { return lang },
		"add":     func(a, b int) int { return a + b },
		"json": func(v any) string {
			if v == nil {
				return ""
			}
			b, err := json.MarshalIndent(v, "", "  ")
			if err != nil {
				return fmt.Sprint(v)
			}
			return string(b)
		},
		"hours": func(d time.Duration) string {
			h := d.Hours()
			if lang == "en" {
				return fmt.Sprintf("%.1f working h", h)
			}
			return strings.Replace(fmt.Sprintf("%.1f giờ làm việc", h), ".", ",", 1)
		},
		"contains": func(list []string, s string) bool {
			for _, x := range list {
				if x == s {
					return true
				}
			}
			return false
		},
		"query": func(base url.Values, kv ...string) string {
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] == "" {
					q.Del(kv[i])
				} else {
					q.Set(kv[i], kv[i+1])
				}
			}
			q.Del("page")
			return "?" + q.Encode()
		},
	}
}

func timeOf(t any) time.Time {
	switch x := t.(type) {
	case time.Time:
		return x
	case *time.Time:
		if x != nil {
			return *x
		}
	case string: // RFC 3339, as in a verified signature's signing_time
		if p, err := time.Parse(time.RFC3339, x); err == nil {
			return p
		}
	}
	return time.Time{}
}

// page is what every template receives.
type page struct {
	Lang    string
	Actor   Actor
	Signed  bool
	CSRF    string
	Path    string // request URI, for the language switch
	Data    any
	Flash   string
	IsAdmin bool
	// AgencyName is the signed-in official's agency, by name.
	AgencyName string
}

func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	a, signed := ActorFrom(r.Context())
	p := page{Lang: langOf(r), Actor: a, Signed: signed, CSRF: sessionFrom(r.Context()).CSRF, Path: r.URL.RequestURI(), Data: data,
		Flash: r.URL.Query().Get("done"), IsAdmin: hasRole(a, "admin")}
	if signed && a.Agency != "" {
		p.AgencyName = c.agencyName(r.Context(), a.Agency)
	}
	var buf bytes.Buffer
	if err := c.pages[p.Lang][name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		c.log.Error("console: render", "page", name, "err", err)
		http.Error(w, "lỗi hiển thị (render error)", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (c *Console) renderError(w http.ResponseWriter, r *http.Request, status int, key string) {
	c.renderErrorMsg(w, r, status, key, "")
}

func (c *Console) renderErrorMsg(w http.ResponseWriter, r *http.Request, status int, key, detail string) {
	c.render(w, r, status, "error", map[string]any{"Status": status, "Key": key, "Detail": detail})
}

// fail maps err onto a status via its domain code; unexpected errors are
// logged and shown without detail.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, key := http.StatusInternalServerError, "err.500.text"
	switch dossier.ErrorCode(err) {
	case dossier.CodeNotFound:
		status, key = http.StatusNotFound, "err.not_found"
	case dossier.CodeForbidden:
		status, key = http.StatusForbidden, "err.forbidden"
	case dossier.CodeConflict:
		status, key = http.StatusConflict, "err.conflict"
	case dossier.CodeInvalid, dossier.CodeUnsupported:
		status, key = http.StatusBadRequest, "err.bad_request"
	}
	detail := ""
	if status == http.StatusInternalServerError {
		c.log.Error("console: request failed", "path", r.URL.Path, "err", err)
	} else {
		detail = err.Error()
		var de *dossier.Error
		if errorsAs(err, &de) {
			detail = de.Message
		}
	}
	c.renderErrorMsg(w, r, status, key, detail)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
