package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/param"
	"github.com/hoso-vn/hoso/internal/regulation"
)

// handleSearchRegulations serves GET /api/v1/regulations/search?q=…&k=…
// (optional: document, as_of=YYYY-MM-DD (alias in_force_on; default today),
// include_future=true, mode=hybrid|lexical|vector).
// The response is {"hits": [...]} with the regulation.Hit JSON contract.
func (s *Server) handleSearchRegulations(w http.ResponseWriter, r *http.Request) {
	if s.Deps.Regulations == nil {
		writeError(w, s.Log, dossier.Errorf(dossier.CodeUnsupported, "chỉ mục văn bản chưa được cấu hình / regulation index not configured"))
		return
	}
	v := r.URL.Query()
	q := regulation.Query{Text: v.Get("q"), Document: v.Get("document"), Mode: v.Get("mode")}
	if v.Get("k") != "" {
		k, err := param.Int(v, "k", 0, 1, 1000)
		if err != nil {
			writeError(w, s.Log, err)
			return
		}
		q.K = int(k)
	}
	d := v.Get("as_of")
	if d == "" {
		d = v.Get("in_force_on")
	}
	if d != "" {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "as_of phải có dạng YYYY-MM-DD / as_of must be YYYY-MM-DD"))
			return
		}
		q.InForceOn = t
	}
	if f := v.Get("include_future"); f != "" {
		b, err := strconv.ParseBool(f)
		if err != nil {
			writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "include_future phải là true hoặc false / include_future must be true or false"))
			return
		}
		q.IncludeFuture = b
	}
	hits, err := s.Deps.Regulations.Search(r.Context(), q)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	if hits == nil {
		hits = []regulation.Hit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits})
}
