// Package api provides hoso's JSON HTTP API (/api/v1/…), /metrics and
// /healthz. The officials' console (app/web) mounts beside it.
package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/httpsec"
	"github.com/hoso-vn/hoso/internal/param"
)

// Server serves the JSON API. Fields that are nil disable their routes'
// features with a 503, so partial deployments fail clearly.
type Server struct {
	Pool *pgxpool.Pool
	Log  *slog.Logger
	// Deps holds the services that handlers use; set by cmd/hoso.
	Deps Deps
}

// Handler returns the API's routes on a new mux, with the security headers
// and "Cache-Control: no-store" the console's responses carry (httpsec). A
// request whose path, query or form holds NUL, invalid UTF-8 or control
// characters is a 400 before any handler runs (internal/param).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes(mux)
	return httpsec.Headers(param.Middleware(mux, func(w http.ResponseWriter, _ *http.Request, err error) { writeError(w, s.Log, err) }))
}

// writeJSON writes v with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// apiError is the body of every error response.
type apiError struct {
	Error   string `json:"error"`   // machine code
	Message string `json:"message"` // Vietnamese first
}

// writeError maps err onto an HTTP status using its domain code.
func writeError(w http.ResponseWriter, log *slog.Logger, err error) {
	code := http.StatusInternalServerError
	c := dossier.ErrorCode(err)
	switch c {
	case dossier.CodeInvalid, dossier.CodeUnsupported:
		code = http.StatusBadRequest
	case dossier.CodeNotFound:
		code = http.StatusNotFound
	case dossier.CodeConflict:
		code = http.StatusConflict
	case dossier.CodeForbidden:
		code = http.StatusForbidden
	case dossier.CodeTooLarge:
		code = http.StatusRequestEntityTooLarge
	}
	msg := err.Error()
	if code == http.StatusInternalServerError {
		if log != nil {
			log.Error("api error", "err", err)
		}
		msg = "lỗi hệ thống, vui lòng thử lại (internal error)"
		c = "internal"
	}
	var de *dossier.Error
	if errors.As(err, &de) {
		msg = de.Message
	}
	writeJSON(w, code, apiError{Error: string(c), Message: msg})
}
