package brokertest

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// JSCluster is a JetStream cluster of embedded nats-server instances on
// loopback, each with its own store directory and fixed ports so that a node
// can be stopped and restarted on the same data, as an operator would.
type JSCluster struct {
	tb    testing.TB
	name  string
	mu    sync.Mutex
	nodes []*clusterNode
}

type clusterNode struct {
	name    string
	dir     string
	port    int
	cluster int
	srv     *server.Server // nil while stopped
}

// Cluster starts an n-node JetStream cluster (n ≥ 3 for R3 streams) and
// waits until it has a meta leader. Every node is shut down when the test
// ends. Use URLs as NATS_URL (comma-separated, as cmd/hoso accepts it).
func Cluster(tb testing.TB, n int) *JSCluster {
	tb.Helper()
	c := &JSCluster{tb: tb, name: fmt.Sprintf("hoso-test-%d", time.Now().UnixNano()%1e6)}
	for i := range n {
		c.nodes = append(c.nodes, &clusterNode{
			name: fmt.Sprintf("n%d", i+1), dir: filepath.Join(tb.TempDir(), fmt.Sprintf("n%d", i+1)),
			port: freePort(tb), cluster: freePort(tb),
		})
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range c.nodes {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = c.start(i) }()
	}
	wg.Wait()
	tb.Cleanup(c.shutdownAll)
	for _, err := range errs {
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := c.WaitReady(30 * time.Second); err != nil {
		tb.Fatal(err)
	}
	return c
}

func (c *JSCluster) start(i int) error {
	nd := c.nodes[i]
	var routes []string
	for _, o := range c.nodes {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", o.cluster))
	}
	opts := &server.Options{
		ServerName: nd.name,
		Host:       "127.0.0.1",
		Port:       nd.port,
		JetStream:  true,
		StoreDir:   nd.dir,
		NoSigs:     true,
		MaxPayload: 8 << 20,
		// A cluster fsyncs every write (deploy/nats/cluster-*.conf).
		SyncAlways:         true,
		JetStreamMaxMemory: 64 << 20,
		Cluster:            server.ClusterOpts{Name: c.name, Host: "127.0.0.1", Port: nd.cluster},
		Routes:             server.RoutesFromStr(strings.Join(routes, ",")),
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("start cluster node %s: %w", nd.name, err)
	}
	go s.Start()
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		return fmt.Errorf("cluster node %s not ready after 30s", nd.name)
	}
	c.mu.Lock()
	nd.srv = s
	c.mu.Unlock()
	return nil
}

// URLs returns every node's client URL, comma-separated.
func (c *JSCluster) URLs() string {
	var u []string
	for _, nd := range c.nodes {
		u = append(u, fmt.Sprintf("nats://127.0.0.1:%d", nd.port))
	}
	return strings.Join(u, ",")
}

// Server returns node i's server, nil while it is stopped.
func (c *JSCluster) Server(i int) *server.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nodes[i].srv
}

// Name returns node i's server name.
func (c *JSCluster) Name(i int) string { return c.nodes[i].name }

// Index returns the index of the node named name, or -1.
func (c *JSCluster) Index(name string) int {
	for i, nd := range c.nodes {
		if nd.name == name {
			return i
		}
	}
	return -1
}

// Stop shuts node i down abruptly (its data stays on disk).
func (c *JSCluster) Stop(i int) {
	c.mu.Lock()
	s := c.nodes[i].srv
	c.nodes[i].srv = nil
	c.mu.Unlock()
	if s != nil {
		s.Shutdown()
		s.WaitForShutdown()
	}
}

// Restart starts node i again on its data and ports.
func (c *JSCluster) Restart(i int) error {
	if c.Server(i) != nil {
		return fmt.Errorf("node %s is running", c.nodes[i].name)
	}
	return c.start(i)
}

// WaitReady waits until every running node sees a meta leader and reports
// JetStream healthy.
func (c *JSCluster) WaitReady(timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ok := true
		for i := range c.nodes {
			s := c.Server(i)
			if s == nil {
				continue
			}
			if !s.JetStreamIsClustered() || !s.JetStreamIsCurrent() {
				ok = false
			}
			if hs := s.Healthz(&server.HealthzOptions{JSEnabledOnly: true}); hs.Status != "ok" {
				ok = false
			}
		}
		if ok && c.metaLeader() != "" {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cluster not ready after %s", timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *JSCluster) metaLeader() string {
	for i := range c.nodes {
		if s := c.Server(i); s != nil {
			if s.JetStreamIsLeader() {
				return s.Name()
			}
		}
	}
	return ""
}

// StreamLeader returns the index of the node leading stream, asked through
// js (any connection to the cluster), or -1 when none is known.
func (c *JSCluster) StreamLeader(ctx context.Context, js jetstream.JetStream, stream string) int {
	st, err := js.Stream(ctx, stream)
	if err != nil {
		return -1
	}
	info, err := st.Info(ctx)
	if err != nil || info.Cluster == nil {
		return -1
	}
	return c.Index(info.Cluster.Leader)
}

// ConsumerLeader returns the index of the node leading a durable consumer,
// or -1.
func (c *JSCluster) ConsumerLeader(ctx context.Context, js jetstream.JetStream, stream, durable string) int {
	cons, err := js.Consumer(ctx, stream, durable)
	if err != nil {
		return -1
	}
	info, err := cons.Info(ctx)
	if err != nil || info.Cluster == nil {
		return -1
	}
	return c.Index(info.Cluster.Leader)
}

func (c *JSCluster) shutdownAll() {
	for i := range c.nodes {
		c.Stop(i)
	}
}

// freePort asks the kernel for a free loopback port. The port is released
// before the server binds it; collisions are unlikely and fail loudly.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
