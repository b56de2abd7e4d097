package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/app/api"
	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/config"
)

func init() { register(newServeCmd); register(newWorkerCmd) }

func newServeCmd(e *env) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Chạy toàn bộ hệ thống: worker, API và giao diện cán bộ (run workers, API and console)",
		Long: `Chạy các worker (intake → extract → classify → check → suggest), bộ đối soát,
API JSON (/api/v1) và giao diện cán bộ trên HOSO_HTTP_ADDR (mặc định 127.0.0.1:8080)
cho đến khi nhận Ctrl-C. Khi không đặt NATS_URL, máy chủ NATS được nhúng sẵn, lưu
tại HOSO_DATA_DIR/nats (mặc định ~/.local/state/hoso/nats); các lệnh hoso submit,
review… tìm thấy nó từ bất kỳ thư mục nào.
/metrics nằm trên HOSO_METRICS_ADDR nếu đặt, và cần mã HOSO_METRICS_TOKEN nếu đặt.

Runs the workers, the reconciler, the JSON API and the officials' console until
interrupted. With NATS_URL unset, an embedded NATS server is started, stored
in HOSO_DATA_DIR/nats (default ~/.local/state/hoso/nats), where hoso submit,
review and the other commands find it from any directory. /metrics moves
to HOSO_METRICS_ADDR and needs the bearer token HOSO_METRICS_TOKEN when they
are set.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg, err := e.config()
			if err != nil {
				return err
			}
			if addr != "" {
				cfg.HTTPAddr = addr
			}
			svc, err := service.New(ctx, cfg, service.Options{Log: e.logger(), WarmExtractor: true})
			if err != nil {
				return err
			}
			defer shutdown(e, svc)
			return serveHTTP(ctx, e, svc, listenOn(cfg), nil)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "địa chỉ lắng nghe (listen address), mặc định HOSO_HTTP_ADDR")
	return cmd
}

func newWorkerCmd(e *env) *cobra.Command {
	var stages []string
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Chỉ chạy các worker xử lý hồ sơ (run only the stage workers)",
		Long: `Chạy các worker và bộ đối soát, không phục vụ giao diện. Nhiều tiến trình worker
có thể chạy song song trên cùng các consumer bền vững của JetStream.

Runs the stage workers and the reconciler without the console. Several worker
processes scale out on the same durable JetStream consumers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg, err := e.config()
			if err != nil {
				return err
			}
			svc, err := service.New(ctx, cfg, service.Options{Log: e.logger(), Stages: stages, WarmExtractor: true})
			if err != nil {
				return err
			}
			defer shutdown(e, svc)
			e.logger().Info("workers running; Ctrl-C to stop")
			<-ctx.Done()
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&stages, "stages", nil, "chỉ chạy các stage này (only these stages), ví dụ extract,classify")
	return cmd
}

// shutdown drains the workers (bounded) and closes NATS and PostgreSQL.
func shutdown(e *env, svc *service.Service) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := svc.Close(ctx); err != nil {
		e.logger().Warn("shutdown", "err", err)
	}
}

// listen says where serveHTTP listens and who may read /metrics.
type listen struct {
	Addr         string // the API and console (HOSO_HTTP_ADDR)
	MetricsAddr  string // /metrics alone, when set (HOSO_METRICS_ADDR)
	MetricsToken string // bearer token /metrics requires, when set (HOSO_METRICS_TOKEN)
}

func listenOn(cfg config.Config) listen {
	return listen{Addr: cfg.HTTPAddr, MetricsAddr: cfg.MetricsAddr, MetricsToken: cfg.MetricsToken}
}

// serveHTTP serves the API and console on l.Addr, and /metrics on
// l.MetricsAddr when set, until ctx ends. ready, when set, receives each
// bound address by name ("http", "metrics").
func serveHTTP(ctx context.Context, e *env, svc *service.Service, l listen, ready func(name, addr string)) error {
	h, metrics, err := httpHandler(ctx, e, svc, l)
	if err != nil {
		return err
	}
	servers := []struct {
		name, addr string
		h          http.Handler
	}{{"http", l.Addr, h}}
	if l.MetricsAddr != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", metrics)
		servers = append(servers, struct {
			name, addr string
			h          http.Handler
		}{"metrics", l.MetricsAddr, mux})
	}
	var running []*http.Server
	errc := make(chan error, len(servers))
	for _, s := range servers {
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			for _, srv := range running {
				_ = srv.Close()
			}
			return fmt.Errorf("listen on %s (%s): %w", s.addr, s.name, err)
		}
		srv := &http.Server{Handler: s.h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
		running = append(running, srv)
		go func() { errc <- srv.Serve(ln) }()
		e.logger().Info(s.name+" listening", "addr", ln.Addr().String())
		if ready != nil {
			ready(s.name, ln.Addr().String())
		}
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			serveErr = err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, srv := range running {
		if err := srv.Shutdown(sctx); err != nil && serveErr == nil {
			serveErr = err
		}
	}
	return serveErr
}

// httpHandler mounts the JSON API under /api/, /metrics (unless it has its
// own address) and /healthz, and the officials' console at /. It also
// returns the /metrics handler for a separate address.
func httpHandler(ctx context.Context, e *env, svc *service.Service, l listen) (http.Handler, http.Handler, error) {
	a := &api.Server{Pool: svc.Pool, Log: e.logger(), Deps: api.Deps{
		Catalog: svc.Catalog, Regulations: svc.Regulations, Submission: svc.Submission, Review: svc.Review,
		Corrections: svc.Corrections,
		DeadLetters: svc.DeadLetters, StuckAfter: svc.Config.StuckAfter,
		MetricsToken: l.MetricsToken, MetricsElsewhere: l.MetricsAddr != "",
	}}
	mux := http.NewServeMux()
	if err := consoleMount(ctx, e, svc, a, mux); err != nil {
		return nil, nil, err
	}
	apiH := web.Compress(a.Handler())
	mux.Handle("/api/", apiH)
	mux.Handle("/metrics", apiH)
	mux.Handle("/healthz", apiH)
	return mux, a.Metrics(), nil
}
