package broker

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/nats-io/nats.go/jetstream"
)

// FileStore keeps submitted files in the NATS object store. Objects are
// written once and never changed: the key names the dossier and the sha256.
type FileStore struct {
	obj jetstream.ObjectStore
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
	b, err := f.obj.GetBytes(ctx, key)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, fmt.Errorf("get file %s: %w", key, ErrFileNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("get file %s: %w", key, err)
	}
	return b, nil
}

// Delete removes key (used to undo a half-stored submission).
func (f *FileStore) Delete(ctx context.Context, key string) error {
	err := f.obj.Delete(ctx, key)
	if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("delete file %s: %w", key, err)
	}
	return nil
}
