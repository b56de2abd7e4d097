package citizen

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/workcal"
)

// store holds the package's SQL (the storage adapter).
type store struct {
	pool *pgxpool.Pool
}

func (s *Service) store() store { return store{pool: s.Pool} }

// insertCode stores a code unless the citizen or the client asked for too
// many in the last hour; then it returns how long to wait. The advisory
// lock serialises requests for one citizen so that concurrent requests
// cannot all pass the count.
func (st store) insertCode(ctx context.Context, citizenID, codeHash, linkHash, client string, now, expires time.Time) (id int64, wait time.Duration, err error) {
	err = pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('citizen_codes:' || $1))`, citizenID); err != nil {
			return err
		}
		since := now.Add(-throttleWindow)
		var perCitizen, perClient int
		var oldest time.Time
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE citizen_id = $1),
				count(*) FILTER (WHERE client = $2 AND $2 <> ''),
				coalesce(min(created_at) FILTER (WHERE citizen_id = $1), $4)
			FROM citizen_codes WHERE created_at > $3 AND (citizen_id = $1 OR (client = $2 AND $2 <> ''))`,
			citizenID, client, since, now).Scan(&perCitizen, &perClient, &oldest); err != nil {
			return fmt.Errorf("count sign-in codes: %w", err)
		}
		if perCitizen >= MaxCodesPerCitizen || perClient >= MaxCodesPerClient {
			wait = max(oldest.Add(throttleWindow).Sub(now), time.Minute)
			if perClient >= MaxCodesPerClient {
				wait = throttleWindow
			}
			return audit.Append(ctx, tx, audit.Entry{Actor: ActorPrefix + citizenID, Action: "citizen.code_throttled", Entity: "citizen", EntityID: citizenID,
				After: map[string]any{"client": client, "per_citizen": perCitizen, "per_client": perClient}})
		}
		// Housekeeping: the citizen's codes older than a day and expired
		// sessions go (the audit log keeps what happened).
		if _, err := tx.Exec(ctx, `DELETE FROM citizen_codes WHERE citizen_id = $1 AND created_at < $2`, citizenID, now.Add(-24*time.Hour)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM citizen_sessions WHERE citizen_id = $1 AND expires_at < $2`, citizenID, now); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO citizen_codes (citizen_id, code_hash, link_hash, client, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, citizenID, codeHash, linkHash, client, now, expires).Scan(&id); err != nil {
			return fmt.Errorf("store sign-in code: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: ActorPrefix + citizenID, Action: "citizen.code_issue", Entity: "citizen", EntityID: citizenID,
			After: map[string]any{"code_id": id, "expires_at": expires, "client": client}})
	})
	return id, wait, err
}

type codeRow struct {
	id                 int64
	citizen            string
	linkHash, codeHash string
	expires            time.Time
	attempts           int
	used               bool
}

// consume finds the live code that match accepts — by link hash when given,
// else among citizenID's live codes — marks it used and starts sess. A miss
// counts an attempt against every live code of the citizen and is audited;
// it returns ok false with a nil error so that the count is committed.
func (st store) consume(ctx context.Context, citizenID, linkHash, client string, now time.Time, match func(linkHash, codeHash string) bool, sess Session) (cid string, ok bool, err error) {
	err = pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		var rows pgx.Rows
		var err error
		if linkHash != "" {
			rows, err = tx.Query(ctx, `SELECT id, citizen_id, link_hash, code_hash, expires_at, attempts, used_at IS NOT NULL
				FROM citizen_codes WHERE link_hash = $1 FOR UPDATE`, linkHash)
		} else {
			rows, err = tx.Query(ctx, `SELECT id, citizen_id, link_hash, code_hash, expires_at, attempts, used_at IS NOT NULL
				FROM citizen_codes WHERE citizen_id = $1 AND used_at IS NULL AND expires_at > $2 AND attempts < $3
				ORDER BY created_at DESC LIMIT 10 FOR UPDATE`, citizenID, now, MaxAttempts)
		}
		if err != nil {
			return fmt.Errorf("read sign-in codes: %w", err)
		}
		codes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (codeRow, error) {
			var c codeRow
			err := r.Scan(&c.id, &c.citizen, &c.linkHash, &c.codeHash, &c.expires, &c.attempts, &c.used)
			return c, err
		})
		if err != nil {
			return err
		}
		for _, c := range codes {
			if c.used || !c.expires.After(now) || c.attempts >= MaxAttempts || !match(c.linkHash, c.codeHash) {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE citizen_codes SET used_at = $2 WHERE id = $1`, c.id, now); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO citizen_sessions (id_hash, citizen_id, csrf, method, created_at, expires_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, hashSecret(sess.ID), c.citizen, sess.CSRF, sess.Method, now, sess.ExpiresAt); err != nil {
				return fmt.Errorf("start citizen session: %w", err)
			}
			cid, ok = c.citizen, true
			return audit.Append(ctx, tx, audit.Entry{Actor: ActorPrefix + c.citizen, Action: "citizen.sign_in", Entity: "citizen", EntityID: c.citizen,
				After: map[string]any{"method": sess.Method, "code_id": c.id, "client": client}})
		}
		if citizenID != "" {
			if _, err := tx.Exec(ctx, `UPDATE citizen_codes SET attempts = attempts + 1
				WHERE citizen_id = $1 AND used_at IS NULL AND expires_at > $2`, citizenID, now); err != nil {
				return err
			}
		}
		return failedTx(ctx, tx, citizenID, client, sess.Method)
	})
	return cid, ok, err
}

func failedTx(ctx context.Context, tx pgx.Tx, citizenID, client, how string) error {
	id := citizenID
	if id == "" {
		id = "unknown"
	}
	return audit.Append(ctx, tx, audit.Entry{Actor: ActorPrefix + id, Action: "citizen.sign_in_failed", Entity: "citizen", EntityID: id,
		After: map[string]any{"method": how, "client": client}})
}

// failed audits a refused attempt that never reached the codes.
func (st store) failed(ctx context.Context, citizenID, client, how string) error {
	if len(citizenID) > 64 {
		citizenID = citizenID[:64]
	}
	return pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error { return failedTx(ctx, tx, citizenID, client, how) })
}

// refused audits a refused vouched sign-in with its reason.
func (st store) refused(ctx context.Context, citizenID, client, method, why string) error {
	id := citizenID
	if id == "" || len(id) > 64 {
		id = "unknown"
	}
	return audit.Record(ctx, st.pool, audit.Entry{Actor: ActorPrefix + id, Action: "citizen.sign_in_failed", Entity: "citizen", EntityID: id,
		After: map[string]any{"method": method, "client": client, "why": why}})
}

// startVouched stores a session vouched for by an identity provider.
func (st store) startVouched(ctx context.Context, sess Session, subject, client string, now time.Time) error {
	return pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO citizen_sessions (id_hash, citizen_id, csrf, method, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, hashSecret(sess.ID), sess.CitizenID, sess.CSRF, sess.Method, now, sess.ExpiresAt); err != nil {
			return fmt.Errorf("start citizen session: %w", err)
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: ActorPrefix + sess.CitizenID, Action: "citizen.sign_in", Entity: "citizen", EntityID: sess.CitizenID,
			After: map[string]any{"method": sess.Method, "subject": subject, "client": client}})
	})
}

// vouchedAttempts counts client's sign-ins and refusals with method since
// then, from the audit log (a vouched sign-in leaves no code row to count).
func (st store) vouchedAttempts(ctx context.Context, client, method string, since time.Time) (int, error) {
	var n int
	err := st.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log
		WHERE at > $3 AND action IN ('citizen.sign_in', 'citizen.sign_in_failed')
		  AND after->>'method' = $2 AND after->>'client' = $1`, client, method, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sign-in attempts: %w", err)
	}
	return n, nil
}

func (st store) session(ctx context.Context, idHash string, now time.Time) (Session, error) {
	var s Session
	err := st.pool.QueryRow(ctx, `SELECT citizen_id, csrf, method, expires_at FROM citizen_sessions WHERE id_hash = $1 AND expires_at > $2`,
		idHash, now).Scan(&s.CitizenID, &s.CSRF, &s.Method, &s.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, ErrNoSession
	}
	if err != nil {
		return s, fmt.Errorf("read citizen session: %w", err)
	}
	return s, nil
}

func (st store) endSession(ctx context.Context, idHash, actor string) error {
	return pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM citizen_sessions WHERE id_hash = $1`, idHash)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "citizen.sign_out", Entity: "citizen", EntityID: actor[len(ActorPrefix):]})
	})
}

func (st store) dossiers(ctx context.Context, citizenID string) ([]Dossier, error) {
	rows, err := st.pool.Query(ctx, `SELECT d.id, d.procedure_code, coalesce(pn.name, ''), d.agency, d.status, d.submitted_at,
			coalesce(pn.processing_days, 0), a.accepted_at, r.score, r.comment, r.updated_at
		FROM dossiers d
		LEFT JOIN procedure_names pn ON pn.code = d.procedure_code
		LEFT JOIN dossier_acceptances a ON a.dossier_id = d.id
		LEFT JOIN satisfaction_ratings r ON r.dossier_id = d.id
		WHERE d.applicant_id = $1 ORDER BY d.submitted_at DESC, d.id LIMIT 200`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("dossiers of %s: %w", citizenID, err)
	}
	cal := workcal.Vietnam()
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Dossier, error) {
		var d Dossier
		var score *int16
		var comment *string
		var at *time.Time
		if err := r.Scan(&d.ID, &d.ProcedureCode, &d.ProcedureName, &d.Agency, &d.Status, &d.SubmittedAt, &d.ProcessingDays,
			&d.DecidedAt, &score, &comment, &at); err != nil {
			return d, err
		}
		if d.ProcessingDays > 0 && d.Status != "draft" {
			d.Due = cal.Deadline(d.SubmittedAt, d.ProcessingDays)
		}
		if score != nil {
			d.Rating = &Rating{DossierID: d.ID, Score: int(*score), Comment: *comment, At: *at}
		}
		return d, nil
	})
	if out == nil {
		out = []Dossier{}
	}
	return out, err
}

func (st store) rate(ctx context.Context, citizenID, dossierID string, score int, comment string, now time.Time) (Rating, error) {
	out := Rating{DossierID: dossierID, Score: score, Comment: comment, At: now}
	err := pgx.BeginFunc(ctx, st.pool, func(tx pgx.Tx) error {
		var owner string
		var decided bool
		err := tx.QueryRow(ctx, `SELECT d.applicant_id, EXISTS (SELECT 1 FROM dossier_acceptances a WHERE a.dossier_id = d.id)
			FROM dossiers d WHERE d.id = $1 FOR UPDATE`, dossierID).Scan(&owner, &decided)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && owner != citizenID) {
			return dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s của ông/bà (dossier not found)", dossierID)
		}
		if err != nil {
			return err
		}
		if !decided {
			return dossier.Errorf(dossier.CodeConflict, "hồ sơ chưa có quyết định, chưa thể đánh giá (the dossier has no decision yet)")
		}
		var old Rating
		err = tx.QueryRow(ctx, `SELECT score, comment, updated_at FROM satisfaction_ratings WHERE dossier_id = $1`, dossierID).Scan(&old.Score, &old.Comment, &old.At)
		switch {
		case err == nil && old.Score == score && old.Comment == comment:
			out.At = old.At
			return nil // the same rating again: nothing to write
		case err != nil && !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO satisfaction_ratings (dossier_id, citizen_id, score, comment, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)
			ON CONFLICT (dossier_id) DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at`,
			dossierID, citizenID, score, comment, now); err != nil {
			return fmt.Errorf("store rating of %s: %w", dossierID, err)
		}
		var before any
		if old.Score != 0 {
			before = map[string]any{"score": old.Score}
		}
		// The comment stays out of the audit row: it is the citizen's own
		// words, kept once, in the rating.
		return audit.Append(ctx, tx, audit.Entry{Actor: ActorPrefix + citizenID, Action: "citizen.rate", Entity: "dossier", EntityID: dossierID,
			Before: before, After: map[string]any{"score": score, "comment": comment != ""}})
	})
	return out, err
}

// proactive returns the citizen's inbox items that a proactive rule made
// (the citizen may accept or decline them).
func (st store) proactive(ctx context.Context, citizenID string) (map[int64]bool, error) {
	rows, err := st.pool.Query(ctx, `SELECT i.id FROM citizen_inbox i JOIN trigger_suggestions t ON t.suggestion_id = i.suggestion_id
		WHERE i.citizen_id = $1`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("proactive items of %s: %w", citizenID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}
