package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/param"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/telemetry"
)

// operatorOnly requires the operator or admin role.
func (s *Server) operatorOnly(h http.HandlerFunc) http.HandlerFunc {
	return s.authed(func(w http.ResponseWriter, r *http.Request) {
		a := actorOf(r)
		if !a.Has(review.RoleOperator) && !a.Has(review.RoleAdmin) {
			s.deny(w, r, "operations", "role", review.RoleOperator, "operator role required",
				dossier.Errorf(dossier.CodeForbidden, "cần vai trò vận hành (operator role required)"))
			return
		}
		h(w, r)
	})
}

func (s *Server) deadLetters() *deadletter.Service {
	if s.Deps.DeadLetters != nil {
		return s.Deps.DeadLetters
	}
	return &deadletter.Service{Pool: s.Pool}
}

// handleListDLQ: GET /api/v1/dlq?status=open|retried|discarded|all&stage=&limit=
func (s *Server) handleListDLQ(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := param.Int(q, "limit", 0, 0, 10000)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	ls, err := s.deadLetters().List(r.Context(), deadletter.Filter{Status: q.Get("status"), Stage: q.Get("stage"), Limit: int(limit)})
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"dead_letters": ls})
}

// handleGetDLQ: GET /api/v1/dlq/{id}, with payload and headers.
func (s *Server) handleGetDLQ(w http.ResponseWriter, r *http.Request) {
	id, ok := dlqID(w, r, s)
	if !ok {
		return
	}
	l, err := s.deadLetters().Get(r.Context(), id)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

// handleResolveDLQ: POST /api/v1/dlq/{id}/retry and /discard {"reason": "…"}
// (a reason is required to discard).
func (s *Server) handleResolveDLQ(retry bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := dlqID(w, r, s)
		if !ok {
			return
		}
		var body struct {
			Reason string `json:"reason"`
		}
		if err := decodeOptional(r, &body); err != nil {
			writeError(w, s.Log, err)
			return
		}
		svc, actor := s.deadLetters(), actorOf(r).ID
		var l deadletter.Letter
		var err error
		if retry {
			l, err = svc.Retry(r.Context(), id, actor, body.Reason)
		} else {
			l, err = svc.Discard(r.Context(), id, actor, body.Reason)
		}
		if err != nil {
			writeError(w, s.Log, err)
			return
		}
		writeJSON(w, http.StatusOK, l)
	}
}

// handleStages: GET /api/v1/stages?sla=10m&stage=&all=1 — dossiers waiting
// in each stage with their age against the SLA.
func (s *Server) handleStages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sla := config.DefaultStuckAfter
	if v := q.Get("sla"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "sla %q không hợp lệ, ví dụ 10m (bad sla)", v))
			return
		}
		sla = d
	} else if s.Deps.StuckAfter > 0 {
		sla = s.Deps.StuckAfter
	}
	stats, err := telemetry.Stages(r.Context(), s.Pool, nil, sla)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	limit, err := param.Int(q, "limit", 0, 0, 10000)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	ws, err := telemetry.WaitingDossiers(r.Context(), s.Pool, q.Get("stage"), sla, q.Get("all") == "", int(limit))
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"sla": sla.String(), "stages": stats, "dossiers": ws})
}

func dlqID(w http.ResponseWriter, r *http.Request, s *Server) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "mã thư chết phải là số (id must be a number)"))
		return 0, false
	}
	return id, true
}
