package review

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
)

func (s *Service) load(ctx context.Context, tx pgx.Tx, id string) (row, error) {
	var r row
	var appr []byte
	err := tx.QueryRow(ctx, `SELECT s.id, s.key, s.kind, s.text, s.text_en, s.rationale, s.risk, s.status,
			coalesce(s.decided_by, ''), s.decided_at, s.reason, s.dossier_id, s.citizen_id, d.agency, s.approvals
		FROM suggestions s JOIN dossiers d ON d.id = s.dossier_id WHERE s.id = $1 FOR UPDATE OF s`, id).Scan(
		&r.ID, &r.Key, &r.Kind, &r.Text, &r.TextEN, &r.Rationale, &r.Risk, &r.Status, &r.DecidedBy, &r.DecidedAt, &r.Reason,
		&r.DossierID, &r.CitizenID, &r.Agency, &appr)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy đề xuất %s (suggestion not found)", id)
	}
	if err != nil {
		return r, fmt.Errorf("read suggestion %s: %w", id, err)
	}
	_ = json.Unmarshal(appr, &r.Approvals)
	return r, nil
}

// official returns the deciding official as the users table holds them,
// locked against a concurrent change of the account until the decision
// commits. Who may decide is never taken from the caller's word: an unknown
// or disabled account is refused, and the stored roles and agency (not the
// ones the caller put in by) are what authorize checks. This is the one
// check every entry point (console, API, CLI) goes through.
func official(ctx context.Context, tx pgx.Tx, by Actor) (Actor, error) {
	id := strings.TrimSpace(by.ID)
	if id == "" {
		return Actor{}, dossier.Errorf(dossier.CodeInvalid, "thiếu cán bộ thực hiện (the deciding official is required)")
	}
	var o Actor
	var disabled bool
	err := tx.QueryRow(ctx, `SELECT id, name, agency, roles, disabled FROM users WHERE id = $1 FOR SHARE`, id).
		Scan(&o.ID, &o.Name, &o.Agency, &o.Roles, &disabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return Actor{}, dossier.Errorf(dossier.CodeForbidden, "không có cán bộ %q trong hệ thống (no such official)", id)
	}
	if err != nil {
		return Actor{}, fmt.Errorf("read official %q: %w", id, err)
	}
	if disabled {
		return Actor{}, dossier.Errorf(dossier.CodeForbidden, "tài khoản cán bộ %q đã bị khoá (account disabled)", id)
	}
	return o, nil
}

// standing keeps the approvals that still count: each by a distinct
// official who exists, is active and may approve this agency's suggestions
// now. An approval recorded by an account since disabled, demoted or moved
// to another agency (or by a name that was never an account) does not count
// towards four-eyes.
func standing(ctx context.Context, tx pgx.Tx, as []approval, agency string) ([]approval, error) {
	if len(as) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.By)
	}
	rows, err := tx.Query(ctx, `SELECT id, agency, roles FROM users WHERE id = ANY($1) AND NOT disabled`, ids)
	if err != nil {
		return nil, fmt.Errorf("read approvers: %w", err)
	}
	ok := map[string]bool{}
	for rows.Next() {
		var o Actor
		if err := rows.Scan(&o.ID, &o.Agency, &o.Roles); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read approvers: %w", err)
		}
		ok[o.ID] = authorize(o, row{Agency: agency}, RoleApprover) == nil
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read approvers: %w", err)
	}
	var out []approval
	seen := map[string]bool{}
	for _, a := range as {
		if ok[a.By] && !seen[a.By] {
			seen[a.By] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// Approve approves suggestion id. A high-risk suggestion needs two distinct
// approvers: the first approval is recorded and the suggestion stays
// pending; the second approves it. editedText, when set, replaces the
// citizen-facing text (the edit is audited); a text that differs from the
// current one clears the earlier approvals, as Edit does, so that no
// citizen receives words a required approver never saw. by must be an
// active account (see official); only approvals by accounts that may still
// approve count.
func (s *Service) Approve(ctx context.Context, id string, by Actor, reason string, editedText *string) (dossier.Suggestion, error) {
	var out dossier.Suggestion
	var note *Notification
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if by, err = official(ctx, tx, by); err != nil {
			return err
		}
		if err := authorize(by, r, RoleApprover); err != nil {
			return err
		}
		if r.Status == dossier.SuggestionApproved {
			out = r.Suggestion // idempotent: approving twice is not an error
			return nil
		}
		if r.Status != dossier.SuggestionPending {
			return dossier.Errorf(dossier.CodeConflict, "đề xuất đã ở trạng thái %s (already %s)", r.Status, r.Status)
		}
		before := r.Suggestion
		if r.Approvals, err = standing(ctx, tx, r.Approvals, r.Agency); err != nil {
			return err
		}
		if editedText != nil {
			t := normalizeText(*editedText)
			if t == "" {
				return dossier.Errorf(dossier.CodeInvalid, "nội dung sửa không được để trống (edited text is empty)")
			}
			if t != r.Text {
				// The earlier approvers approved other words: like Edit,
				// a new text needs fresh approvals, and this one is the
				// first of them.
				r.Text = t
				r.Approvals = nil
			}
		}
		now := time.Now().UTC()
		for _, a := range r.Approvals {
			if a.By == by.ID {
				return dossier.Errorf(dossier.CodeConflict, "cán bộ %s đã duyệt lần một; cần một người duyệt khác (four-eyes: a second, different approver is required)", by.ID)
			}
		}
		r.Approvals = append(r.Approvals, approval{By: by.ID, At: now})
		action := "suggestion.approve"
		if r.Risk == "high" && len(r.Approvals) < 2 {
			action = "suggestion.approve_first"
		} else {
			r.Status, r.DecidedBy, r.DecidedAt, r.Reason = dossier.SuggestionApproved, by.ID, &now, reason
		}
		appr, _ := json.Marshal(r.Approvals)
		_, err = tx.Exec(ctx, `UPDATE suggestions SET status = $2, text = $3, decided_by = nullif($4, ''), decided_at = $5,
			reason = $6, approvals = $7 WHERE id = $1`, id, r.Status, r.Text, r.DecidedBy, r.DecidedAt, r.Reason, appr)
		if err != nil {
			return fmt.Errorf("update suggestion %s: %w", id, err)
		}
		if r.Status == dossier.SuggestionApproved {
			n := Notification{SuggestionID: r.ID, CitizenID: r.CitizenID, DossierID: r.DossierID, Kind: r.Kind,
				Text: r.Text, TextEN: r.TextEN, ApprovedAt: now}
			for _, a := range r.Approvals {
				n.ApprovedBy = append(n.ApprovedBy, a.By)
			}
			_, err = tx.Exec(ctx, `INSERT INTO citizen_inbox (citizen_id, suggestion_id, dossier_id, kind, text, text_en)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (suggestion_id) DO NOTHING`,
				r.CitizenID, r.ID, r.DossierID, r.Kind, r.Text, r.TextEN)
			if err != nil {
				return fmt.Errorf("write inbox for %s: %w", id, err)
			}
			note = &n
		}
		out = r.Suggestion
		return audit.Append(ctx, tx, audit.Entry{Actor: by.ID, Action: action, Entity: "suggestion", EntityID: id,
			Before: before, After: r.Suggestion, Reason: reason})
	})
	if err != nil {
		return out, err
	}
	if note != nil {
		s.publish(ctx, *note)
	}
	return out, nil
}

func (s *Service) change(ctx context.Context, id string, by Actor, action, reason string, f func(*row) error) (dossier.Suggestion, error) {
	var out dossier.Suggestion
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		r, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if by, err = official(ctx, tx, by); err != nil {
			return err
		}
		if err := authorize(by, r, RoleReviewer, RoleApprover); err != nil {
			return err
		}
		if action == "suggestion.reject" && r.Status == dossier.SuggestionRejected {
			out = r.Suggestion
			return nil
		}
		if r.Status != dossier.SuggestionPending {
			return dossier.Errorf(dossier.CodeConflict, "đề xuất đã ở trạng thái %s (already %s)", r.Status, r.Status)
		}
		before := r.Suggestion
		if err := f(&r); err != nil {
			return err
		}
		appr, _ := json.Marshal(r.Approvals)
		if r.Approvals == nil {
			appr = []byte("[]")
		}
		_, err = tx.Exec(ctx, `UPDATE suggestions SET status = $2, text = $3, decided_by = nullif($4, ''), decided_at = $5,
			reason = $6, approvals = $7 WHERE id = $1`, id, r.Status, r.Text, r.DecidedBy, r.DecidedAt, r.Reason, appr)
		if err != nil {
			return fmt.Errorf("update suggestion %s: %w", id, err)
		}
		out = r.Suggestion
		return audit.Append(ctx, tx, audit.Entry{Actor: by.ID, Action: action, Entity: "suggestion", EntityID: id,
			Before: before, After: r.Suggestion, Reason: reason})
	})
	return out, err
}

// publish sends n and marks the inbox row published; a failure is left to
// the relay.
func (s *Service) publish(ctx context.Context, n Notification) {
	if s.Notifier == nil {
		return
	}
	if err := s.Notifier.Notify(ctx, n); err != nil {
		if s.Log != nil {
			s.Log.Warn("notification not published yet; the relay will retry", "suggestion", n.SuggestionID, "err", err)
		}
		return
	}
	_, _ = s.Pool.Exec(context.WithoutCancel(ctx), `UPDATE citizen_inbox SET published_at = now() WHERE suggestion_id = $1 AND published_at IS NULL`, n.SuggestionID)
}

// Relay publishes every approved notification not yet published (after a
// crash between commit and publish, or a broker outage). It returns how many
// it published.
func (s *Service) Relay(ctx context.Context) (int, error) {
	if s.Notifier == nil {
		return 0, nil
	}
	rows, err := s.Pool.Query(ctx, `SELECT i.suggestion_id, i.citizen_id, coalesce(i.dossier_id, ''), i.kind, i.text, i.text_en,
			s.approvals, coalesce(s.decided_at, i.created_at)
		FROM citizen_inbox i JOIN suggestions s ON s.id = i.suggestion_id
		WHERE i.published_at IS NULL AND s.status = 'approved' ORDER BY i.id LIMIT 500`)
	if err != nil {
		return 0, fmt.Errorf("relay: %w", err)
	}
	var pending []Notification
	for rows.Next() {
		var n Notification
		var appr []byte
		if err := rows.Scan(&n.SuggestionID, &n.CitizenID, &n.DossierID, &n.Kind, &n.Text, &n.TextEN, &appr, &n.ApprovedAt); err != nil {
			rows.Close()
			return 0, err
		}
		var as []approval
		_ = json.Unmarshal(appr, &as)
		for _, a := range as {
			n.ApprovedBy = append(n.ApprovedBy, a.By)
		}
		pending = append(pending, n)
	}
	rows.Close()
	sent := 0
	for _, n := range pending {
		if err := s.Notifier.Notify(ctx, n); err != nil {
			return sent, fmt.Errorf("relay %s: %w", n.SuggestionID, err)
		}
		if _, err := s.Pool.Exec(ctx, `UPDATE citizen_inbox SET published_at = now() WHERE suggestion_id = $1`, n.SuggestionID); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Inbox returns a citizen's approved messages, newest first. A non-empty
// agency limits them to that agency's dossiers (what an official may see).
func Inbox(ctx context.Context, pool *pgxpool.Pool, citizenID, agency string) ([]InboxItem, error) {
	rows, err := pool.Query(ctx, `SELECT i.id, i.suggestion_id, coalesce(i.dossier_id, ''), i.kind, i.text, i.text_en, i.created_at,
			i.published_at IS NOT NULL, i.response, i.responded_at
		FROM citizen_inbox i LEFT JOIN dossiers d ON d.id = i.dossier_id
		WHERE i.citizen_id = $1 AND ($2 = '' OR d.agency = $2) ORDER BY i.created_at DESC, i.id DESC`, citizenID, agency)
	if err != nil {
		return nil, fmt.Errorf("read inbox of %s: %w", citizenID, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (InboxItem, error) {
		var it InboxItem
		err := r.Scan(&it.ID, &it.SuggestionID, &it.DossierID, &it.Kind, &it.Text, &it.TextEN, &it.CreatedAt, &it.Published, &it.Response, &it.RespondedAt)
		return it, err
	})
	if items == nil {
		items = []InboxItem{}
	}
	return items, err
}
