package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
)

// TestServeMetricsAccess: /metrics, open by default, can be restricted to a
// bearer token (HOSO_METRICS_TOKEN) or moved to its own listen address
// (HOSO_METRICS_ADDR), away from the API and console, as `hoso serve`
// assembles them.
func TestServeMetricsAccess(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	var logs bytes.Buffer
	e := newEnv(func(k string) string {
		if k == "HOSO_LOG_LEVEL" {
			return "error"
		}
		return ""
	}, strings.NewReader(""), io.Discard, &logs)
	t.Cleanup(e.close)
	const token = "ma-so-lieu-cho-prometheus-2026"
	start := func(t *testing.T, l listen) map[string]string {
		ctx, cancel := context.WithCancel(context.Background())
		addrs := map[string]string{}
		got := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- serveHTTP(ctx, e, svc, l, func(name, addr string) {
				addrs[name] = addr
				if name == "http" && l.MetricsAddr == "" || name == "metrics" {
					close(got)
				}
			})
		}()
		select {
		case <-got:
		case err := <-done:
			t.Fatalf("serveHTTP: %v", err)
		case <-time.After(30 * time.Second):
			t.Fatal("serveHTTP did not listen")
		}
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serveHTTP: %v", err)
			}
		})
		return addrs
	}
	get := func(t *testing.T, url, bearer string) (int, string) {
		req, _ := http.NewRequest("GET", url, nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const metric = "hoso_stage_processed_total"

	t.Run("Open", func(t *testing.T) {
		a := start(t, listen{Addr: "127.0.0.1:0"})
		if code, body := get(t, "http://"+a["http"]+"/metrics", ""); code != 200 || !strings.Contains(body, "go_goroutines") {
			t.Fatalf("open /metrics: %d %.600s", code, body)
		}
	})
	t.Run("Token", func(t *testing.T) {
		a := start(t, listen{Addr: "127.0.0.1:0", MetricsToken: token})
		for _, bad := range []string{"", "sai-ma", token + "x"} {
			if code, body := get(t, "http://"+a["http"]+"/metrics", bad); code != http.StatusUnauthorized || strings.Contains(body, metric) {
				t.Fatalf("/metrics with token %q: %d, want 401", bad, code)
			}
		}
		if code, body := get(t, "http://"+a["http"]+"/metrics", token); code != 200 || !strings.Contains(body, "go_goroutines") {
			t.Fatalf("/metrics with the token: %d %.600s", code, body)
		}
		if code, _ := get(t, "http://"+a["http"]+"/healthz", ""); code != 200 {
			t.Fatalf("/healthz must stay open: %d", code)
		}
	})
	t.Run("SeparateAddress", func(t *testing.T) {
		a := start(t, listen{Addr: "127.0.0.1:0", MetricsAddr: "127.0.0.1:0", MetricsToken: token})
		if code, body := get(t, "http://"+a["http"]+"/metrics", token); code != http.StatusNotFound || strings.Contains(body, "go_goroutines") {
			t.Fatalf("/metrics on the API address: %d, want 404", code)
		}
		if code, _ := get(t, "http://"+a["metrics"]+"/metrics", ""); code != http.StatusUnauthorized {
			t.Fatalf("/metrics on its address without the token: %d, want 401", code)
		}
		if code, body := get(t, "http://"+a["metrics"]+"/metrics", token); code != 200 || !strings.Contains(body, "go_goroutines") {
			t.Fatalf("/metrics on its address: %d %.600s", code, body)
		}
		if code, _ := get(t, "http://"+a["metrics"]+"/api/v1/dossiers", ""); code != http.StatusNotFound {
			t.Fatalf("the metrics address serves the API: %d", code)
		}
	})
}
