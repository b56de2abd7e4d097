package drills_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats-server/v2/server"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/submission"
)

func TestMain(m *testing.M) {
	doctext.MaybeRunSandbox() // this test binary doubles as the extraction sandbox
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..")
}

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// hosoBinary builds cmd/hoso once per test binary (without -race: the
// workers are the system under test, not the code being raced).
func hosoBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "hoso-drill-bin-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "hoso")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/hoso")
		cmd.Dir = repoRoot()
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build ./cmd/hoso: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// scale returns full in `make drill` and short under -short.
func scale(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

// rig is one drill's system: a fresh schema, a NATS server or cluster, and
// an in-process submitter (API side, no workers) on its own stream prefix.
type rig struct {
	t       *testing.T
	Pool    *pgxpool.Pool
	DBURL   string
	NATSURL string
	Prefix  string
	Sub     *service.Service
	samples []service.SampleDossier
	run     string
	env     map[string]string // extra environment for worker processes
}

type rigOptions struct {
	NATSURL  string         // empty: a fresh embedded server
	Embedded *server.Server // reuse
	Replicas int
	Log      *slog.Logger
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	ctx := context.Background()
	pool, url := postgrestest.New(t)
	r := &rig{t: t, Pool: pool, DBURL: url, run: fmt.Sprintf("%06x", rand.Uint32()&0xffffff), env: map[string]string{}}
	r.Prefix = "D" + strings.ToUpper(sanitize(t.Name())) + strings.ToUpper(r.run)
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "DATABASE_URL":
			return url
		case "HOSO_STREAM_PREFIX":
			return r.Prefix
		case "HOSO_NATS_REPLICAS":
			return fmt.Sprint(o.Replicas)
		case "NATS_URL":
			return o.NATSURL
		case "HOSO_STUCK_AFTER":
			return "2m"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	so := service.Options{Pool: pool, NoWorkers: true, ReconcileInterval: -1, Log: log}
	if o.NATSURL == "" {
		srv := o.Embedded
		if srv == nil {
			srv = natsServer(t)
		}
		so.Embedded = srv
		r.NATSURL = srv.ClientURL()
	} else {
		r.NATSURL = o.NATSURL
	}
	r.Sub, err = service.New(ctx, cfg, so)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Sub.Close(context.Background()) })
	root := repoRoot()
	if _, err := r.Sub.Catalog.Import(ctx, filepath.Join(root, "data", "procedures"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Sub.Catalog.ApplyOverrides(ctx, filepath.Join(root, "pipelines", "catalog")); err != nil {
		t.Fatal(err)
	}
	r.samples, err = service.LoadSamples(filepath.Join(root, "data", "dossiers"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// natsServer is an embedded JetStream server on loopback that outlives the
// worker processes, fsyncing every second like `hoso serve`'s own.
func natsServer(t *testing.T) *server.Server {
	t.Helper()
	opts := &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(),
		NoSigs: true, MaxPayload: 8 << 20, SyncInterval: time.Second, JetStreamMaxMemory: 64 << 20}
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(15 * time.Second) {
		t.Fatal("embedded nats not ready")
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	return srv
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if len(out) > 12 {
		out = out[len(out)-12:]
	}
	return out
}

// loaded caches the sample files so that thousands of submissions read them
// once.
var (
	fileMu    sync.Mutex
	fileCache = map[string][]byte{}
)

func readSample(t testing.TB, dir, name string) []byte {
	fileMu.Lock()
	defer fileMu.Unlock()
	p := filepath.Join(dir, name)
	if b, ok := fileCache[p]; ok {
		return b
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fileCache[p] = b
	return b
}

// request generates dossier i: the files of a sample dossier (rotating over
// the samples, or only `only` when set), a distinct applicant (a 12-digit
// personal ID number) and a generated cover letter naming the applicant.
func (r *rig) request(i int, only ...string) submission.Request {
	pick := r.samples
	if len(only) > 0 {
		pick = nil
		for _, s := range r.samples {
			for _, o := range only {
				if s.Name == o {
					pick = append(pick, s)
				}
			}
		}
	}
	sd := pick[i%len(pick)]
	// A valid personal ID (submission refuses others): a province code,
	// a 1900s century and sex digit, a year of birth, then i.
	provinces := []string{"001", "031", "038", "048", "079", "092"}
	applicant := fmt.Sprintf("%s%d%02d%06d", provinces[i%len(provinces)], i%2, 60+i%40, i%1000000)
	req := submission.Request{ProcedureCode: sd.Procedure, ApplicantID: applicant, Agency: sd.Agency,
		IdempotencyKey: fmt.Sprintf("drill-%s-%d", r.run, i), Metadata: map[string]any{"sample": sd.Name, "drill": r.run}}
	for _, f := range sd.Files {
		req.Files = append(req.Files, submission.File{Name: f, Data: readSample(r.t, sd.Dir, f)})
	}
	letter := fmt.Sprintf("ĐƠN ĐỀ NGHỊ\nKính gửi: %s\nNgười nộp: Công dân số %d\nSố định danh cá nhân: %s\nĐề nghị tiếp nhận hồ sơ %s.\n",
		sd.Agency, i, applicant, sd.Description)
	req.Files = append(req.Files, submission.File{Name: "don-de-nghi.txt", Data: []byte(letter)})
	return req
}

// submitAll submits n generated dossiers from `workers` goroutines and
// returns the ids whose submission was acknowledged (recorded in PostgreSQL
// and, unless the broker was down, published).
func (r *rig) submitAll(ctx context.Context, n, workers int, only ...string) ([]string, int) {
	return r.submitFrom(ctx, 0, n, workers, only...)
}

// submitFrom is submitAll for submissions from..from+n-1, so that a second
// batch of one rig gets its own idempotency keys.
func (r *rig) submitFrom(ctx context.Context, from, n, workers int, only ...string) ([]string, int) {
	var (
		mu     sync.Mutex
		ids    = make([]string, 0, n)
		failed atomic.Int64
		next   atomic.Int64
		wg     sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := from + int(next.Add(1)-1)
				if i >= from+n || ctx.Err() != nil {
					return
				}
				res, err := r.submitRetry(ctx, r.request(i, only...))
				if err != nil {
					failed.Add(1)
					r.t.Logf("submission %d not acknowledged: %v", i, err)
					continue
				}
				mu.Lock()
				ids = append(ids, res.DossierID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ids, int(failed.Load())
}

// submitRetry retries a submission whose storage failed (a broker
// election, a database restart), as a client with an idempotency key does.
func (r *rig) submitRetry(ctx context.Context, req submission.Request) (submission.Result, error) {
	var err error
	for attempt := range 20 {
		var res submission.Result
		res, err = r.Sub.Submission.Submit(ctx, req)
		if err == nil {
			return res, nil
		}
		if dossier.ErrorCode(err) != "" { // a rejected request: retrying cannot help
			return res, err
		}
		time.Sleep(time.Duration(100*(attempt+1)) * time.Millisecond)
	}
	return submission.Result{}, err
}

// worker is one `hoso worker` process.
type worker struct {
	cmd     *exec.Cmd
	started time.Time
	ready   chan struct{} // closed when the process logs that it consumes
	exited  chan struct{}
	lines   func(map[string]any)
}

// startWorker starts `hoso worker` on the rig's schema, stream prefix and
// NATS URL, in its own process group (so that SIGKILL also takes its
// extraction sandbox children). onLine sees every JSON log line.
func (r *rig) startWorker(t *testing.T, onLine func(map[string]any)) *worker {
	t.Helper()
	cmd := exec.Command(hosoBinary(t), hosoSubcommand)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
		"DATABASE_URL=" + r.DBURL, "NATS_URL=" + r.NATSURL, "HOSO_STREAM_PREFIX=" + r.Prefix,
		"HOSO_STUCK_AFTER=2m", "HOSO_LOG_FORMAT=json", "HOSO_LOG_LEVEL=debug",
		"HOSO_DATA_DIR=" + t.TempDir(), "GOMAXPROCS=2",
	}
	for k, v := range r.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{cmd: cmd, ready: make(chan struct{}), exited: make(chan struct{}), lines: onLine}
	w.started = time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(w.exited)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var once sync.Once
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) != nil {
				continue
			}
			if msg, _ := m["msg"].(string); strings.HasPrefix(msg, "workers running") || msg == "http listening" { // worker, serve
				once.Do(func() { close(w.ready) })
			}
			if w.lines != nil {
				w.lines(m)
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		_ = cmd.Wait()
	}()
	t.Cleanup(func() { w.kill() })
	return w
}

// hosoSubcommand is what startWorker runs: `hoso worker`, or `hoso serve`
// for the memory figures.
var hosoSubcommand = "worker"

// kill sends SIGKILL to the worker's process group and waits for it.
func (w *worker) kill() {
	if w.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-w.cmd.Process.Pid, syscall.SIGKILL)
	<-w.exited
}

// rss returns the worker's resident set size in bytes (Linux).
func (w *worker) rss() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", w.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:")), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}

// outcome is where every submitted dossier ended.
type outcome struct {
	Submitted, Done, Failed, DeadLettered, Pending, Missing int
	DupStageRuns, DupFindings, DupSuggestions               int
	WrongStageRuns                                          int // finished dossiers without exactly one run per stage
	Inconsistent                                            int // dossiers whose findings differ from others of the same sample
	DeadReasons                                             map[string]int
}

// Lost counts dossiers that are neither finished nor dead-lettered, or not
// recorded at all.
func (o outcome) Lost() int { return o.Pending + o.Missing }

// Duplicated counts any effect recorded twice.
func (o outcome) Duplicated() int {
	return o.DupStageRuns + o.DupFindings + o.DupSuggestions + o.WrongStageRuns
}

func (r *rig) outcome(ctx context.Context, ids []string) outcome {
	r.t.Helper()
	o := outcome{Submitted: len(ids), DeadReasons: map[string]int{}}
	q := func(sql string, args ...any) int {
		var n int
		if err := r.Pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			r.t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	rows, err := r.Pool.Query(ctx, `
		SELECT d.id, d.status,
		       EXISTS (SELECT 1 FROM dead_letters l WHERE l.dossier_id = d.id AND l.reason <> '')
		FROM dossiers d WHERE d.id = ANY($1)`, ids)
	if err != nil {
		r.t.Fatal(err)
	}
	seen := map[string]bool{}
	for rows.Next() {
		var id, status string
		var dead bool
		if err := rows.Scan(&id, &status, &dead); err != nil {
			r.t.Fatal(err)
		}
		seen[id] = true
		switch {
		case status == dossier.StatusPrechecked:
			o.Done++
		case status == dossier.StatusFailed:
			o.Failed++
		case dead:
			o.DeadLettered++
		default:
			o.Pending++
		}
	}
	rows.Close()
	for _, id := range ids {
		if !seen[id] {
			o.Missing++
		}
	}
	o.DupStageRuns = q(`SELECT count(*) FROM (SELECT 1 FROM stage_runs WHERE dossier_id = ANY($1)
		GROUP BY dossier_id, stage HAVING count(*) > 1) x`, ids)
	o.DupFindings = q(`SELECT count(*) - count(DISTINCT (dossier_id, key)) FROM findings WHERE dossier_id = ANY($1)`, ids)
	o.DupSuggestions = q(`SELECT count(*) - count(DISTINCT (dossier_id, key)) FROM suggestions WHERE dossier_id = ANY($1)`, ids)
	o.WrongStageRuns = q(`SELECT count(*) FROM dossiers d WHERE d.id = ANY($1) AND d.status = 'prechecked'
		AND (SELECT count(*) FROM stage_runs s WHERE s.dossier_id = d.id) <> $2`, ids, len(dossier.Stages))
	// Dossiers built from the same sample files must end with the same
	// number of findings and suggestions: a lost or doubled effect shows.
	o.Inconsistent = q(`
		WITH per AS (
		  SELECT d.metadata->>'sample' AS sample,
		         (SELECT count(*) FROM findings f WHERE f.dossier_id = d.id) AS nf,
		         (SELECT count(*) FROM suggestions s WHERE s.dossier_id = d.id) AS ns
		  FROM dossiers d WHERE d.id = ANY($1) AND d.status = 'prechecked'),
		mode AS (
		  SELECT DISTINCT ON (sample) sample, nf, ns FROM per
		  GROUP BY sample, nf, ns ORDER BY sample, count(*) DESC)
		SELECT count(*) FROM per JOIN mode USING (sample) WHERE per.nf <> mode.nf OR per.ns <> mode.ns`, ids)
	dl, err := r.Pool.Query(ctx, `SELECT left(reason, 80), count(*) FROM dead_letters GROUP BY 1`)
	if err == nil {
		for dl.Next() {
			var reason string
			var n int
			if dl.Scan(&reason, &n) == nil {
				o.DeadReasons[reason] = n
			}
		}
		dl.Close()
	}
	return o
}

// waitSettled waits until every dossier is finished or dead-lettered, or
// timeout passes, and returns the outcome.
func (r *rig) waitSettled(ids []string, timeout time.Duration) (outcome, time.Duration) {
	start := time.Now()
	ctx := context.Background()
	for {
		o := r.outcome(ctx, ids)
		if o.Lost() == 0 || time.Since(start) > timeout {
			return o, time.Since(start)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// figures prints one line that `make drill` shows and docs/reliability.md
// quotes.
func figures(t *testing.T, drill string, kv ...any) {
	var b strings.Builder
	fmt.Fprintf(&b, "DRILL %s:", drill)
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		if d, ok := v.(time.Duration); ok {
			v = d.Round(10 * time.Millisecond)
		}
		fmt.Fprintf(&b, " %v=%v", kv[i], v)
	}
	if testing.Short() {
		b.WriteString(" (short)")
	}
	t.Log(b.String())
	fmt.Println(b.String())
}

// checkOutcome fails the test when anything was lost or duplicated.
func checkOutcome(t *testing.T, o outcome) {
	t.Helper()
	if o.Lost() != 0 {
		t.Errorf("lost %d dossiers (pending %d, missing %d)", o.Lost(), o.Pending, o.Missing)
	}
	if o.Duplicated() != 0 {
		t.Errorf("duplicated effects: stage runs %d, findings %d, suggestions %d, finished without one run per stage %d",
			o.DupStageRuns, o.DupFindings, o.DupSuggestions, o.WrongStageRuns)
	}
	if o.Inconsistent != 0 {
		t.Errorf("%d dossiers have other findings or suggestions than the rest of their sample", o.Inconsistent)
	}
	if o.DeadLettered > 0 {
		t.Logf("dead letters by reason: %v", o.DeadReasons)
	}
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(p*float64(len(s))))]
}
