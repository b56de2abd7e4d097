package broker_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/broker/brokertest"
)

// TestFileStoreGet: Get returns exactly what was put, for an empty object,
// one chunk, several chunks, and more chunks than it reads by direct gets;
// an object put again under its key is read in its new version; a missing
// key is ErrFileNotFound.
func TestFileStoreGet(t *testing.T) {
	b, _ := brokertest.New(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 5000, 128 << 10, 300 << 10, 2<<20 + 17} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(r.IntN(256))
		}
		key := "k" + string(rune('a'+size%26))
		if err := b.Files.Put(ctx, key, data); err != nil {
			t.Fatal(err)
		}
		got, err := b.Files.Get(ctx, key)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: got %d bytes, %v", size, len(got), err)
		}
	}
	if err := b.Files.Put(ctx, "same", []byte("first version")); err != nil {
		t.Fatal(err)
	}
	if err := b.Files.Put(ctx, "same", []byte("second")); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Files.Get(ctx, "same"); err != nil || string(got) != "second" {
		t.Fatalf("replaced object: %q, %v", got, err)
	}
	if _, err := b.Files.Get(ctx, "missing"); !errors.Is(err, broker.ErrFileNotFound) {
		t.Fatalf("missing object: %v", err)
	}
	if err := b.Files.Delete(ctx, "same"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Files.Get(ctx, "same"); !errors.Is(err, broker.ErrFileNotFound) {
		t.Fatalf("deleted object: %v", err)
	}
}

// TestFileStorePutStreamIsAnObject: PutStream writes its own chunks and
// description (not through the object store's Put), so the object store
// itself must read the object back, with the size, chunk count and digest
// its own Put records; a replaced object's chunks are purged; a reader that
// fails leaves no chunks behind.
func TestFileStorePutStreamIsAnObject(t *testing.T) {
	b, _ := brokertest.New(t)
	ctx := context.Background()
	obj, err := b.JS.ObjectStore(ctx, b.Names.Bucket())
	if err != nil {
		t.Fatal(err)
	}
	stream, err := b.JS.Stream(ctx, "OBJ_"+b.Names.Bucket())
	if err != nil {
		t.Fatal(err)
	}
	chunksOf := func(nuid string) uint64 {
		t.Helper()
		info, err := stream.Info(ctx, jetstream.WithSubjectFilter("$O."+b.Names.Bucket()+".C."+nuid))
		if err != nil {
			t.Fatal(err)
		}
		var n uint64
		for _, c := range info.State.Subjects {
			n += c
		}
		return n
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, 30000, 128 << 10, 300<<10 + 5} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(r.IntN(256))
		}
		if err := b.Files.PutStream(ctx, "direct", bytes.NewReader(data)); err != nil {
			t.Fatal(err)
		}
		got, err := obj.GetBytes(ctx, "direct")
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: the object store read %d bytes, %v", size, len(got), err)
		}
		info, err := obj.GetInfo(ctx, "direct")
		if err != nil {
			t.Fatal(err)
		}
		lib, err := obj.PutBytes(ctx, "library", data)
		if err != nil {
			t.Fatal(err)
		}
		if info.Size != lib.Size || info.Chunks != lib.Chunks || info.Digest != lib.Digest || info.Opts == nil || info.Opts.ChunkSize != lib.Opts.ChunkSize {
			t.Errorf("size %d: description %+v, the object store's own %+v", size, info, lib)
		}
		if got, err := b.Files.Get(ctx, "direct"); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: Get read %d bytes, %v", size, len(got), err)
		}
		if n := chunksOf("*"); n != uint64(info.Chunks+lib.Chunks) {
			t.Errorf("size %d: %d chunks in the bucket, want %d (old versions not purged)", size, n, info.Chunks+lib.Chunks)
		}
	}
	before := chunksOf("*")
	boom := errors.New("client went away")
	err = b.Files.PutStream(ctx, "broken", io.MultiReader(bytes.NewReader(make([]byte, 200<<10)), iotest.ErrReader(boom)))
	if !errors.Is(err, boom) {
		t.Fatalf("failing reader: %v", err)
	}
	if n := chunksOf("*"); n != before {
		t.Errorf("failing reader left %d chunks", n-before)
	}
	if _, err := b.Files.Get(ctx, "broken"); !errors.Is(err, broker.ErrFileNotFound) {
		t.Errorf("failing reader left an object: %v", err)
	}
}
