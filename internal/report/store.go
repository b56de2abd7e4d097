package report

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vntext"
)

func loadDossier(ctx context.Context, q store.Querier, id string) (dossier.Dossier, error) {
	var d dossier.Dossier
	var meta map[string]any
	err := q.QueryRow(ctx, `SELECT d.id, d.procedure_code, coalesce(nullif(v.name, ''), p.name, ''), d.applicant_id, d.agency, d.submitted_at,
			d.status, d.stage, d.pipeline_version, d.metadata
		FROM dossiers d
		LEFT JOIN LATERAL (SELECT doc->>'name' AS name FROM procedure_versions
			WHERE code = d.procedure_code AND effective_from <= d.submitted_at::date
			ORDER BY effective_from DESC, (source <> 'import') DESC, id DESC LIMIT 1) v ON true
		LEFT JOIN LATERAL (SELECT name FROM procedure_names WHERE code = d.procedure_code LIMIT 1) p ON true
		WHERE d.id = $1`, id).Scan(&d.ID, &d.ProcedureCode, &d.ProcedureName, &d.ApplicantID, &d.Agency, &d.SubmittedAt,
		&d.Status, &d.Stage, &d.PipelineVersion, &meta)
	if err == pgx.ErrNoRows {
		return d, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", id)
	}
	if err != nil {
		return d, fmt.Errorf("read dossier %s: %w", id, err)
	}
	if len(meta) > 0 {
		d.Metadata = meta
	}
	return d, nil
}

func loadDocuments(ctx context.Context, q store.Querier, id string) ([]dossier.Document, error) {
	rows, err := q.Query(ctx, `SELECT id, filename, content_type, size_bytes, sha256, pages, doc_type, confidence,
			extraction_status, extraction_error, needs_review, classification, fields, signatures
		FROM documents WHERE dossier_id = $1 ORDER BY ordinal`, id)
	if err != nil {
		return nil, fmt.Errorf("read documents of %s: %w", id, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (dossier.Document, error) {
		var d dossier.Document
		err := r.Scan(&d.ID, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.Pages, &d.Type, &d.Confidence,
			&d.ExtractionStatus, &d.ExtractionError, &d.NeedsReview, &d.Classification, &d.Fields, &d.Signatures)
		d.DisplayName = vntext.Display(d.Filename)
		if len(d.Classification) == 0 {
			d.Classification = nil
		}
		if len(d.Signatures) == 0 {
			d.Signatures = nil
		}
		d.ContentCheck = contentCheck(d.Classification)
		return d, err
	})
}

func loadTimeline(ctx context.Context, q store.Querier, id string) ([]dossier.StageEvent, error) {
	rows, err := q.Query(ctx, `SELECT stage, started_at, finished_at, outcome, detail, delivery
		FROM stage_runs WHERE dossier_id = $1 ORDER BY finished_at`, id)
	if err != nil {
		return nil, fmt.Errorf("read timeline of %s: %w", id, err)
	}
	ev, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (dossier.StageEvent, error) {
		var e dossier.StageEvent
		err := r.Scan(&e.Stage, &e.StartedAt, &e.FinishedAt, &e.Outcome, &e.Detail, &e.Delivery)
		return e, err
	})
	if ev == nil {
		ev = []dossier.StageEvent{}
	}
	return ev, err
}

// List returns dossier summaries matching f.
func List(ctx context.Context, q store.Querier, f Filter) ([]Summary, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Agency != "" {
		add("d.agency = ?", f.Agency)
	}
	if f.Status != "" {
		add("d.status = ?", f.Status)
	}
	if f.Procedure != "" {
		add("d.procedure_code = ?", f.Procedure)
	}
	if f.Applicant != "" {
		add("d.applicant_id = ?", f.Applicant)
	}
	if !f.SubmittedFrom.IsZero() {
		add("d.submitted_at >= ?", f.SubmittedFrom)
	}
	if f.MinConfidence != nil {
		add("coalesce(doc.min_conf, 0) >= ?", *f.MinConfidence)
	}
	if f.MaxConfidence != nil {
		add("coalesce(doc.min_conf, 0) <= ?", *f.MaxConfidence)
	}
	sql := `SELECT d.id, d.procedure_code, coalesce(pn.name, ''), d.applicant_id, d.agency, d.submitted_at, d.status, d.stage,
			coalesce(doc.n, 0), coalesce(doc.min_conf, 0),
			coalesce(fd.present, 0), coalesce(fd.missing, 0), coalesce(fd.invalid, 0),
			coalesce(sg.n, 0), coalesce(sg.pending, 0), coalesce(pn.processing_days, 0)
		FROM dossiers d
		LEFT JOIN LATERAL (SELECT name, processing_days FROM procedure_names WHERE code = d.procedure_code LIMIT 1) pn ON true
		LEFT JOIN LATERAL (SELECT count(*) n, min(confidence) min_conf FROM documents WHERE dossier_id = d.id) doc ON true
		LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE status IN ('present', 'satisfied_by_reuse')) present,
				count(*) FILTER (WHERE status = 'missing') missing, count(*) FILTER (WHERE status = 'invalid') invalid
			FROM findings WHERE dossier_id = d.id) fd ON true
		LEFT JOIN LATERAL (SELECT count(*) n, count(*) FILTER (WHERE status = 'pending_review') pending
			FROM suggestions WHERE dossier_id = d.id) sg ON true`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	switch f.Sort {
	case "oldest", "deadline":
		sql += " ORDER BY d.submitted_at ASC, d.id"
	case "confidence":
		sql += " ORDER BY coalesce(doc.min_conf, 0) ASC, d.submitted_at"
	default:
		sql += " ORDER BY d.submitted_at DESC, d.id"
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	sql += fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(0, f.Offset))
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("list dossiers: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Summary, error) {
		var s Summary
		err := r.Scan(&s.ID, &s.ProcedureCode, &s.ProcedureName, &s.ApplicantID, &s.Agency, &s.SubmittedAt, &s.Status, &s.Stage,
			&s.Documents, &s.MinConfidence, &s.Present, &s.Missing, &s.Invalid, &s.Suggestions, &s.Pending, &s.ProcessingDays)
		return s, err
	})
	if out == nil {
		out = []Summary{}
	}
	return out, err
}

// loadCases reads the cases of the procedure version in force when the
// dossier was submitted (the one the check stage used).
func loadCases(ctx context.Context, q store.Querier, code string, at time.Time) ([]catalog.Case, error) {
	var cases []catalog.Case
	err := q.QueryRow(ctx, `SELECT coalesce(doc->'cases', '[]') FROM procedure_versions
		WHERE code = $1 AND effective_from <= $2::date
		ORDER BY effective_from DESC, (source <> 'import') DESC, id DESC LIMIT 1`, code, at).Scan(&cases)
	if err == pgx.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read cases of %s: %w", code, err)
	}
	return cases, nil
}
