package api

import (
	"net/http"

	"github.com/hoso-vn/hoso/internal/catalog"
)

// Deps are the services behind the handlers.
type Deps struct {
	Catalog *catalog.Store // procedure catalog (GET /api/v1/procedures)
}

// routes lists every API route in one place.
func (s *Server) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /api/v1/procedures", s.handleListProcedures)
	mux.HandleFunc("GET /api/v1/procedures/{code}", s.handleGetProcedure)
}
