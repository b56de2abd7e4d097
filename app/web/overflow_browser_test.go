package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserNoHorizontalScroll opens the console's pages in headless
// Chromium at 1,024 and 1,400 px and checks that nothing is wider than the
// window (document.documentElement.scrollWidth ≤ innerWidth): a long
// procedure name made the queue 2,392 px wide. At 1,400 px it screenshots
// the dossier page; HOSO_UPDATE_SCREENSHOT=1 writes
// docs/screenshot-dossier.png.
func TestBrowserNoHorizontalScroll(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("chromium not installed at %s (run scripts/install-deps.sh): skipping the browser test", chromiumPath)
	}
	t.Parallel()
	e := newEnv(t, nil)
	seedBusy(t, e.pool)
	pages := []string{
		"/console/queue?status=all",
		"/console/queue?status=all&procedure=1.013225",
		"/console/dossiers/" + dossierBusy,
		"/console/dossiers/" + dossierA,
		"/console/users",
		"/console/agencies",
		"/console/audit",
		"/console/khong-co",
	}
	for _, width := range []int{1024, 1400} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			ctx := headless(t, width, 900, chromedp.Flag("hide-scrollbars", true))
			if err := chromedp.Do(ctx,
				chromedp.Navigate(e.srv.URL+"/console/queue"),
				chromedp.WaitVisible(chromedp.CSS(`#username`)),
				chromedp.SendKeys(chromedp.CSS(`#username`), "an.nguyen"),
				chromedp.SendKeys(chromedp.CSS(`#password`), password),
				chromedp.Click(chromedp.CSS(`#login-submit`)),
				chromedp.WaitVisible(chromedp.CSS(`table.queue`)),
			); err != nil {
				t.Fatalf("sign in: %v", err)
			}
			for _, p := range pages {
				if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+p), chromedp.WaitVisible(chromedp.CSS(`footer.foot`))); err != nil {
					t.Fatalf("open %s: %v", p, err)
				}
				dims, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ Scroll, Inner int }](`({Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth})`))
				if err != nil {
					t.Fatalf("measure %s: %v", p, err)
				}
				if dims.Inner == 0 || dims.Scroll > dims.Inner {
					wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join('; ')`))
					t.Errorf("%s at %d px: scrollWidth %d > innerWidth %d; wide: %s", p, width, dims.Scroll, dims.Inner, wide)
				}
			}
			if width != 1400 {
				return
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/console/dossiers/"+dossierBusy), chromedp.WaitVisible(chromedp.CSS(`#findings-h`))); err != nil {
				t.Fatalf("open the dossier page: %v", err)
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			out := filepath.Join(t.TempDir(), "screenshot-dossier.png")
			if os.Getenv("HOSO_UPDATE_SCREENSHOT") == "1" {
				out = filepath.Join("..", "..", "docs", "screenshot-dossier.png")
			}
			if err := os.WriteFile(out, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("dossier page at 1,400 px: %s (%d bytes)", out, len(shot))
		})
	}
}
