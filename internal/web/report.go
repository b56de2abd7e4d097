package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// loadReport reads a dossier's report from the foundation tables. It is the
// console's fallback when Deps.LoadReport (internal/report.Load) is not set.
func (c *Console) loadReport(ctx context.Context, id string) (dossier.Report, error) {
	var rep dossier.Report
	d := &rep.Dossier
	var meta []byte
	err := c.d.Pool.QueryRow(ctx, `SELECT id, procedure_code, applicant_id, agency, submitted_at, status, stage, pipeline_version, metadata
		FROM dossiers WHERE id = $1`, id).Scan(&d.ID, &d.ProcedureCode, &d.ApplicantID, &d.Agency, &d.SubmittedAt, &d.Status, &d.Stage, &d.PipelineVersion, &meta)
	if errors.Is(err, pgx.ErrNoRows) {
		return rep, dossier.Errorf(dossier.CodeNotFound, "không có hồ sơ %q (no such dossier)", id)
	}
	if err != nil {
		return rep, fmt.Errorf("load dossier %s: %w", id, err)
	}
	_ = json.Unmarshal(meta, &d.Metadata)
	if s, ok := d.Metadata["procedure_name"].(string); ok {
		d.ProcedureName = s
	}

	rows, err := c.d.Pool.Query(ctx, `SELECT id, filename, content_type, size_bytes, sha256, pages, doc_type, confidence,
		extraction_status, extraction_error, needs_review, classification, fields, signatures
		FROM documents WHERE dossier_id = $1 ORDER BY ordinal`, id)
	if err != nil {
		return rep, fmt.Errorf("load documents of %s: %w", id, err)
	}
	for rows.Next() {
		var doc dossier.Document
		var cls, fields, sigs []byte
		if err := rows.Scan(&doc.ID, &doc.Filename, &doc.ContentType, &doc.Size, &doc.SHA256, &doc.Pages, &doc.Type, &doc.Confidence,
			&doc.ExtractionStatus, &doc.ExtractionError, &doc.NeedsReview, &cls, &fields, &sigs); err != nil {
			rows.Close()
			return rep, err
		}
		_ = json.Unmarshal(cls, &doc.Classification)
		_ = json.Unmarshal(fields, &doc.Fields)
		_ = json.Unmarshal(sigs, &doc.Signatures)
		rep.Documents = append(rep.Documents, doc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}

	rows, err = c.d.Pool.Query(ctx, `SELECT key, kind, requirement, status, evidence, coalesce(document_id, ''), severity, citations, details
		FROM findings WHERE dossier_id = $1 ORDER BY id`, id)
	if err != nil {
		return rep, fmt.Errorf("load findings of %s: %w", id, err)
	}
	for rows.Next() {
		var f dossier.Finding
		var cit, det []byte
		if err := rows.Scan(&f.Key, &f.Kind, &f.Requirement, &f.Status, &f.Evidence, &f.DocumentID, &f.Severity, &cit, &det); err != nil {
			rows.Close()
			return rep, err
		}
		_ = json.Unmarshal(cit, &f.Citations)
		_ = json.Unmarshal(det, &f.Details)
		rep.Findings = append(rep.Findings, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}

	rows, err = c.d.Pool.Query(ctx, `SELECT id, key, kind, text, text_en, rationale, risk, status, coalesce(decided_by, ''), decided_at, reason
		FROM suggestions WHERE dossier_id = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return rep, fmt.Errorf("load suggestions of %s: %w", id, err)
	}
	for rows.Next() {
		var s dossier.Suggestion
		if err := rows.Scan(&s.ID, &s.Key, &s.Kind, &s.Text, &s.TextEN, &s.Rationale, &s.Risk, &s.Status, &s.DecidedBy, &s.DecidedAt, &s.Reason); err != nil {
			rows.Close()
			return rep, err
		}
		rep.Suggestions = append(rep.Suggestions, s)
	}
	rows.Close()
	return rep, rows.Err()
}
