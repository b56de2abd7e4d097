package workcal_test

import (
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/workcal"
)

func TestShowIsVietnamTimeAndSaysSo(t *testing.T) {
	t.Parallel()
	utc := time.Date(2026, 11, 27, 23, 4, 0, 0, time.UTC)
	for _, tc := range []struct{ lang, want string }{
		{"vi", "06:04 28/11/2026 (giờ Việt Nam)"},
		{"en", "06:04 28/11/2026 (Vietnam time)"},
	} {
		if got := workcal.Show(utc, tc.lang); got != tc.want {
			t.Errorf("Show(%s, %s) = %q, want %q", utc, tc.lang, got, tc.want)
		}
		// The same instant in another zone shows the same.
		if got := workcal.Show(utc.In(time.FixedZone("X", -5*3600)), tc.lang); got != tc.want {
			t.Errorf("Show in another zone = %q, want %q", got, tc.want)
		}
	}
	if got := workcal.Show(time.Time{}, "vi"); got != "—" {
		t.Errorf("zero = %q", got)
	}
}
