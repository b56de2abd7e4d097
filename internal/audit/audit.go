// Package audit provides hoso's tamper-evident audit trail: every action
// (who, when, before, after) is appended to audit_log, each row hashed
// together with the previous row's hash, so that Verify detects any edited,
// inserted or deleted row.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// genesis is the prev_hash of the first row.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// chainLock serialises appends so that the chain has one order.
const chainLock = 7106514

// Entry is one audited action.
type Entry struct {
	Actor    string // official id, "system", or "citizen:<id>"
	Action   string // e.g. suggestion.approve, dossier.view, user.add
	Entity   string // suggestion, dossier, user…
	EntityID string
	Before   any // state before (nil for creations and views)
	After    any // state after
	Reason   string
}

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

// Beginner starts transactions (a *pgxpool.Pool).
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Record appends e in its own transaction, for actions that change nothing
// else (views, sign-ins).
func Record(ctx context.Context, db Beginner, e Entry) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return Append(ctx, tx, e) })
}

// Problem is one break in the chain found by Verify.
type Problem struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// Querier runs queries (a *pgxpool.Pool or a pgx.Tx).
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
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

func rowHash(prev string, at time.Time, actor, action, entity, id, before, after, reason string) string {
	h := sha256.New()
	for _, s := range []string{prev, at.Format(time.RFC3339Nano), actor, action, entity, id, before, after, reason} {
		fmt.Fprintf(h, "%d:%s|", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// canonical encodes v as JSON with sorted keys (by round-tripping through
// map[string]any), so that the hash does not depend on jsonb's key order.
func canonical(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: encode: %w", err)
	}
	return recanonical(string(b))
}

func recanonical(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	var x any
	if err := json.Unmarshal([]byte(s), &x); err != nil {
		return "", fmt.Errorf("audit: decode: %w", err)
	}
	b, err := json.Marshal(x) // encoding/json sorts map keys
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func nullJSON(s string) any {
	if s == "" {
		return nil
	}
	return s
}
