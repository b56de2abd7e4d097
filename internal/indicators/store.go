package indicators

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// store holds the package's SQL (the storage adapter). Every query takes a
// half-open interval [from, to) and groups by the dossier's agency; the
// caller buckets rows into months (Asia/Ho_Chi_Minh).
type store struct{ pool *pgxpool.Pool }

// submittedRow: a dossier submitted in the interval.
type submittedRow struct {
	agency     string
	at         time.Time
	prechecked bool // the check stage ran (the AI pre-check)
	required   int  // applicable completeness findings
	reused     int  // of which satisfied by reuse (once-only)
}

func (st store) submitted(ctx context.Context, from, to time.Time) ([]submittedRow, error) {
	rows, err := st.pool.Query(ctx, `SELECT d.agency, d.submitted_at,
			EXISTS (SELECT 1 FROM stage_runs r WHERE r.dossier_id = d.id AND r.stage = 'check' AND r.outcome = 'ok'),
			count(f.id) FILTER (WHERE f.status <> 'not_applicable'),
			count(f.id) FILTER (WHERE f.status = 'satisfied_by_reuse')
		FROM dossiers d LEFT JOIN findings f ON f.dossier_id = d.id AND f.kind = 'completeness'
		WHERE d.submitted_at >= $1 AND d.submitted_at < $2 AND d.status NOT IN ('draft', 'proactive')
		GROUP BY d.id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("indicators: submitted dossiers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (submittedRow, error) {
		var x submittedRow
		err := r.Scan(&x.agency, &x.at, &x.prechecked, &x.required, &x.reused)
		return x, err
	})
}

// decisionRow: a dossier an official accepted in the interval.
type decisionRow struct {
	agency         string
	submitted, at  time.Time
	processingDays float64
}

func (st store) decisions(ctx context.Context, from, to time.Time) ([]decisionRow, error) {
	rows, err := st.pool.Query(ctx, `SELECT d.agency, d.submitted_at, a.accepted_at, coalesce(pn.processing_days, 0)
		FROM dossier_acceptances a JOIN dossiers d ON d.id = a.dossier_id
		LEFT JOIN procedure_names pn ON pn.code = d.procedure_code
		WHERE a.accepted_at >= $1 AND a.accepted_at < $2`, from, to)
	if err != nil {
		return nil, fmt.Errorf("indicators: decisions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (decisionRow, error) {
		var x decisionRow
		err := r.Scan(&x.agency, &x.submitted, &x.at, &x.processingDays)
		return x, err
	})
}

// reviewRow: a suggestion an official decided in the interval.
type reviewRow struct {
	agency string
	at     time.Time
	status string // approved | rejected
	edited bool   // its text was changed by an official before approval
}

func (st store) reviews(ctx context.Context, from, to time.Time) ([]reviewRow, error) {
	rows, err := st.pool.Query(ctx, `SELECT d.agency, s.decided_at, s.status,
			EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'suggestion' AND a.entity_id = s.id
				AND (a.action = 'suggestion.edit'
					OR (a.action IN ('suggestion.approve', 'suggestion.approve_first') AND a.before->>'text' IS DISTINCT FROM a.after->>'text')))
		FROM suggestions s JOIN dossiers d ON d.id = s.dossier_id
		WHERE s.decided_at >= $1 AND s.decided_at < $2 AND s.status IN ('approved', 'rejected')`, from, to)
	if err != nil {
		return nil, fmt.Errorf("indicators: reviewed suggestions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (reviewRow, error) {
		var x reviewRow
		err := r.Scan(&x.agency, &x.at, &x.status, &x.edited)
		return x, err
	})
}

// auditRow: a sampled pre-check that a reviewer audited in the interval.
type auditRow struct {
	agency   string
	at       time.Time
	disagree bool // the reviewer corrected the AI's findings
}

func (st store) audits(ctx context.Context, from, to time.Time) ([]auditRow, error) {
	rows, err := st.pool.Query(ctx, `SELECT d.agency, s.reviewed_at, s.outcome = 'disagree'
		FROM audit_samples s JOIN dossiers d ON d.id = s.dossier_id
		WHERE s.reviewed_at >= $1 AND s.reviewed_at < $2`, from, to)
	if err != nil {
		return nil, fmt.Errorf("indicators: audited pre-checks: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (auditRow, error) {
		var x auditRow
		err := r.Scan(&x.agency, &x.at, &x.disagree)
		return x, err
	})
}

// ratingRow: a citizen's rating first given in the interval.
type ratingRow struct {
	agency string
	at     time.Time
	score  int
}

func (st store) ratings(ctx context.Context, from, to time.Time) ([]ratingRow, error) {
	rows, err := st.pool.Query(ctx, `SELECT d.agency, r.created_at, r.score
		FROM satisfaction_ratings r JOIN dossiers d ON d.id = r.dossier_id
		WHERE r.created_at >= $1 AND r.created_at < $2`, from, to)
	if err != nil {
		return nil, fmt.Errorf("indicators: ratings: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ratingRow, error) {
		var x ratingRow
		var s int16
		err := r.Scan(&x.agency, &x.at, &s)
		x.score = int(s)
		return x, err
	})
}
