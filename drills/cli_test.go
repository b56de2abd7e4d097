package drills_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

// TestDrillCLIReachesTheRunningSystem runs the real binary as an operator
// does: `hoso serve` started in one directory, with neither NATS_URL nor
// HOSO_DATA_DIR set, and `hoso submit` and `hoso doctor` run from another.
// The submission must reach the running system (its files in the object
// store the workers read, so the dossier is pre-checked), and no broker may
// be started in the submitting directory. Once serve has stopped, `hoso
// submit` must fail at once with a bilingual error and record nothing, and
// `hoso doctor` must say NATS is down and exit non-zero.
func TestDrillCLIReachesTheRunningSystem(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, dbURL := postgrestest.New(t)
	root := repoRoot()
	cat := catalog.NewStore(pool)
	if _, err := cat.Import(ctx, filepath.Join(root, "data", "procedures"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.ApplyOverrides(ctx, filepath.Join(root, "pipelines", "catalog")); err != nil {
		t.Fatal(err)
	}
	samples, err := service.LoadSamples(filepath.Join(root, "data", "dossiers"))
	if err != nil {
		t.Fatal(err)
	}
	var sd service.SampleDossier
	for _, s := range samples {
		if s.Name == "khai-sinh-day-du" {
			sd = s
		}
	}
	home, serveDir, submitDir := t.TempDir(), t.TempDir(), t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + os.TempDir(),
		"DATABASE_URL=" + dbURL, "HOSO_STREAM_PREFIX=DCLI" + strings.ToUpper(fmt.Sprintf("%x", time.Now().UnixNano()&0xffffff)),
		"HOSO_HTTP_ADDR=127.0.0.1:0", "HOSO_LOG_FORMAT=json", "HOSO_LOG_LEVEL=info", "GOMAXPROCS=2",
	}
	hoso := func(dir string, args ...string) (string, string, error) {
		cmd := exec.Command(hosoBinary(t), args...)
		cmd.Dir, cmd.Env = dir, env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	submit := func(key string) (string, string, error) {
		args := []string{"submit", "--json", "--procedure", sd.Procedure, "--applicant", sd.Applicant, "--agency", sd.Agency, "--idempotency-key", key}
		if len(sd.Metadata) > 0 {
			m, _ := json.Marshal(sd.Metadata)
			args = append(args, "--metadata", string(m))
		}
		for _, f := range sd.Files {
			args = append(args, filepath.Join(sd.Dir, f))
		}
		return hoso(submitDir, args...)
	}

	// hoso serve, in its own directory.
	serve := exec.Command(hosoBinary(t), "serve")
	serve.Dir, serve.Env = serveDir, env
	serve.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	listening, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		closed := false
		for sc.Scan() {
			if !closed && strings.Contains(sc.Text(), `"http listening"`) {
				close(listening)
				closed = true
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		_ = serve.Wait()
	}()
	stopServe := func() {
		_ = syscall.Kill(-serve.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(60 * time.Second):
			_ = syscall.Kill(-serve.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	}
	t.Cleanup(stopServe)
	select {
	case <-listening:
	case <-exited:
		t.Fatal("hoso serve exited before listening")
	case <-time.After(2 * time.Minute):
		t.Fatal("hoso serve did not start")
	}

	// From another directory: the submission reaches serve's workers.
	out, errOut, err := submit("cli-drill-1")
	if err != nil {
		t.Fatalf("hoso submit from another directory: %v\n%s%s", err, out, errOut)
	}
	var res struct {
		DossierID string `json:"dossier_id"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.DossierID == "" {
		t.Fatalf("submit output %q: %v", out, err)
	}
	if entries, _ := os.ReadDir(submitDir); len(entries) != 0 {
		t.Errorf("hoso submit left a store in its working directory: %v", entries)
	}
	var status, stage string
	deadline := time.Now().Add(2 * time.Minute)
	for {
		_ = pool.QueryRow(ctx, `SELECT status, stage FROM dossiers WHERE id = $1`, res.DossierID).Scan(&status, &stage)
		if status == "prechecked" || status == "failed" || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	var unreadable int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM documents WHERE dossier_id = $1 AND extraction_status = 'failed'`, res.DossierID).Scan(&unreadable)
	if status != "prechecked" || unreadable != 0 {
		t.Fatalf("the dossier submitted from another directory ended %s/%s with %d unreadable documents", status, stage, unreadable)
	}
	out, errOut, err = hoso(submitDir, "doctor", "--json")
	if !strings.Contains(out, `"name": "nats"`) || !strings.Contains(out, "hoso serve") || natsStatus(t, out) != "ok" {
		t.Errorf("doctor with serve running: %v\n%s%s", err, out, errOut)
	}

	// serve stopped: no system to act on.
	stopServe()
	var before int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM dossiers`).Scan(&before)
	start := time.Now()
	out, errOut, err = submit("cli-drill-2")
	took := time.Since(start)
	if err == nil {
		t.Fatalf("hoso submit with no running system succeeded: %s", out)
	}
	for _, want := range []string{"không có hệ thống hoso nào đang chạy", "no running hoso"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("submit error lacks %q:\n%s", want, errOut)
		}
	}
	var after int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM dossiers`).Scan(&after)
	if after != before {
		t.Errorf("a refused submission recorded %d dossiers", after-before)
	}
	if entries, _ := os.ReadDir(submitDir); len(entries) != 0 {
		t.Errorf("hoso submit left a store in its working directory: %v", entries)
	}
	out, _, err = hoso(submitDir, "doctor", "--json")
	if err == nil || natsStatus(t, out) != "fail" {
		t.Errorf("doctor with no NATS: exit %v, nats %q", err, natsStatus(t, out))
	}
	figures(t, "cli-reaches-running-system", "dossier", status, "refused_submit", took)
}

// natsStatus is the status of the nats check in `hoso doctor --json`.
func natsStatus(t *testing.T, out string) string {
	t.Helper()
	var rep struct {
		Checks []struct{ Name, Status string } `json:"checks"`
	}
	if i := strings.LastIndex(out, "}"); i >= 0 {
		_ = json.Unmarshal([]byte(out[:i+1]), &rep)
	}
	for _, c := range rep.Checks {
		if c.Name == "nats" {
			return c.Status
		}
	}
	return ""
}
