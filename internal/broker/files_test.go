package broker_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

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
