package api

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/param"
)

// handleListProcedures serves GET /api/v1/procedures: ?q= searches
// (accent-insensitive); otherwise ?field=&level=&ministry=&needs_review=
// filter, with ?limit=&offset=.
func (s *Server) handleListProcedures(w http.ResponseWriter, r *http.Request) {
	st := s.Deps.Catalog
	if st == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "unavailable", Message: "danh mục thủ tục chưa được cấu hình (catalog not configured)"})
		return
	}
	q := r.URL.Query()
	limit, err := param.Int(q, "limit", 50, 0, 1000)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	offset, err := param.Int(q, "offset", 0, 0, math.MaxInt32)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	var ps []catalog.Procedure
	if words := q.Get("q"); words != "" {
		ps, err = st.Search(r.Context(), words, int(limit))
	} else {
		f := catalog.ListFilter{Field: q.Get("field"), Level: q.Get("level"), Ministry: q.Get("ministry"), Limit: int(limit), Offset: int(offset)}
		if v := q.Get("needs_review"); v != "" {
			b, perr := strconv.ParseBool(v)
			if perr != nil {
				writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "needs_review phải là true/false (must be a boolean)"))
				return
			}
			f.NeedsReview = &b
		}
		ps, err = st.List(r.Context(), f)
	}
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"procedures": ps, "count": len(ps)})
}

// handleGetProcedure serves GET /api/v1/procedures/{code}?at=YYYY-MM-DD: the
// version in force on that date (today by default).
func (s *Server) handleGetProcedure(w http.ResponseWriter, r *http.Request) {
	st := s.Deps.Catalog
	if st == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "unavailable", Message: "danh mục thủ tục chưa được cấu hình (catalog not configured)"})
		return
	}
	at := time.Now()
	if v := r.URL.Query().Get("at"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "at phải là ngày YYYY-MM-DD (must be a date)"))
			return
		}
		at = t
	}
	p, err := st.Get(r.Context(), r.PathValue("code"), at)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}
