package workers

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	boom := errors.New("db down")
	cases := []struct {
		name     string
		err      error
		n, max   int
		shutdown bool
		want     Decision
	}{
		{"Success", nil, 1, 6, false, Decision{Action: ActAck}},
		{"Permanent", dossier.Permanent(boom), 1, 6, false, Decision{Action: ActTerm, DeadLetter: true}},
		{"WrappedPermanent", fmt.Errorf("stage: %w", dossier.Permanent(boom)), 1, 6, false, Decision{Action: ActTerm, DeadLetter: true}},
		{"RetryAfter", dossier.RetryAfter(boom, 7*time.Second), 1, 6, false, Decision{Action: ActNakDelay, Delay: 7 * time.Second}},
		{"RetryAfterOnLastDelivery", dossier.RetryAfter(boom, 3*time.Second), 6, 6, false, Decision{Action: ActNakDelay, Delay: 3 * time.Second}},
		{"TransientFirst", boom, 1, 6, false, Decision{Action: ActNakDelay, Delay: time.Second}},
		{"TransientThird", boom, 3, 6, false, Decision{Action: ActNakDelay, Delay: 4 * time.Second}},
		{"TransientExhausted", boom, 5, 6, false, Decision{Action: ActTerm, DeadLetter: true}},
		{"Shutdown", context.Canceled, 1, 6, true, Decision{Action: ActNakDelay}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Decide(c.err, c.n, c.max, c.shutdown)
			if got.Action != c.want.Action || got.Delay != c.want.Delay || got.DeadLetter != c.want.DeadLetter {
				t.Errorf("Decide = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestDecodeJob(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "{", `{"dossier_id":""}`, `{"dossier_id":"x","evil":1}`, "\xff\xfe"} {
		if _, err := DecodeJob([]byte(bad)); !dossier.IsPermanent(err) {
			t.Errorf("DecodeJob(%q) = %v, want permanent", bad, err)
		}
	}
	j, err := DecodeJob([]byte(`{"dossier_id":"hs-1","stage":"extract","attempt":2}`))
	if err != nil || j.DossierID != "hs-1" || MsgID(j) != "hs-1:extract:2" {
		t.Fatalf("DecodeJob = %+v, %v", j, err)
	}
}

func FuzzDecodeJob(f *testing.F) {
	f.Add([]byte(`{"dossier_id":"hs-1","stage":"extract","attempt":2}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := DecodeJob(b)
		if err == nil && j.DossierID == "" {
			t.Fatal("accepted a job without dossier id")
		}
		if err != nil && !dossier.IsPermanent(err) {
			t.Fatal("decode errors must be permanent")
		}
	})
}
