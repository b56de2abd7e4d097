// Package broker provides hoso's JetStream edge set-up: the embedded server
// (used when NATS_URL is unset), the streams, the durable consumers declared
// in one table, and the object store that holds submitted files.
//
// Subjects, with the default prefix HOSO:
//
//	HOSO.dossier.<stage>        work for a stage (intake, extract, classify, check, suggest)
//	HOSO.notify.<citizen id>    approved suggestions for channel adapters
//	HOSO.events.<kind>          events from other systems (births, registrations…)
package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Names derives every stream, subject, bucket and durable name from a prefix,
// so that tests and several deployments can share one server.
type Names struct{ Prefix string }

func (n Names) WorkStream() string               { return n.Prefix + "_DOSSIERS" }
func (n Names) NotifyStream() string             { return n.Prefix + "_NOTIFY" }
func (n Names) EventStream() string              { return n.Prefix + "_EVENTS" }
func (n Names) Bucket() string                   { return n.Prefix + "_FILES" }
func (n Names) StageSubject(stage string) string { return n.Prefix + ".dossier." + stage }
func (n Names) NotifySubject(citizen string) string {
	return n.Prefix + ".notify." + SubjectToken(citizen)
}
func (n Names) EventSubject(kind string) string { return n.Prefix + ".events." + SubjectToken(kind) }
func (n Names) Durable(stage string) string     { return n.Prefix + "_" + stage }

// SubjectToken makes s safe as one subject token.
func SubjectToken(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '*', '>', ' ', '\t', '\n', '\r':
			return '_'
		}
		return r
	}, s)
}

// ConsumerSpec declares one durable consumer. Every consumer's delivery
// settings live in the Consumers table below and nowhere else.
type ConsumerSpec struct {
	Stage         string          // a stage of dossier.Stages, or ConsumerShadow, ConsumerEvents
	AckWait       time.Duration   // lease; long calls extend it with InProgress
	MaxDeliver    int             // then the worker dead-letters the message
	BackOff       []time.Duration // redelivery delays when a lease expires
	MaxAckPending int             // bounds in-flight work (and memory) per stage
	Concurrency   int             // handler goroutines per process
	// Mirror, when set, makes this a mirrored consumer: it reads the work
	// of stage Mirror alongside that stage's own consumer (the stream keeps
	// the messages under limits retention), starting with new messages.
	Mirror string
	// Events, when set, makes this the consumer of <prefix>.events.> on the
	// event stream instead of a stage's work.
	Events bool
}

// The consumers that are not a pipeline stage.
const (
	// ConsumerShadow reads what production hands to suggest for a
	// candidate pipeline version (app/shadow).
	ConsumerShadow = "shadow"
	// ConsumerEvents reads life events from other systems for the
	// proactive rules (app/trigger). Its durable, <prefix>_triggers,
	// keeps the name it had before it joined this table.
	ConsumerEvents = "triggers"
)

// stageSettings are the delivery settings of the pipeline stages'
// consumers, by stage. A stage of dossier.Stages without an entry gets
// defaultStage; an entry for a stage that is not declared fails a test.
// Extraction may OCR, so it has low concurrency on 2 cores. Intake only
// records and moves the dossier: its handlers mostly wait on the commit,
// which store.CompleteStage shares among concurrent calls, so many handlers
// make few, larger transactions. 256 rather than 64: with two groups
// committing at once, 64 handlers left groups of 13 calls on average (a
// third of them of one or two), and a backlog cost a third more CPU a
// message, in PostgreSQL and in the worker, than with 256.
var stageSettings = map[string]ConsumerSpec{
	dossier.StageIntake:   {AckWait: 15 * time.Second, MaxDeliver: 6, BackOff: leases(15 * time.Second), MaxAckPending: 1024, Concurrency: 256},
	dossier.StageExtract:  {AckWait: 30 * time.Second, MaxDeliver: 6, BackOff: leases(30 * time.Second), MaxAckPending: 64, Concurrency: 2},
	dossier.StageClassify: {AckWait: 30 * time.Second, MaxDeliver: 6, BackOff: leases(30 * time.Second), MaxAckPending: 256, Concurrency: 4},
	dossier.StageCheck:    {AckWait: 15 * time.Second, MaxDeliver: 6, BackOff: leases(15 * time.Second), MaxAckPending: 256, Concurrency: 4},
	dossier.StageSuggest:  {AckWait: 30 * time.Second, MaxDeliver: 6, BackOff: leases(30 * time.Second), MaxAckPending: 256, Concurrency: 4},
}

var defaultStage = ConsumerSpec{AckWait: 30 * time.Second, MaxDeliver: 6, BackOff: leases(30 * time.Second), MaxAckPending: 256, Concurrency: 2}

// Consumers is the table of durable consumers: one per stage of
// dossier.Stages, in their order, then shadow and events.
//
// The lease: when a consumer has a BackOff, nats-server uses BackOff[0] as
// the ack wait of the first delivery and BackOff[n] for the next ones
// (AckWait itself is then ignored), so BackOff starts at AckWait. The runner
// keeps the lease alive with InProgress every AckWait/3 while a handler runs
// (OCR, a slow model), so a short lease costs nothing and a crashed worker's
// message comes back within AckWait; a message whose worker keeps dying
// waits longer each time. Handler errors are not lease expiries: the runner
// NAKs them with its own delay (backoff, or an LLM's Retry-After).
//
// MaxDeliver is one more than len(BackOff)+1 so that the worker, which sees
// NumDelivered, dead-letters on the last delivery instead of JetStream
// dropping the message silently (and the max-deliveries advisory covers a
// worker killed on every attempt).
var Consumers = consumers()

func consumers() []ConsumerSpec {
	var out []ConsumerSpec
	for _, st := range dossier.Stages {
		c, ok := stageSettings[st]
		if !ok {
			c = defaultStage
		}
		c.Stage = st
		out = append(out, c)
	}
	return append(out,
		// shadow writes only shadow_runs.
		ConsumerSpec{Stage: ConsumerShadow, Mirror: dossier.StageSuggest, AckWait: 30 * time.Second, MaxDeliver: 6, BackOff: leases(30 * time.Second), MaxAckPending: 64, Concurrency: 1},
		// Events are small and handled in one short transaction.
		ConsumerSpec{Stage: ConsumerEvents, Events: true, AckWait: 30 * time.Second, MaxDeliver: 6, BackOff: leases(30 * time.Second), MaxAckPending: 256, Concurrency: 1},
	)
}

// leases is the per-delivery lease schedule: the ack wait, then longer
// waits for a message whose worker keeps dying (1×, 2×, 4×, 8×, 20×).
func leases(ackWait time.Duration) []time.Duration {
	return []time.Duration{ackWait, 2 * ackWait, 4 * ackWait, 8 * ackWait, 20 * ackWait}
}

// Spec returns the consumer spec of stage.
func Spec(stage string) (ConsumerSpec, bool) {
	for _, c := range Consumers {
		if c.Stage == stage {
			return c, true
		}
	}
	return ConsumerSpec{}, false
}

// Broker is a connection to JetStream with hoso's streams ensured.
type Broker struct {
	NC    *nats.Conn
	JS    jetstream.JetStream
	Names Names
	Files *FileStore
	// Replicas is 1 for a single server and 3 in a cluster.
	Replicas int
	log      *slog.Logger
}

// Options configure Connect.
type Options struct {
	URL      string // empty: use Embedded
	Embedded *server.Server
	Prefix   string
	Replicas int
	Name     string // client name, for monitoring
	Log      *slog.Logger
	// FailFast makes Connect fail at once when no server answers, instead
	// of retrying in the background (which long-running processes want, so
	// that workers may start before the server): a one-shot command must
	// say at once that the system it acts on is not there.
	FailFast bool
}

// Connect connects to NATS, ensures the streams, consumers and bucket, and
// returns the Broker. It retries the initial connection for a few seconds so
// that workers can start before the server.
func Connect(ctx context.Context, o Options) (*Broker, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	url := o.URL
	copts := []nats.Option{
		nats.Name(or(o.Name, "hoso")),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.RetryOnFailedConnect(!o.FailFast),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				o.Log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { o.Log.Info("nats reconnected", "url", c.ConnectedUrlRedacted()) }),
	}
	if o.Embedded != nil {
		url = o.Embedded.ClientURL()
		// The server runs in this process: talk to it over an in-memory
		// connection, not TCP on loopback, which cost a write and a read
		// system call on each side for every message (a sixth of the
		// process's CPU in BenchmarkEndToEnd's profile, #18). The server
		// still listens on url for other processes.
		copts = append(copts, nats.InProcessServer(o.Embedded))
	}
	if url == "" {
		return nil, errors.New("broker: no NATS URL and no embedded server")
	}
	nc, err := nats.Connect(url, copts...)
	if err != nil {
		return nil, fmt.Errorf("connect to nats at %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	b := &Broker{NC: nc, JS: js, Names: Names{Prefix: or(o.Prefix, "HOSO")}, Replicas: o.Replicas, log: o.Log}
	if err := b.ensure(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return b, nil
}

// Close drains the connection.
func (b *Broker) Close() {
	if b == nil || b.NC == nil {
		return
	}
	_ = b.NC.Drain()
	for i := 0; i < 50 && !b.NC.IsClosed(); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	b.NC.Close()
}

// DedupWindow is the JetStream duplicate window on the work stream: a
// publication with the same Nats-Msg-Id inside it is dropped.
const DedupWindow = 10 * time.Minute

func (b *Broker) ensure(ctx context.Context) error {
	n := b.Names
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	// Limits retention (not work-queue) so that shadow and replay consumers
	// can read the same dossiers as production; MaxAge bounds the storage.
	streams := []jetstream.StreamConfig{
		{Name: n.WorkStream(), Subjects: []string{n.Prefix + ".dossier.>"}, Storage: jetstream.FileStorage,
			Retention: jetstream.LimitsPolicy, MaxAge: 7 * 24 * time.Hour, Duplicates: DedupWindow, Replicas: b.Replicas},
		{Name: n.NotifyStream(), Subjects: []string{n.Prefix + ".notify.>"}, Storage: jetstream.FileStorage,
			Retention: jetstream.LimitsPolicy, MaxAge: 30 * 24 * time.Hour, Duplicates: DedupWindow, Replicas: b.Replicas},
		{Name: n.EventStream(), Subjects: []string{n.Prefix + ".events.>"}, Storage: jetstream.FileStorage,
			Retention: jetstream.LimitsPolicy, MaxAge: 30 * 24 * time.Hour, Duplicates: DedupWindow, Replicas: b.Replicas},
	}
	for _, sc := range streams {
		if err := retryForming(ctx, func() error { _, err := b.JS.CreateOrUpdateStream(ctx, sc); return err }); err != nil {
			return fmt.Errorf("ensure stream %s: %w", sc.Name, err)
		}
	}
	for _, c := range Consumers {
		if err := retryForming(ctx, func() error {
			_, err := b.JS.CreateOrUpdateConsumer(ctx, n.stream(c), b.consumerConfig(c))
			return err
		}); err != nil {
			return fmt.Errorf("ensure consumer %s: %w", n.Durable(c.Stage), err)
		}
	}
	var obj jetstream.ObjectStore
	err := retryForming(ctx, func() (err error) {
		obj, err = b.JS.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket: n.Bucket(), Storage: jetstream.FileStorage, Replicas: b.Replicas,
			Description: "hoso submitted files, keyed by dossier and sha256",
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("ensure object store %s: %w", n.Bucket(), err)
	}
	b.Files = &FileStore{obj: obj}
	if st, err := b.JS.Stream(ctx, "OBJ_"+n.Bucket()); err == nil {
		b.Files.chunks, b.Files.js, b.Files.bucket = st, b.JS, n.Bucket()
	}
	return nil
}

// Cluster errors that mean "not yet": a cluster that is forming, or whose
// meta leader has not yet seen a restarted peer, refuses to place an R3
// stream ("no suitable peers for placement") or answers "temporarily
// unavailable" for a few seconds.
var formingCodes = map[jetstream.ErrorCode]bool{
	10005: true, // JSClusterNoPeersErrF
	10008: true, // JSClusterNotAvailErr
	10009: true, // JSClusterNotLeaderErr
}

// retryForming runs op until it succeeds, fails for another reason, or ctx
// ends, backing off while the cluster is still forming. A worker started
// beside the cluster's nodes waits for placement instead of exiting.
func retryForming(ctx context.Context, op func() error) error {
	wait := 100 * time.Millisecond
	for {
		err := op()
		var apiErr *jetstream.APIError
		if err == nil || !errors.As(err, &apiErr) || !formingCodes[apiErr.ErrorCode] {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait = min(2*wait, 2*time.Second)
	}
}

func (b *Broker) consumerConfig(c ConsumerSpec) jetstream.ConsumerConfig {
	subject, deliver := b.Names.StageSubject(c.Stage), jetstream.DeliverAllPolicy
	switch {
	case c.Mirror != "":
		subject, deliver = b.Names.StageSubject(c.Mirror), jetstream.DeliverNewPolicy
	case c.Events:
		subject = b.Names.Prefix + ".events.>"
	}
	return jetstream.ConsumerConfig{
		Durable:       b.Names.Durable(c.Stage),
		FilterSubject: subject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       c.AckWait,
		MaxDeliver:    c.MaxDeliver,
		BackOff:       c.BackOff,
		MaxAckPending: c.MaxAckPending,
		DeliverPolicy: deliver,
	}
}

// Consumer returns the durable consumer of stage (any name in Consumers).
func (b *Broker) Consumer(ctx context.Context, stage string) (jetstream.Consumer, error) {
	c, _ := Spec(stage)
	return b.JS.Consumer(ctx, b.Names.stream(c), b.Names.Durable(stage))
}

// stream is the stream consumer c reads.
func (n Names) stream(c ConsumerSpec) string {
	if c.Events {
		return n.EventStream()
	}
	return n.WorkStream()
}

// Publish publishes data on subject with a de-duplication id.
func (b *Broker) Publish(ctx context.Context, subject, msgID string, data []byte, hdr map[string]string) error {
	m := nats.NewMsg(subject)
	m.Data = data
	for k, v := range hdr {
		m.Header.Set(k, v)
	}
	_, err := b.JS.PublishMsg(ctx, m, jetstream.WithMsgID(msgID))
	if err != nil {
		return fmt.Errorf("publish %s: %w", subject, err)
	}
	return nil
}

// EmbeddedOptions configure StartEmbedded.
type EmbeddedOptions struct {
	Dir  string // JetStream storage directory
	Port int    // 0 or -1: a random free port (never the machine's 4222)
	// SyncInterval is how often JetStream fsyncs; 0 keeps the server default
	// (2 min). SyncAlways fsyncs every write. See README "Durability".
	SyncInterval time.Duration
	SyncAlways   bool
}

// StartEmbedded starts an in-process NATS server with JetStream, listening
// on loopback only.
func StartEmbedded(o EmbeddedOptions) (*server.Server, error) {
	port := o.Port
	if port == 0 {
		port = server.RANDOM_PORT
	}
	opts := &server.Options{
		ServerName:         "hoso-embedded",
		Host:               "127.0.0.1",
		Port:               port,
		JetStream:          true,
		StoreDir:           filepath.Clean(o.Dir),
		NoSigs:             true,
		MaxPayload:         8 << 20,
		SyncInterval:       o.SyncInterval,
		SyncAlways:         o.SyncAlways,
		JetStreamMaxMemory: 256 << 20,
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("start embedded nats: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(15 * time.Second) {
		s.Shutdown()
		return nil, errors.New("start embedded nats: not ready after 15s")
	}
	return s, nil
}

func or(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
