package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
)

// PdftotextPath is the pdftotext binary that Pdftotext runs.
var PdftotextPath = "pdftotext"

var (
	lookOnce  sync.Once
	lookFound bool
)

// PdftotextAvailable reports whether poppler's pdftotext is installed
// (Debian: poppler-utils).
func PdftotextAvailable() bool {
	lookOnce.Do(func() {
		_, err := exec.LookPath(PdftotextPath)
		lookFound = err == nil
	})
	return lookFound
}

// ErrNoPdftotext is returned by Pdftotext when poppler-utils is missing.
var ErrNoPdftotext = errors.New("pdftotext is not installed (apt-get install poppler-utils)")

// Pdftotext reads the text of data with poppler's pdftotext, in reading
// order (not -layout, whose column padding would count as errors), one
// string per page, NFC-normalised and cleaned as Extract cleans its text.
// It reads at most lim.MaxPages pages and lim.MaxOutputBytes of text; ctx
// bounds its run time. pdftotext runs in its own process, so a crash in
// poppler costs only that process.
func Pdftotext(ctx context.Context, data []byte, lim Limits) ([]string, error) {
	return PdftotextWith(ctx, data, lim, func(ctx context.Context, path string, args ...string) (*exec.Cmd, error) {
		return exec.CommandContext(ctx, path, args...), nil
	})
}

// Command builds the process that runs path with args: exec.CommandContext,
// or a wrapper that starts it under resource limits (doctext.LimitedCommand).
type Command func(ctx context.Context, path string, args ...string) (*exec.Cmd, error)

// PdftotextWith is Pdftotext with the process built by command, so that a
// caller can run poppler on a citizen's file under memory and CPU limits.
func PdftotextWith(ctx context.Context, data []byte, lim Limits, command Command) ([]string, error) {
	lim = lim.WithDefaults()
	if !PdftotextAvailable() {
		return nil, ErrNoPdftotext
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	cmd, err := command(ctx, PdftotextPath, "-q", "-enc", "UTF-8", "-l", strconv.Itoa(lim.MaxPages), "-", "-")
	if err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	out, rerr := io.ReadAll(io.LimitReader(stdout, int64(lim.MaxOutputBytes)+1))
	truncated := len(out) > lim.MaxOutputBytes
	if truncated {
		_ = cmd.Process.Kill() // enough text; stop poppler rather than drain it
	}
	werr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("pdftotext: %w", ctx.Err())
	case rerr != nil:
		return nil, fmt.Errorf("pdftotext: read output: %w", rerr)
	case werr != nil && !truncated:
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "ncrypt") || strings.Contains(msg, "password") {
			return nil, fmt.Errorf("%w: pdftotext: %s", ErrEncrypted, msg)
		}
		return nil, fmt.Errorf("%w: pdftotext: %v: %s", ErrCorrupt, werr, msg)
	}
	if truncated {
		out = []byte(truncateUTF8(string(out), lim.MaxOutputBytes))
	}
	pages := strings.Split(string(out), "\f")
	// pdftotext ends every page with a form feed, so the last element is
	// what follows the final page: empty.
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	for i := range pages {
		pages[i] = cleanText(pages[i])
	}
	return pages, nil
}

type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
