package deadletter_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// A message for a dossier whose record is not there is dead-lettered; once
// the record is restored, a retry completes the dossier.
func TestPoisonMessageRetriedAfterFix(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	b := svc.Broker
	const ghost = "hs-ghost-1"
	if err := b.Publish(ctx, b.Names.StageSubject("intake"), "ghost-1", []byte(`{"dossier_id":"`+ghost+`","stage":"intake","attempt":0}`), nil); err != nil {
		t.Fatal(err)
	}
	var letter deadletter.Letter
	systemtest.Eventually(t, "the dead letter", func() bool {
		ls, err := svc.DeadLetters.List(ctx, deadletter.Filter{})
		if err != nil || len(ls) == 0 {
			return false
		}
		letter = ls[0]
		return true
	})
	if letter.DossierID != ghost || letter.Stage != "intake" || letter.Reason == "" || letter.Status != deadletter.StatusOpen {
		t.Fatalf("letter = %+v", letter)
	}
	full, err := svc.DeadLetters.Get(ctx, letter.ID)
	if err != nil || full.Payload == "" {
		t.Fatalf("show: %+v %v", full, err)
	}

	t.Run("RetryBeforeTheFixFails", func(t *testing.T) {
		_, err := svc.DeadLetters.Retry(ctx, letter.ID, "op-lan", "")
		if dossier.ErrorCode(err) != dossier.CodeNotFound {
			t.Fatalf("err = %v, want not found", err)
		}
		l, _ := svc.DeadLetters.Get(ctx, letter.ID)
		if l.Status != deadletter.StatusOpen {
			t.Fatalf("status %s after a failed retry", l.Status)
		}
	})

	// The fix: the dossier's record is restored.
	data, err := os.ReadFile(filepath.Join(systemtest.Root(), "data", "dossiers", "giay-chung-sinh.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Files.Put(ctx, ghost+"/giay-chung-sinh.pdf", data); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Store.CreateDossier(ctx, store.NewDossier{ID: ghost, ProcedureCode: "1.001193", ApplicantID: "001090000001",
		Agency: "ubnd-phuong-demo", SubmittedAt: time.Now(), Documents: []store.NewDocument{{Filename: "giay-chung-sinh.pdf",
			ContentType: "application/pdf", Size: int64(len(data)), SHA256: "x", ObjectKey: ghost + "/giay-chung-sinh.pdf"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.DeadLetters.Retry(ctx, letter.ID, "op-lan", "hồ sơ đã khôi phục"); err != nil {
		t.Fatal(err)
	}
	r := systemtest.Wait(t, svc, ghost)[0]
	if r.Dossier.Status != dossier.StatusPrechecked {
		t.Fatalf("after retry: status %s", r.Dossier.Status)
	}
	l, _ := svc.DeadLetters.Get(ctx, letter.ID)
	if l.Status != deadletter.StatusRetried || l.ResolvedAt == nil {
		t.Fatalf("letter after retry: %+v", l)
	}
	if _, err := svc.DeadLetters.Retry(ctx, letter.ID, "op-lan", ""); dossier.ErrorCode(err) != dossier.CodeConflict {
		t.Fatalf("second retry: %v, want conflict", err)
	}

	t.Run("UndecodableIsDiscarded", func(t *testing.T) {
		if err := b.Publish(ctx, b.Names.StageSubject("extract"), "poison-2", []byte(`{"dossier_id": 42`), nil); err != nil {
			t.Fatal(err)
		}
		var bad deadletter.Letter
		systemtest.Eventually(t, "the undecodable dead letter", func() bool {
			ls, _ := svc.DeadLetters.List(ctx, deadletter.Filter{Stage: "extract"})
			if len(ls) == 0 {
				return false
			}
			bad = ls[0]
			return true
		})
		if _, err := svc.DeadLetters.Retry(ctx, bad.ID, "op-lan", ""); dossier.ErrorCode(err) != dossier.CodeInvalid {
			t.Fatalf("retry of a letter without dossier: %v", err)
		}
		if _, err := svc.DeadLetters.Discard(ctx, bad.ID, "op-lan", ""); dossier.ErrorCode(err) != dossier.CodeInvalid {
			t.Fatalf("discard without reason: %v", err)
		}
		if _, err := svc.DeadLetters.Discard(ctx, bad.ID, "op-lan", "thông điệp hỏng từ hệ thống cũ"); err != nil {
			t.Fatal(err)
		}
		open, _ := svc.DeadLetters.List(ctx, deadletter.Filter{})
		all, _ := svc.DeadLetters.List(ctx, deadletter.Filter{Status: "all"})
		if len(open) != 0 || len(all) != 2 {
			t.Fatalf("open = %d, all = %d", len(open), len(all))
		}
		var audits int
		_ = sys.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'dead_letter'`).Scan(&audits)
		if audits != 2 {
			t.Fatalf("audit rows = %d, want 2 (retry, discard)", audits)
		}
	})
}
