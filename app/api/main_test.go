package api

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/broker"
)

// natsChildDir, when set, makes this test binary a NATS server process:
// it prints the client URL and serves until its stdin closes.
const natsChildDir = "HOSO_TEST_NATS_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(natsChildDir); dir != "" {
		srv, err := broker.StartEmbedded(broker.EmbeddedOptions{Dir: dir})
		if err != nil {
			fmt.Fprintln(os.Stderr, "nats child:", err)
			os.Exit(1)
		}
		fmt.Println(srv.ClientURL())
		_, _ = io.Copy(io.Discard, os.Stdin)
		srv.Shutdown()
		srv.WaitForShutdown()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// natsProcess starts a real NATS server (JetStream) in a child process and
// connects a Broker to it, so that measurements of this process's memory
// leave out the server's own buffers.
func natsProcess(t *testing.T) *broker.Broker {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), natsChildDir+"="+t.TempDir())
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	url, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("nats child: %v", err)
	}
	b, err := broker.Connect(context.Background(), broker.Options{URL: strings.TrimSpace(url), Prefix: fmt.Sprintf("T%08X", rand.Uint32())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}
