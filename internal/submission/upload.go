package submission

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/store"
)

// sniffBytes is how much of a file is read before it is stored: the type
// check by magic bytes needs the first bytes, and plain text is recognised
// by its first 64 KiB (extract.Sniff), plus one byte to know whether the
// file is longer.
const sniffBytes = 64<<10 + 1

// zipTailBytes is how much of the end of a zip file is kept to read its
// central directory (extract.IsDOCXEnd).
const zipTailBytes = 1 << 20

// Upload receives one submission's files as streams and stores each in the
// object store while it arrives: it hashes as it goes, checks the type from
// the first bytes, and stops at the first limit (HOSO_MAX_FILES,
// HOSO_MAX_FILE_BYTES, HOSO_MAX_DOSSIER_BYTES), so that no file is ever
// held whole in memory. Hand it to Submit in Request.Upload, or Abort it.
type Upload struct {
	s      *Service
	id     string
	docs   []store.NewDocument
	stored []string
	total  int64
}

// NewUpload starts receiving the files of a new dossier; the dossier id is
// chosen now, as the objects are named after it.
func (s *Service) NewUpload() *Upload {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	return &Upload{s: s, id: NewID(now())}
}

// errLimit stops the stream when a size limit is passed.
var errLimit = errors.New("size limit reached")

// Add stores one file read from r. On any error the file is not kept
// (earlier files are, until Abort); errors from r are wrapped, so that a
// caller can tell its own transport's errors (http.MaxBytesError…).
func (u *Upload) Add(ctx context.Context, rawName string, r io.Reader) error {
	lim := u.s.Limits
	i := len(u.docs)
	if i >= lim.MaxFiles {
		return errTooManyFiles(i+1, lim.MaxFiles)
	}
	name, err := fileName(i, rawName)
	if err != nil {
		return err
	}
	hp := heads.Get().(*[]byte)
	defer heads.Put(hp)
	head := (*hp)[:sniffBytes]
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read %q: %w", name, err)
	}
	head = head[:n]
	if n == 0 {
		return errEmpty(name)
	}
	// A zip longer than the head is a DOCX only if its central directory,
	// at the end, says so: decided once the stream has passed.
	var tail *tailBuffer
	ct, ok := doctext.Sniff(head)
	if n == sniffBytes && bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		tail = &tailBuffer{b: make([]byte, zipTailBytes)}
	} else if !ok || !Allowed[ct] {
		return errNotAllowed(name)
	}

	room := min(lim.MaxFileBytes, lim.MaxDossierBytes-u.total)
	h := sha256.New()
	counted := &limitReader{r: io.MultiReader(bytes.NewReader(head), r), left: room}
	var sink io.Writer = h
	if tail != nil {
		sink = io.MultiWriter(h, tail)
	}
	key := fmt.Sprintf("%s/%d", u.id, i+1)
	err = u.s.Files.PutStream(ctx, key, io.TeeReader(counted, sink))
	switch {
	case errors.Is(err, errLimit):
		u.remove(ctx, key)
		if lim.MaxFileBytes <= lim.MaxDossierBytes-u.total {
			return errFileTooLarge(name, counted.read, lim.MaxFileBytes)
		}
		return errDossierTooLarge(u.total+counted.read, lim.MaxDossierBytes)
	case err != nil:
		u.remove(ctx, key)
		return fmt.Errorf("store %q: %w", name, err)
	}
	if tail != nil {
		if !doctext.IsDOCXEnd(tail.bytes(), counted.read) {
			u.remove(ctx, key)
			return errNotAllowed(name)
		}
		ct = doctext.TypeDOCX
	}
	u.stored = append(u.stored, key)
	u.total += counted.read
	u.docs = append(u.docs, store.NewDocument{
		Filename: name, ContentType: ct, Size: counted.read, SHA256: hex.EncodeToString(h.Sum(nil)), ObjectKey: key,
	})
	return nil
}

// heads are Add's sniffing buffers, reused: a new 64 KiB a file was a
// sixth of the bytes the process allocated for a sample dossier, and bytes
// allocated are what set the collector's pace. Nothing keeps a head once
// Add returns.
var heads = sync.Pool{New: func() any { b := make([]byte, sniffBytes); return &b }}

// Abort deletes every file stored so far.
func (u *Upload) Abort(ctx context.Context) {
	for _, k := range u.stored {
		u.remove(ctx, k)
	}
	u.stored = nil
}

func (u *Upload) remove(ctx context.Context, key string) {
	if err := u.s.Files.Delete(context.WithoutCancel(ctx), key); err != nil && u.s.Log != nil {
		u.s.Log.Warn("remove file of rejected submission", "key", key, "err", err)
	}
}

// limitReader counts what it reads and fails with errLimit past left bytes.
type limitReader struct {
	r    io.Reader
	left int64
	read int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One more byte tells a file of exactly the limit from a longer one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, errLimit
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	l.read += int64(n)
	return n, err
}

// tailBuffer keeps the last len(b) bytes written to it.
type tailBuffer struct {
	b    []byte
	next int   // where the next byte goes
	n    int64 // bytes written in all
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	written := len(p)
	t.n += int64(written)
	if len(p) >= len(t.b) {
		copy(t.b, p[len(p)-len(t.b):])
		t.next = 0
		return written, nil
	}
	k := copy(t.b[t.next:], p)
	copy(t.b, p[k:])
	t.next = (t.next + len(p)) % len(t.b)
	return written, nil
}

func (t *tailBuffer) bytes() []byte {
	if t.n < int64(len(t.b)) {
		return t.b[:t.n]
	}
	return append(append([]byte(nil), t.b[t.next:]...), t.b[:t.next]...)
}
