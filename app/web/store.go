package web

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// Article joins an article's chunks (its intro and clauses) in order. Of
// several stored texts of one document number, the consolidated one wins,
// then the most recently imported.
func (s SQLArticles) Article(ctx context.Context, document string, number int) (Article, error) {
	rows, err := s.Pool.Query(ctx, `WITH doc AS (
			SELECT id, number, title FROM regulation_documents WHERE number = $1
			ORDER BY (source_kind = 'consolidated') DESC, imported_at DESC, id DESC LIMIT 1)
		SELECT doc.number, doc.title, c.article_title, c.text
		FROM doc JOIN regulation_chunks c ON c.document_id = doc.id
		WHERE c.article = $2 ORDER BY c.clause NULLS FIRST, c.id`, document, number)
	if err != nil {
		return Article{}, fmt.Errorf("read article %d of %s: %w", number, document, err)
	}
	defer rows.Close()
	a := Article{Document: document, Number: number}
	var parts []string
	for rows.Next() {
		var text string
		if err := rows.Scan(&a.Document, &a.DocTitle, &a.Title, &text); err != nil {
			return a, err
		}
		parts = append(parts, text)
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	if len(parts) == 0 {
		return a, dossier.Errorf(dossier.CodeNotFound, "không có Điều %d của %s (article not found)", number, document)
	}
	a.Text = strings.Join(parts, "\n")
	return a, nil
}

func (c *Console) loadQueueItem(ctx context.Context, id string) (QueueItem, error) {
	var it QueueItem
	var version string
	var days float64
	err := c.d.Pool.QueryRow(ctx, `SELECT d.id, d.procedure_code, coalesce(pn.name, ''), d.status, d.submitted_at,
		coalesce(pn.processing_days, 0),
		(SELECT count(*) FROM documents x WHERE x.dossier_id = d.id),
		coalesce((SELECT min(x.confidence) FROM documents x WHERE x.dossier_id = d.id), -1), d.pipeline_version
		FROM dossiers d LEFT JOIN procedure_names pn ON pn.code = d.procedure_code WHERE d.id = $1`, id).
		Scan(&it.ID, &it.ProcedureCode, &it.ProcedureName, &it.Status, &it.SubmittedAt, &days, &it.Documents, &it.MinConfidence, &version)
	if err != nil {
		return it, fmt.Errorf("load dossier %s: %w", id, err)
	}
	p := c.procedure(ctx, map[string]procInfo{}, it.ProcedureCode, it.SubmittedAt, procInfo{name: it.ProcedureName, days: days})
	it.ProcedureName = p.name
	c.deadlines(&it, p.days, c.cfg.Now())
	it.Sampled = c.sampled(it, version)
	return it, nil
}

func (c *Console) pageTexts(ctx context.Context, dossierID string) (map[string][]string, error) {
	rows, err := c.d.Pool.Query(ctx, `SELECT id, page_texts FROM documents WHERE dossier_id = $1`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("load page texts: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id string
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, err
		}
		var pages []string
		_ = json.Unmarshal(raw, &pages)
		out[id] = pages
	}
	return out, rows.Err()
}

// approvals reads the four-eyes approvals recorded on each suggestion. The
// review service owns their shape; the reader accepts the common spellings.
func (c *Console) approvals(ctx context.Context, dossierID string) (map[string][]approval, error) {
	rows, err := c.d.Pool.Query(ctx, `SELECT id, approvals FROM suggestions WHERE dossier_id = $1`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("load approvals: %w", err)
	}
	defer rows.Close()
	out := map[string][]approval{}
	for rows.Next() {
		var id string
		var raw []byte
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, err
		}
		var list []map[string]any
		_ = json.Unmarshal(raw, &list)
		for _, m := range list {
			ap := approval{}
			for _, k := range []string{"by", "actor", "user", "id"} {
				if s, ok := m[k].(string); ok && s != "" {
					ap.By = s
					break
				}
			}
			ap.Name, _ = m["name"].(string)
			ap.Reason, _ = m["reason"].(string)
			if s, ok := m["at"].(string); ok {
				ap.At, _ = time.Parse(time.RFC3339Nano, s)
			}
			out[id] = append(out[id], ap)
		}
	}
	return out, rows.Err()
}

func (c *Console) inbox(ctx context.Context, dossierID string) ([]inboxRow, error) {
	rows, err := c.d.Pool.Query(ctx, `SELECT suggestion_id, text, created_at, published_at, response
		FROM citizen_inbox WHERE dossier_id = $1 OR suggestion_id IN (SELECT id FROM suggestions WHERE dossier_id = $1)
		ORDER BY created_at, id`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("load citizen inbox: %w", err)
	}
	defer rows.Close()
	var out []inboxRow
	for rows.Next() {
		var r inboxRow
		if err := rows.Scan(&r.SuggestionID, &r.Text, &r.CreatedAt, &r.PublishedAt, &r.Response); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (c *Console) auditRows(ctx context.Context, where string, args ...any) ([]auditRow, error) {
	rows, err := c.d.Pool.Query(ctx, `SELECT seq, at, actor, action, entity, entity_id, reason, before, after FROM audit_log `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var a auditRow
		if err := rows.Scan(&a.Seq, &a.At, &a.Actor, &a.Action, &a.Entity, &a.EntityID, &a.Reason, &a.Before, &a.After); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// documentFile finds a document's dossier, file name and content type;
// found is false when there is no such document.
func (c *Console) documentFile(ctx context.Context, docID string) (dossierID, filename, ctype string, found bool, err error) {
	err = c.d.Pool.QueryRow(ctx, `SELECT dossier_id, filename, content_type FROM documents WHERE id = $1`, docID).Scan(&dossierID, &filename, &ctype)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", "", false, nil
	}
	return dossierID, filename, ctype, true, err
}

// suggestionDossier finds a suggestion's dossier; found is false when there
// is no such suggestion.
func (c *Console) suggestionDossier(ctx context.Context, sid string) (dossierID string, found bool, err error) {
	err = c.d.Pool.QueryRow(ctx, `SELECT dossier_id FROM suggestions WHERE id = $1`, sid).Scan(&dossierID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	return dossierID, true, err
}

// recordAuditSample records a reviewer's verdict on a sampled pre-check,
// once per dossier, with its audit entry.
func (c *Console) recordAuditSample(ctx context.Context, actor, id, outcome, note string) error {
	return pgx.BeginFunc(ctx, c.d.Pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO audit_samples (dossier_id, reviewed_by, outcome, note) VALUES ($1, $2, $3, $4)
			ON CONFLICT (dossier_id) DO NOTHING`, id, actor, outcome, note)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return dossier.Errorf(dossier.CodeConflict, "mẫu kiểm tra của hồ sơ này đã được ghi nhận (already recorded)")
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: actor, Action: "audit_sample.record", Entity: "dossier", EntityID: id,
			After: map[string]string{"outcome": outcome, "note": note}, Reason: note})
	})
}

// auditSample is the recorded verdict on a sampled pre-check, or nil.
func (c *Console) auditSample(ctx context.Context, id string) (*sampleOutcome, error) {
	var so sampleOutcome
	err := c.d.Pool.QueryRow(ctx, `SELECT reviewed_by, outcome, note, reviewed_at FROM audit_samples WHERE dossier_id = $1`, id).
		Scan(&so.By, &so.Outcome, &so.Note, &so.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &so, nil
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

// openDeadLetters counts the dead letters waiting for an operator.
func (c *Console) openDeadLetters(ctx context.Context) (int, error) {
	var n int
	err := c.d.Pool.QueryRow(ctx, `SELECT count(*) FROM dead_letters WHERE status = $1`, deadletter.StatusOpen).Scan(&n)
	return n, err
}

// documentPages finds a document's dossier, content type, hash and page
// count; found is false when there is no such document.
func (c *Console) documentPages(ctx context.Context, docID string) (dossierID, ctype, sha string, pages int, found bool, err error) {
	err = c.d.Pool.QueryRow(ctx, `SELECT dossier_id, content_type, pages, sha256 FROM documents WHERE id = $1`, docID).Scan(&dossierID, &ctype, &pages, &sha)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", "", 0, false, nil
	}
	return dossierID, ctype, sha, pages, true, err
}

// loadQueue reads the agency's dossiers ("" for every agency: an
// administrator's queue) and computes their deadlines and sample flags.
func (c *Console) loadQueue(ctx context.Context, agency string) ([]QueueItem, error) {
	rows, err := c.d.Pool.Query(ctx, `SELECT d.id, d.procedure_code, coalesce(pn.name, ''), d.agency, coalesce(ag.name, ''),
		d.applicant_id, d.status, d.stage, d.submitted_at,
		coalesce(pn.processing_days, 0),
		(SELECT count(*) FROM documents x WHERE x.dossier_id = d.id),
		coalesce((SELECT min(x.confidence) FROM documents x WHERE x.dossier_id = d.id), -1),
		(SELECT count(*) FROM suggestions s WHERE s.dossier_id = d.id AND s.status = 'pending_review'),
		(SELECT count(*) FROM findings f WHERE f.dossier_id = d.id AND f.status IN ('missing', 'invalid', 'needs_review')),
		EXISTS (SELECT 1 FROM audit_samples a WHERE a.dossier_id = d.id), d.pipeline_version
		FROM dossiers d LEFT JOIN procedure_names pn ON pn.code = d.procedure_code
		LEFT JOIN agencies ag ON ag.code = d.agency
		WHERE ($1 = '' OR d.agency = $1) ORDER BY d.submitted_at DESC LIMIT $2`, agency, queueLimit)
	if err != nil {
		return nil, fmt.Errorf("load queue of %q: %w", agency, err)
	}
	defer rows.Close()
	now := c.cfg.Now()
	procs := map[string]procInfo{}
	var items []QueueItem
	for rows.Next() {
		var it QueueItem
		var version string
		var days float64
		if err := rows.Scan(&it.ID, &it.ProcedureCode, &it.ProcedureName, &it.Agency, &it.AgencyName, &it.Applicant, &it.Status, &it.Stage, &it.SubmittedAt,
			&days, &it.Documents, &it.MinConfidence, &it.Pending, &it.Problems, &it.SampleReviewed, &version); err != nil {
			return nil, fmt.Errorf("load queue: %w", err)
		}
		p := c.procedure(ctx, procs, it.ProcedureCode, it.SubmittedAt, procInfo{name: it.ProcedureName, days: days})
		it.ProcedureName = p.name
		c.deadlines(&it, p.days, now)
		it.Sampled = c.sampled(it, version)
		items = append(items, it)
	}
	return items, rows.Err()
}
