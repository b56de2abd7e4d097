package vault

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Record is one verified document of a citizen or business.
type Record struct {
	ID              string `json:"id"`
	OwnerID         string `json:"owner_id"`
	Type            string `json:"type"`
	Title           string `json:"title"`
	Issuer          string `json:"issuer,omitempty"`
	Number          string `json:"number,omitempty"`
	SubjectName     string `json:"subject_name,omitempty"`
	SubjectIDNumber string `json:"subject_id_number,omitempty"`
	// SubjectRole says whom the record is about (RoleChild, RoleHolder…);
	// SubjectBirthDate (YYYY-MM-DD) is that person's date of birth.
	SubjectRole      string          `json:"subject_role,omitempty"`
	SubjectBirthDate string          `json:"subject_birth_date,omitempty"`
	Fields           []dossier.Field `json:"fields"`
	ValidFrom        *time.Time      `json:"valid_from,omitempty"`
	ValidUntil       *time.Time      `json:"valid_until,omitempty"`
	Source           string          `json:"source"`     // dossier | registry:<name>
	SourceRef        string          `json:"source_ref"` // document id or the registry's record id
	SourceDossier    string          `json:"source_dossier,omitempty"`
	VerifiedBy       string          `json:"verified_by"`
	VerifiedAt       time.Time       `json:"verified_at"`
	RevokedAt        *time.Time      `json:"revoked_at,omitempty"`
}

// Valid reports whether r may be relied on at at: not revoked, in force.
func (r Record) Valid(at time.Time) bool {
	if r.RevokedAt != nil {
		return false
	}
	day := dayOf(at)
	if r.ValidFrom != nil && dayOf(*r.ValidFrom).After(day) {
		return false
	}
	return r.ValidUntil == nil || !dayOf(*r.ValidUntil).Before(day)
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.In(vnZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var vnZone = time.FixedZone("ICT", 7*3600)

// RecordID derives a record's id from its source, so that registering or
// accepting the same document twice writes one row.
func RecordID(source, sourceRef string) string {
	h := sha256.Sum256([]byte(source + "\x00" + sourceRef))
	return "vr-" + hex.EncodeToString(h[:])[:16]
}

// Registry is a connector to records held by other agencies (the civil
// status registry's electronic birth certificates, the residence database).
// Implementations are safe for concurrent use; Register is idempotent on
// (Source, SourceRef) and returns created=false for a record it already held.
type Registry interface {
	Register(ctx context.Context, r Record) (rec Record, created bool, err error)
	Records(ctx context.Context, ownerID string) ([]Record, error)
}

// Store is the vault in PostgreSQL; it implements Registry and the check
// stage's once-only lookup. It is safe for concurrent use.
type Store struct {
	Pool       *pgxpool.Pool
	Procedures interface {
		Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
	} // optional: names the procedure in citations
	Log *slog.Logger
}

// New returns a Store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{Pool: pool} }

var _ Registry = (*Store)(nil)

var reIDNumber = regexp.MustCompile(`^\d{9}$|^\d{12}$`)

// IsIDNumber reports whether s looks like a personal id number (9-digit
// CMND or 12-digit số định danh cá nhân).
func IsIDNumber(s string) bool { return reIDNumber.MatchString(strings.TrimSpace(s)) }

// Register validates r and stores it as a verified record.
func (s *Store) Register(ctx context.Context, r Record) (Record, bool, error) {
	if err := normalise(&r); err != nil {
		return r, false, err
	}
	var created bool
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		created, err = insert(ctx, tx, r)
		return err
	})
	if err != nil {
		return r, false, err
	}
	got, err := s.Record(ctx, r.ID)
	return got, created, err
}

func normalise(r *Record) error {
	r.OwnerID = strings.TrimSpace(r.OwnerID)
	r.Type = strings.TrimSpace(r.Type)
	r.Source = strings.TrimSpace(r.Source)
	r.SourceRef = strings.TrimSpace(r.SourceRef)
	switch {
	case r.OwnerID == "":
		return dossier.Errorf(dossier.CodeInvalid, "thiếu owner_id (owner_id is required)")
	case r.Type == "":
		return dossier.Errorf(dossier.CodeInvalid, "thiếu type (type is required)")
	case r.Source == "":
		return dossier.Errorf(dossier.CodeInvalid, "thiếu source (source is required)")
	case r.SourceRef == "":
		return dossier.Errorf(dossier.CodeInvalid, "thiếu source_ref (source_ref is required)")
	case r.VerifiedBy == "":
		return dossier.Errorf(dossier.CodeInvalid, "thiếu verified_by (verified_by is required)")
	}
	if _, ok := Type(r.Type); !ok {
		return dossier.Errorf(dossier.CodeInvalid, "type %q không có trong danh mục giấy tờ của kho dữ liệu (unknown vault type)", r.Type)
	}
	if r.ValidFrom != nil && r.ValidUntil != nil && r.ValidUntil.Before(*r.ValidFrom) {
		return dossier.Errorf(dossier.CodeInvalid, "valid_until trước valid_from (valid_until is before valid_from)")
	}
	if r.SubjectIDNumber != "" && !IsIDNumber(r.SubjectIDNumber) {
		return dossier.Errorf(dossier.CodeInvalid, "subject_id_number %q không phải số định danh 9 hoặc 12 chữ số (not a personal id number)", r.SubjectIDNumber)
	}
	if r.SubjectBirthDate != "" {
		if _, err := time.Parse("2006-01-02", r.SubjectBirthDate); err != nil {
			return dossier.Errorf(dossier.CodeInvalid, "subject_birth_date %q không phải ngày YYYY-MM-DD (not a YYYY-MM-DD date)", r.SubjectBirthDate)
		}
	}
	r.Title, r.Issuer, r.Number, r.SubjectName = vntext.NFC(r.Title), vntext.NFC(r.Issuer), vntext.NFC(r.Number), vntext.NFC(r.SubjectName)
	if r.Title == "" {
		t, _ := Type(r.Type)
		r.Title = t.Name
	}
	for i := range r.Fields {
		r.Fields[i].Value = vntext.NFC(r.Fields[i].Value)
	}
	if r.SubjectRole == "" {
		r.SubjectRole = SubjectRole(r.Type)
	}
	// The subject as the record's fields establish it fills what the
	// registry or the accepting official did not state.
	if sub := subjectFromFields(r.SubjectRole, r.Fields, r.OwnerID); sub.Known() {
		if r.SubjectName == "" {
			r.SubjectName = sub.Name
		}
		if r.SubjectIDNumber == "" {
			r.SubjectIDNumber = sub.IDNumber
		}
		if r.SubjectBirthDate == "" {
			r.SubjectBirthDate = sub.BirthDate
		}
	}
	r.ID = RecordID(r.Source, r.SourceRef)
	return nil
}

func insert(ctx context.Context, tx pgx.Tx, r Record) (bool, error) {
	fields, _ := json.Marshal(nonNilF(r.Fields))
	var src any
	if r.SourceDossier != "" {
		src = r.SourceDossier
	}
	tag, err := tx.Exec(ctx, `INSERT INTO vault_records (id, owner_id, doc_type, title, issuer, number, subject_name, subject_id_number,
			fields, valid_from, valid_until, source, source_ref, source_dossier, verified_by, subject_role, subject_birth_date)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		ON CONFLICT (source, source_ref) DO NOTHING`,
		r.ID, r.OwnerID, r.Type, r.Title, r.Issuer, r.Number, r.SubjectName, r.SubjectIDNumber, fields,
		r.ValidFrom, r.ValidUntil, r.Source, r.SourceRef, src, r.VerifiedBy, r.SubjectRole, r.SubjectBirthDate)
	if err != nil {
		return false, fmt.Errorf("store vault record %s: %w", r.ID, err)
	}
	return tag.RowsAffected() == 1, nil
}

const recordCols = `id, owner_id, doc_type, title, issuer, number, subject_name, subject_id_number, fields,
	valid_from, valid_until, source, source_ref, coalesce(source_dossier, ''), verified_by, verified_at, revoked_at,
	subject_role, subject_birth_date`

func scanRecord(r pgx.CollectableRow) (Record, error) {
	var x Record
	var fields []byte
	err := r.Scan(&x.ID, &x.OwnerID, &x.Type, &x.Title, &x.Issuer, &x.Number, &x.SubjectName, &x.SubjectIDNumber, &fields,
		&x.ValidFrom, &x.ValidUntil, &x.Source, &x.SourceRef, &x.SourceDossier, &x.VerifiedBy, &x.VerifiedAt, &x.RevokedAt,
		&x.SubjectRole, &x.SubjectBirthDate)
	if err != nil {
		return x, err
	}
	_ = json.Unmarshal(fields, &x.Fields)
	if x.Fields == nil {
		x.Fields = []dossier.Field{}
	}
	return x, nil
}

// Record returns record id.
func (s *Store) Record(ctx context.Context, id string) (Record, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+recordCols+` FROM vault_records WHERE id = $1`, id)
	if err != nil {
		return Record{}, fmt.Errorf("read vault record %s: %w", id, err)
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanRecord)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy bản ghi %s (vault record not found)", id)
	}
	return r, err
}

// Records returns every record the vault holds about ownerID, including
// expired and revoked ones (a data-subject request shows everything).
func (s *Store) Records(ctx context.Context, ownerID string) ([]Record, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+recordCols+` FROM vault_records WHERE owner_id = $1 ORDER BY verified_at, id`, ownerID)
	if err != nil {
		return nil, fmt.Errorf("read vault of %s: %w", ownerID, err)
	}
	out, err := pgx.CollectRows(rows, scanRecord)
	if out == nil {
		out = []Record{}
	}
	return out, err
}

// Revoke marks a record as no longer reliable (annulled, replaced, wrong
// person); it is then never reused.
func (s *Store) Revoke(ctx context.Context, id string) error {
	tag, err := s.Pool.Exec(ctx, `UPDATE vault_records SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("revoke %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return dossier.Errorf(dossier.CodeNotFound, "không tìm thấy bản ghi %s (vault record not found)", id)
	}
	return nil
}

// Valid returns ownerID's records of the given types valid at at, newest
// first, leaving out records about another person (see foreign).
func (s *Store) Valid(ctx context.Context, ownerID string, types []string, at time.Time) ([]Record, error) {
	return s.validAsOf(ctx, ownerID, types, at, time.Time{})
}

// validAsOf is Valid as the vault stood at asOf (zero: now): records
// verified later are left out, and records revoked later count as not
// revoked, so that a replay sees what the recorded run saw.
func (s *Store) validAsOf(ctx context.Context, ownerID string, types []string, at, asOf time.Time) ([]Record, error) {
	if len(types) == 0 {
		return nil, nil
	}
	day := dayOf(at)
	var known any
	if !asOf.IsZero() {
		known = asOf
	}
	rows, err := s.Pool.Query(ctx, `SELECT `+recordCols+` FROM vault_records
		WHERE owner_id = $1 AND doc_type = ANY($2)
		  AND (valid_from IS NULL OR valid_from <= $3::date) AND (valid_until IS NULL OR valid_until >= $3::date)
		  AND ($4::timestamptz IS NULL AND revoked_at IS NULL
		       OR $4::timestamptz IS NOT NULL AND verified_at <= $4 AND (revoked_at IS NULL OR revoked_at > $4))
		ORDER BY verified_at DESC, id`, ownerID, types, day, known)
	if err != nil {
		return nil, fmt.Errorf("read vault of %s: %w", ownerID, err)
	}
	recs, err := pgx.CollectRows(rows, scanRecord)
	if err != nil {
		return nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if !asOf.IsZero() && r.RevokedAt != nil && r.RevokedAt.After(asOf) {
			r.RevokedAt = nil // not yet revoked then
		}
		if r.Valid(at) && !foreign(r, ownerID) {
			out = append(out, r)
		}
	}
	return out, nil
}

// foreign reports whether r, although filed under ownerID, is about another
// person: when the owner id is a personal id number, an identity document
// must carry that number, and no record may name the applicant with a
// different one.
func foreign(r Record, ownerID string) bool {
	if !IsIDNumber(ownerID) {
		return false
	}
	if r.Type == "cccd" && r.SubjectIDNumber != "" && r.SubjectIDNumber != ownerID {
		return true
	}
	for _, f := range r.Fields {
		if f.Name != "id_number" || (f.Subject != "" && f.Subject != "applicant") {
			continue
		}
		v := digits(f.Value)
		if IsIDNumber(v) && v != ownerID {
			return true
		}
	}
	return false
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func nonNilF(f []dossier.Field) []dossier.Field {
	if f == nil {
		return []dossier.Field{}
	}
	return f
}

// lockDossier reads and locks the dossier being accepted.
func lockDossier(ctx context.Context, tx pgx.Tx, dossierID string) (dossier.Dossier, error) {
	var d dossier.Dossier
	err := tx.QueryRow(ctx, `SELECT id, procedure_code, applicant_id, agency, status, submitted_at FROM dossiers WHERE id = $1 FOR UPDATE`,
		dossierID).Scan(&d.ID, &d.ProcedureCode, &d.ApplicantID, &d.Agency, &d.Status, &d.SubmittedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", dossierID)
	}
	if err != nil {
		return d, fmt.Errorf("read dossier %s: %w", dossierID, err)
	}
	return d, nil
}

// acceptanceOf returns who accepted the dossier and when.
func acceptanceOf(ctx context.Context, tx pgx.Tx, dossierID string) (by string, at time.Time, err error) {
	err = tx.QueryRow(ctx, `SELECT accepted_by, accepted_at FROM dossier_acceptances WHERE dossier_id = $1`, dossierID).
		Scan(&by, &at)
	return by, at, err
}

// markAccepted records the acceptance and sets the dossier's status.
func markAccepted(ctx context.Context, tx pgx.Tx, dossierID, by string, now time.Time, note string, records int) error {
	if _, err := tx.Exec(ctx, `INSERT INTO dossier_acceptances (dossier_id, accepted_by, accepted_at, note, records) VALUES ($1, $2, $3, $4, $5)`,
		dossierID, by, now, note, records); err != nil {
		return fmt.Errorf("record acceptance of %s: %w", dossierID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE dossiers SET status = $2, updated_at = now() WHERE id = $1`, dossierID, StatusAccepted); err != nil {
		return fmt.Errorf("accept %s: %w", dossierID, err)
	}
	return nil
}

// insertAcceptedEvent writes the dossier_accepted trigger event (once).
func insertAcceptedEvent(ctx context.Context, tx pgx.Tx, eventID string, d dossier.Dossier, now time.Time, data []byte) error {
	if _, err := tx.Exec(ctx, `INSERT INTO trigger_events (id, kind, citizen_id, dossier_id, procedure_code, agency, occurred_at, data, origin)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'hoso') ON CONFLICT (id) DO NOTHING`,
		eventID, EventDossierAccepted, d.ApplicantID, d.ID, d.ProcedureCode, d.Agency, now, data); err != nil {
		return fmt.Errorf("record acceptance event of %s: %w", d.ID, err)
	}
	return nil
}

// bySourceDossier lists the records kept from an accepted dossier.
func (s *Store) bySourceDossier(ctx context.Context, dossierID string) ([]Record, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+recordCols+` FROM vault_records WHERE source_dossier = $1 ORDER BY source_ref`, dossierID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, scanRecord)
	if out == nil {
		out = []Record{}
	}
	return out, err
}

// documents reads the dossier's documents for acceptance.
func documents(ctx context.Context, tx pgx.Tx, dossierID string) ([]docRow, error) {
	rows, err := tx.Query(ctx, `SELECT id, filename, doc_type, extraction_status, classification, fields FROM documents WHERE dossier_id = $1 ORDER BY ordinal`, dossierID)
	if err != nil {
		return nil, fmt.Errorf("read documents of %s: %w", dossierID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (docRow, error) {
		var d docRow
		var class, fields []byte
		err := r.Scan(&d.id, &d.filename, &d.reqKey, &d.status, &class, &fields)
		_ = json.Unmarshal(class, &d.class)
		_ = json.Unmarshal(fields, &d.fields)
		return d, err
	})
}

// exportDossiers lists the dossiers citizenID submitted, for the export.
func (s *Store) exportDossiers(ctx context.Context, citizenID string) ([]ExportDossier, error) {
	rows, err := s.Pool.Query(ctx, `SELECT d.id, d.procedure_code, d.status, d.submitted_at, (SELECT count(*) FROM documents x WHERE x.dossier_id = d.id)
		FROM dossiers d WHERE d.applicant_id = $1 ORDER BY d.submitted_at, d.id`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("export dossiers of %s: %w", citizenID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ExportDossier, error) {
		var d ExportDossier
		err := r.Scan(&d.ID, &d.ProcedureCode, &d.Status, &d.SubmittedAt, &d.Documents)
		return d, err
	})
}

// exportResponses lists the answers citizenID gave to prompts.
func (s *Store) exportResponses(ctx context.Context, citizenID string) ([]Response, error) {
	rows, err := s.Pool.Query(ctx, `SELECT r.inbox_id, i.suggestion_id, r.response, r.actor, coalesce(r.draft_dossier, ''), r.at
		FROM citizen_responses r JOIN citizen_inbox i ON i.id = r.inbox_id WHERE r.citizen_id = $1 ORDER BY r.at, r.id`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("export responses of %s: %w", citizenID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Response, error) {
		var x Response
		err := r.Scan(&x.InboxID, &x.SuggestionID, &x.Response, &x.Actor, &x.DraftDossier, &x.At)
		return x, err
	})
}

// exportEvents lists the trigger events about citizenID.
func (s *Store) exportEvents(ctx context.Context, citizenID string) ([]ExportEvent, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id, kind, occurred_at, origin FROM trigger_events WHERE citizen_id = $1 ORDER BY occurred_at, id`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("export events of %s: %w", citizenID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ExportEvent, error) {
		var x ExportEvent
		err := r.Scan(&x.ID, &x.Kind, &x.OccurredAt, &x.Origin)
		return x, err
	})
}

// exportSigned lists the records the agency signed for citizenID's dossiers.
func (s *Store) exportSigned(ctx context.Context, citizenID string) ([]ExportSigned, error) {
	rows, err := s.Pool.Query(ctx, `SELECT r.dossier_id, r.kind, r.ref, r.official, r.content_type, r.content, r.signature, r.signer, r.sha256, r.signed_at
		FROM signed_records r JOIN dossiers d ON d.id = r.dossier_id
		WHERE d.applicant_id = $1 AND r.kind IN ('receipt', 'decision', 'message') ORDER BY r.id`, citizenID)
	if err != nil {
		return nil, fmt.Errorf("export signed records of %s: %w", citizenID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ExportSigned, error) {
		var x ExportSigned
		err := r.Scan(&x.DossierID, &x.Kind, &x.Ref, &x.Official, &x.ContentType, &x.Content, &x.Signature, &x.Signer, &x.SHA256, &x.SignedAt)
		return x, err
	})
}
