package doctext

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
)

// Environment variables of the sandbox protocol. The parent starts its own
// executable with SandboxEnv=1 and the request as JSON in sandboxReqEnv; the
// file arrives on stdin and the parseResult leaves as JSON on stdout. A
// request with Pool set starts a long-lived child instead, which reads
// length-prefixed requests and files from stdin one after another
// (pool.go); extraction uses those, LimitedCommand the one-shot form.
const (
	SandboxEnv      = "HOSO_EXTRACT_SANDBOX"
	sandboxReqEnv   = "HOSO_EXTRACT_SANDBOX_REQUEST"
	sandboxProtocol = "hoso-extract-sandbox/1"
)

// ErrNoSandbox means the current executable does not answer the sandbox
// protocol: its main (or TestMain) does not call MaybeRunSandbox.
var ErrNoSandbox = errors.New("extract sandbox: the executable did not run the sandbox protocol; call extract.MaybeRunSandbox() first in main or TestMain, or set Options.InProcess in tests")

// childMaxStack bounds the child's goroutine stacks well below Go's 1 GB
// default, so that unbounded recursion in the PDF library dies quickly and
// within the address-space limit.
const childMaxStack = 64 << 20

// runtimeReserve is the address space the Go runtime reserves without
// using it (measured: about 1.6 GiB of VmSize against 16 MiB resident for a
// small PDF), added to MemoryBytes for the RLIMIT_AS backstop.
const runtimeReserve = 4 << 30

// MaybeRunSandbox runs the sandbox child protocol and exits when this
// process was started as a sandbox (HOSO_EXTRACT_SANDBOX=1); otherwise it
// returns at once. Call it first thing in main, and in TestMain of every
// test binary that extracts without InProcess, because the sandbox re-runs
// the current executable.
func MaybeRunSandbox() {
	if os.Getenv(SandboxEnv) != "1" {
		return
	}
	os.Exit(RunSandboxChild(os.Stdin, os.Stdout, SandboxRequest()))
}

// SandboxRequest is the request the parent handed a sandbox child in its
// environment (HOSO_EXTRACT_SANDBOX_REQUEST), or "".
func SandboxRequest() string { return os.Getenv(sandboxReqEnv) }

// RunSandboxChild is the child side: it applies the resource limits to its
// own process, reads the file from in, parses it and writes the JSON result
// to out. It returns the exit code. `hoso extract-sandbox` calls it too.
func RunSandboxChild(in io.Reader, out io.Writer, reqJSON string) int {
	var req parseRequest
	if err := json.Unmarshal([]byte(reqJSON), &req); err != nil {
		fmt.Fprintln(os.Stderr, "extract-sandbox: bad request:", err)
		return 2
	}
	if req.Pool {
		return runPooledChild(in, out, req)
	}
	if err := applyLimits(req); err != nil {
		fmt.Fprintln(os.Stderr, "extract-sandbox: limits:", err)
		return 2
	}
	if len(req.Exec) > 0 {
		// Resource limits survive execve: the program runs under them.
		env := make([]string, 0, len(os.Environ()))
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, SandboxEnv+"=") && !strings.HasPrefix(kv, sandboxReqEnv+"=") {
				env = append(env, kv)
			}
		}
		err := syscall.Exec(req.Exec[0], req.Exec, env)
		fmt.Fprintln(os.Stderr, "extract-sandbox: exec", req.Exec[0]+":", err)
		return 127
	}
	max := req.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(in, max+1))
	if err != nil {
		fmt.Fprintln(os.Stderr, "extract-sandbox: read input:", err)
		return 2
	}
	var pr parseResult
	if int64(len(data)) > max {
		pr = parseResult{ErrorCode: CodeTooLarge, Error: fmt.Sprintf("more than %d bytes", max)}
	} else {
		pr = parseBytes(req, data)
	}
	pr.Protocol = sandboxProtocol
	if err := json.NewEncoder(out).Encode(pr); err != nil {
		fmt.Fprintln(os.Stderr, "extract-sandbox: write result:", err)
		return 2
	}
	return 0
}

// childGCPercent is the sandbox child's GOGC when it has a memory limit.
const childGCPercent = 400

// applyLimits sets RLIMIT_CPU and RLIMIT_AS on the current process, caps
// goroutine stacks, and asks the garbage collector to stay below the memory
// limit so that ordinary large files do not hit the hard limit.
func applyLimits(req parseRequest) error {
	if req.CPUSeconds > 0 {
		// The soft limit sends SIGXCPU, the hard limit one second later SIGKILL.
		cpu := uint64(req.CPUSeconds)
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: cpu, Max: cpu + 1}); err != nil {
			return fmt.Errorf("RLIMIT_CPU: %w", err)
		}
	}
	if req.MemoryBytes > 0 {
		// The Go runtime reserves more than a GiB of address space up front
		// (PROT_NONE, never touched), so RLIMIT_AS alone would either fail
		// every child or allow far more than intended. RLIMIT_DATA counts
		// only writable private mappings (Linux ≥ 4.7), which is where the
		// heap and goroutine stacks live: it is the real memory limit.
		// RLIMIT_AS stays as a backstop above the runtime's reservations.
		if err := syscall.Setrlimit(syscall.RLIMIT_DATA, &syscall.Rlimit{Cur: req.MemoryBytes, Max: req.MemoryBytes}); err != nil {
			return fmt.Errorf("RLIMIT_DATA: %w", err)
		}
		as := req.MemoryBytes + runtimeReserve
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: as, Max: as}); err != nil {
			return fmt.Errorf("RLIMIT_AS: %w", err)
		}
		// Collect hard before the limit rather than die at it.
		debug.SetMemoryLimit(int64(req.MemoryBytes) * 3 / 4)
		// Below it, collect less often than the default: a parse allocates
		// a great deal and keeps little (a sample document's parse is tens
		// of thousands of allocations, its live heap a few MiB), so at
		// GOGC 100 the child spent a sixth of its CPU collecting. The
		// memory limit above still bounds the heap.
		debug.SetGCPercent(childGCPercent)
	}
	debug.SetMaxStack(childMaxStack)
	return nil
}

// runSandbox parses data in a child process and maps every way the child
// can die onto a typed error. The returned error is an *Error for anything
// the document caused, ctx.Err() when the caller gave up, and a plain error
// only when the child cannot be started at all.
func runSandbox(ctx context.Context, req parseRequest, data []byte, timeout time.Duration, maxOutput int) (parseResult, error) {
	if os.Getenv(SandboxEnv) == "1" {
		// A child that did not run the protocol is running its own main
		// (or tests) and tried to extract: refuse rather than recurse.
		return parseResult{}, ErrNoSandbox
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd, err := sandboxCommand(cctx, req)
	if err != nil {
		return parseResult{}, err
	}
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &capWriter{buf: &stderr, n: 16 << 10}
	cmd.WaitDelay = 2 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return parseResult{}, fmt.Errorf("extract sandbox: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return parseResult{}, fmt.Errorf("extract sandbox: start %s: %w", cmd.Path, err)
	}
	// The JSON envelope adds escaping to the text; allow for it.
	capBytes := int64(maxOutput)*2 + 1<<20
	out, rerr := io.ReadAll(io.LimitReader(stdout, capBytes+1))
	overflow := int64(len(out)) > capBytes
	if overflow {
		_ = cmd.Process.Kill()
	}
	werr := cmd.Wait()

	switch {
	case ctx.Err() != nil:
		return parseResult{}, ctx.Err()
	case errors.Is(cctx.Err(), context.DeadlineExceeded):
		return parseResult{}, errorf(CodeTimeout, "no result within %s", timeout)
	case overflow:
		return parseResult{}, errorf(CodeTooLarge, "output above %d bytes", capBytes)
	}
	if werr != nil {
		return parseResult{}, childFailure(werr, stderr.String())
	}
	if rerr != nil {
		return parseResult{}, errorf(CodeCorrupt, "read sandbox output: %v", rerr)
	}
	var pr parseResult
	if err := json.Unmarshal(out, &pr); err != nil || pr.Protocol != sandboxProtocol {
		// The child exited cleanly without answering: not the document's
		// fault but this executable's.
		return parseResult{}, ErrNoSandbox
	}
	return pr, nil
}

// sandboxCommand is the command that re-runs this executable as a sandbox
// child with req.
func sandboxCommand(ctx context.Context, req parseRequest) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("extract sandbox: find executable: %w", err)
	}
	var args []string
	if strings.HasSuffix(exe, ".test") {
		// A test binary without MaybeRunSandbox in TestMain would run its
		// whole suite as the "child"; make it run nothing instead, so that
		// the missing protocol answer is reported at once.
		args = []string{"-test.run=^$", "-test.bench=^$"}
	}
	reqJSON, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), SandboxEnv+"=1", sandboxReqEnv+"="+string(reqJSON))
	return cmd, nil
}

// Limits bound a program run by LimitedCommand.
type Limits struct {
	MemoryBytes uint64 // RLIMIT_DATA (heap and private mappings); 0: none
	CPUSeconds  int    // RLIMIT_CPU; 0: none
}

// LimitedCommand returns a command that runs the program at path with args
// under limits: this executable starts as a sandbox child, sets the
// resource limits on itself and replaces itself with the program, which
// inherits them. It is for external tools that read citizens' files
// (pdftoppm, pdfinfo): a hostile file can make them allocate gigabytes, and
// Go's exec cannot set a child's rlimits itself. The caller sets Stdin,
// Stdout and Stderr and runs it; ctx kills it. As with extraction, main (or
// TestMain) must call MaybeRunSandbox first.
//
// Where util-linux's prlimit is on PATH (Debian's essential util-linux
// ships it) it sets the limits instead: a small C program that sets them
// and execs the tool, with no Go runtime between the limits and the tool.
// The Go child must run on after setting them until its execve, and a
// runtime that then needs memory from the system (a -race test binary,
// whose own mappings already exceed the limit, did under load) dies before
// the tool starts; prlimit also saves a start of this executable a render.
func LimitedCommand(ctx context.Context, lim Limits, path string, args ...string) (*exec.Cmd, error) {
	if os.Getenv(SandboxEnv) == "1" {
		return nil, ErrNoSandbox
	}
	path, err := exec.LookPath(path) // execve needs the full path
	if err != nil {
		return nil, err
	}
	if pl, err := exec.LookPath("prlimit"); err == nil {
		return exec.CommandContext(ctx, pl, append(prlimitArgs(lim), append([]string{"--", path}, args...)...)...), nil
	}
	return sandboxCommand(ctx, parseRequest{MemoryBytes: lim.MemoryBytes, CPUSeconds: lim.CPUSeconds, Exec: append([]string{path}, args...)})
}

// prlimitArgs are the prlimit options for lim, the same limits applyLimits
// sets: RLIMIT_CPU soft with the hard limit a second later, RLIMIT_DATA,
// and RLIMIT_AS as a backstop above it.
func prlimitArgs(lim Limits) []string {
	var a []string
	if lim.CPUSeconds > 0 {
		a = append(a, fmt.Sprintf("--cpu=%d:%d", lim.CPUSeconds, lim.CPUSeconds+1))
	}
	if lim.MemoryBytes > 0 {
		as := lim.MemoryBytes + runtimeReserve
		a = append(a, fmt.Sprintf("--data=%d:%d", lim.MemoryBytes, lim.MemoryBytes), fmt.Sprintf("--as=%d:%d", as, as))
	}
	return a
}

// toolCommand builds the process of an external tool that reads a
// citizen's file (pdftotext, pdftoppm): under the sandbox's memory and CPU
// limits, or plainly when the Extractor parses in process (tests and
// benchmarks). ctx bounds its wall-clock time either way.
func (x *Extractor) toolCommand(ctx context.Context, path string, args ...string) (*exec.Cmd, error) {
	if x.opts.InProcess {
		return exec.CommandContext(ctx, path, args...), nil
	}
	return LimitedCommand(ctx, Limits{MemoryBytes: x.opts.MemoryBytes, CPUSeconds: x.opts.CPUSeconds}, path, args...)
}

// childFailure turns a dead child into a typed error from how it died.
func childFailure(werr error, stderr string) *Error {
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			switch ws.Signal() {
			case syscall.SIGXCPU, syscall.SIGKILL:
				// SIGKILL comes from the hard CPU limit (the wall-clock
				// deadline is handled before this).
				return errorf(CodeTimeout, "CPU time limit exceeded (%v)", ws.Signal())
			}
			return errorf(CodeCorrupt, "parser killed by %v", ws.Signal())
		}
	}
	msg := firstLine(stderr)
	switch {
	case strings.Contains(stderr, "stack exceeds") || strings.Contains(stderr, "stack overflow"):
		return errorf(CodeCorrupt, "parser stack exhausted (recursive structure): %s", msg)
	case strings.Contains(stderr, "out of memory") || strings.Contains(stderr, "cannot allocate memory"):
		return errorf(CodeTooLarge, "parser memory limit exceeded: %s", msg)
	}
	return errorf(CodeCorrupt, "parser crashed (%v): %s", werr, msg)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// capWriter keeps the first n bytes and discards the rest, so that a child
// that floods stderr cannot grow the parent's memory.
type capWriter struct {
	buf *bytes.Buffer
	n   int
}

func (c *capWriter) Write(p []byte) (int, error) {
	if room := c.n - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
