package api

import (
	"net/http"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/indicators"
	"github.com/hoso-vn/hoso/internal/review"
)

// handleIndicators: GET /api/v1/indicators?from=YYYY-MM&to=YYYY-MM&agency=…
// (administrators) — the Programme's indicators per month, overall and per
// agency (internal/indicators; docs/indicators.md). from and to default to
// the six months ending with the current one.
func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if !a.Has(review.RoleAdmin) {
		s.deny(w, r, "indicators.view", "role", review.RoleAdmin, "admin role required",
			dossier.Errorf(dossier.CodeForbidden, "cần vai trò quản trị (admin role required)"))
		return
	}
	now := time.Now()
	q := r.URL.Query()
	to := q.Get("to")
	if to == "" {
		to = indicators.MonthOf(now)
	}
	from := q.Get("from")
	if from == "" {
		end, err := indicators.ParseMonth(to)
		if err != nil {
			writeError(w, s.Log, err)
			return
		}
		from = indicators.MonthOf(end.AddDate(0, -5, 0))
	}
	rep, err := indicators.Compute(r.Context(), s.Pool, from, to, q.Get("agency"), now)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}
