// Package submission provides the front door: it validates a dossier
// submission (limits, allowed types by magic bytes), stores its files in the
// object store, records the dossier in PostgreSQL and publishes it to the
// intake stage. A resubmission with the same idempotency key returns the
// same dossier; a rejected submission leaves nothing half-stored.
package submission

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
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
	// Upload holds files already received as streams (NewUpload); when
	// set, Files is ignored. Submit takes it over: it is aborted (its
	// objects deleted) on every outcome but a newly created dossier.
	Upload *Upload
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
	// PutStream stores what r yields under key, in chunks, and fails with
	// r's error (after removing what it stored) when r fails.
	PutStream(ctx context.Context, key string, r io.Reader) error
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
	nfiles := len(req.Files)
	if req.Upload != nil {
		// Its files were checked as they arrived (Upload.Add).
		nfiles = len(req.Upload.docs)
	}
	if nfiles == 0 {
		return dossier.Errorf(dossier.CodeInvalid, "hồ sơ phải có ít nhất một tệp (a dossier needs at least one file)")
	}
	if nfiles > s.Limits.MaxFiles {
		return errTooManyFiles(nfiles, s.Limits.MaxFiles)
	}
	if req.Upload != nil {
		return nil
	}
	var total int64
	for i := range req.Files {
		f := &req.Files[i]
		name, err := fileName(i, f.Name)
		if err != nil {
			return err
		}
		f.Name = name
		n := int64(len(f.Data))
		if n == 0 {
			return errEmpty(f.Name)
		}
		if n > s.Limits.MaxFileBytes {
			return errFileTooLarge(f.Name, n, s.Limits.MaxFileBytes)
		}
		total += n
		ct, ok := extract.Sniff(f.Data)
		if !ok || !Allowed[ct] {
			return errNotAllowed(f.Name)
		}
	}
	if total > s.Limits.MaxDossierBytes {
		return errDossierTooLarge(total, s.Limits.MaxDossierBytes)
	}
	return nil
}

// fileName is the name of the i-th (0-based) file as recorded: its base
// name, NFC. Display strips controls later (vntext.Display); the record
// keeps them.
func fileName(i int, raw string) (string, error) {
	name := vntext.NFC(filepath.Base(strings.ReplaceAll(raw, `\`, "/")))
	if name == "" || name == "." || name == "/" || !utf8.ValidString(name) || len(name) > 255 {
		return "", dossier.Errorf(dossier.CodeInvalid, "tên tệp thứ %d không hợp lệ (invalid file name)", i+1)
	}
	return name, nil
}

func errTooManyFiles(n, max int) error {
	return dossier.Errorf(dossier.CodeTooLarge, "quá nhiều tệp: %d, tối đa %d (too many files)", n, max)
}

func errEmpty(name string) error {
	return dossier.Errorf(dossier.CodeInvalid, "tệp %q rỗng (empty file)", vntext.Display(name))
}

func errFileTooLarge(name string, n, max int64) error {
	return dossier.Errorf(dossier.CodeTooLarge, "tệp %q quá lớn: %d byte, tối đa %d (file too large)", vntext.Display(name), n, max)
}

func errDossierTooLarge(n, max int64) error {
	return dossier.Errorf(dossier.CodeTooLarge, "hồ sơ quá lớn: %d byte, tối đa %d (dossier too large)", n, max)
}

func errNotAllowed(name string) error {
	return dossier.Errorf(dossier.CodeUnsupported, "tệp %q không thuộc loại được phép (PDF, JPEG, PNG, DOCX, TXT); kiểm tra theo nội dung tệp (file type not allowed, checked by its content)", vntext.Display(name))
}

// Submit validates, stores and publishes a submission.
func (s *Service) Submit(ctx context.Context, req Request) (Result, error) {
	up := req.Upload
	created := false
	defer func() {
		if up != nil && !created {
			up.Abort(ctx)
		}
	}()
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
	if up == nil {
		up = s.NewUpload()
		for _, f := range req.Files {
			if err := up.Add(ctx, f.Name, bytes.NewReader(f.Data)); err != nil {
				return Result{}, err
			}
		}
	}
	nd := store.NewDossier{
		ID: up.id, ProcedureCode: req.ProcedureCode, ApplicantID: req.ApplicantID, Agency: req.Agency,
		IdempotencyKey: req.IdempotencyKey, SubmittedAt: now().UTC(), Metadata: req.Metadata, Documents: up.docs,
	}
	if nd.Agency == "" {
		nd.Agency = s.DefaultAgency
	}
	got, isNew, err := s.Store.CreateDossier(ctx, nd)
	if err != nil {
		return Result{}, err
	}
	if !isNew {
		// A concurrent submission with the same key won the race.
		return Result{DossierID: got, Created: false, Published: true}, nil
	}
	created = true
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
		s.Log.Info("dossier submitted", "dossier_id", got, "procedure", req.ProcedureCode, "documents", len(nd.Documents))
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
