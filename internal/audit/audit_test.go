package audit_test

import (
	"context"
	"testing"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
)

func TestVerify(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, _ := postgrestest.New(t)
	for i, a := range []string{"suggestion.approve", "suggestion.reject", "dossier.view"} {
		err := audit.Record(ctx, pool, audit.Entry{
			Actor: "cb-01", Action: a, Entity: "suggestion", EntityID: "s1",
			Before: map[string]any{"status": "pending_review", "n": i},
			After:  map[string]any{"status": "approved", "text": "Bổ sung Giấy chứng sinh"},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n, problems, err := audit.Verify(ctx, pool)
	if err != nil || n != 3 || len(problems) != 0 {
		t.Fatalf("intact chain: n=%d problems=%v err=%v", n, problems, err)
	}

	t.Run("EditedRow", func(t *testing.T) {
		if _, err := pool.Exec(ctx, `UPDATE audit_log SET after = '{"status":"rejected"}' WHERE seq = (SELECT min(seq)+1 FROM audit_log)`); err != nil {
			t.Fatal(err)
		}
		_, problems, err := audit.Verify(ctx, pool)
		if err != nil || len(problems) != 1 {
			t.Fatalf("edited chain: problems=%v err=%v", problems, err)
		}
	})
	t.Run("DeletedRow", func(t *testing.T) {
		if _, err := pool.Exec(ctx, `DELETE FROM audit_log WHERE seq = (SELECT min(seq) FROM audit_log)`); err != nil {
			t.Fatal(err)
		}
		_, problems, err := audit.Verify(ctx, pool)
		if err != nil || len(problems) == 0 {
			t.Fatalf("deleted row not detected: %v %v", problems, err)
		}
	})
}
