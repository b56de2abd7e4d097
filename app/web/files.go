package web

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
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
