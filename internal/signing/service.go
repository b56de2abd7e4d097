package signing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

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
		a, ok, err := s.acceptance(ctx, id)
		if err != nil {
			return n, err
		}
		if ok {
			acc := map[string]any{"dossier_id": id, "decision": "accepted", "decided_by": a.By, "decided_at": a.At.UTC(), "note": a.Note,
				"procedure": d.ProcedureCode, "applicant": d.ApplicantID}
			if err := count(s.signJSON(ctx, id, KindDecision, "accept:"+id, a.By, acc)); err != nil {
				return n, err
			}
		}
	}
	ds, err := s.decisions(ctx, id)
	if err != nil {
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
	// An unknown procedure leaves the name and due date blank on the
	// receipt rather than holding it back.
	name, days, _ := s.procedure(ctx, rep.Dossier.ProcedureCode)
	a, _, err := s.acceptance(ctx, id)
	if err != nil {
		return false, err
	}
	official, acceptedAt := a.By, a.At
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
	h, ok, err := s.lastAuditRow(ctx)
	if err != nil || !ok {
		return false, err
	}
	return s.signJSON(ctx, "", KindAuditHead, day, "", map[string]any{"day": day, "seq": h.Seq, "hash": h.Hash, "at": h.At.UTC()})
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
	ids, err := s.unsignedDossiers(ctx, 200)
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
	recs, err := s.auditHeadRecords(ctx)
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
			if err := json.Unmarshal(r.Content, &head); err != nil {
				c.Valid, c.Error = false, "nội dung không đọc được (unreadable head): "+err.Error()
			} else if got, err := s.auditHash(ctx, head.Seq); err != nil || got != head.Hash {
				c.Valid, c.Error = false, fmt.Sprintf("nhật ký kiểm toán không còn mắt xích %d đã ký (audit log no longer holds the signed head at seq %d)", head.Seq, head.Seq)
			}
		}
		out = append(out, c)
	}
	return out, nil
}
