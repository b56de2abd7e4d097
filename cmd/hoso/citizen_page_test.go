package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/citizen"
)

// TestServeCitizenSignIn: as `hoso serve` assembles it, asking for a code
// on /citizen/login publishes it on the running system's
// <prefix>.notify.<citizen> (JetStream), and that code opens the page.
func TestServeCitizenSignIn(t *testing.T) {
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
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveHTTP(ctx, e, svc, listen{Addr: "127.0.0.1:0"}, func(name, a string) {
			if name == "http" {
				addr <- a
			}
		})
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
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

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	do := func(method, path string, form url.Values) (int, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if method == http.MethodGet {
			resp, err = c.Get(base + path)
		} else {
			resp, err = c.PostForm(base+path, form)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	const id = "001195012345"
	_, body := do(http.MethodGet, "/citizen/login", nil)
	token := csrf.FindStringSubmatch(body)[1]
	if code, body := do(http.MethodPost, "/citizen/login", url.Values{"csrf": {token}, "citizen_id": {id}}); code != http.StatusOK || !strings.Contains(body, "Đã gửi mã") {
		t.Fatalf("ask for a code: %d\n%s", code, body)
	}
	st, err := svc.Broker.JS.Stream(context.Background(), svc.Broker.Names.NotifyStream())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := st.GetLastMsgForSubject(context.Background(), svc.Broker.Names.NotifySubject(id))
	if err != nil {
		t.Fatalf("no code on %s: %v", svc.Broker.Names.NotifySubject(id), err)
	}
	var m citizen.Message
	if err := json.Unmarshal(raw.Data, &m); err != nil || m.Kind != citizen.NotificationKind || len(m.Code) != 6 {
		t.Fatalf("message %+v %v", m, err)
	}
	_, body = do(http.MethodGet, "/citizen/login", nil)
	token = csrf.FindStringSubmatch(body)[1]
	if code, body := do(http.MethodPost, "/citizen/code", url.Values{"csrf": {token}, "citizen_id": {id}, "code": {m.Code}}); code != http.StatusSeeOther {
		t.Fatalf("sign in: %d\n%s", code, body)
	}
	if code, body := do(http.MethodGet, "/citizen", nil); code != http.StatusOK || !strings.Contains(body, "Hồ sơ của tôi") {
		t.Fatalf("citizen page: %d\n%.500s", code, body)
	}
}
