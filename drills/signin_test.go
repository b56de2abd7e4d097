package drills_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/auth"
)

// startServe starts `hoso serve` on the rig's schema and NATS, on a free
// loopback port, and returns its base URL once it listens.
func (r *rig) startServe(t *testing.T) string {
	t.Helper()
	cmd := exec.Command(hosoBinary(t), "serve", "--addr", "127.0.0.1:0")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir(),
		"DATABASE_URL=" + r.DBURL, "NATS_URL=" + r.NATSURL, "HOSO_STREAM_PREFIX=" + r.Prefix,
		"HOSO_LOG_FORMAT=json", "HOSO_LOG_LEVEL=info", "HOSO_DATA_DIR=" + t.TempDir(), "GOMAXPROCS=2",
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	addr := make(chan string, 1)
	go func() {
		defer close(exited)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "http listening" {
				a, _ := m["addr"].(string)
				select {
				case addr <- a:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		_ = cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	})
	select {
	case a := <-addr:
		return "http://" + a
	case <-exited:
		t.Fatal("hoso serve exited before listening")
	case <-time.After(2 * time.Minute):
		t.Fatal("hoso serve did not listen within 2 minutes")
	}
	return ""
}

// TestDrillSignInBruteForce repeats the review's attack on two `hoso serve`
// replicas sharing one database: 200 wrong passwords for one account, in
// parallel, alternating between the replicas. Before the fix all 200 were
// answered 401 and the right password worked right after. Now at most the
// account's limit (5) of passwords are checked, the rest are refused with
// 429 and Retry-After by either replica, the right password is refused too
// until the lock ends, and every failure and the lockout are audited.
func TestDrillSignInBruteForce(t *testing.T) {
	t.Parallel()
	r := newRig(t, rigOptions{})
	ctx := context.Background()
	const user, right = "canbo.drill", "mat-khau-that-2026"
	if _, err := auth.NewStore(r.Pool).AddUser(ctx, auth.User{ID: user, Name: "Cán bộ Drill", Agency: "ubnd-drill", Roles: []string{"reviewer"}}, right); err != nil {
		t.Fatal(err)
	}
	replicas := []string{r.startServe(t), r.startServe(t)}
	csrfRe := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	signIn := func(base, pw string) (int, string) {
		c := &http.Client{CheckRedirect: noRedirect, Timeout: time.Minute}
		resp, err := c.Get(base + "/console/login")
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := csrfRe.FindSubmatch(body)
		if m == nil {
			t.Errorf("no sign-in form: %d", resp.StatusCode)
			return 0, ""
		}
		req, _ := http.NewRequest("POST", base+"/console/login", strings.NewReader(url.Values{"csrf": {string(m[1])}, "username": {user}, "password": {pw}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range resp.Cookies() {
			req.AddCookie(ck)
		}
		resp, err = c.Do(req)
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	const attempts, parallel = 200, 8
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				code, ra := signIn(replicas[i%2], "doan-bua-"+string(rune('a'+i%26)))
				mu.Lock()
				codes[code]++
				mu.Unlock()
				if code == http.StatusTooManyRequests && ra == "" {
					t.Errorf("429 without Retry-After")
				}
			}
		}()
	}
	for i := 0; i < attempts; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	if codes[http.StatusUnauthorized] > 4 || codes[http.StatusUnauthorized]+codes[http.StatusTooManyRequests] != attempts {
		t.Fatalf("%d wrong passwords: %v (status → count), want at most 4 × 401 and the rest 429", attempts, codes)
	}
	for _, base := range replicas {
		if code, ra := signIn(base, right); code != http.StatusTooManyRequests || ra == "" {
			t.Fatalf("right password right after the attack on %s: %d (Retry-After %q), want 429", base, code, ra)
		}
	}
	var failed, lockouts int
	_ = r.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'auth.sign_in_failed' AND entity_id = $1),
		count(*) FILTER (WHERE action = 'auth.lockout' AND entity_id = $1) FROM audit_log`, user).Scan(&failed, &lockouts)
	if failed != 5 || lockouts != 1 {
		t.Fatalf("audited %d failed sign-ins and %d lockouts of %s, want 5 and 1", failed, lockouts, user)
	}
	figures(t, "signin", "attempts", attempts, "replicas", len(replicas), "answered_401", codes[http.StatusUnauthorized],
		"answered_429", codes[http.StatusTooManyRequests], "passwords_checked", failed)
}
