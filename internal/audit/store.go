package audit

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Append adds e to the chain inside tx.
func Append(ctx context.Context, tx pgx.Tx, e Entry) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, chainLock); err != nil {
		return fmt.Errorf("audit: lock chain: %w", err)
	}
	prev := genesis
	err := tx.QueryRow(ctx, `SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&prev)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	before, err := canonical(e.Before)
	if err != nil {
		return err
	}
	after, err := canonical(e.After)
	if err != nil {
		return err
	}
	// Timestamps are truncated to microseconds, PostgreSQL's precision, so
	// that Verify recomputes the same hash from the stored row.
	at := time.Now().UTC().Truncate(time.Microsecond)
	h := rowHash(prev, at, e.Actor, e.Action, e.Entity, e.EntityID, before, after, e.Reason)
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (at, actor, action, entity, entity_id, before, after, reason, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		at, e.Actor, e.Action, e.Entity, e.EntityID, nullJSON(before), nullJSON(after), e.Reason, prev, h)
	if err != nil {
		return fmt.Errorf("audit: append: %w", err)
	}
	return nil
}

// Verify walks the whole chain and returns every problem: a row whose hash
// does not match its content, or whose prev_hash is not the previous row's
// hash (an edit, a deletion or an insertion). It returns the number of rows
// checked.
func Verify(ctx context.Context, db Querier) (int, []Problem, error) {
	rows, err := db.Query(ctx, `SELECT seq, at, actor, action, entity, entity_id,
		coalesce(before::text, ''), coalesce(after::text, ''), reason, prev_hash, hash
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("audit: read log: %w", err)
	}
	defer rows.Close()
	var problems []Problem
	prev := genesis
	n := 0
	for rows.Next() {
		var (
			seq                                         int64
			at                                          time.Time
			actor, action, entity, id, before, after, r string
			prevHash, hash                              string
		)
		if err := rows.Scan(&seq, &at, &actor, &action, &entity, &id, &before, &after, &r, &prevHash, &hash); err != nil {
			return n, problems, err
		}
		n++
		if prevHash != prev {
			problems = append(problems, Problem{seq, "prev_hash does not match the previous row (row deleted or inserted)"})
		}
		b, err := recanonical(before)
		if err != nil {
			return n, problems, err
		}
		a, err := recanonical(after)
		if err != nil {
			return n, problems, err
		}
		if want := rowHash(prevHash, at.UTC(), actor, action, entity, id, b, a, r); want != hash {
			problems = append(problems, Problem{seq, "hash does not match the row's content (row edited)"})
		}
		prev = hash
	}
	return n, problems, rows.Err()
}

// Row is one row of the audit log as `hoso audit` shows it.
type Row struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Reason   string    `json:"reason,omitempty"`
	Before   any       `json:"before,omitempty"`
	After    any       `json:"after,omitempty"`
	PrevHash string    `json:"prev_hash,omitempty"`
	Hash     string    `json:"hash,omitempty"`
}

// RowAt reads the row seq with its hashes (pgx.ErrNoRows when deleted).
func RowAt(ctx context.Context, db Querier, seq int64) (Row, error) {
	var r Row
	rows, err := db.Query(ctx, `SELECT seq, at, actor, action, entity, entity_id, reason, before, after, prev_hash, hash
					FROM audit_log WHERE seq = $1`, seq)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return r, err
		}
		return r, pgx.ErrNoRows
	}
	err = rows.Scan(&r.Seq, &r.At, &r.Actor, &r.Action, &r.Entity, &r.EntityID, &r.Reason, &r.Before, &r.After, &r.PrevHash, &r.Hash)
	return r, err
}

// LogFilter selects rows of the log; empty fields match every row.
type LogFilter struct {
	Entity, EntityID, Actor string
	Limit                   int
}

// Log reads the log, newest first.
func Log(ctx context.Context, db Querier, f LogFilter) ([]Row, error) {
	rows, err := db.Query(ctx, `SELECT seq, at, actor, action, entity, entity_id, reason, before, after
				FROM audit_log WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2) AND ($3 = '' OR actor = $3)
				ORDER BY seq DESC LIMIT $4`, f.Entity, f.EntityID, f.Actor, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	list := []Row{}
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.Seq, &r.At, &r.Actor, &r.Action, &r.Entity, &r.EntityID, &r.Reason, &r.Before, &r.After); err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}
