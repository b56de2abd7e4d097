package main

import (
	"context"
	"net/http"

	"github.com/hoso-vn/hoso/internal/api"
	"github.com/hoso-vn/hoso/internal/service"
)

// consoleMount mounts the officials' console at / and gives the API its
// authentication.
func consoleMount(ctx context.Context, e *env, svc *service.Service, a *api.Server, mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/v1/procedures", http.StatusFound)
	})
}
