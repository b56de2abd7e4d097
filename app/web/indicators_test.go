package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hoso-vn/hoso/internal/indicators"
)

// seedIndicators adds six months (October 2025 to March 2026) of work at
// the two seeded agencies: dossiers, pre-checks, reused documents,
// decisions, officials' decisions on suggestions, audits and ratings, in
// proportions that vary by month.
func seedIndicators(t *testing.T, e *env) {
	t.Helper()
	start := time.Date(2025, 10, 6, 2, 0, 0, 0, time.UTC) // a Monday, 09:00 in Hà Nội
	n := 0
	for m := range 6 {
		for ag, agency := range []string{agencyA, agencyB} {
			count := 6 + m + 3*ag
			for i := range count {
				n++
				id := fmt.Sprintf("hs-ind-%03d", n)
				at := start.AddDate(0, m, i%20)
				if at.Month() != start.AddDate(0, m, 0).Month() {
					at = start.AddDate(0, m, 0)
				}
				exec(t, e.pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
					VALUES ($1, '1.001193', $2, $3, $4, 'prechecked', 'done')`, id, fmt.Sprintf("0011950%05d", n), agency, at)
				if i%7 != 6 || m > 3 {
					exec(t, e.pool, `INSERT INTO stage_runs (dossier_id, stage, input_hash, started_at) VALUES ($1, 'check', 'x', $2)`, id, at)
				}
				reuse := "present"
				if (i+m)%3 != 0 {
					reuse = "satisfied_by_reuse"
				}
				exec(t, e.pool, `INSERT INTO findings (dossier_id, key, kind, requirement, status) VALUES
					($1, 'a', 'completeness', 'Tờ khai', 'present'), ($1, 'b', 'completeness', 'Giấy chứng sinh', $2),
					($1, 'c', 'completeness', 'CCCD', 'satisfied_by_reuse')`, id, reuse)
				if i%4 != 3 {
					days := 2
					if i%5 == 4 && m < 3 {
						days = 9
					}
					exec(t, e.pool, `INSERT INTO dossier_acceptances (dossier_id, accepted_by, accepted_at) VALUES ($1, 'an.nguyen', $2)`, id, at.Add(time.Duration(days)*24*time.Hour))
					score := 5 - (i+ag)%3
					if m >= 4 && score < 4 {
						score = 4
					}
					exec(t, e.pool, `INSERT INTO satisfaction_ratings (dossier_id, citizen_id, score, created_at) VALUES ($1, 'x', $2, $3)`, id, score, at.Add(time.Duration(days+1)*24*time.Hour))
				}
				status := "approved"
				if i%6 == 5 {
					status = "rejected"
				}
				exec(t, e.pool, `INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text, status, decided_by, decided_at)
					VALUES ($1 || '-s', $1, 'k', 'x', 'request_missing', 'Đề nghị bổ sung.', $2, 'an.nguyen', $3)`, id, status, at.Add(time.Hour))
				if i%5 == 0 {
					outcome := "agree"
					if i%10 == 0 && m < 2 {
						outcome = "disagree"
					}
					exec(t, e.pool, `INSERT INTO audit_samples (dossier_id, reviewed_by, reviewed_at, outcome) VALUES ($1, 'an.nguyen', $2, $3)`, id, at.Add(2*time.Hour), outcome)
				}
			}
		}
	}
}

// TestIndicatorsBrowser opens the indicators page as an administrator in
// headless Chromium: six indicator cards with SVG charts, the per-agency
// table, the JSON API it links to; nothing overflows at 1,366 px. With
// HOSO_UPDATE_SCREENSHOT=1 it writes docs/screenshot-indicators.png.
func TestIndicatorsBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("chromium not installed at %s (run scripts/install-deps.sh): skipping the browser test", chromiumPath)
	}
	t.Parallel()
	e := newEnv(t, nil)
	seedIndicators(t, e)
	srv := e.mountAPI(t)

	ctx := headless(t, 1366, 900)
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

	do("sign in and open the indicators",
		chromedp.Navigate(srv.URL+"/console/queue"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), "an.nguyen"),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#nav-indicators`)),
		chromedp.Click(chromedp.CSS(`#nav-indicators`)),
		chromedp.WaitVisible(chromedp.CSS(`#ind-table`)),
	)
	page := textOf(`main`)
	for _, want := range []string{"Quyết định 2629/QĐ-TTg", "Hồ sơ được AI kiểm tra trước", "Giấy tờ dùng lại", "Hồ sơ giải quyết đúng hạn",
		"Cán bộ đồng ý với đề xuất AI", "Thời gian giải quyết (trung vị)", "Người dân hài lòng", "Tất cả cơ quan", agencyA, agencyB, "Mục tiêu 80%"} {
		if !strings.Contains(page, want) {
			t.Errorf("indicators page lacks %q", want)
		}
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.chart[role=img] rect').length`))
	if err != nil || charts < 30 {
		t.Errorf("%d bars in the charts (%v), want six charts of six months", charts, err)
	}
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 1366 {
		t.Errorf("page is %d px wide at 1,366 px", w)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "screenshot-indicators.png")
	if os.Getenv("HOSO_UPDATE_SCREENSHOT") == "1" {
		out = filepath.Join("..", "..", "docs", "screenshot-indicators.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("indicators screenshot: %s (%d bytes)", out, len(shot))

	do("one agency",
		chromedp.Navigate(srv.URL+"/console/indicators?month=2026-02&agency="+strings.ReplaceAll(agencyB, " ", "+")),
		chromedp.WaitVisible(chromedp.CSS(`#ind-table`)),
	)
	if s := textOf(`#ind-precheck`); !strings.Contains(s, "100%") {
		t.Errorf("agency B in February (every dossier pre-checked): %q", s)
	}

	do("the JSON API", chromedp.Navigate(srv.URL+"/api/v1/indicators?from=2025-10&to=2026-03"))
	var rep indicators.Report
	if err := json.Unmarshal([]byte(textOf(`body`)), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Months) != 6 || len(rep.Overall) != 6 || rep.Overall[0].Dossiers != 6+9 || len(rep.Agencies) != 12 {
		t.Fatalf("API report: months %v, overall %d (Oct %d dossiers), agencies %d", rep.Months, len(rep.Overall), rep.Overall[0].Dossiers, len(rep.Agencies))
	}
}

// TestIndicatorsAdminOnly: a reviewer gets 403 on the page and the API.
func TestIndicatorsAdminOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	srv := e.mountAPI(t)
	b := e.browser(t)
	b.base = srv.URL
	b.signIn("cuong.le")
	if code, _ := b.get("/console/indicators"); code != http.StatusForbidden {
		t.Errorf("page for a reviewer: %d", code)
	}
	if code, _ := b.get("/api/v1/indicators"); code != http.StatusForbidden {
		t.Errorf("API for a reviewer: %d", code)
	}
	b2 := e.browser(t)
	b2.base = srv.URL
	b2.signIn("an.nguyen")
	if code, body := b2.get("/console/indicators?month=2026-3"); code != http.StatusBadRequest || !strings.Contains(body, "YYYY-MM") {
		t.Errorf("bad month: %d", code)
	}
	if code, body := b2.get("/api/v1/indicators?from=2026-03&to=2025-01"); code != http.StatusBadRequest || !strings.Contains(body, "to is before from") {
		t.Errorf("API with to before from: %d %s", code, body)
	}
}
