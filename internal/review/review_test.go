package review_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
)

const agency = "ubnd-phuong-ben-nghe"

// fixture is a fresh schema with one dossier of agency, its officials and
// a review service.
type fixture struct {
	t    *testing.T
	pool *pgxpool.Pool
	rv   *review.Service
	n    int
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pool, _ := postgrestest.New(t)
	f := &fixture{t: t, pool: pool, rv: &review.Service{Pool: pool}}
	f.exec(`INSERT INTO dossiers (id, procedure_code, applicant_id, agency, submitted_at, status, stage)
		VALUES ('hs-review', '1.001193', 'cd-079200001234', $1, now(), 'prechecked', 'done')`, agency)
	users := auth.NewStore(pool)
	for _, u := range []auth.User{
		{ID: "an.nguyen", Name: "Nguyễn Thị An", Agency: agency, Roles: []string{"approver"}},
		{ID: "binh.tran", Name: "Trần Văn Bình", Agency: agency, Roles: []string{"approver"}},
		{ID: "chi.vo", Name: "Võ Chi", Agency: agency, Roles: []string{"approver"}},
		{ID: "cuong.le", Name: "Lê Quốc Cường", Agency: agency, Roles: []string{"reviewer"}},
		{ID: "dung.pham", Name: "Phạm Dũng", Agency: "ubnd-phuong-da-kao", Roles: []string{"approver"}},
		{ID: "em.khoa", Name: "Khóa Em", Agency: agency, Roles: []string{"approver"}},
	} {
		if _, err := users.AddUser(context.Background(), u, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := users.UpdateUser(context.Background(), "em.khoa", []string{"approver"}, true); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.pool.Exec(context.Background(), sql, args...); err != nil {
		f.t.Fatalf("%v\n%s", err, sql)
	}
}

// suggestion inserts a pending suggestion of the given risk.
func (f *fixture) suggestion(risk string) string {
	f.n++
	id := fmt.Sprintf("hs-review-s-%d", f.n)
	f.exec(`INSERT INTO suggestions (id, dossier_id, key, citizen_id, kind, text, risk)
		VALUES ($1, 'hs-review', $1, 'cd-079200001234', 'linked_procedure', 'Văn bản gốc do hệ thống soạn.', $2)`, id, risk)
	return id
}

func (f *fixture) inbox(id string) (text string, n int) {
	f.t.Helper()
	_ = f.pool.QueryRow(context.Background(), `SELECT coalesce(max(text), ''), count(*) FROM citizen_inbox WHERE suggestion_id = $1`, id).Scan(&text, &n)
	return text, n
}

func approver(id string) review.Actor {
	return review.Actor{ID: id, Agency: agency, Roles: []string{review.RoleApprover}}
}

func ptr(s string) *string { return &s }

// TestApproveWithNewTextRestartsFourEyes: the second approver of a
// high-risk suggestion rewrites its text while approving. The first
// approver never saw those words, so the approval is the first of the new
// text, nothing reaches the citizen, and only another approver's approval
// of the new text sends it.
func TestApproveWithNewTextRestartsFourEyes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.suggestion("high")
	if sg, err := f.rv.Approve(ctx, id, approver("an.nguyen"), "", nil); err != nil || sg.Status != dossier.SuggestionPending {
		t.Fatalf("first approval: %+v, %v", sg, err)
	}
	rewritten := "Văn bản do người duyệt thứ hai viết lại, người duyệt thứ nhất chưa đọc."
	sg, err := f.rv.Approve(ctx, id, approver("binh.tran"), "", ptr(rewritten))
	if err != nil {
		t.Fatal(err)
	}
	if sg.Status != dossier.SuggestionPending || sg.Text != rewritten {
		t.Fatalf("approval with a new text sent it on one approval of that text: %+v", sg)
	}
	if _, n := f.inbox(id); n != 0 {
		t.Fatal("the rewritten text reached the citizen's inbox")
	}
	// The same rewriter cannot count twice for the new text.
	if _, err := f.rv.Approve(ctx, id, approver("binh.tran"), "", nil); dossier.ErrorCode(err) != dossier.CodeConflict {
		t.Fatalf("rewriter approving again: %v, want conflict", err)
	}
	// The first approver reads the new text and approves it: sent.
	sg, err = f.rv.Approve(ctx, id, approver("an.nguyen"), "", nil)
	if err != nil || sg.Status != dossier.SuggestionApproved {
		t.Fatalf("second approval of the new text: %+v, %v", sg, err)
	}
	if text, n := f.inbox(id); n != 1 || text != rewritten {
		t.Fatalf("inbox %d %q", n, text)
	}

	t.Run("SameTextKeepsApprovals", func(t *testing.T) {
		id := f.suggestion("high")
		if _, err := f.rv.Approve(ctx, id, approver("an.nguyen"), "", nil); err != nil {
			t.Fatal(err)
		}
		// The same words (as a browser sends them, CRLF and spaces) are not
		// a change.
		sg, err := f.rv.Approve(ctx, id, approver("binh.tran"), "", ptr("  Văn bản gốc do hệ thống soạn.\r\n"))
		if err != nil || sg.Status != dossier.SuggestionApproved {
			t.Fatalf("%+v, %v", sg, err)
		}
	})
	t.Run("NormalRiskSendsTheEditedText", func(t *testing.T) {
		id := f.suggestion("normal")
		sg, err := f.rv.Approve(ctx, id, approver("an.nguyen"), "", ptr("Nội dung đã sửa."))
		if err != nil || sg.Status != dossier.SuggestionApproved {
			t.Fatalf("%+v, %v", sg, err)
		}
		if text, _ := f.inbox(id); text != "Nội dung đã sửa." {
			t.Fatalf("inbox %q", text)
		}
	})
}

// TestDecidersMustBeRealOfficials: every decision is checked against the
// account table, whatever the caller claims in the Actor: a name that is no
// account, a disabled account, a reviewer claiming to approve, an official
// of another agency. Four-eyes counts only approvals of accounts that may
// still approve.
func TestDecidersMustBeRealOfficials(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	admin := []string{review.RoleApprover, review.RoleAdmin} // what the CLI used to claim
	cases := []struct {
		name string
		by   review.Actor
		code dossier.Code
		// approveOnly: the account may reject and edit (a reviewer), only
		// approving is beyond it.
		approveOnly bool
	}{
		{"Unknown", review.Actor{ID: "nguoi-khong-ton-tai", Roles: admin}, dossier.CodeForbidden, false},
		{"Empty", review.Actor{Roles: admin}, dossier.CodeInvalid, false},
		{"Disabled", review.Actor{ID: "em.khoa", Agency: agency, Roles: admin}, dossier.CodeForbidden, false},
		{"ReviewerClaimingAdmin", review.Actor{ID: "cuong.le", Agency: agency, Roles: admin}, dossier.CodeForbidden, true},
		{"OtherAgencyClaimingThisOne", review.Actor{ID: "dung.pham", Agency: agency, Roles: []string{review.RoleApprover}}, dossier.CodeForbidden, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id := f.suggestion("high")
			if _, err := f.rv.Approve(ctx, id, c.by, "", nil); dossier.ErrorCode(err) != c.code {
				t.Errorf("approve: %v, want %s", err, c.code)
			}
			var appr string
			_ = f.pool.QueryRow(ctx, `SELECT approvals::text FROM suggestions WHERE id = $1`, id).Scan(&appr)
			if appr != "[]" {
				t.Errorf("approvals recorded: %s", appr)
			}
			if c.approveOnly {
				return
			}
			if _, err := f.rv.Reject(ctx, id, c.by, "không cần"); dossier.ErrorCode(err) != c.code {
				t.Errorf("reject: %v, want %s", err, c.code)
			}
			if _, err := f.rv.Edit(ctx, id, c.by, "chữ khác"); dossier.ErrorCode(err) != c.code {
				t.Errorf("edit: %v, want %s", err, c.code)
			}
		})
	}

	t.Run("TwoRealApproversSend", func(t *testing.T) {
		id := f.suggestion("high")
		if _, err := f.rv.Approve(ctx, id, approver("an.nguyen"), "", nil); err != nil {
			t.Fatal(err)
		}
		sg, err := f.rv.Approve(ctx, id, approver("binh.tran"), "", nil)
		if err != nil || sg.Status != dossier.SuggestionApproved {
			t.Fatalf("%+v, %v", sg, err)
		}
		var actors []string
		rows, _ := f.pool.Query(ctx, `SELECT actor FROM audit_log WHERE entity_id = $1 ORDER BY seq`, id)
		for rows.Next() {
			var a string
			_ = rows.Scan(&a)
			actors = append(actors, a)
		}
		rows.Close()
		if fmt.Sprint(actors) != "[an.nguyen binh.tran]" {
			t.Fatalf("audit names %v", actors)
		}
	})
	t.Run("ApprovalOfADisabledAccountDoesNotCount", func(t *testing.T) {
		id := f.suggestion("high")
		if _, err := f.rv.Approve(ctx, id, approver("chi.vo"), "", nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := auth.NewStore(f.pool).UpdateUser(ctx, "chi.vo", []string{"approver"}, true); err != nil {
			t.Fatal(err)
		}
		sg, err := f.rv.Approve(ctx, id, approver("an.nguyen"), "", nil)
		if err != nil || sg.Status != dossier.SuggestionPending {
			t.Fatalf("a disabled account's approval counted: %+v, %v", sg, err)
		}
		// A forged approval written straight into the record does not count
		// either.
		f.exec(`UPDATE suggestions SET approvals = approvals || '[{"by":"nguoi-khong-ton-tai","at":"2026-01-01T00:00:00Z"}]' WHERE id = $1`, id)
		sg, err = f.rv.Approve(ctx, id, approver("binh.tran"), "", nil)
		if err != nil || sg.Status != dossier.SuggestionApproved {
			t.Fatalf("%+v, %v", sg, err)
		}
		var appr string
		_ = f.pool.QueryRow(ctx, `SELECT approvals::text FROM suggestions WHERE id = $1`, id).Scan(&appr)
		if want := `"by": "nguoi-khong-ton-tai"`; strings.Contains(appr, want) || strings.Contains(appr, `"chi.vo"`) {
			t.Fatalf("approvals keep approvals that do not count: %s", appr)
		}
	})
}
