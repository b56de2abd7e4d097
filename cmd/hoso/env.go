package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/spf13/cobra"

	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/postgres"
)

// env carries what every subcommand needs: the environment, the output
// streams, and lazily opened shared resources that run closes at the end.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer

	mu      sync.Mutex
	cfg     *config.Config
	log     *slog.Logger
	pool    *pgxpool.Pool
	closers []func()
}

func newEnv(getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) *env {
	return &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
}

// config loads and validates the configuration once.
func (e *env) config() (config.Config, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cfg == nil {
		c, err := config.Load(e.getenv)
		if err != nil {
			return c, err
		}
		e.cfg = &c
	}
	return *e.cfg, nil
}

// logger returns the process logger: JSON to stderr with stable keys
// (HOSO_LOG_LEVEL, HOSO_LOG_FORMAT; info and JSON while the configuration
// does not load).
func (e *env) logger() *slog.Logger {
	cfg, _ := e.config()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.log == nil {
		lvl := slog.LevelInfo
		switch cfg.LogLevel {
		case "debug":
			lvl = slog.LevelDebug
		case "warn":
			lvl = slog.LevelWarn
		case "error":
			lvl = slog.LevelError
		}
		var h slog.Handler
		if cfg.LogFormat == "text" {
			h = slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: lvl})
		} else {
			h = slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: lvl})
		}
		e.log = slog.New(h)
	}
	return e.log
}

// db opens the database (creating it when missing), applies the migrations
// and returns the shared pool.
func (e *env) db(ctx context.Context) (*pgxpool.Pool, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.pool != nil {
		return e.pool, nil
	}
	if err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		pool.Close()
		return nil, err
	}
	e.pool = pool
	e.closers = append(e.closers, pool.Close)
	return pool, nil
}

// onClose registers f to run when the command finishes, in reverse order.
func (e *env) onClose(f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.closers = append(e.closers, f)
}

func (e *env) close() {
	e.mu.Lock()
	cs := e.closers
	e.closers = nil
	e.mu.Unlock()
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
}

// sharedDataDir finds ../shared/data (or HOSO_SHARED_DATA); "" when absent.
func (e *env) sharedDataDir() string {
	cfg, _ := e.config()
	for _, d := range []string{cfg.SharedData, "../shared/data", "../../shared/data"} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// subcommands holds the constructors of every subcommand; each file that
// defines one registers it from init, so that subcommands live in their own
// files and never collide in one list.
var subcommands []func(*env) *cobra.Command

func register(f func(*env) *cobra.Command) { subcommands = append(subcommands, f) }

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "hoso",
		Short: "hoso: AI-assisted pre-checks of administrative dossiers (hồ sơ)",
		Long: `hoso nhận hồ sơ thủ tục hành chính, trích xuất và phân loại giấy tờ, kiểm tra
tính đầy đủ theo quy định (có trích dẫn điều khoản) và đề xuất cho cán bộ duyệt.

hoso takes administrative-procedure dossiers from NATS JetStream, extracts and
classifies their documents, checks them against the procedure's requirements,
cites the regulation behind every finding, and proposes suggestions that an
official approves before any citizen sees them.

Cấu hình lấy từ biến môi trường (DATABASE_URL, NATS_URL, HOSO_HTTP_ADDR,
OPENAI_BASE_URL…); ` + "`hoso env`" + ` liệt kê tất cả.
Configuration is read from the environment; ` + "`hoso env`" + ` lists every variable.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	for _, f := range subcommands {
		root.AddCommand(f(e))
	}
	return root
}

func printf(w io.Writer, format string, args ...any) { fmt.Fprintf(w, format, args...) }
