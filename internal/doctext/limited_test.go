package doctext

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestLimitedCommandSetsLimits: the program LimitedCommand runs sees the
// data, address-space and CPU limits asked for, whichever way they were set
// (prlimit where it is on PATH, else this executable as a sandbox child).
func TestLimitedCommandSetsLimits(t *testing.T) {
	t.Parallel()
	cmd, err := LimitedCommand(context.Background(), Limits{MemoryBytes: 64 << 20, CPUSeconds: 7}, "sh", "-c", "ulimit -d; ulimit -t; ulimit -v")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v (%s)", err, errb.String())
	}
	got := strings.Fields(out.String())
	// ulimit -d and -v print kibibytes.
	want := []string{"65536", "7", "4259840"} // 64 MiB; 7 s; 64 MiB + runtimeReserve (4 GiB)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("limits seen by the program: %q, want %q", got, want)
	}
}
