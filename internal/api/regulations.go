package api

import (
	"net/http"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/param"
	"github.com/hoso-vn/hoso/internal/regulation"
)

// handleSearchRegulations serves GET /api/v1/regulations/search?q=…&k=…
// (optional: document, in_force_on=YYYY-MM-DD, mode=hybrid|lexical|vector).
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
	if d := v.Get("in_force_on"); d != "" {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "in_force_on phải có dạng YYYY-MM-DD / in_force_on must be YYYY-MM-DD"))
			return
		}
		q.InForceOn = t
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
