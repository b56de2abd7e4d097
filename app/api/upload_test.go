package api

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
	"github.com/hoso-vn/hoso/internal/postgres/postgrestest"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/submission"
	"github.com/hoso-vn/hoso/workers"
)

// uploadPart is one file of a generated multipart submission: a name and a
// reader of its bytes.
type uploadPart struct {
	name string
	body io.Reader
}

// filler yields n bytes that start with prefix, from a small repeated
// buffer, so that the test itself allocates nothing in proportion to n.
func filler(prefix string, n int64) io.Reader {
	block := bytes.Repeat([]byte("hồ sơ 0123456789 "), 4096)
	return io.LimitReader(io.MultiReader(strings.NewReader(prefix), &repeatReader{b: block}), n)
}

type repeatReader struct {
	b   []byte
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.off:])
	r.off = (r.off + n) % len(r.b)
	return n, nil
}

// multipartBody streams a submission's multipart body through a pipe.
func multipartBody(t *testing.T, parts ...uploadPart) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			w, err := mw.CreateFormField("metadata")
			if err != nil {
				return err
			}
			if _, err := io.WriteString(w, `{"procedure_code":"1.001193","applicant":"079200001234","agency":"ubnd-phuong-1"}`); err != nil {
				return err
			}
			for _, p := range parts {
				w, err := mw.CreateFormFile("files", p.name)
				if err != nil {
					return err
				}
				if _, err := io.Copy(w, p.body); err != nil {
					return err
				}
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	return pr, mw.FormDataContentType()
}

type uploadEnv struct {
	srv    *Server
	broker *broker.Broker
	store  *store.Store
}

func newUploadEnv(t *testing.T, lim submission.Limits, b *broker.Broker) *uploadEnv {
	t.Helper()
	pool, _ := postgrestest.New(t)
	if b == nil {
		b, _ = brokertest.New(t)
	}
	st := store.New(pool)
	sub := &submission.Service{Store: st, Files: b.Files, Publisher: &workers.Publisher{Broker: b, Attempts: st}, Limits: lim, DefaultAgency: "ubnd-phuong-1"}
	actor := review.Actor{ID: "portal:dvc", Roles: []string{"portal"}, Agency: "ubnd-phuong-1"}
	srv := &Server{Pool: pool, Deps: Deps{Submission: sub, Actor: func(*http.Request) (review.Actor, bool) { return actor, true }}}
	return &uploadEnv{srv: srv, broker: b, store: st}
}

func (e *uploadEnv) submit(t *testing.T, parts ...uploadPart) (int, apiError, []byte) {
	t.Helper()
	body, ctype := multipartBody(t, parts...)
	req := httptest.NewRequest("POST", "/api/v1/dossiers", body)
	req.Header.Set("Content-Type", ctype)
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	var ae apiError
	_ = json.Unmarshal(w.Body.Bytes(), &ae)
	return w.Code, ae, w.Body.Bytes()
}

// objects counts the objects in the file bucket.
func (e *uploadEnv) objects(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	obj, err := e.broker.JS.ObjectStore(ctx, e.broker.Names.Bucket())
	if err != nil {
		t.Fatal(err)
	}
	list, err := obj.List(ctx)
	if errors.Is(err, jetstream.ErrNoObjectsFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// TestUploadStreams: a 48 MiB file goes to the object store while it
// arrives — the heap allocated for the whole request stays far below the
// file's size (before, the handler read each file whole: a 57 MB dossier
// took the process to 313 MB) — and its sha256 and size are recorded
// (issue #16, item 10).
//
// Not parallel: the figures are this process's allocations, and the
// parallel tests of the package run only after it.
func TestUploadStreams(t *testing.T) {
	const size = 48 << 20
	// The NATS server runs in another process: what is measured is this
	// process, the API and the object-store client.
	e := newUploadEnv(t, submission.Limits{MaxFiles: 4, MaxFileBytes: 64 << 20, MaxDossierBytes: 100 << 20}, natsProcess(t))
	want := sha256.New()
	if _, err := io.Copy(want, filler("%PDF-1.4\n", size)); err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, _, body := e.submit(t, uploadPart{"ho-so-lon.pdf", filler("%PDF-1.4\n", size)})
	runtime.ReadMemStats(&after)
	if code != http.StatusCreated {
		t.Fatalf("upload: %d %s", code, body)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d MiB upload allocated %.1f MiB in all (heap in use %.1f → %.1f MiB)", size>>20,
		float64(allocated)/(1<<20), float64(before.HeapInuse)/(1<<20), float64(after.HeapInuse)/(1<<20))
	// Reading the file whole allocates at least its size (io.ReadAll: more
	// than twice). Streaming allocates the sniff window, a chunk buffer and
	// what the NATS client needs per chunk.
	// (about a quarter of a 128 KiB chunk per chunk, for its acknowledgement).
	if allocated > size/3 {
		t.Errorf("allocated %d bytes for a %d-byte upload: the file is being buffered", allocated, size)
	}
	if grown := int64(after.HeapInuse) - int64(before.HeapInuse); grown > size/4 {
		t.Errorf("heap in use grew by %d bytes for a %d-byte upload", grown, size)
	}

	var res submission.Result
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	docs, err := e.store.Documents(context.Background(), res.DossierID)
	if err != nil || len(docs) != 1 {
		t.Fatalf("documents: %v %d", err, len(docs))
	}
	if d := docs[0]; d.SHA256 != hex.EncodeToString(want.Sum(nil)) || d.Size != size || d.ContentType != "application/pdf" {
		t.Fatalf("recorded %s %d %s", d.SHA256, d.Size, d.ContentType)
	}
}

// TestUploadLimits: each limit still answers with a clear 413 or 400 while
// files stream, and a refused submission leaves no object behind.
func TestUploadLimits(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	e := newUploadEnv(t, submission.Limits{MaxFiles: 2, MaxFileBytes: 1 * mib, MaxDossierBytes: 3 * mib / 2}, nil)
	pdf := func(name string, n int64) uploadPart { return uploadPart{name, filler("%PDF-1.4\n", n)} }
	for _, tc := range []struct {
		name  string
		parts []uploadPart
		code  int
		msg   string
	}{
		{"FileTooLarge", []uploadPart{pdf("a.pdf", mib+1)}, http.StatusRequestEntityTooLarge, "quá lớn"},
		{"DossierTooLarge", []uploadPart{pdf("a.pdf", mib), pdf("b.pdf", mib)}, http.StatusRequestEntityTooLarge, "hồ sơ quá lớn"},
		{"TooManyFiles", []uploadPart{pdf("a.pdf", 10), pdf("b.pdf", 10), pdf("c.pdf", 10)}, http.StatusRequestEntityTooLarge, "quá nhiều tệp"},
		{"Executable", []uploadPart{pdf("a.pdf", 10), {"hoa-don.pdf", filler("MZ\x90\x00", 200<<10)}}, http.StatusBadRequest, "không thuộc loại được phép"},
		{"ZipNotDOCX", []uploadPart{{"a.docx", bytes.NewReader(zipFile(t, "other.xml", 200<<10))}}, http.StatusBadRequest, "không thuộc loại được phép"},
		{"Empty", []uploadPart{pdf("a.pdf", 10), {"b.pdf", strings.NewReader("")}}, http.StatusBadRequest, "rỗng"},
		{"ExactlyAtLimit", []uploadPart{pdf("a.pdf", mib)}, http.StatusCreated, ""},
		{"LargeDOCX", []uploadPart{{"to-khai.docx", bytes.NewReader(zipFile(t, "word/document.xml", 200<<10))}}, http.StatusCreated, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.objects(t)
			code, ae, body := e.submit(t, tc.parts...)
			if code != tc.code || !strings.Contains(ae.Message, tc.msg) {
				t.Fatalf("%d %s, want %d with %q", code, body, tc.code, tc.msg)
			}
			after := e.objects(t)
			if code >= 400 && after != before {
				t.Fatalf("a refused submission left %d objects", after-before)
			}
			if code == http.StatusCreated && after != before+len(tc.parts) {
				t.Fatalf("%d objects stored for %d files", after-before, len(tc.parts))
			}
		})
	}
}

// zipFile is a zip (stored, not compressed) with one entry of n bytes.
func zipFile(t *testing.T, name string, n int64) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, filler("<w:document/>", n)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
