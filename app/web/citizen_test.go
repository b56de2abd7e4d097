package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoso-vn/hoso/app/web"
	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/citizen"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/vault"
)

const (
	citizenA       = "cd-079200001234"
	dossierDecided = "hs-01JDEMO0000000000000000D"
)

// citizenEnv is the seeded console with a citizen service on real
// JetStream, one approved message (and one left pending), one approved
// proactive suggestion, one decided dossier and one vault record.
func citizenEnv(t *testing.T) (*env, *broker.Broker) {
	t.Helper()
	b, _ := brokertest.New(t)
	var svc *citizen.Service
	e := newEnv(t, func(_ *web.Config, d *web.Deps) {
		svc = &citizen.Service{Pool: d.Pool, Notifier: citizen.BrokerNotifier{Broker: b}}
		d.Citizens = svc
	})
	ctx := context.Background()
	// The explanation ties an approved suggestion to its finding by key.
	exec(t, e.pool, `UPDATE suggestions SET key = 'request_missing:marriage' WHERE id = $1`, suggOK)
	rv := &review.Service{Pool: e.pool}
	an := review.Actor{ID: "an.nguyen", Agency: agencyA, Roles: []string{"reviewer", "approver", "admin"}}
	binh := review.Actor{ID: "binh.tran", Agency: agencyA, Roles: []string{"approver"}}
	if _, err := rv.Approve(ctx, suggOK, an, "Đủ căn cứ", nil); err != nil {
		t.Fatal(err)
	}
	// suggHigh is high risk: two approvers; it is made proactive below.
	if _, err := rv.Approve(ctx, suggHigh, an, "ok", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := rv.Approve(ctx, suggHigh, binh, "ok", nil); err != nil {
		t.Fatal(err)
	}
	exec(t, e.pool, `INSERT INTO trigger_suggestions (suggestion_id, rule_id, event_id, citizen_id) VALUES ($1, 'birth-residence', 'ev-1', $2)`, suggHigh, citizenA)
	exec(t, e.pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage) VALUES
		($1, '1.001193', $2, $3, '2026-02-23 02:00:00+00', 'accepted', 'done')`, dossierDecided, citizenA, agencyA)
	exec(t, e.pool, `INSERT INTO dossier_acceptances (dossier_id, accepted_by, accepted_at) VALUES ($1, 'an.nguyen', '2026-02-25 03:00:00+00')`, dossierDecided)
	until := time.Date(2031, 5, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := vault.New(e.pool).Register(ctx, vault.Record{OwnerID: citizenA, Type: "cccd", Title: "Căn cước công dân",
		Source: "registry:co-so-du-lieu-dan-cu", SourceRef: "cc-1", VerifiedBy: "registry:co-so-du-lieu-dan-cu", ValidUntil: &until}); err != nil {
		t.Fatal(err)
	}
	return e, b
}

// lastCode reads the sign-in message sent on the citizen's subject.
func lastCode(t *testing.T, b *broker.Broker, id string) citizen.Message {
	t.Helper()
	ctx := context.Background()
	st, err := b.JS.Stream(ctx, b.Names.NotifyStream())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := st.GetLastMsgForSubject(ctx, b.Names.NotifySubject(id))
	if err != nil {
		t.Fatalf("no message on %s: %v", b.Names.NotifySubject(id), err)
	}
	var m citizen.Message
	if err := json.Unmarshal(raw.Data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCitizenBrowser drives the citizen page in headless Chromium on a
// 390 px phone: sign in with the code sent on HOSO.notify.<citizen>, read
// dossiers with their due dates, the approved message (never the pending
// one) with its legal basis, accept a proactive suggestion, rate a decided
// dossier with one tap, see the vault, and nothing overflows sideways.
// With HOSO_UPDATE_SCREENSHOT=1 it writes docs/screenshot-citizen.png.
func TestCitizenBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("chromium not installed at %s (run scripts/install-deps.sh): skipping the browser test", chromiumPath)
	}
	t.Parallel()
	e, b := citizenEnv(t)
	srv := e.mountAPI(t)

	ctx := headless(t, 390, 844)
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	textOf := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	noOverflow := func(step string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 390 {
			t.Errorf("%s: the page is %d px wide on a 390 px phone", step, w)
		}
	}

	do("ask for a code",
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(srv.URL+"/citizen"),
		chromedp.WaitVisible(chromedp.CSS(`#cz-id`)),
		chromedp.SendKeys(chromedp.CSS(`#cz-id`), citizenA),
		chromedp.Click(chromedp.CSS(`#cz-send`)),
		chromedp.WaitVisible(chromedp.CSS(`#cz-code`)),
	)
	if s := textOf(`#cz-sent`); !strings.Contains(s, "Đã gửi mã") {
		t.Fatalf("after sending: %q", s)
	}
	noOverflow("code form")
	m := lastCode(t, b, citizenA)
	// Keyboard only: type the code and press Enter.
	do("type the code",
		chromedp.SendKeys(chromedp.CSS(`#cz-code`), m.Code+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`#dossiers-h`)),
	)
	page := textOf(`main`)
	for _, want := range []string{
		"Đăng ký khai sinh", dossierA, "Hạn giải quyết", "05/03/2026", // 3 working days from Mon 2 March 09:00
		"Đề nghị ông/bà bổ sung bản sao Giấy chứng nhận kết hôn", // approved
		"Căn cứ", "123/2015/NĐ-CP", // its legal basis
		"Đã có kết quả", "Căn cước công dân", "Cơ sở dữ liệu co-so-du-lieu-dan-cu", "01/05/2031",
		"Gợi ý chủ động", "Tải dữ liệu (JSON)",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("citizen page lacks %q", want)
		}
	}
	if strings.Contains(page, "không khớp") { // suggBad is still pending: never shown
		t.Errorf("the page shows a suggestion no official approved:\n%s", page)
	}
	noOverflow("citizen page")
	// Accessibility: every form control has a label (or an accessible
	// name), every button has a name, and the page has one main landmark.
	unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('input:not([type=hidden]), textarea, select, button'))
		.filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
		.map(el => el.outerHTML.slice(0, 80))`))
	if err != nil || len(unlabelled) > 0 {
		t.Errorf("controls without a label: %v %v", unlabelled, err)
	}
	// Keyboard: the rating buttons are reachable and each says what it does.
	names, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.cz-star')).map(b => b.tabIndex + ':' + b.getAttribute('aria-label'))`))
	if err != nil || len(names) != 5 || names[4] != "0:5 trên 5" {
		t.Errorf("rating buttons %v %v", names, err)
	}

	do("scroll to the top", chromedp.ScrollIntoView(chromedp.CSS(`header`)))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(t.TempDir(), "screenshot-citizen.png")
	if os.Getenv("HOSO_UPDATE_SCREENSHOT") == "1" {
		out = filepath.Join("..", "..", "docs", "screenshot-citizen.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("citizen page screenshot: %s (%d bytes)", out, len(shot))

	var itemID int64
	if err := e.pool.QueryRow(context.Background(), `SELECT id FROM citizen_inbox WHERE suggestion_id = $1`, suggHigh).Scan(&itemID); err != nil {
		t.Fatal(err)
	}
	do("accept the proactive suggestion",
		chromedp.Click(chromedp.CSS(`[id="accept-`+itoa(itemID)+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#flash`)),
	)
	if s := textOf(`#flash`); !strings.Contains(s, "đồng ý") {
		t.Fatalf("after accepting: %q", s)
	}
	do("rate the decided dossier with one tap",
		chromedp.SendKeys(chromedp.CSS(`[id="cm-`+dossierDecided+`"]`), "Cán bộ hướng dẫn tận tình"),
		chromedp.Click(chromedp.CSS(`[id="d-`+dossierDecided+`"] button[value="5"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[id="rated-`+dossierDecided+`"]`)),
	)
	if s := textOf(`[id="rated-` + dossierDecided + `"]`); !strings.Contains(s, "5/5") {
		t.Fatalf("after rating: %q", s)
	}
	var score int
	var comment string
	if err := e.pool.QueryRow(context.Background(), `SELECT score, comment FROM satisfaction_ratings WHERE dossier_id = $1`, dossierDecided).Scan(&score, &comment); err != nil || score != 5 || comment != "Cán bộ hướng dẫn tận tình" {
		t.Fatalf("stored rating %d %q %v", score, comment, err)
	}

	do("English",
		chromedp.Click(chromedp.CSS(`a[hreflang=en]`)),
		chromedp.WaitVisible(chromedp.CSS(`#dossiers-h`)),
	)
	if s := textOf(`#dossiers-h`); s != "My dossiers" {
		t.Fatalf("English heading %q", s)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestCitizenLinkAndExport: the sign-in link works once (after a button, so
// that a link preview cannot use it), the page's session reaches the
// citizen's own export in the existing API and nothing else, and a wrong
// code is refused in words.
func TestCitizenLinkAndExport(t *testing.T) {
	t.Parallel()
	e, b := citizenEnv(t)
	srv := e.mountAPI(t)
	br := e.browser(t)
	br.base = srv.URL

	token := br.csrf("/citizen/login")
	if code, body := br.post("/citizen/login", url.Values{"csrf": {token}, "citizen_id": {citizenA}}); code != http.StatusOK || !strings.Contains(body, "Đã gửi mã") {
		t.Fatalf("request a code: %d\n%s", code, body)
	}
	m := lastCode(t, b, citizenA)
	tok := strings.TrimPrefix(m.Link, "/citizen/verify?t=")

	t.Run("WrongCode", func(t *testing.T) {
		br2 := e.browser(t)
		br2.base = srv.URL
		ct := br2.csrf("/citizen/login")
		code, body := br2.post("/citizen/code", url.Values{"csrf": {ct}, "citizen_id": {citizenA}, "code": {"12345x"}})
		if code != http.StatusUnauthorized || !strings.Contains(body, "Mã không đúng hoặc đã hết hạn") {
			t.Fatalf("wrong code: %d\n%s", code, body)
		}
	})

	// GET shows a button; it does not sign in.
	code, body := br.get("/citizen/verify?t=" + url.QueryEscape(tok))
	if code != http.StatusOK || br.cookie("hoso_citizen") != "" {
		t.Fatalf("following the link: %d, cookie %q", code, br.cookie("hoso_citizen"))
	}
	ct := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)[1]
	if code, _ := br.post("/citizen/verify", url.Values{"csrf": {ct}, "t": {tok}}); code != http.StatusSeeOther || br.cookie("hoso_citizen") == "" {
		t.Fatalf("sign in by link: %d", code)
	}
	if code, body := br.get("/citizen"); code != http.StatusOK || !strings.Contains(body, dossierA) {
		t.Fatalf("citizen page: %d", code)
	}

	get := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "hoso_citizen", Value: br.cookie("hoso_citizen")})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	t.Run("OwnExport", func(t *testing.T) {
		code, body := get("/api/v1/citizens/" + citizenA + "/vault/export")
		if code != http.StatusOK || !strings.Contains(body, `"citizen_id": "`+citizenA+`"`) || !strings.Contains(body, "Căn cước công dân") {
			t.Fatalf("export: %d\n%.400s", code, body)
		}
	})
	t.Run("NotSomeoneElses", func(t *testing.T) {
		for _, p := range []string{"/api/v1/citizens/cd-001300009999/vault/export", "/api/v1/citizens/cd-001300009999/inbox", "/api/v1/dossiers", "/api/v1/dossiers/" + dossierA} {
			if code, _ := get(p); code != http.StatusUnauthorized {
				t.Errorf("%s with a citizen session: %d, want 401", p, code)
			}
		}
	})
	t.Run("LinkSingleUse", func(t *testing.T) {
		br3 := e.browser(t)
		br3.base = srv.URL
		_, body := br3.get("/citizen/verify?t=" + url.QueryEscape(tok))
		ct := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)[1]
		if code, body := br3.post("/citizen/verify", url.Values{"csrf": {ct}, "t": {tok}}); code != http.StatusUnauthorized || !strings.Contains(body, "đã được dùng") {
			t.Fatalf("second use of the link: %d\n%s", code, body)
		}
	})
	t.Run("RateNeedsCSRF", func(t *testing.T) {
		if code, _ := br.post("/citizen/dossiers/"+dossierDecided+"/rating", url.Values{"score": {"5"}}); code != http.StatusForbidden {
			t.Fatalf("rating without CSRF: %d", code)
		}
	})
	t.Run("RateUndecided", func(t *testing.T) {
		ct := br.csrf("/citizen")
		if code, body := br.post("/citizen/dossiers/"+dossierA+"/rating", url.Values{"csrf": {ct}, "score": {"4"}}); code != http.StatusConflict || !strings.Contains(body, "chưa có quyết định") {
			t.Fatalf("rating an undecided dossier: %d\n%s", code, body)
		}
	})
}
