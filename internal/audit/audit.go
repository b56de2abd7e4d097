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
