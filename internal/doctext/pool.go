package doctext

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// A sandbox process per document cost more than the parse itself: starting
// this (large) executable, its runtime and its limits, about 30 ms of CPU a
// document (BenchmarkEndToEnd). The pool keeps a few sandbox children alive
// under the same limits and sends them one document after another:
//
//   - RLIMIT_DATA, RLIMIT_AS and the stack cap apply to the child for its
//     whole life, as before;
//   - the CPU limit stays per document: before each one the child sets its
//     soft RLIMIT_CPU to the CPU it has used plus CPUSeconds, and SIGXCPU
//     kills it; the hard limit, set once, is the backstop;
//   - a child that crashes, overruns the wall-clock deadline or its output
//     cap is killed and replaced (the document gets the same typed error as
//     before), and every child is replaced after PoolMaxDocs documents, so
//     that no state of a parsed file lives long.
const (
	// PoolMaxDocs is how many documents a sandbox child parses before it is
	// replaced.
	PoolMaxDocs  = 200
	poolProtocol = "hoso-extract-sandbox-pool/1"
)

// poolKey is the limits a child is started with; documents with other
// limits go to another pool.
type poolKey struct {
	MemoryBytes uint64
	CPUSeconds  int
}

// pools are the sandbox pools of an Extractor and the Extractors derived
// from it with WithOptions.
type pools struct {
	mu    sync.Mutex
	m     map[poolKey]*pool
	size  int
	docs  int
	spawn int // children started, for tests
}

func newPools() *pools {
	return &pools{m: map[poolKey]*pool{}, size: max(2, runtime.GOMAXPROCS(0)), docs: PoolMaxDocs}
}

func (ps *pools) get(k poolKey) *pool {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	p := ps.m[k]
	if p == nil {
		p = &pool{key: k, ps: ps, slots: make(chan struct{}, ps.size), idle: make(chan *child, ps.size)}
		ps.m[k] = p
	}
	return p
}

// retire ends every idle child; busy ones end when they return.
func (ps *pools) retire() {
	ps.mu.Lock()
	list := make([]*pool, 0, len(ps.m))
	for _, p := range ps.m {
		list = append(list, p)
	}
	ps.mu.Unlock()
	for _, p := range list {
		p.retire()
	}
}

type pool struct {
	key   poolKey
	ps    *pools
	slots chan struct{} // one per live child
	idle  chan *child   // healthy children waiting for a document
	gen   atomic.Int64  // bumped by retire: older children end when seen
}

// child is one long-lived sandbox process.
type child struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
	docs   int
	gen    int64
	waited bool
	werr   error
}

func (p *pool) retire() {
	p.gen.Add(1)
	for {
		select {
		case c := <-p.idle:
			p.end(c)
		default:
			return
		}
	}
}

// end closes a healthy child and frees its slot.
func (p *pool) end(c *child) {
	c.close()
	<-p.slots
}

// start starts a child in a slot the caller has taken, of the pool's
// current generation, and counts it; a failed start gives the slot back.
func (p *pool) start() (*child, error) {
	gen := p.gen.Load()
	c, err := startChild(p.key, p.ps.docs)
	if err != nil {
		<-p.slots
		return nil, err
	}
	c.gen = gen
	p.ps.mu.Lock()
	p.ps.spawn++
	p.ps.mu.Unlock()
	return c, nil
}

// take returns an idle child, or starts one when fewer than the pool's size
// live, or waits for either.
func (p *pool) take(ctx context.Context) (*child, error) {
	for {
		select {
		case c := <-p.idle:
			if c.gen != p.gen.Load() {
				p.end(c) // retired while idle
				continue
			}
			return c, nil
		default:
		}
		select {
		case c := <-p.idle:
			if c.gen != p.gen.Load() {
				p.end(c)
				continue
			}
			return c, nil
		case p.slots <- struct{}{}:
			return p.start()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// warm starts children until the pool has as many as its size, and leaves
// them idle, so that the first documents neither wait for a start nor pay
// for it. The children start at once, not one after the other: a worker
// waits for them before it consumes.
func (p *pool) warm() error {
	n := 0 // free slots, taken now: a failed start gives its slot back
fill:
	for {
		select {
		case p.slots <- struct{}{}:
			n++
		default:
			break fill
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := p.start()
			if err != nil {
				errs <- err
				return
			}
			p.give(c)
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs // the first error, or nil
}

// give returns a healthy child, or ends it when it has parsed its share or
// the pool was retired meanwhile. The idle channel holds as many children
// as there are slots, so this never blocks.
func (p *pool) give(c *child) {
	if c.docs < p.ps.docs && c.gen == p.gen.Load() {
		p.idle <- c
		return
	}
	p.end(c)
}

// discard kills a child that failed, reaps it and frees its slot.
func (p *pool) discard(c *child) {
	c.kill()
	_ = c.wait()
	<-p.slots
}

// parse sends one document to a pooled child and maps every way it can
// fail onto the same typed errors as a one-shot sandbox.
func (p *pool) parse(ctx context.Context, req parseRequest, data []byte, timeout time.Duration, maxOutput int) (parseResult, error) {
	c, err := p.take(ctx)
	if err != nil {
		return parseResult{}, err
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	capBytes := int64(maxOutput)*2 + 1<<20
	type answer struct {
		pr  parseResult
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		pr, err := c.roundTrip(req, data, capBytes)
		ch <- answer{pr, err}
	}()
	var a answer
	select {
	case a = <-ch:
	case <-cctx.Done():
		c.kill()
		<-ch
		p.discard(c)
		if ctx.Err() != nil {
			return parseResult{}, ctx.Err()
		}
		return parseResult{}, errorf(CodeTimeout, "no result within %s", timeout)
	}
	if a.err != nil {
		p.discard(c)
		if errors.Is(a.err, errOverflow) {
			return parseResult{}, errorf(CodeTooLarge, "output above %d bytes", capBytes)
		}
		return parseResult{}, childFailure(c.wait(), c.stderr.String())
	}
	c.docs++
	p.give(c)
	return a.pr, nil
}

var errOverflow = errors.New("sandbox output above its cap")

// startChild starts a pooled sandbox child with limits k and waits for its
// greeting.
func startChild(k poolKey, docs int) (*child, error) {
	cpu := 0
	if k.CPUSeconds > 0 {
		// The hard CPU limit is a backstop for the whole life of the child;
		// each document gets CPUSeconds from the soft limit.
		cpu = (docs+1)*k.CPUSeconds + 1
	}
	cmd, err := sandboxCommand(context.Background(), parseRequest{MemoryBytes: k.MemoryBytes, CPUSeconds: cpu, Pool: true})
	if err != nil {
		return nil, err
	}
	// The child dies with this process.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	c := &child{cmd: cmd}
	cmd.Stderr = &capWriter{buf: &c.stderr, n: 16 << 10}
	if c.in, err = cmd.StdinPipe(); err != nil {
		return nil, fmt.Errorf("extract sandbox: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("extract sandbox: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("extract sandbox: start %s: %w", cmd.Path, err)
	}
	c.out = bufio.NewReaderSize(stdout, 64<<10)
	hello := make(chan error, 1)
	go func() {
		line, err := c.out.ReadString('\n')
		if err == nil && line != poolProtocol+"\n" {
			err = ErrNoSandbox
		}
		hello <- err
	}()
	select {
	case err = <-hello:
	case <-time.After(30 * time.Second):
		err = errors.New("no greeting within 30s")
	}
	if err != nil {
		c.kill()
		werr := c.wait()
		if errors.Is(err, io.EOF) && werr == nil {
			// It exited cleanly without answering: this executable does
			// not run the protocol.
			return nil, ErrNoSandbox
		}
		if errors.Is(err, ErrNoSandbox) {
			return nil, err
		}
		return nil, fmt.Errorf("extract sandbox: start: %v (%v) %s", err, werr, firstLine(c.stderr.String()))
	}
	return c, nil
}

// roundTrip writes one request and reads its answer.
func (c *child) roundTrip(req parseRequest, data []byte, capBytes int64) (parseResult, error) {
	rj, err := json.Marshal(req)
	if err != nil {
		return parseResult{}, err
	}
	if err := writeFrame(c.in, rj); err != nil {
		return parseResult{}, err
	}
	if err := writeFrame(c.in, data); err != nil {
		return parseResult{}, err
	}
	out, err := readFrame(c.out, capBytes)
	if err != nil {
		return parseResult{}, err
	}
	var pr parseResult
	if err := json.Unmarshal(out, &pr); err != nil || pr.Protocol != sandboxProtocol {
		return parseResult{}, fmt.Errorf("bad answer from sandbox: %v", err)
	}
	return pr, nil
}

func (c *child) kill() {
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Kill()
	}
}

// close ends a healthy child: stdin closes, it exits.
func (c *child) close() {
	_ = c.in.Close()
	done := make(chan struct{})
	go func() { c.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		c.kill()
		<-done
	}
}

func (c *child) wait() error {
	if !c.waited {
		c.waited = true
		c.werr = c.cmd.Wait()
	}
	return c.werr
}

func writeFrame(w io.Writer, b []byte) error {
	var n [4]byte
	if len(b) > math.MaxUint32 {
		return errOverflow
	}
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

func readFrame(r io.Reader, maxBytes int64) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := int64(binary.BigEndian.Uint32(n[:]))
	if size > maxBytes {
		return nil, errOverflow
	}
	b := make([]byte, size)
	_, err := io.ReadFull(r, b)
	return b, err
}

// runPooledChild is the child side of the pool: limits first, then one
// document after another until stdin closes.
func runPooledChild(in io.Reader, out io.Writer, init parseRequest) int {
	hardCPU := init.CPUSeconds
	init.CPUSeconds = 0
	if err := applyLimits(init); err != nil {
		fmt.Fprintln(os.Stderr, "extract-sandbox: limits:", err)
		return 2
	}
	if hardCPU > 0 {
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: uint64(hardCPU), Max: uint64(hardCPU)}); err != nil {
			fmt.Fprintln(os.Stderr, "extract-sandbox: RLIMIT_CPU:", err)
			return 2
		}
	}
	// Go ignores SIGXCPU by default: the soft limit must end the child.
	xcpu := make(chan os.Signal, 1)
	signal.Notify(xcpu, syscall.SIGXCPU)
	go func() {
		<-xcpu
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	}()
	bw := bufio.NewWriterSize(out, 64<<10)
	br := bufio.NewReaderSize(in, 64<<10)
	bw.WriteString(poolProtocol + "\n")
	if bw.Flush() != nil {
		return 2
	}
	for {
		rj, err := readFrame(br, 1<<20)
		if err == io.EOF {
			return 0
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "extract-sandbox: read request:", err)
			return 2
		}
		var req parseRequest
		if err := json.Unmarshal(rj, &req); err != nil {
			fmt.Fprintln(os.Stderr, "extract-sandbox: bad request:", err)
			return 2
		}
		max := req.MaxBytes
		if max <= 0 {
			max = DefaultMaxBytes
		}
		data, err := readFrame(br, max)
		var pr parseResult
		switch {
		case errors.Is(err, errOverflow):
			// The parent checks the size first; never parse a partial file.
			fmt.Fprintln(os.Stderr, "extract-sandbox: input above", max, "bytes")
			return 2
		case err != nil:
			fmt.Fprintln(os.Stderr, "extract-sandbox: read input:", err)
			return 2
		}
		if hardCPU > 0 && req.CPUSeconds > 0 {
			soft := min(uint64(cpuUsed().Seconds())+1+uint64(req.CPUSeconds), uint64(hardCPU))
			_ = syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: soft, Max: uint64(hardCPU)})
		}
		pr = parseBytes(req, data)
		pr.Protocol = sandboxProtocol
		b, err := json.Marshal(pr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "extract-sandbox: encode result:", err)
			return 2
		}
		if writeFrame(bw, b) != nil || bw.Flush() != nil {
			return 2
		}
	}
}

func cpuUsed() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
