// Package submission provides the front door: it validates a dossier
// submission (limits, allowed types by magic bytes), stores its files in the
// object store, records the dossier in PostgreSQL and publishes it to the
// intake stage. A resubmission with the same idempotency key returns the
// same dossier; a rejected submission leaves nothing half-stored.
package submission

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/extract"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Limits bound one submission.
type Limits struct {
	MaxFiles        int
	MaxFileBytes    int64
	MaxDossierBytes int64
}

// Allowed content types, checked by magic bytes, never by file name.
var Allowed = map[string]bool{
	"application/pdf": true,
	"image/jpeg":      true,
	"image/png":       true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"text/plain": true,
}

// File is one uploaded file.
type File struct {
	Name string
	Data []byte
}

// Request is one submission.
type Request struct {
	ProcedureCode  string
	ApplicantID    string
	Agency         string
	IdempotencyKey string
	Metadata       map[string]any
	Files          []File
}

// Result says which dossier the submission is.
type Result struct {
	DossierID string `json:"dossier_id"`
	Created   bool   `json:"created"` // false: an earlier submission with the same key
	Published bool   `json:"published"`
}

type records interface {
	CreateDossier(ctx context.Context, d store.NewDossier) (string, bool, error)
	DossierIDByKey(ctx context.Context, key string) (string, bool, error)
}

type files interface {
	Put(ctx context.Context, key string, data []byte) error
	Delete(ctx context.Context, key string) error
}

// publisher hands a dossier to a stage.
type publisher interface {
	PublishStage(ctx context.Context, dossierID, stage string) error
}

// Service accepts submissions.
type Service struct {
	Store     records
	Files     files
	Publisher publisher
	Limits    Limits
	// DefaultAgency receives dossiers submitted without an agency.
	DefaultAgency string
	Log           *slog.Logger
	Now           func() time.Time
}

var (
	procedureCode = regexp.MustCompile(`^[0-9]\.[0-9]{6}$`)
	safeID        = regexp.MustCompile(`^[\p{L}\p{N}._:@-]{1,128}$`)
)

// Validate checks a request without storing anything.
func (s *Service) Validate(req *Request) error {
	if !procedureCode.MatchString(req.ProcedureCode) {
		return dossier.Errorf(dossier.CodeInvalid, "mã thủ tục %q không hợp lệ, ví dụ 1.001193 (invalid procedure code)", req.ProcedureCode)
	}
	if !safeID.MatchString(req.ApplicantID) {
		return dossier.Errorf(dossier.CodeInvalid, "mã người nộp %q không hợp lệ (invalid applicant id)", req.ApplicantID)
	}
	if req.IdempotencyKey != "" && !safeID.MatchString(req.IdempotencyKey) {
		return dossier.Errorf(dossier.CodeInvalid, "khóa idempotency không hợp lệ (invalid idempotency key: 1–128 letters, digits, ._:@-)")
	}
	if req.Agency != "" && !safeID.MatchString(req.Agency) {
		return dossier.Errorf(dossier.CodeInvalid, "mã cơ quan %q không hợp lệ (invalid agency)", req.Agency)
	}
	if len(req.Files) == 0 {
		return dossier.Errorf(dossier.CodeInvalid, "hồ sơ phải có ít nhất một tệp (a dossier needs at least one file)")
	}
	if len(req.Files) > s.Limits.MaxFiles {
		return dossier.Errorf(dossier.CodeTooLarge, "quá nhiều tệp: %d, tối đa %d (too many files)", len(req.Files), s.Limits.MaxFiles)
	}
	var total int64
	for i := range req.Files {
		f := &req.Files[i]
		f.Name = vntext.NFC(filepath.Base(strings.ReplaceAll(f.Name, `\`, "/")))
		if f.Name == "" || f.Name == "." || f.Name == "/" || !utf8.ValidString(f.Name) || len(f.Name) > 255 {
			return dossier.Errorf(dossier.CodeInvalid, "tên tệp thứ %d không hợp lệ (invalid file name)", i+1)
		}
		n := int64(len(f.Data))
		if n == 0 {
			return dossier.Errorf(dossier.CodeInvalid, "tệp %q rỗng (empty file)", f.Name)
		}
		if n > s.Limits.MaxFileBytes {
			return dossier.Errorf(dossier.CodeTooLarge, "tệp %q quá lớn: %d byte, tối đa %d (file too large)", f.Name, n, s.Limits.MaxFileBytes)
		}
		total += n
		ct, ok := extract.Sniff(f.Data)
		if !ok || !Allowed[ct] {
			return dossier.Errorf(dossier.CodeUnsupported, "tệp %q không thuộc loại được phép (PDF, JPEG, PNG, DOCX, TXT); kiểm tra theo nội dung tệp (file type not allowed, checked by its content)", f.Name)
		}
	}
	if total > s.Limits.MaxDossierBytes {
		return dossier.Errorf(dossier.CodeTooLarge, "hồ sơ quá lớn: %d byte, tối đa %d (dossier too large)", total, s.Limits.MaxDossierBytes)
	}
	return nil
}

// Submit validates, stores and publishes a submission.
func (s *Service) Submit(ctx context.Context, req Request) (Result, error) {
	if err := s.Validate(&req); err != nil {
		return Result{}, err
	}
	if req.IdempotencyKey != "" {
		id, ok, err := s.Store.DossierIDByKey(ctx, req.IdempotencyKey)
		if err != nil {
			return Result{}, err
		}
		if ok {
			return Result{DossierID: id, Created: false, Published: true}, nil
		}
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	id := NewID(now())
	nd := store.NewDossier{
		ID: id, ProcedureCode: req.ProcedureCode, ApplicantID: req.ApplicantID, Agency: req.Agency,
		IdempotencyKey: req.IdempotencyKey, SubmittedAt: now().UTC(), Metadata: req.Metadata,
	}
	if nd.Agency == "" {
		nd.Agency = s.DefaultAgency
	}
	var stored []string
	cleanup := func() {
		for _, k := range stored {
			if err := s.Files.Delete(context.WithoutCancel(ctx), k); err != nil && s.Log != nil {
				s.Log.Warn("remove file of rejected submission", "key", k, "err", err)
			}
		}
	}
	for i, f := range req.Files {
		sum := sha256.Sum256(f.Data)
		hexsum := hex.EncodeToString(sum[:])
		ct, _ := extract.Sniff(f.Data)
		key := fmt.Sprintf("%s/%d-%s", id, i+1, hexsum[:16])
		if err := s.Files.Put(ctx, key, f.Data); err != nil {
			cleanup()
			return Result{}, fmt.Errorf("store %q: %w", f.Name, err)
		}
		stored = append(stored, key)
		nd.Documents = append(nd.Documents, store.NewDocument{
			Filename: f.Name, ContentType: ct, Size: int64(len(f.Data)), SHA256: hexsum, ObjectKey: key,
		})
	}
	got, created, err := s.Store.CreateDossier(ctx, nd)
	if err != nil {
		cleanup()
		return Result{}, err
	}
	if !created {
		// A concurrent submission with the same key won the race.
		cleanup()
		return Result{DossierID: got, Created: false, Published: true}, nil
	}
	res := Result{DossierID: got, Created: true}
	if err := s.Publisher.PublishStage(ctx, got, dossier.StageIntake); err != nil {
		// The dossier is recorded: the reconciler publishes it later.
		if s.Log != nil {
			s.Log.Warn("dossier recorded but not yet published; the reconciler will publish it", "dossier_id", got, "err", err)
		}
		return res, nil
	}
	res.Published = true
	if s.Log != nil {
		s.Log.Info("dossier submitted", "dossier_id", got, "procedure", req.ProcedureCode, "documents", len(req.Files))
	}
	return res, nil
}

// NewID returns a new dossier id: "HS" + UTC date-time + random, sortable by
// submission time and readable over the phone.
func NewID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "HS" + t.UTC().Format("20060102T150405") + "-" + strings.ToUpper(hex.EncodeToString(b[:]))
}
