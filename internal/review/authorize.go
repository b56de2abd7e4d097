package review

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Authorize checks inside tx that by is an active official (as the users
// table holds them, never the caller's word) who may act with one of roles
// on agency's dossiers (an admin may act everywhere), and returns the
// official as stored. Other decisions on a pre-check (internal/correction)
// go through the same check as suggestions.
func Authorize(ctx context.Context, tx pgx.Tx, by Actor, agency string, roles ...string) (Actor, error) {
	o, err := official(ctx, tx, by)
	if err != nil {
		return Actor{}, err
	}
	if err := authorize(o, row{Agency: agency}, roles...); err != nil {
		return o, err
	}
	return o, nil
}
