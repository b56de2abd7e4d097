package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/api"
	"github.com/hoso-vn/hoso/internal/service"
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

Runs the workers, the reconciler, the JSON API and the officials' console until
interrupted. With NATS_URL unset, an embedded NATS server is started, stored
in HOSO_DATA_DIR/nats (default ~/.local/state/hoso/nats), where hoso submit,
review and the other commands find it from any directory.`,
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
			svc, err := service.New(ctx, cfg, service.Options{Log: e.logger()})
			if err != nil {
				return err
			}
			defer shutdown(e, svc)
			return serveHTTP(ctx, e, svc, cfg.HTTPAddr, nil)
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
			svc, err := service.New(ctx, cfg, service.Options{Log: e.logger(), Stages: stages})
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

// serveHTTP serves the API and console on addr until ctx ends. ready, when
// set, receives the bound address.
func serveHTTP(ctx context.Context, e *env, svc *service.Service, addr string, ready func(string)) error {
	h, err := httpHandler(ctx, e, svc)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	e.logger().Info("http listening", "addr", ln.Addr().String())
	if ready != nil {
		ready(ln.Addr().String())
	}
	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// httpHandler mounts the JSON API under /api/, /metrics and /healthz, and the
// officials' console at /.
func httpHandler(ctx context.Context, e *env, svc *service.Service) (http.Handler, error) {
	a := &api.Server{Pool: svc.Pool, Log: e.logger(), Deps: api.Deps{
		Catalog: svc.Catalog, Regulations: svc.Regulations, Submission: svc.Submission, Review: svc.Review,
		DeadLetters: svc.DeadLetters, StuckAfter: svc.Config.StuckAfter,
	}}
	mux := http.NewServeMux()
	if err := consoleMount(ctx, e, svc, a, mux); err != nil {
		return nil, err
	}
	apiH := a.Handler()
	mux.Handle("/api/", apiH)
	mux.Handle("/metrics", apiH)
	mux.Handle("/healthz", apiH)
	return mux, nil
}
