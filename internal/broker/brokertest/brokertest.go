// Package brokertest starts a real embedded NATS server with JetStream for a
// test (or uses NATS_URL when set) and connects a Broker with unique names.
package brokertest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/hoso-vn/hoso/internal/broker"
)

// New returns a Broker on a fresh embedded server (stored in t.TempDir), or
// on NATS_URL with a unique prefix when NATS_URL is set. Both are closed when
// the test ends.
func New(tb testing.TB) (*broker.Broker, *server.Server) {
	tb.Helper()
	prefix := fmt.Sprintf("T%08X", rand.Uint32())
	ctx := context.Background()
	if u := os.Getenv("NATS_URL"); u != "" {
		b, err := broker.Connect(ctx, broker.Options{URL: u, Prefix: prefix})
		if err != nil {
			tb.Fatalf("nats at %s: %v", u, err)
		}
		tb.Cleanup(func() {
			for _, s := range []string{b.Names.WorkStream(), b.Names.NotifyStream(), b.Names.EventStream()} {
				_ = b.JS.DeleteStream(context.Background(), s)
			}
			_ = b.JS.DeleteObjectStore(context.Background(), b.Names.Bucket())
			b.Close()
		})
		return b, nil
	}
	srv := Server(tb)
	b, err := broker.Connect(ctx, broker.Options{Embedded: srv, Prefix: prefix})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(b.Close)
	return b, srv
}

// Server starts an embedded JetStream server on a random loopback port.
func Server(tb testing.TB) *server.Server {
	tb.Helper()
	srv, err := broker.StartEmbedded(broker.EmbeddedOptions{Dir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		srv.Shutdown()
		srv.WaitForShutdown()
	})
	return srv
}
