package evals

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/schollz/progressbar/v3"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/postgres"
	"github.com/hoso-vn/hoso/internal/regulation"
)

// Env holds what the suites share during one run: a PostgreSQL schema of
// its own (created on first use, dropped by Close), the catalog and the
// regulation index loaded into it once, and the whole pipeline started once
// for the end-to-end suite.
type Env struct {
	Options

	mu        sync.Mutex
	schema    string
	schemaURL string
	pool      *pgxpool.Pool
	catalog   *catalog.Store
	regs      *regulation.Store
	catLoaded bool
	regLoaded bool
	svc       *service.Service
	// shared: a second schema holding the whole legal corpus of
	// ../shared/data and the catalog, for the everyday suite.
	sharedSchema string
	sharedPool   *pgxpool.Pool
	sharedRegs   *regulation.Store
	sharedCat    *catalog.Store
	nats         *server.Server
	natsDir      string
}

func newEnv(o Options) *Env { return &Env{Options: o} }

// DB returns a pool on a fresh schema eval_<random> with every migration
// applied.
func (x *Env) DB(ctx context.Context) (*pgxpool.Pool, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.db(ctx)
}

func (x *Env) db(ctx context.Context) (*pgxpool.Pool, error) {
	if x.pool != nil {
		return x.pool, nil
	}
	if x.DatabaseURL == "" {
		return nil, fmt.Errorf("evals: no database URL")
	}
	if err := postgres.EnsureDatabase(ctx, x.DatabaseURL); err != nil {
		return nil, fmt.Errorf("PostgreSQL không sẵn sàng (unavailable; start it with: pg_ctlcluster 15 main start): %w", err)
	}
	admin, err := postgres.Open(ctx, x.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	name := fmt.Sprintf("eval_%s_%08x", time.Now().UTC().Format("20060102t150405"), rand.Uint32())
	if err := postgres.CreateSchema(ctx, admin, name); err != nil {
		return nil, fmt.Errorf("create schema %s: %w", name, err)
	}
	x.schema = name
	x.schemaURL = withSchema(x.DatabaseURL, name)
	pool, err := postgres.Open(ctx, x.schemaURL)
	if err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	x.pool = pool
	return pool, nil
}

// withSchema returns rawURL with search_path set to schema, then public
// (where pgvector lives).
func withSchema(rawURL, schema string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	q, _ := url.ParseQuery(u.RawQuery) // u.Query(), which the archtest would read as SQL
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

// Catalog returns the catalog store with data/procedures imported and the
// operators' overrides (pipelines/catalog) applied, as the demo loads it.
func (x *Env) Catalog(ctx context.Context) (*catalog.Store, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	pool, err := x.db(ctx)
	if err != nil {
		return nil, err
	}
	if x.catalog == nil {
		x.catalog = catalog.NewStore(pool)
	}
	if !x.catLoaded {
		if _, err := x.catalog.Import(ctx, x.path(filepath.Join("data", "procedures")), nil); err != nil {
			return nil, fmt.Errorf("import catalog: %w", err)
		}
		if _, err := x.catalog.ApplyOverrides(ctx, x.path(filepath.Join("pipelines", "catalog"))); err != nil {
			return nil, fmt.Errorf("apply catalog overrides: %w", err)
		}
		x.catLoaded = true
	}
	return x.catalog, nil
}

// Regulations returns the regulation index with the repository's legal
// corpus (data/legal, the texts the question sets were written against)
// imported and embedded with the local hashing embedder.
func (x *Env) Regulations(ctx context.Context) (*regulation.Store, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	pool, err := x.db(ctx)
	if err != nil {
		return nil, err
	}
	if x.regs == nil {
		x.regs = regulation.NewStore(pool, embedding.NewHashing())
	}
	if !x.regLoaded {
		if _, err := x.regs.Import(ctx, []string{x.path(filepath.Join("data", "legal"))}, nil); err != nil {
			return nil, fmt.Errorf("import regulations: %w", err)
		}
		x.regLoaded = true
	}
	return x.regs, nil
}

// SharedRegulations returns a regulation index, in a schema of its own,
// with every legal text `hoso regs import` loads from ../shared/data
// (legal-texts-rightly, laws-underthesea-vlc, phapdien-excerpts-diepxuan),
// and the catalog beside it; a skip error when shared/data is absent.
func (x *Env) SharedRegulations(ctx context.Context) (*regulation.Store, *catalog.Store, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.sharedRegs != nil {
		return x.sharedRegs, x.sharedCat, nil
	}
	if x.SharedData == "" {
		return nil, nil, skip("không có ../shared/data (shared/data absent): the everyday sets are labelled on its legal texts")
	}
	if _, err := x.db(ctx); err != nil {
		return nil, nil, err
	}
	name := x.schema + "_shared"
	admin, err := postgres.Open(ctx, x.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	err = postgres.CreateSchema(ctx, admin, name)
	admin.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("create schema %s: %w", name, err)
	}
	x.sharedSchema = name
	pool, err := postgres.Open(ctx, withSchema(x.DatabaseURL, name))
	if err != nil {
		return nil, nil, err
	}
	x.sharedPool = pool
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		return nil, nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	cat := catalog.NewStore(pool)
	if _, err := cat.Import(ctx, x.path(filepath.Join("data", "procedures")), nil); err != nil {
		return nil, nil, fmt.Errorf("import catalog: %w", err)
	}
	if _, err := cat.ApplyOverrides(ctx, x.path(filepath.Join("pipelines", "catalog"))); err != nil {
		return nil, nil, fmt.Errorf("apply catalog overrides: %w", err)
	}
	regs := regulation.NewStore(pool, embedding.NewHashing())
	var paths []string
	for _, d := range []string{"legal-texts-rightly", "laws-underthesea-vlc", "phapdien-excerpts-diepxuan"} {
		paths = append(paths, filepath.Join(x.SharedData, d))
	}
	if _, err := regs.Import(ctx, paths, nil); err != nil {
		return nil, nil, fmt.Errorf("import shared legal texts: %w", err)
	}
	x.sharedRegs, x.sharedCat = regs, cat
	return regs, cat, nil
}

// Service starts the whole pipeline (every stage, an embedded NATS server
// on a random port, stream names of its own) on the run's schema, with the
// catalog and regulations loaded.
func (x *Env) Service(ctx context.Context) (*service.Service, error) {
	if _, err := x.Catalog(ctx); err != nil {
		return nil, err
	}
	if _, err := x.Regulations(ctx); err != nil {
		return nil, err
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.svc != nil {
		return x.svc, nil
	}
	dir, err := os.MkdirTemp("", "hoso-eval-nats-")
	if err != nil {
		return nil, err
	}
	x.natsDir = dir
	if x.nats, err = broker.StartEmbedded(broker.EmbeddedOptions{Dir: dir}); err != nil {
		return nil, err
	}
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "DATABASE_URL":
			return x.schemaURL
		case "HOSO_PIPELINE":
			return x.PipelinePath
		case "HOSO_DATA_DIR":
			return dir
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	cfg.StreamPrefix = fmt.Sprintf("EVAL%08X", rand.Uint32())
	cfg.NATSURL = ""
	cfg.OpenAIBaseURL = "" // offline: local models only
	o := service.Options{Pool: x.pool, Embedded: x.nats, ReconcileInterval: 2 * time.Second, Log: x.Log}
	if x.InProcessExtract {
		xo := doctext.DefaultOptions()
		xo.InProcess = true
		o.Extract = &xo
	}
	if x.svc, err = service.New(ctx, cfg, o); err != nil {
		return nil, err
	}
	return x.svc, nil
}

// Close stops the pipeline and drops the schema.
func (x *Env) Close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if x.svc != nil {
		_ = x.svc.Close(ctx)
		x.svc = nil
	}
	if x.nats != nil {
		x.nats.Shutdown()
		x.nats.WaitForShutdown()
		x.nats = nil
	}
	if x.natsDir != "" {
		_ = os.RemoveAll(x.natsDir)
	}
	if x.pool != nil {
		x.pool.Close()
		x.pool = nil
	}
	if x.sharedPool != nil {
		x.sharedPool.Close()
		x.sharedPool = nil
	}
	if x.sharedSchema != "" && !x.KeepSchema {
		if admin, err := postgres.Open(ctx, x.DatabaseURL); err == nil {
			_ = postgres.DropSchema(ctx, admin, x.sharedSchema)
			admin.Close()
		}
	}
	if x.schema != "" && !x.KeepSchema {
		if admin, err := postgres.Open(ctx, x.DatabaseURL); err == nil {
			_ = postgres.DropSchema(ctx, admin, x.schema)
			admin.Close()
		}
	}
}

// newBar is a progress bar on w (stderr); a silent one when w is nil.
func newBar(w io.Writer, n int, desc string) *progressbar.ProgressBar {
	if w == nil {
		w = io.Discard
	}
	return progressbar.NewOptions(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(24),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond),
	)
}
