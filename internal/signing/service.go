package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/pdfsig"
	"github.com/hoso-vn/hoso/internal/report"
	"github.com/hoso-vn/hoso/internal/workcal"
)

// Kinds of signed records.
const (
	KindReceipt   = "receipt"
	KindReport    = "report"
	KindDecision  = "decision"
	KindMessage   = "message"
	KindAuditHead = "audit_head"
)

// statusAccepted mirrors vault.StatusAccepted (vault imports review, which
// this package need not).
const statusAccepted = "accepted"

// Service signs a dossier's records with the agency keys and checks them.
type Service struct {
	Pool *pgxpool.Pool
	Keys *Keys        // nil: nothing is signed (Verify still works)
	Log  *slog.Logger // nil: silent
	Cal  *workcal.Calendar
}

// Record is one signed record.
type Record struct {
	ID          int64     `json:"id"`
	DossierID   string    `json:"dossier_id,omitempty"`
	Kind        string    `json:"kind"`
	Ref         string    `json:"ref"`
	Official    string    `json:"official,omitempty"`
	ContentType string    `json:"content_type"`
	Content     []byte    `json:"-"`
	Signature   []byte    `json:"-"`
	Signer      string    `json:"signer"`
	SHA256      string    `json:"sha256"`
	SignedAt    time.Time `json:"signed_at"`
}

// put stores a record once per (kind, ref); a second call is a no-op and
// reports false.
func (s *Service) put(ctx context.Context, r Record) (bool, error) {
	sum := sha256.Sum256(r.Content)
	var dossierID any
	if r.DossierID != "" {
		dossierID = r.DossierID
	}
	tag, err := s.Pool.Exec(ctx, `INSERT INTO signed_records (dossier_id, kind, ref, official, content, content_type, signature, signer, sha256)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (kind, ref) DO NOTHING`,
		dossierID, r.Kind, r.Ref, r.Official, r.Content, r.ContentType, r.Signature, r.Signer, hex.EncodeToString(sum[:]))
	if err != nil {
		return false, fmt.Errorf("store signed %s %s: %w", r.Kind, r.Ref, err)
	}
	return tag.RowsAffected() == 1, nil
}

func (s *Service) has(ctx context.Context, kind, ref string) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM signed_records WHERE kind = $1 AND ref = $2)`, kind, ref).Scan(&ok)
	return ok, err
}

func (s *Service) signJSON(ctx context.Context, dossierID, kind, ref, official string, v any) (bool, error) {
	if ok, err := s.has(ctx, kind, ref); err != nil || ok {
		return false, err
	}
	content, sig, err := s.Keys.SignJSON(v)
	if err != nil {
		return false, err
	}
	return s.put(ctx, Record{DossierID: dossierID, Kind: kind, Ref: ref, Official: official, Content: content,
		ContentType: "application/json", Signature: sig, Signer: pdfsig.FormatDN(s.Keys.Cert)})
}

// SignDossier signs what is due for one dossier: the pre-check report once
// it is pre-checked, the receipt once it is accepted, each official's
// decision on a suggestion and each message released to the citizen. It is
// idempotent: each record is keyed by (kind, ref). It returns how many
// records it added.
func (s *Service) SignDossier(ctx context.Context, id string) (int, error) {
	if s.Keys == nil {
		return 0, errors.New("signing: no agency key configured (HOSO_SIGNING_KEY/HOSO_SIGNING_CERT or HOSO_SIGNING_P12)")
	}
	rep, err := report.Load(ctx, s.Pool, id)
	if err != nil {
		return 0, err
	}
	n := 0
	count := func(ok bool, err error) error {
		if ok {
			n++
		}
		return err
	}
	d := rep.Dossier
	if d.Status == dossier.StatusPrechecked || d.Status == statusAccepted {
		// One signed pre-check report per dossier: what the pre-check found
		// when it finished. Suggestions' later decisions are signed apart.
		if err := count(s.signJSON(ctx, id, KindReport, id, "", precheck(rep))); err != nil {
			return n, err
		}
	}
	if d.Status == statusAccepted {
		if err := count(s.signReceipt(ctx, rep)); err != nil {
			return n, err
		}
		// Accepting the dossier is an official's decision too.
		var by, note string
		var at time.Time
		err := s.Pool.QueryRow(ctx, `SELECT accepted_by, accepted_at, note FROM dossier_acceptances WHERE dossier_id = $1`, id).Scan(&by, &at, &note)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return n, err
		}
		if err == nil {
			acc := map[string]any{"dossier_id": id, "decision": "accepted", "decided_by": by, "decided_at": at.UTC(), "note": note,
				"procedure": d.ProcedureCode, "applicant": d.ApplicantID}
			if err := count(s.signJSON(ctx, id, KindDecision, "accept:"+id, by, acc)); err != nil {
				return n, err
			}
		}
	}
	rows, err := s.Pool.Query(ctx, `SELECT id, kind, status, text, text_en, citizen_id, coalesce(decided_by, ''), decided_at, reason, approvals::text
		FROM suggestions WHERE dossier_id = $1 AND decided_by IS NOT NULL ORDER BY id`, id)
	if err != nil {
		return n, err
	}
	type decision struct {
		SuggestionID string    `json:"suggestion_id"`
		DossierID    string    `json:"dossier_id"`
		Kind         string    `json:"kind"`
		Status       string    `json:"status"`
		Text         string    `json:"text"`
		TextEN       string    `json:"text_en,omitempty"`
		CitizenID    string    `json:"citizen_id"`
		DecidedBy    string    `json:"decided_by"`
		DecidedAt    time.Time `json:"decided_at"`
		Reason       string    `json:"reason,omitempty"`
		Approvals    string    `json:"approvals,omitempty"`
	}
	var ds []decision
	for rows.Next() {
		var x decision
		var at *time.Time
		if err := rows.Scan(&x.SuggestionID, &x.Kind, &x.Status, &x.Text, &x.TextEN, &x.CitizenID, &x.DecidedBy, &at, &x.Reason, &x.Approvals); err != nil {
			rows.Close()
			return n, err
		}
		if at != nil {
			x.DecidedAt = at.UTC()
		}
		x.DossierID = id
		ds = append(ds, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return n, err
	}
	for _, x := range ds {
		if err := count(s.signJSON(ctx, id, KindDecision, x.SuggestionID+":"+x.Status, x.DecidedBy, x)); err != nil {
			return n, err
		}
		if x.Status == dossier.SuggestionApproved || x.Status == "sent" {
			msg := map[string]any{"suggestion_id": x.SuggestionID, "dossier_id": id, "citizen_id": x.CitizenID,
				"text": x.Text, "text_en": x.TextEN, "released_by": x.DecidedBy, "released_at": x.DecidedAt}
			if err := count(s.signJSON(ctx, id, KindMessage, x.SuggestionID, x.DecidedBy, msg)); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// precheck is the part of the report that the pre-check decided.
func precheck(r dossier.Report) map[string]any {
	return map[string]any{"dossier": r.Dossier.ID, "procedure": r.Dossier.ProcedureCode, "applicant": r.Dossier.ApplicantID,
		"agency": r.Dossier.Agency, "submitted_at": r.Dossier.SubmittedAt.UTC(), "documents": r.Documents, "findings": r.Findings,
		"pipeline_version": r.Dossier.PipelineVersion}
}

func (s *Service) signReceipt(ctx context.Context, rep dossier.Report) (bool, error) {
	id := rep.Dossier.ID
	if ok, err := s.has(ctx, KindReceipt, id); err != nil || ok {
		return false, err
	}
	var name, official string
	var days float64
	var acceptedAt time.Time
	_ = s.Pool.QueryRow(ctx, `SELECT name, processing_days FROM procedure_names WHERE code = $1 LIMIT 1`, rep.Dossier.ProcedureCode).Scan(&name, &days)
	err := s.Pool.QueryRow(ctx, `SELECT accepted_by, accepted_at FROM dossier_acceptances WHERE dossier_id = $1`, id).Scan(&official, &acceptedAt)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return false, err
	}
	if acceptedAt.IsZero() {
		acceptedAt = rep.Dossier.SubmittedAt
	}
	cal := s.Cal
	if cal == nil {
		cal = workcal.Vietnam()
	}
	r := ReceiptData{DossierID: id, Agency: s.Keys.Cert.Subject.CommonName, ProcedureCode: rep.Dossier.ProcedureCode, ProcedureName: name,
		Applicant: rep.Dossier.ApplicantID, ReceivedAt: acceptedAt, Official: official}
	if days > 0 {
		r.DueAt = cal.Deadline(acceptedAt, days)
	}
	for _, d := range rep.Documents {
		label := d.Filename
		if d.Type != "" && d.Type != dossier.TypeUnknown && d.Type != dossier.TypeOther {
			label = d.Type + " (" + d.Filename + ")"
		}
		r.Documents = append(r.Documents, label)
	}
	pdf, err := s.Keys.SignReceipt(r)
	if err != nil {
		return false, err
	}
	return s.put(ctx, Record{DossierID: id, Kind: KindReceipt, Ref: id, Official: official, Content: pdf,
		ContentType: "application/pdf", Signer: pdfsig.FormatDN(s.Keys.Cert)})
}

// SignAuditHead signs the audit chain's head (the last row's hash) once for
// the day of at (Asia/Ho_Chi_Minh). It returns false when that day's head
// was already signed.
func (s *Service) SignAuditHead(ctx context.Context, at time.Time) (bool, error) {
	if s.Keys == nil {
		return false, nil
	}
	day := at.In(workcal.Location).Format("2006-01-02")
	if ok, err := s.has(ctx, KindAuditHead, day); err != nil || ok {
		return false, err
	}
	var seq int64
	var hash string
	var last time.Time
	err := s.Pool.QueryRow(ctx, `SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return s.signJSON(ctx, "", KindAuditHead, day, "", map[string]any{"day": day, "seq": seq, "hash": hash, "at": last.UTC()})
}

// Records returns the signed records of a dossier, oldest first.
func (s *Service) Records(ctx context.Context, dossierID string) ([]Record, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, coalesce(dossier_id, ''), kind, ref, official, content_type, content, signature, signer, sha256, signed_at
		FROM signed_records WHERE dossier_id = $1 ORDER BY id`, dossierID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Record, error) {
		var x Record
		err := r.Scan(&x.ID, &x.DossierID, &x.Kind, &x.Ref, &x.Official, &x.ContentType, &x.Content, &x.Signature, &x.Signer, &x.SHA256, &x.SignedAt)
		return x, err
	})
}

// Check is the verdict on one signed record.
type Check struct {
	Record
	Valid  bool   `json:"valid"`
	Trust  string `json:"trust"`
	Signer string `json:"signer"`
	Error  string `json:"error,omitempty"`
}

// VerifyRecord checks one record: the PDF's own signature (valid and
// covering the whole file) or the detached CMS over the JSON.
func VerifyRecord(r Record, trust *pdfsig.Trust) Check {
	c := Check{Record: r}
	if r.ContentType == "application/pdf" {
		rep, err := pdfsig.Verify(r.Content, pdfsig.Options{Trust: trust})
		switch {
		case err != nil:
			c.Error = err.Error()
		case len(rep.Signatures) == 0:
			c.Error = "PDF không có chữ ký (no signature in the PDF)"
		default:
			sg := rep.Signatures[len(rep.Signatures)-1]
			c.Valid, c.Trust, c.Signer = sg.Valid && sg.CoversWholeFile, sg.Trust, sg.Signer.DN
			for _, e := range sg.Errors {
				if e.Code != pdfsig.CodeChain {
					c.Error = e.Error()
					break
				}
			}
		}
		return c
	}
	ee, tr, err := pdfsig.VerifyDetached(r.Content, r.Signature, trust)
	if ee != nil {
		c.Signer = pdfsig.FormatDN(ee)
	}
	c.Trust = tr
	var pe *pdfsig.Error
	switch {
	case err == nil:
		c.Valid = true
	case errors.As(err, &pe) && pe.Code == pdfsig.CodeChain:
		c.Valid = true // the signature holds; trust says why it is not trusted
	default:
		c.Error = err.Error()
	}
	return c
}

// Verify checks every signed record of a dossier.
func (s *Service) Verify(ctx context.Context, dossierID string, trust *pdfsig.Trust) ([]Check, error) {
	recs, err := s.Records(ctx, dossierID)
	if err != nil {
		return nil, err
	}
	out := make([]Check, 0, len(recs))
	for _, r := range recs {
		out = append(out, VerifyRecord(r, trust))
	}
	return out, nil
}

// Sweep signs what is due for every dossier that lacks a signed report or
// receipt, or has a decision not yet signed, and the audit head of today.
// The service runs it periodically; it is idempotent.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	if s.Keys == nil {
		return 0, nil
	}
	rows, err := s.Pool.Query(ctx, `SELECT d.id FROM dossiers d
		WHERE (d.status IN ('prechecked', 'accepted') AND NOT EXISTS (SELECT 1 FROM signed_records r WHERE r.kind = 'report' AND r.ref = d.id))
		   OR (d.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM signed_records r WHERE r.kind = 'receipt' AND r.ref = d.id))
		   OR EXISTS (SELECT 1 FROM suggestions sg WHERE sg.dossier_id = d.id AND sg.decided_by IS NOT NULL
		        AND NOT EXISTS (SELECT 1 FROM signed_records r WHERE r.kind = 'decision' AND r.ref = sg.id || ':' || sg.status))
		ORDER BY d.id LIMIT 200`)
	if err != nil {
		return 0, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range ids {
		n, err := s.SignDossier(ctx, id)
		total += n
		if err != nil {
			return total, fmt.Errorf("sign %s: %w", id, err)
		}
	}
	if ok, err := s.SignAuditHead(ctx, time.Now()); err != nil {
		return total, err
	} else if ok {
		total++
	}
	return total, nil
}

// Run sweeps every interval until ctx ends.
func (s *Service) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.Sweep(ctx); err != nil && ctx.Err() == nil && s.Log != nil {
			s.Log.Warn("signing sweep failed", "err", err)
		} else if n > 0 && s.Log != nil {
			s.Log.Info("records signed", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// VerifyAuditHeads checks every signed daily audit head: the signature over
// the head, and that the audit log still holds that hash at that position
// (a rewritten chain fails here even when its own links are recomputed).
func (s *Service) VerifyAuditHeads(ctx context.Context, trust *pdfsig.Trust) ([]Check, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, kind, ref, official, content_type, content, signature, signer, sha256, signed_at
		FROM signed_records WHERE kind = 'audit_head' ORDER BY ref`)
	if err != nil {
		return nil, err
	}
	recs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Record, error) {
		var x Record
		err := r.Scan(&x.ID, &x.Kind, &x.Ref, &x.Official, &x.ContentType, &x.Content, &x.Signature, &x.Signer, &x.SHA256, &x.SignedAt)
		return x, err
	})
	if err != nil {
		return nil, err
	}
	out := make([]Check, 0, len(recs))
	for _, r := range recs {
		c := VerifyRecord(r, trust)
		if c.Valid {
			var head struct {
				Seq  int64  `json:"seq"`
				Hash string `json:"hash"`
			}
			var got string
			if err := json.Unmarshal(r.Content, &head); err != nil {
				c.Valid, c.Error = false, "nội dung không đọc được (unreadable head): "+err.Error()
			} else if err := s.Pool.QueryRow(ctx, `SELECT hash FROM audit_log WHERE seq = $1`, head.Seq).Scan(&got); err != nil || got != head.Hash {
				c.Valid, c.Error = false, fmt.Sprintf("nhật ký kiểm toán không còn mắt xích %d đã ký (audit log no longer holds the signed head at seq %d)", head.Seq, head.Seq)
			}
		}
		out = append(out, c)
	}
	return out, nil
}
