package api

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
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

// promHandler is made once (it registers its own counters). A collector
// that fails — one reading PostgreSQL while the database is away — is left
// out of the scrape, and reported, rather than failing the whole scrape
// with a 500: the stage and process metrics matter most during an outage.
var promHandler = sync.OnceValue(func() http.Handler {
	return promhttp.InstrumentMetricHandler(prometheus.DefaultRegisterer,
		promhttp.HandlerFor(prometheus.DefaultGatherer, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError, ErrorLog: slogPrintln{}}))
})

// slogPrintln reports collection errors through the default slog logger.
type slogPrintln struct{}

func (slogPrintln) Println(v ...any) { slog.Warn("metrics: collection error", "err", fmt.Sprint(v...)) }

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	if s.Deps.MetricsElsewhere {
		http.NotFound(w, r)
		return
	}
	s.Metrics().ServeHTTP(w, r)
}
