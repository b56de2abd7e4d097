package indicators_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/bcrypt"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/indicators"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
)

const (
	agA = "ubnd-phuong-ba-dinh"
	agB = "ubnd-phuong-kim-ma"
)

func exec(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

// Seed is a November 2026 at two wards, written through hoso's own tables
// (and the review service for officials' decisions, so that "edited" is
// read from the audit rows review really writes).
//
// Agency A: 6 dossiers (5 pre-checked), each with 3 applicable required
// documents of which 1 reused and a fourth not applicable; 5 decided, 4 of
// them by the 3-working-day deadline; 7 suggestions decided: 4 approved as
// drafted, 2 approved after an edit, 1 rejected; 5 audited pre-checks, 1
// corrected; 6 ratings (5, 5, 4, 4, 3, 5).
// Agency B: 1 dossier in November (pre-checked), 1 in October.
func seed(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	exec(t, pool, `WITH v AS (INSERT INTO procedure_versions (code, version, source, effective_from, content_hash, doc)
			VALUES ('1.001193', 1, 'import', '2025-07-01', 'h', '{"code":"1.001193","name":"Đăng ký khai sinh","processing_days":3}') RETURNING id, doc)
		INSERT INTO procedures (code, version_id, name) SELECT '1.001193', id, doc->>'name' FROM v`)
	// Monday 2 November 2026, 09:00 in Hà Nội, plus i days.
	base := time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)
	for i := range 6 {
		id := fmt.Sprintf("HS-A%d", i)
		exec(t, pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
			VALUES ($1, '1.001193', $2, $3, $4, 'prechecked', 'done')`, id, fmt.Sprintf("00119501234%d", i), agA, base.AddDate(0, 0, i))
		if i < 5 {
			exec(t, pool, `INSERT INTO stage_runs (dossier_id, stage, input_hash, started_at) VALUES ($1, 'check', 'x', $2)`, id, base)
		}
		exec(t, pool, `INSERT INTO findings (dossier_id, key, kind, requirement, status) VALUES
			($1, 'a', 'completeness', 'Tờ khai', 'present'), ($1, 'b', 'completeness', 'Giấy chứng sinh', 'satisfied_by_reuse'),
			($1, 'c', 'completeness', 'CCCD', 'missing'), ($1, 'd', 'completeness', 'Giấy kết hôn', 'not_applicable'),
			($1, 'e', 'consistency', 'Họ tên', 'invalid')`, id)
	}
	// Decisions: four within 3 working days, the fifth 10 days later.
	for i := range 5 {
		at := base.AddDate(0, 0, i).Add(48 * time.Hour)
		if i == 4 {
			at = base.AddDate(0, 0, i+10)
		}
		exec(t, pool, `INSERT INTO dossier_acceptances (dossier_id, accepted_by, accepted_at) VALUES ($1, 'canbo', $2)`, fmt.Sprintf("HS-A%d", i), at)
	}
	exec(t, pool, `INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage) VALUES
		('HS-B1', '1.001193', '001195099991', $1, '2026-11-10 02:00:00+00', 'prechecked', 'done'),
		('HS-B0', '1.001193', '001195099990', $1, '2026-10-10 02:00:00+00', 'prechecked', 'done'),
		('HS-DRAFT', '1.001193', '001195099990', $1, '2026-11-10 02:00:00+00', 'draft', 'intake')`, agB)
	exec(t, pool, `INSERT INTO stage_runs (dossier_id, stage, input_hash, started_at) VALUES ('HS-B1', 'check', 'x', now())`)

	users := auth.NewStore(pool)
	users.Cost = bcrypt.MinCost
	if _, err := users.AddUser(ctx, auth.User{ID: "canbo", Name: "Cán bộ", Agency: agA, Roles: []string{"reviewer", "approver"}}, "mat-khau-dai-1"); err != nil {
		t.Fatal(err)
	}
	rv := &review.Service{Pool: pool}
	by := review.Actor{ID: "canbo", Agency: agA, Roles: []string{"reviewer", "approver"}}
	for i := range 7 {
		id := fmt.Sprintf("HS-A0-s%d", i)
		exec(t, pool, `INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text) VALUES ($1, 'HS-A0', $1, '001195012340', 'request_missing', 'Đề nghị bổ sung giấy tờ.')`, id)
		var err error
		switch {
		case i < 4:
			_, err = rv.Approve(ctx, id, by, "", nil)
		case i < 6:
			edited := "Đề nghị ông/bà bổ sung bản sao giấy tờ."
			_, err = rv.Approve(ctx, id, by, "", &edited)
		default:
			_, err = rv.Reject(ctx, id, by, "không cần")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	exec(t, pool, `UPDATE suggestions SET decided_at = '2026-11-20 03:00:00+00' WHERE decided_at IS NOT NULL`)
	for i := range 5 {
		outcome := "agree"
		if i == 0 {
			outcome = "disagree"
		}
		exec(t, pool, `INSERT INTO audit_samples (dossier_id, reviewed_by, reviewed_at, outcome) VALUES ($1, 'canbo', '2026-11-21 03:00:00+00', $2)`, fmt.Sprintf("HS-A%d", i), outcome)
	}
	for i, s := range []int{5, 5, 4, 4, 3, 5} {
		exec(t, pool, `INSERT INTO satisfaction_ratings (dossier_id, citizen_id, score, created_at) VALUES ($1, 'x', $2, '2026-11-25 03:00:00+00')`, fmt.Sprintf("HS-A%d", i), s)
	}
}

func TestCompute(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	seed(t, pool)
	rep, err := indicators.Compute(context.Background(), pool, "2026-10", "2026-11", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rep.Months, ",") != "2026-10,2026-11" || len(rep.Overall) != 2 {
		t.Fatalf("months %v, overall %d", rep.Months, len(rep.Overall))
	}
	nov := rep.Month("2026-11")
	if len(nov) != 3 || nov[0].Agency != indicators.Overall || nov[1].Agency != agA || nov[2].Agency != agB {
		t.Fatalf("November rows: %v", nov)
	}
	all, a := nov[0], nov[1]
	pct := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%.3f", *p)
	}
	sp := func(a ...any) string { return strings.TrimSpace(fmt.Sprintln(a...)) }
	for _, c := range []struct{ name, got, want string }{
		{"dossiers (drafts left out)", sp(all.Dossiers, all.PrecheckedByAI), "7 6"},
		{"precheck share A", pct(a.PrecheckShare), "0.833"},
		{"once-only", sp(a.RequiredDocuments, a.ReusedDocuments, pct(a.ReuseShare)), "18 6 0.333"},
		{"on time", sp(a.Decided, a.OnTime, pct(a.OnTimeShare)), "5 4 0.800"},
		{"median working hours", pct(a.MedianDecisionHours), "16.000"},
		{"agreement", sp(a.SuggestionsDecided, a.ApprovedUnchanged, a.ApprovedEdited, a.Rejected), "7 4 2 1"},
		{"corrections", sp(a.PrechecksAudited, a.FindingsCorrected), "5 1"},
		{"satisfaction", sp(a.Ratings, a.Satisfied, pct(a.SatisfactionShare), pct(a.MeanScore)), "6 5 0.833 4.333"},
		{"October B", sp(rep.Overall[0].Dossiers, rep.Overall[0].PrecheckedByAI, pct(rep.Overall[0].PrecheckShare)), "1 0 0.000"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, c.got, c.want)
		}
	}
	t.Run("OneAgency", func(t *testing.T) {
		r, err := indicators.Compute(context.Background(), pool, "2026-11", "2026-11", agB, time.Now())
		if err != nil || len(r.Agencies) != 1 || r.Agencies[0].Agency != agB || r.Overall[0].Dossiers != 7 {
			t.Fatalf("%+v %v", r.Agencies, err)
		}
	})
	t.Run("BadMonth", func(t *testing.T) {
		for _, m := range []string{"2026-13", "11/2026", ""} {
			if _, err := indicators.Compute(context.Background(), pool, m, "2026-11", "", time.Now()); err == nil || !strings.Contains(err.Error(), "YYYY-MM") {
				t.Errorf("%q: %v", m, err)
			}
		}
	})
}

// TestOpenDataSuppression: counts below 5 and any ratio that would reveal
// one are left out; no applicant id appears anywhere.
func TestOpenDataSuppression(t *testing.T) {
	t.Parallel()
	pool, _ := postgrestest.New(t)
	seed(t, pool)
	rep, err := indicators.Compute(context.Background(), pool, "2026-11", "2026-11", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var csvOut, jsonOut bytes.Buffer
	if err := indicators.WriteCSV(&csvOut, rep.Month("2026-11")); err != nil {
		t.Fatal(err)
	}
	if err := indicators.WriteJSON(&jsonOut, rep.Month("2026-11")); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "month,agency,dossiers,prechecked_by_ai,precheck_share,") {
		t.Fatalf("CSV:\n%s", csvOut.String())
	}
	// Agency A: 6 dossiers, 5 pre-checked (1 not: the complement is small,
	// so the share is suppressed); 1 rejected suppressed; ratings 6, 5
	// satisfied, share suppressed (1 unsatisfied).
	if !strings.HasPrefix(lines[2], "2026-11,"+agA+",6,5,,18,6,0.3333,5,,,16,7,,,,,5,,,6,5,,4.3333") {
		t.Errorf("agency A row:\n%s", lines[2])
	}
	// Agency B: everything below 5.
	if !strings.HasPrefix(lines[3], "2026-11,"+agB+",,,,") {
		t.Errorf("agency B row:\n%s", lines[3])
	}
	var doc struct {
		Min  int              `json:"suppression_min_count"`
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(jsonOut.Bytes(), &doc); err != nil {
		t.Fatalf("JSON: %v\n%s", err, jsonOut.String())
	}
	if doc.Min != 5 || len(doc.Rows) != 3 || doc.Rows[1]["dossiers"] != 6.0 || doc.Rows[1]["rejected"] != nil || doc.Rows[2]["dossiers"] != nil {
		t.Errorf("JSON rows: %v", doc.Rows)
	}
	for _, out := range []string{csvOut.String(), jsonOut.String()} {
		if strings.Contains(out, "00119501234") || strings.Contains(out, "HS-A") {
			t.Errorf("personal data or dossier ids in the export:\n%s", out)
		}
	}
}

func TestChartSVG(t *testing.T) {
	t.Parallel()
	v, target := 0.75, 0.8
	svg := string(indicators.Chart{ID: "c1", Title: "Tỷ lệ <dùng lại>", Labels: []string{"10/26", "11/26"}, Values: []*float64{nil, &v}, Max: 1,
		Target: &target, TargetLabel: "Mục tiêu 80%", Format: func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }}.SVG())
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-t"`, "Tỷ lệ &lt;dùng lại&gt;", "75%", "Mục tiêu 80%", "—", "<rect"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "style=") || strings.Contains(svg, "<script") {
		t.Errorf("SVG needs style or script, which the CSP refuses:\n%s", svg)
	}
}
