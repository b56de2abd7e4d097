package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// objectGetter reads an object's bytes by key (internal/broker's *FileStore).
type objectGetter interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// ObjectFiles is the FileSource over the NATS object store: it finds the
// document's object key and content type in PostgreSQL and reads the bytes.
type ObjectFiles struct {
	Pool  *pgxpool.Pool
	Store objectGetter
}

// Open returns the bytes of document documentID of dossier dossierID.
func (f ObjectFiles) Open(ctx context.Context, dossierID, documentID string) (io.ReadCloser, string, error) {
	var key, ctype string
	err := f.Pool.QueryRow(ctx, `SELECT object_key, content_type FROM documents WHERE id = $1 AND dossier_id = $2`, documentID, dossierID).Scan(&key, &ctype)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", dossier.Errorf(dossier.CodeNotFound, "không có tài liệu %s (no such document)", documentID)
	}
	if err != nil {
		return nil, "", fmt.Errorf("look up document %s: %w", documentID, err)
	}
	b, err := f.Store.Get(ctx, key)
	if err != nil {
		return nil, "", fmt.Errorf("open document %s: %w", documentID, err)
	}
	return io.NopCloser(bytes.NewReader(b)), ctype, nil
}
