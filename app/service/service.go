// Package service assembles a running hoso: the database, JetStream
// (embedded when NATS_URL is unset), the stages bound to their consumers, the
// reconciler, and the services behind the API. cmd/hoso and the end-to-end
// tests build the same system through New.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/replay"
	"github.com/hoso-vn/hoso/app/shadow"
	"github.com/hoso-vn/hoso/app/trigger"
	"github.com/hoso-vn/hoso/internal/agency"
	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/correction"
	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/embedding"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/postgres"
	"github.com/hoso-vn/hoso/internal/regulation"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/signing"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/submission"
	"github.com/hoso-vn/hoso/internal/telemetry"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/pipelines/extract"
	"github.com/hoso-vn/hoso/pipelines/stageset"
	"github.com/hoso-vn/hoso/workers"
)

// Options adjust New beyond the Config.
type Options struct {
	// Pool reuses an open, migrated pool (tests); nil opens cfg.DatabaseURL.
	Pool *pgxpool.Pool
	// Embedded reuses a running embedded server (tests).
	Embedded *server.Server
	// NoWorkers skips binding the stage consumers (API-only processes).
	NoWorkers bool
	// Join is for one-shot commands that act on the running system (submit,
	// review, dlq retry…): New connects to NATS_URL, or to the embedded
	// server that a running `hoso serve` advertises in DataDir, and fails at
	// once when neither answers. It never starts an embedded server: one
	// started for a single command would take the command's files with it
	// when the command exits, where no worker ever reads them.
	Join bool
	// Stages limits which stages this process consumes.
	Stages []string
	// ReconcileInterval; 0 = 30s. Negative disables the reconciler.
	ReconcileInterval time.Duration
	// Extract overrides the extractor options (tests run it in-process).
	Extract *doctext.Options
	// WarmExtractor starts the extractor's pooled sandbox children before
	// the workers consume, when this process runs the extract stage, so
	// that a worker is ready at full speed (hoso serve, hoso worker) rather
	// than starting them on its first documents.
	WarmExtractor bool
	// PipelineRefresh is how often workers look for a newly activated
	// pipeline version; 0 = 2s.
	PipelineRefresh time.Duration
	Log             *slog.Logger
	// Signing overrides the agency keys of the configuration
	// (HOSO_SIGNING_*); `hoso demo` passes its demo keys here.
	Signing *signing.Keys
}

// Service is a running hoso.
type Service struct {
	Config      config.Config
	Definition  *pipelinedef.Definition
	Registry    pipelinedef.Registry
	Pool        *pgxpool.Pool
	Broker      *broker.Broker
	Store       *store.Store
	Catalog     *catalog.Store
	Regulations *regulation.Store
	Indexes     *regulation.Indexes
	LLM         *llm.Client
	Models      *llm.Models
	Extractor   *doctext.Extractor
	Submission  *submission.Service
	Review      *review.Service
	Corrections *correction.Service
	Publisher   *workers.Publisher
	Runner      *workers.Runner
	Reconciler  *workers.Reconciler
	Log         *slog.Logger

	// Operators (docs/operators.md): stored pipeline versions, shadow runs,
	// replay and reprocessing, dead letters.
	Pipelines   *pipelinestore.Store
	Shadow      *shadow.Service
	Replay      *replay.Replayer
	Reprocess   *replay.Reprocessor
	DeadLetters *deadletter.Service
	// Signing signs receipts, pre-check reports, decisions, messages and
	// the audit head with the agency key (nil Keys: signs nothing).
	Signing *signing.Service

	bg          sync.WaitGroup // goroutines Close waits for
	stopTracing func(context.Context) error

	embedded *server.Server
	ownPool  bool
	cancel   context.CancelFunc
	done     chan struct{}
}

// New builds and starts the system. Close stops it in order.
func New(ctx context.Context, cfg config.Config, o Options) (_ *Service, err error) {
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{Config: cfg, Log: log, done: make(chan struct{})}
	defer func() {
		if err != nil {
			s.Close(context.Background())
		}
	}()
	if s.Definition, err = pipelinedef.Load(cfg.Pipeline); err != nil {
		return nil, err
	}
	s.Registry = pipelinedef.Static{Def: s.Definition}

	s.Pool = o.Pool
	if s.Pool == nil {
		if err := postgres.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
		if s.Pool, err = postgres.Open(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
		s.ownPool = true
		if err := postgres.Migrate(ctx, s.Pool, log); err != nil {
			return nil, err
		}
	}

	// HOSO_DEFAULT_AGENCY files submissions that name no agency: it must be
	// an active agency of the agencies table, or they land where no
	// official can see them.
	if _, err := agency.NewStore(s.Pool).Active(ctx, cfg.DefaultAgency); err != nil {
		return nil, fmt.Errorf("config: HOSO_DEFAULT_AGENCY: %w", err)
	}

	// Pipeline versions live in PostgreSQL: the configured definition is
	// stored and activated unless an operator activated another one, and
	// the registry knows every stored version (a dossier in flight finishes
	// under the one it started with) and follows activations.
	s.Pipelines = pipelinestore.New(s.Pool)
	src := pipelinedef.DefaultYAML()
	if cfg.Pipeline != "" {
		if src, err = os.ReadFile(cfg.Pipeline); err != nil {
			return nil, fmt.Errorf("pipeline definition: %w", err)
		}
	}
	if _, err := s.Pipelines.Seed(ctx, src); err != nil {
		return nil, err
	}
	reg, err := pipelinestore.NewRegistry(ctx, s.Pipelines, s.Definition, log)
	if err != nil {
		return nil, err
	}
	s.Registry, s.Definition = reg, reg.Current()
	if s.stopTracing, err = telemetry.SetupTracing(ctx, cfg, os.Stdout); err != nil {
		return nil, err
	}
	telemetry.RegisterCollector(s.Pool, cfg.StuckAfter)

	bo := broker.Options{URL: cfg.NATSURL, Prefix: cfg.StreamPrefix, Log: log, Name: "hoso", Replicas: cfg.NATSReplicas, FailFast: o.Join}
	switch {
	case o.Embedded != nil:
		bo.Embedded = o.Embedded
	case cfg.NATSURL == "":
		dir := filepath.Join(cfg.DataDir, "nats")
		if url := runningEmbedded(dir); url != "" {
			// Another hoso process on this machine already runs the embedded
			// server on this directory (for example `hoso serve` while an
			// operator runs `hoso submit`): join it.
			bo.URL = url
			break
		}
		if o.Join {
			return nil, NoRunningSystemError(cfg)
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create %s: %w", dir, err)
		}
		// One fsync a second bounds what a power cut can take from the
		// embedded, single-node server; PostgreSQL stays the record and the
		// reconciler re-publishes anything JetStream lost. See README.
		if s.embedded, err = broker.StartEmbedded(broker.EmbeddedOptions{Dir: dir, SyncInterval: time.Second}); err != nil {
			return nil, err
		}
		bo.Embedded = s.embedded
		_ = os.WriteFile(filepath.Join(dir, "url"), []byte(s.embedded.ClientURL()), 0o640)
		log.Info("embedded NATS server started", "url", s.embedded.ClientURL(), "dir", dir)
	}
	if s.Broker, err = broker.Connect(ctx, bo); err != nil {
		if o.Join {
			return nil, fmt.Errorf("không kết nối được hệ thống hoso đang chạy (cannot reach the running hoso's NATS): %w", err)
		}
		return nil, err
	}

	s.Store = store.New(s.Pool)
	s.Catalog = catalog.NewStore(s.Pool)
	// AI clients are per pipeline version (llm.Models): an activated
	// version that changes a provider, model, prompt or limit applies to
	// new dossiers without a restart; LLM is the active version's client.
	s.Models = llm.NewModels(cfg, s.Pool, log, llm.OptionsFrom(cfg)...)
	if s.LLM, err = s.Models.For(s.Definition); err != nil {
		return nil, err
	}
	var emb regulation.Embedder = embedding.NewHashing()
	if e := s.LLM.Embedder(); e != nil {
		emb = e
	}
	s.Regulations = regulation.NewStore(s.Pool, emb)
	// A version whose embed provider names another model cites from that
	// model's vectors (a candidate regulation index, tried in shadow).
	s.Indexes = &regulation.Indexes{Base: s.Regulations, Embedder: EmbedderFor(s.Models, s.Regulations)}

	xo := doctext.DefaultOptions()
	if o.Extract != nil {
		xo = *o.Extract
	}
	// The extract stage applies each dossier's version limits on top.
	xo = extract.Limits(xo, s.Definition.Limits)
	xo.TrustStore, xo.CRLFiles = cfg.TrustStore, cfg.TrustCRLs
	if o.Extract != nil {
		xo.InProcess = o.Extract.InProcess
	}
	s.Extractor = doctext.New(xo, log)

	s.Publisher = &workers.Publisher{Broker: s.Broker, Attempts: s.Store}
	s.Review = &review.Service{Pool: s.Pool, Notifier: s.Publisher, Log: log}
	s.Corrections = &correction.Service{Pool: s.Pool, Procedures: s.Catalog, Publisher: s.Publisher, Log: log}
	s.Submission = &submission.Service{
		Store: s.Store, Files: s.Broker.Files, Publisher: s.Publisher, Log: log,
		Limits:        submission.Limits{MaxFiles: cfg.MaxFiles, MaxFileBytes: cfg.MaxFileBytes, MaxDossierBytes: cfg.MaxDossierBytes},
		DefaultAgency: cfg.DefaultAgency, Procedures: s.Catalog,
	}

	s.DeadLetters = &deadletter.Service{Pool: s.Pool, Publisher: s.Publisher}
	vlt := &vault.Store{Pool: s.Pool, Procedures: s.Catalog, Log: log} // once-only reuse (citizens)
	engine := &replay.Engine{Source: s.Store, Files: s.Broker.Files, Extractor: s.Extractor, Procedures: s.Catalog,
		Citations: s.Regulations, Indexes: s.Indexes, Vault: vlt, Model: classifier.Default(), Models: s.Models, Log: log}
	s.Replay = &replay.Replayer{Pool: s.Pool, Engine: engine, Registry: s.Registry}
	s.Reprocess = &replay.Reprocessor{Pool: s.Pool, Store: s.Store, Publisher: s.Publisher}
	// Shadow runs and replays call the models their version names, under
	// their own scope: their own token budget and ledger rows, never the
	// production dossier's.
	shadowEngine := *engine
	shadowEngine.Scope = llm.ScopeShadow
	s.Shadow = &shadow.Service{Pool: s.Pool, Engine: &shadowEngine, Registry: s.Registry, Log: log}
	// Activation (CLI, console) refuses a version whose regulation index is
	// not built or whose shadow runs fail the promotion gate.
	s.Pipelines.Preflight = Preflight(s.Indexes, s.Shadow)

	keys := o.Signing
	if keys == nil {
		if keys, err = signing.Load(cfg.SigningKey, cfg.SigningCert, cfg.SigningP12, cfg.SigningP12Password); err != nil {
			return nil, err
		}
	}
	s.Signing = &signing.Service{Pool: s.Pool, Keys: keys, Log: log}

	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.bg.Add(1)
	go func() { defer s.bg.Done(); reg.Run(rctx, o.PipelineRefresh) }()
	if !o.NoWorkers {
		// The same stages the replay engine builds, on the production store.
		stages, err := stageset.Build(stageset.Deps{Records: s.Store, Registry: s.Registry, Files: s.Broker.Files,
			Extractor: s.Extractor, Procedures: s.Catalog, Citations: s.Regulations, Indexes: s.Indexes, Vault: vlt,
			Model: classifier.Default(), Models: s.Models, Log: log})
		if err != nil {
			return nil, err
		}
		handlers := map[string]workers.Handler{broker.ConsumerShadow: shadowHandler(s.Shadow)}
		for name, st := range stages {
			handlers[name] = workers.StageHandler(name, st, s.Publisher)
		}
		// Citizens (app/trigger): proactive rules on <prefix>.events.>
		// (the events consumer, in the same runner) and the hourly scheduler
		// pass (expiring documents, incomplete dossiers, acceptance events).
		rules, err := trigger.Default()
		if err != nil {
			return nil, err
		}
		te := &trigger.Engine{Pool: s.Pool, Rules: rules, Procedures: s.Catalog, DefaultAgency: cfg.DefaultAgency, Log: log}
		handlers[broker.ConsumerEvents] = te.Handler()
		only := o.Stages
		if len(only) > 0 {
			// A process specialised on some stages still takes events, as
			// every worker process did before events joined the runner.
			only = append(slices.Clone(only), broker.ConsumerEvents)
		}
		s.Runner = &workers.Runner{Broker: s.Broker, Handlers: handlers, Dead: s.Store, Log: log, Stages: only}
		if o.WarmExtractor && (len(o.Stages) == 0 || slices.Contains(o.Stages, dossier.StageExtract)) {
			if err := s.Extractor.Warm(); err != nil {
				// The first document starts them again and reports why.
				log.Warn("extractor sandboxes not started ahead", "err", err)
			}
		}
		if err := s.Runner.Start(rctx); err != nil {
			return nil, err
		}
		go workers.WatchLag(rctx, s.Broker, 5*time.Second)
		go te.Run(rctx, time.Hour)
		trigger.RegisterMetrics(s.Pool)
	}
	if o.ReconcileInterval >= 0 {
		s.Reconciler = &workers.Reconciler{Store: s.Store, Publisher: s.Publisher, Relay: s.Review,
			StuckAfter: cfg.StuckAfter, Interval: o.ReconcileInterval, Log: log}
		go func() { defer close(s.done); s.Reconciler.Run(rctx) }()
		if keys != nil {
			iv := o.ReconcileInterval
			if iv == 0 {
				iv = 30 * time.Second
			}
			s.bg.Add(1)
			go func() { defer s.bg.Done(); s.Signing.Run(rctx, iv) }()
		}
	} else {
		close(s.done)
	}
	return s, nil
}

// Close stops consuming (draining in-flight work, bounded by ctx), then
// closes NATS, the embedded server and the pool, in that order.
func (s *Service) Close(ctx context.Context) error {
	var errs []error
	if s.Runner != nil {
		if err := s.Runner.Stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	if s.cancel != nil {
		s.cancel()
		<-s.done
		s.bg.Wait()
	}
	if s.stopTracing != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = s.stopTracing(sctx)
		cancel()
	}
	if s.Extractor != nil {
		_ = s.Extractor.Close() // the pooled sandbox processes
	}
	if s.Broker != nil {
		s.Broker.Close()
	}
	if s.embedded != nil {
		_ = os.Remove(filepath.Join(s.Config.DataDir, "nats", "url"))
		s.embedded.Shutdown()
		s.embedded.WaitForShutdown()
	}
	if s.Pool != nil && s.ownPool {
		s.Pool.Close()
	}
	return errors.Join(errs...)
}

// Preflight is the activation check: def's regulation index is built, and
// def's shadow runs, if any, pass shadow.DefaultGate.
func Preflight(ix *regulation.Indexes, sh *shadow.Service) func(context.Context, *pipelinedef.Definition) error {
	return func(ctx context.Context, def *pipelinedef.Definition) error {
		if err := ix.Ready(ctx, def); err != nil {
			return err
		}
		return sh.Check(ctx, def.VersionLabel(), shadow.DefaultGate)
	}
}

// EmbedderFor returns the embedder each version's embed provider names: the
// remote embedding model when it names one, else the local embedder it names
// (hashing, or the PPMI-SVD embedder trained on base's texts).
func EmbedderFor(models *llm.Models, base *regulation.Store) func(def *pipelinedef.Definition) (regulation.Embedder, error) {
	local := &regulation.LocalEmbedders{Base: base}
	return func(def *pipelinedef.Definition) (regulation.Embedder, error) {
		if def.Providers["embed"].Provider == llm.ProviderLocal {
			// Whatever else the version sends to an endpoint (which this
			// process may lack), its citations need none.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return local.For(ctx, def)
		}
		c, err := models.For(def)
		if err != nil {
			return nil, err
		}
		if e := c.Embedder(); e != nil {
			return e, nil
		}
		return embedding.NewHashing(), nil
	}
}

// NoRunningSystemError is what a one-shot command (Options.Join) says when
// there is no system to act on.
func NoRunningSystemError(cfg config.Config) error {
	dir := filepath.Join(cfg.DataDir, "nats")
	return fmt.Errorf("không có hệ thống hoso nào đang chạy để nhận lệnh: NATS_URL chưa đặt và không có \"hoso serve\" nào chạy với thư mục dữ liệu %s; "+
		"hãy chạy \"hoso serve\" (cùng HOSO_DATA_DIR) hoặc đặt NATS_URL "+
		"(no running hoso to act on: NATS_URL is unset and no \"hoso serve\" runs with data directory %s; start \"hoso serve\" with the same HOSO_DATA_DIR or set NATS_URL)", dir, dir)
}

// RunningNATS returns the NATS URL that the running system uses: NATS_URL,
// or the embedded server a running `hoso serve` advertises in DataDir; ""
// when there is none.
func RunningNATS(cfg config.Config) string {
	if cfg.NATSURL != "" {
		return cfg.NATSURL
	}
	return runningEmbedded(filepath.Join(cfg.DataDir, "nats"))
}

// runningEmbedded returns the URL of an embedded server that another process
// started on dir, when it answers.
func runningEmbedded(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "url"))
	if err != nil {
		return ""
	}
	url := strings.TrimSpace(string(b))
	host := strings.TrimPrefix(url, "nats://")
	c, err := net.DialTimeout("tcp", host, 500*time.Millisecond)
	if err != nil {
		return ""
	}
	c.Close()
	return url
}

// shadowHandler runs the shadow candidate on a mirrored message. Its errors
// are never permanent: a dead letter would mark the production dossier
// failed, so a shadow that keeps failing records the failure itself.
func shadowHandler(sh *shadow.Service) workers.Handler {
	return func(ctx context.Context, d workers.Delivery) error {
		job, err := d.Job()
		if err != nil {
			return nil // production's own consumer dead-letters a bad message
		}
		if err := sh.Handle(ctx, job.DossierID, d.NumDelivered); err != nil {
			return errors.New(err.Error())
		}
		return nil
	}
}
