package broker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"

	"github.com/nats-io/nats.go/jetstream"
)

// FileStore keeps submitted files in the NATS object store. Objects are
// written once and never changed: the key names the dossier and the sha256.
type FileStore struct {
	obj jetstream.ObjectStore
	// chunks is the object store's stream, read message by message for
	// Get; nil reads through obj alone.
	chunks jetstream.Stream
}

// ErrFileNotFound is returned by Get for a missing object.
var ErrFileNotFound = errors.New("file not found in object store")

// Put stores data under key. Putting the same key again overwrites it with
// the same bytes, so a retried submission is harmless.
func (f *FileStore) Put(ctx context.Context, key string, data []byte) error {
	if _, err := f.obj.PutBytes(ctx, key, data); err != nil {
		return fmt.Errorf("store file %s: %w", key, err)
	}
	return nil
}

// PutStream stores what r yields under key, in the object store's chunks,
// without holding it whole. When r fails, the object store removes the
// chunks already sent and r's error is returned (wrapped).
func (f *FileStore) PutStream(ctx context.Context, key string, r io.Reader) error {
	if _, err := f.obj.Put(ctx, jetstream.ObjectMeta{Name: key}, r); err != nil {
		return fmt.Errorf("store file %s: %w", key, err)
	}
	return nil
}

// Get returns the bytes stored under key.
func (f *FileStore) Get(ctx context.Context, key string) ([]byte, error) {
	if f.chunks != nil {
		if b, ok, err := f.getChunks(ctx, key); ok {
			return b, err
		}
	}
	b, err := f.obj.GetBytes(ctx, key)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("get file %s: %w", key, ErrFileNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get file %s: %w", key, err)
	}
	return b, nil
}

// maxDirectChunks bounds the objects that getChunks reads; larger ones
// stream through the object store's own consumer.
const maxDirectChunks = 16

// getChunks reads a small object with one direct get for its description
// and one per chunk (128 KiB), and checks its size and digest as the
// object store does. The object store's own Get creates and deletes an
// ordered consumer for every read: two JetStream API requests, a
// subscription and the server's interest bookkeeping, about 2 ms of CPU a
// dossier in BenchmarkEndToEnd, more than the reads themselves. ok is false
// when the object is not one it reads (a link, many chunks) or changed while
// it was read (replaced, or a replica behind): Get then reads it the usual
// way.
func (f *FileStore) getChunks(ctx context.Context, key string) (b []byte, ok bool, err error) {
	info, err := f.obj.GetInfo(ctx, key)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, true, fmt.Errorf("get file %s: %w", key, ErrFileNotFound)
	}
	if err != nil {
		return nil, true, fmt.Errorf("get file %s: %w", key, err)
	}
	if info.Opts != nil && info.Opts.Link != nil || info.NUID == "" || info.Chunks > maxDirectChunks {
		return nil, false, nil
	}
	const digestPrefix = "SHA-256="
	want, derr := base64.URLEncoding.DecodeString(info.Digest[min(len(digestPrefix), len(info.Digest)):])
	if len(info.Digest) < len(digestPrefix) || info.Digest[:len(digestPrefix)] != digestPrefix || derr != nil {
		return nil, false, nil
	}
	subject := "$O." + info.Bucket + ".C." + info.NUID
	b = make([]byte, 0, info.Size)
	h := sha256.New()
	seq := uint64(1)
	for range info.Chunks {
		m, err := f.chunks.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if err != nil {
			if ctx.Err() != nil {
				return nil, true, fmt.Errorf("get file %s: %w", key, ctx.Err())
			}
			return nil, false, nil
		}
		b = append(b, m.Data...)
		h.Write(m.Data)
		seq = m.Sequence + 1
	}
	if uint64(len(b)) != info.Size || !bytes.Equal(h.Sum(nil), want) {
		return nil, false, nil
	}
	return b, true, nil
}

// Delete removes key (used to undo a half-stored submission).
func (f *FileStore) Delete(ctx context.Context, key string) error {
	err := f.obj.Delete(ctx, key)
	if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("delete file %s: %w", key, err)
	}
	return nil
}
