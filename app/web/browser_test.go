package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoso-vn/hoso/app/web"
)

// chromiumPath is Debian's chromium, installed by scripts/install-deps.sh.
const chromiumPath = "/usr/bin/chromium"

// headless starts a headless Chromium with a window of width × height for
// the browser tests, torn down with the test; every step under it shares
// one 90-second budget.
func headless(t *testing.T, width, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// TestBrowser drives the console in headless Chromium as an official would:
// sign in, open the queue and a dossier, approve one suggestion and reject
// another, check the citizen's inbox (on the dossier page and through the
// API) and the audit log. It saves the dossier page's screenshot; with
// HOSO_UPDATE_SCREENSHOT=1 it writes docs/screenshot-dossier.png.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("chromium not installed at %s (run scripts/install-deps.sh): skipping the browser test", chromiumPath)
	}
	t.Parallel()
	e := newEnv(t, func(c *web.Config, _ *web.Deps) { c.AuditSampleRate = 1 })
	srv := e.mountAPI(t)

	ctx := headless(t, 1366, 900)

	base := srv.URL
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	textOf := func(step string, sel chromedp.CSS) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("%s: read %s: %v", step, sel, err)
		}
		return s
	}
	var text string

	do("sign in",
		chromedp.Navigate(base+"/console/queue"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), "an.nguyen"),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`table.queue`)),
	)
	text = textOf("read", chromedp.CSS(`table.queue`))
	// an.nguyen is an administrator: the queue spans every agency.
	if !strings.Contains(text, dossierA) || !strings.Contains(text, "Mẫu kiểm tra") || !strings.Contains(text, dossierB) ||
		!strings.Contains(text, "UBND phường Đa Kao") {
		t.Fatalf("queue shows:\n%s", text)
	}

	sel := func(id, rest string) string { return `[id="` + id + `"] ` + rest }
	do("open the dossier",
		chromedp.Click(chromedp.CSS(`a.dossier-link[href$="`+dossierA+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#docs-h`)),
	)
	text = textOf("read", chromedp.CSS(`main`))
	for _, want := range []string{"Giấy chứng sinh", "NGUYỄN MINH KHANG", "Người đi đăng ký khai sinh nộp tờ khai", "Rủi ro cao"} {
		if !strings.Contains(text, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}

	s1, s2 := "s-"+suggOK, "s-"+suggBad
	do("approve a suggestion",
		chromedp.Click(chromedp.CSS(sel(s1, `details:nth-of-type(1) summary`))),
		chromedp.SendKeys(chromedp.CSS(`[id="ap-reason-`+suggOK+`"]`), "Đủ căn cứ Điều 9"),
		chromedp.Click(chromedp.CSS(sel(s1, `button.approve`))),
		chromedp.WaitVisible(chromedp.CSS(sel(s1, `.st-approved`))),
	)
	text = textOf("read", chromedp.CSS(sel(s1, `h3`)))
	if !strings.Contains(text, "Đã duyệt") {
		t.Fatalf("after approval the suggestion reads %q", text)
	}
	do("reject another",
		chromedp.Click(chromedp.CSS(sel(s2, `details:nth-of-type(3) summary`))),
		chromedp.SendKeys(chromedp.CSS(`[id="rj-reason-`+suggBad+`"]`), "Đã liên hệ trực tiếp với công dân"),
		chromedp.Click(chromedp.CSS(sel(s2, `button.reject`))),
		chromedp.WaitVisible(chromedp.CSS(sel(s2, `.st-rejected`))),
	)
	text = textOf("read", chromedp.CSS(sel(s2, `h3`)))
	if !strings.Contains(text, "Đã từ chối") {
		t.Fatalf("after rejection the suggestion reads %q", text)
	}

	text = textOf("citizen inbox on the dossier page", chromedp.CSS(`#inbox`))
	if !strings.Contains(text, "Đề nghị ông/bà bổ sung bản sao") || strings.Contains(text, "không khớp") {
		t.Fatalf("citizen inbox section:\n%s", text)
	}

	do("scroll to the top", chromedp.ScrollIntoView(chromedp.CSS(`header.top`)))
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	out := filepath.Join(t.TempDir(), "screenshot-dossier.png")
	if os.Getenv("HOSO_UPDATE_SCREENSHOT") == "1" {
		out = filepath.Join("..", "..", "docs", "screenshot-dossier.png")
		_ = os.MkdirAll(filepath.Dir(out), 0o755)
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("dossier page screenshot: %s (%d bytes)", out, len(shot))

	do("citizen inbox through the API",
		chromedp.Navigate(base+"/api/v1/citizens/cd-079200001234/inbox"),
	)
	text = textOf("read", chromedp.CSS(`body`))
	if !strings.Contains(text, suggOK) || strings.Contains(text, suggBad) {
		t.Fatalf("API inbox:\n%s", text)
	}

	do("audit log",
		chromedp.Navigate(base+"/console/audit"),
		chromedp.WaitVisible(chromedp.CSS(`#chain-ok`)),
	)
	text = textOf("read", chromedp.CSS(`table.audit`))
	for _, want := range []string{"suggestion.approve", "suggestion.reject", "dossier.view", "auth.sign_in", suggOK} {
		if !strings.Contains(text, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}

	do("English switch",
		chromedp.Click(chromedp.CSS(`a[hreflang=en]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chain-ok`)),
	)
	text = textOf("read", chromedp.CSS(`h1`))
	if text != "Audit log" {
		t.Fatalf("English heading %q", text)
	}
}
