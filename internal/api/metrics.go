package api

import (
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hoso-vn/hoso/internal/httpsec"
)

// Metrics returns the Prometheus handler with its access rule: open, or,
// with Deps.MetricsToken, only for "Authorization: Bearer <token>". A
// process serving it on a separate listen address mounts it there.
func (s *Server) Metrics() http.Handler {
	prom := promHandler()
	return httpsec.Headers(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if want := s.Deps.MetricsToken; want != "" {
			scheme, got, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(want)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="hoso-metrics"`)
				writeJSON(w, http.StatusUnauthorized, apiError{Error: "unauthenticated", Message: "cần mã truy cập số liệu HOSO_METRICS_TOKEN (metrics token required)"})
				return
			}
		}
		prom.ServeHTTP(w, r)
	}))
}

// promHandler is made once: promhttp.Handler registers its own counters.
var promHandler = sync.OnceValue(promhttp.Handler)

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.Deps.MetricsElsewhere {
		http.NotFound(w, r)
		return
	}
	s.Metrics().ServeHTTP(w, r)
}
