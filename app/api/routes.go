package api

import (
	"net/http"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/correction"
	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/regulation"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/submission"
)

// Deps are the services behind the handlers.
type Deps struct {
	Catalog *catalog.Store // procedure catalog (GET /api/v1/procedures)

	Regulations *regulation.Store // regulation index (GET /api/v1/regulations/search)

	Submission *submission.Service // POST /api/v1/dossiers
	Review     *review.Service     // approve / reject / edit
	// Corrections records officials' corrections of a pre-check
	// (POST/GET /api/v1/dossiers/{id}/corrections).
	Corrections *correction.Service
	// Authenticate authenticates a request (session or API token): it
	// returns the official, or writes the refusal itself (401, 403 for a
	// missing CSRF token, 429 while the client is locked out) and returns
	// false. The console package provides it (web.Console.APIAuthenticate).
	// When nil, Actor is used.
	Authenticate func(w http.ResponseWriter, r *http.Request) (review.Actor, bool)
	// Actor is the simple form of Authenticate: nil or false means 401.
	Actor func(r *http.Request) (review.Actor, bool)

	// DeadLetters serves /api/v1/dlq (operators.go); nil builds one on Pool
	// whose retries the reconciler publishes on its next pass.
	DeadLetters *deadletter.Service
	// StuckAfter is the default SLA of GET /api/v1/stages.
	StuckAfter time.Duration

	// MetricsToken, when set, restricts /metrics to "Authorization: Bearer
	// <MetricsToken>" (HOSO_METRICS_TOKEN); other requests get 401.
	MetricsToken string
	// MetricsElsewhere leaves /metrics out of Handler (404), for a process
	// that serves Metrics on a separate listen address (HOSO_METRICS_ADDR).
	MetricsElsewhere bool
}

// routes lists every API route in one place.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /metrics", s.handleMetrics)
	mux.HandleFunc("POST /api/v1/dossiers", s.authed(s.handleSubmit))
	mux.HandleFunc("GET /api/v1/dossiers", s.authed(s.handleListDossiers))
	mux.HandleFunc("GET /api/v1/dossiers/{id}", s.authed(s.handleGetDossier))
	mux.HandleFunc("POST /api/v1/suggestions/{id}/approve", s.authed(s.handleApprove))
	mux.HandleFunc("POST /api/v1/suggestions/{id}/reject", s.authed(s.handleReject))
	mux.HandleFunc("POST /api/v1/suggestions/{id}/edit", s.authed(s.handleEdit))
	mux.HandleFunc("GET /api/v1/citizens/{id}/inbox", s.authed(s.handleInbox))
	// Officials correct a pre-check: case, document type, finding (corrections.go).
	mux.HandleFunc("POST /api/v1/dossiers/{id}/corrections", s.authed(s.handleCorrect))
	mux.HandleFunc("GET /api/v1/dossiers/{id}/corrections", s.authed(s.handleListCorrections))
	// Citizens: vault (once-only), data-subject export, consent, proactive rules (app/api/citizens.go).
	mux.HandleFunc("POST /api/v1/dossiers/{id}/accept", s.authed(s.handleAcceptDossier))
	mux.HandleFunc("GET /api/v1/dossiers/{id}/explanation", s.authed(s.handleExplanation))
	mux.HandleFunc("POST /api/v1/dossiers/{id}/explanation", s.authed(s.handleExplanation))
	mux.HandleFunc("POST /api/v1/registry/records", s.authed(s.handleRegisterRecord))
	mux.HandleFunc("POST /api/v1/events", s.authed(s.handlePublishEvent))
	mux.HandleFunc("GET /api/v1/citizens/{id}/vault", s.authed(s.handleCitizenVault))
	mux.HandleFunc("GET /api/v1/citizens/{id}/vault/export", s.authed(s.handleCitizenExport))
	mux.HandleFunc("POST /api/v1/citizens/{id}/inbox/{item}/accept", s.authed(s.handleRespond("accepted")))
	mux.HandleFunc("POST /api/v1/citizens/{id}/inbox/{item}/decline", s.authed(s.handleRespond("declined")))
	mux.HandleFunc("GET /api/v1/triggers/rules", s.authed(s.handleRuleStats))
	mux.HandleFunc("GET /api/v1/indicators", s.authed(s.handleIndicators)) // Decision 2629/QĐ-TTg figures (indicators.go)
	mux.HandleFunc("GET /api/v1/procedures", s.handleListProcedures)
	mux.HandleFunc("GET /api/v1/procedures/{code}", s.handleGetProcedure)
	mux.HandleFunc("GET /api/v1/regulations/search", s.handleSearchRegulations)
	// Operators: dead letters and the stuck-work view (operators.go).
	mux.HandleFunc("GET /api/v1/dlq", s.operatorOnly(s.handleListDLQ))
	mux.HandleFunc("GET /api/v1/dlq/{id}", s.operatorOnly(s.handleGetDLQ))
	mux.HandleFunc("POST /api/v1/dlq/{id}/retry", s.operatorOnly(s.handleResolveDLQ(true)))
	mux.HandleFunc("POST /api/v1/dlq/{id}/discard", s.operatorOnly(s.handleResolveDLQ(false)))
	mux.HandleFunc("GET /api/v1/stages", s.operatorOnly(s.handleStages))
}
