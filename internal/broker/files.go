package broker

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// FileStore keeps submitted files in the NATS object store. Objects are
// written once and never changed: the key names the dossier and the sha256.
type FileStore struct {
	obj jetstream.ObjectStore
	// chunks is the object store's stream, read message by message for
	// Get; nil reads through obj alone.
	chunks jetstream.Stream
	// js publishes PutStream's chunks and description (with chunks); nil
	// writes through obj alone.
	js     jetstream.JetStream
	bucket string
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
	var err error
	if f.js != nil && f.chunks != nil {
		err = f.putDirect(ctx, key, r)
	} else {
		_, err = f.obj.Put(ctx, jetstream.ObjectMeta{Name: key}, r)
	}
	if err != nil {
		return fmt.Errorf("store file %s: %w", key, err)
	}
	return nil
}

// Object store subjects and defaults, as nats.go's object store writes them.
const (
	objChunkSize    = 128 << 10
	objDigestPrefix = "SHA-256="
)

// chunkBufs are putDirect's chunk buffers, reused: a new 128 KiB a file
// was a tenth of the bytes the process allocated for a sample dossier.
// PublishMsg has copied a chunk into the connection's buffer (and the
// server acknowledged it) before the buffer is read into again.
var chunkBufs = sync.Pool{New: func() any { b := make([]byte, objChunkSize); return &b }}

// putDirect writes an object as the object store's Put does (the chunks on
// $O.<bucket>.C.<nuid>, then the description on $O.<bucket>.M.<name> as a
// subject rollup, then the previous version's chunks purged), published
// through the broker's JetStream context. Put creates a JetStream context
// of its own for every object, with its own reply subscription that the
// server must add and remove: with the description lookup, the largest
// share of a submission's CPU outside PostgreSQL. Chunks are published one
// by one, acknowledged; when r fails, the chunks sent are purged and r's
// error returned.
func (f *FileStore) putDirect(ctx context.Context, key string, r io.Reader) error {
	old, err := f.obj.GetInfo(ctx, key, jetstream.GetObjectInfoShowDeleted())
	if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return err
	}
	id := nuid.Next()
	chunkSubj := "$O." + f.bucket + ".C." + id
	purge := func() { _ = f.chunks.Purge(context.WithoutCancel(ctx), jetstream.WithPurgeSubject(chunkSubj)) }
	h := sha256.New()
	bp := chunkBufs.Get().(*[]byte)
	defer chunkBufs.Put(bp)
	buf := *bp
	var size uint64
	var chunks uint32
	for {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			h.Write(buf[:n])
			if _, err := f.js.PublishMsg(ctx, &nats.Msg{Subject: chunkSubj, Data: buf[:n]}); err != nil {
				purge()
				return err
			}
			size += uint64(n)
			chunks++
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			purge()
			return rerr
		}
	}
	info := jetstream.ObjectInfo{
		ObjectMeta: jetstream.ObjectMeta{Name: key, Opts: &jetstream.ObjectMetaOptions{ChunkSize: objChunkSize}},
		Bucket:     f.bucket, NUID: id, Size: size, Chunks: chunks,
		Digest: objDigestPrefix + base64.URLEncoding.EncodeToString(h.Sum(nil)),
	}
	meta, err := json.Marshal(&info)
	if err != nil {
		purge()
		return err
	}
	mm := nats.NewMsg("$O." + f.bucket + ".M." + base64.URLEncoding.EncodeToString([]byte(key)))
	mm.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupSubject)
	mm.Data = meta
	if _, err := f.js.PublishMsg(ctx, mm); err != nil {
		purge()
		return err
	}
	if old != nil && !old.Deleted && old.NUID != "" {
		_ = f.chunks.Purge(ctx, jetstream.WithPurgeSubject("$O."+f.bucket+".C."+old.NUID))
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
