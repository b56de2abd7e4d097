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
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vnid"
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
	ProcedureCode string
	ApplicantID   string
	Agency        string
	// IdempotencyKey is the client's key. It is scoped to the agency and
	// the Submitter: the same key from another agency or credential is
	// another submission.
	IdempotencyKey string
	Metadata       map[string]any
	Files          []File
	// Upload holds files already received as streams (NewUpload); when
	// set, Files is ignored. Submit takes it over: it is aborted (its
	// objects deleted) on every outcome but a newly created dossier.
	Upload *Upload
	// Submitter names the credential that submits: the API actor (user or
	// token), "cli" for hoso submit. It scopes the idempotency key.
	Submitter string
}

// Result says which dossier the submission is.
type Result struct {
	DossierID string `json:"dossier_id"`
	Created   bool   `json:"created"` // false: an earlier submission with the same key
	Published bool   `json:"published"`
}

type records interface {
	CreateDossier(ctx context.Context, d store.NewDossier) (store.Created, error)
}

// procedures is the catalog as submission needs it: the version in force
// on a date, and the closest matches of a code or a name that is not.
type procedures interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
	Closest(ctx context.Context, query string, n int) ([]catalog.Procedure, error)
}

type files interface {
	// PutStream stores what r yields under key, in chunks, and fails with
	// r's error (after removing what it stored) when r fails.
	PutStream(ctx context.Context, key string, r io.Reader) error
	Delete(ctx context.Context, key string) error
}

// publisher hands a dossier to a stage.
type publisher interface {
	// PublishNew publishes a dossier just created (its first attempt).
	PublishNew(ctx context.Context, dossierID, stage string) error
}

// Service accepts submissions.
type Service struct {
	Store     records
	Files     files
	Publisher publisher
	Limits    Limits
	// Procedures, when set, refuses a procedure code that is unknown or not
	// in force on the submission date.
	Procedures procedures
	// DefaultAgency receives dossiers submitted without an agency.
	DefaultAgency string
	Log           *slog.Logger
	Now           func() time.Time
}

var procedureCode = regexp.MustCompile(`^[0-9]\.[0-9]{6}$`)

// safeID reports whether s is 1 to 128 letters, digits and "._:@-" (an
// idempotency key, an agency id): what `^[\p{L}\p{N}._:@-]{1,128}$`
// matches, invalid UTF-8 refused. Not a regexp: compiling that class at
// package init cost every start of this executable about 15 ms of CPU, and
// every sandbox child the extractor starts is one.
func safeID(s string) bool {
	n := 0
	for _, r := range s {
		if n++; n > 128 {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !strings.ContainsRune("._:@-", r) {
			return false
		}
	}
	return n > 0
}

// Validate checks a request without storing anything.
func (s *Service) Validate(req *Request) error {
	if !procedureCode.MatchString(req.ProcedureCode) {
		return dossier.Errorf(dossier.CodeInvalid, "mã thủ tục %q không hợp lệ, ví dụ 1.001193 (invalid procedure code)", req.ProcedureCode)
	}
	if _, ok := vnid.Applicant(req.ApplicantID, s.now()); !ok {
		return dossier.Errorf(dossier.CodeInvalid, "mã người nộp %q không hợp lệ: cần số định danh cá nhân 12 chữ số (mã tỉnh, thế kỷ và giới tính, năm sinh) hoặc mã số thuế 10 chữ số hay dạng NNNNNNNNNN-NNN, đúng chữ số kiểm tra (invalid applicant: a 12-digit personal identification number or a 10- or 13-digit tax code with a valid check digit)", clip(req.ApplicantID))
	}
	if req.IdempotencyKey != "" && !safeID(req.IdempotencyKey) {
		return dossier.Errorf(dossier.CodeInvalid, "khóa idempotency không hợp lệ (invalid idempotency key: 1–128 letters, digits, ._:@-)")
	}
	if req.Agency != "" && !safeID(req.Agency) {
		return dossier.Errorf(dossier.CodeInvalid, "mã cơ quan %q không hợp lệ (invalid agency)", req.Agency)
	}
	if err := checkMetadata(req.Metadata); err != nil {
		return err
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
		ct, ok := doctext.Sniff(f.Data)
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
	if !procedureCode.MatchString(req.ProcedureCode) && s.Procedures != nil {
		// Perhaps a name ("khai sinh"): answer with the closest procedures.
		return Result{}, s.unknownProcedure(ctx, req.ProcedureCode, s.now())
	}
	if err := s.Validate(&req); err != nil {
		return Result{}, err
	}
	if req.Agency == "" {
		req.Agency = s.DefaultAgency
	}
	submitted := s.now().UTC()
	proc, err := s.checkProcedure(ctx, req.ProcedureCode, submitted)
	if err != nil {
		return Result{}, err
	}
	if req.Metadata, err = resolveCases(proc, req.Metadata); err != nil {
		return Result{}, err
	}
	if up == nil {
		up = s.NewUpload()
		for _, f := range req.Files {
			if err := up.Add(ctx, f.Name, bytes.NewReader(f.Data)); err != nil {
				return Result{}, err
			}
		}
	}
	// The request hash needs each file's sha256, known once it is stored.
	// A repeated key is found by CreateDossier itself (its insert does
	// nothing on the key and it reads the first dossier), so a new dossier
	// costs one statement, not a look-up first; the repeat answers from
	// the first dossier and the deferred Abort deletes what it stored.
	var scope, hash string
	if req.IdempotencyKey != "" {
		scope, hash = keyScope(req), requestHash(req, up.docs)
	}
	nd := store.NewDossier{
		ID: up.id, ProcedureCode: req.ProcedureCode, ApplicantID: req.ApplicantID, Agency: req.Agency,
		IdempotencyKey: req.IdempotencyKey, IdempotencyScope: scope, RequestHash: hash,
		SubmittedAt: submitted, Metadata: req.Metadata, Documents: up.docs,
	}
	c, err := s.Store.CreateDossier(ctx, nd)
	if err != nil {
		return Result{}, err
	}
	got := c.ID
	if !c.Created {
		// An earlier (or concurrent) submission with the same key.
		return replayed(req, c, hash)
	}
	created = true
	res := Result{DossierID: got, Created: true}
	if err := s.Publisher.PublishNew(ctx, got, dossier.StageIntake); err != nil {
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

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// replayed answers a submission whose key was used before: the first
// result when the request is the same, a conflict when it is not.
func replayed(req Request, prev store.Created, hash string) (Result, error) {
	if prev.RequestHash != "" && prev.RequestHash != hash {
		return Result{}, dossier.Errorf(dossier.CodeConflict,
			"khóa chống nộp trùng %q đã được dùng cho hồ sơ %s với nội dung khác (thủ tục, người nộp, cơ quan, siêu dữ liệu hoặc tệp); dùng khóa mới cho hồ sơ mới (idempotency key already used for a different request; use a new key for a new dossier)",
			req.IdempotencyKey, prev.ID)
	}
	return Result{DossierID: prev.ID, Created: false, Published: true}, nil
}

// keyScope is where an idempotency key is unique: the receiving agency and
// the submitting credential.
func keyScope(req Request) string {
	return req.Agency + "\x1f" + req.Submitter
}

// requestHash identifies what was asked: procedure, applicant, agency,
// metadata and each file's name and content, in order.
func requestHash(req Request, docs []store.NewDocument) string {
	type file struct{ Name, SHA256 string }
	v := struct {
		Procedure, Applicant, Agency string
		Metadata                     map[string]any
		Files                        []file
	}{req.ProcedureCode, req.ApplicantID, req.Agency, req.Metadata, nil}
	for _, d := range docs {
		v.Files = append(v.Files, file{d.Filename, d.SHA256})
	}
	b, _ := json.Marshal(v) // maps marshal with sorted keys
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkProcedure refuses a code that names no procedure in force at at,
// with the closest matches by code and by name.
func (s *Service) checkProcedure(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error) {
	if s.Procedures == nil {
		return nil, nil
	}
	proc, err := s.Procedures.Get(ctx, code, at)
	if err == nil || dossier.ErrorCode(err) != dossier.CodeNotFound {
		return proc, err
	}
	return nil, s.unknownProcedure(ctx, code, at)
}

// resolveCases validates the cases the submitter declares (metadata.cases)
// against the procedure and stores them as case keys: "1.7", "(1.7)", the
// case's name or a requirement of the case become "case-7". An unknown case
// is refused with the procedure's cases by name. Without a catalog the
// metadata is kept as it came.
func resolveCases(proc *catalog.Procedure, meta map[string]any) (map[string]any, error) {
	raw, ok := meta["cases"]
	if !ok || proc == nil {
		return meta, nil
	}
	var in []string
	switch v := raw.(type) {
	case string:
		in = []string{v}
	case []string:
		in = v
	case []any:
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, dossier.Errorf(dossier.CodeInvalid, "metadata.cases phải là danh sách chuỗi (metadata.cases must be a list of strings)")
			}
			in = append(in, s)
		}
	case nil:
	default:
		return nil, dossier.Errorf(dossier.CodeInvalid, "metadata.cases phải là danh sách chuỗi (metadata.cases must be a list of strings)")
	}
	out := []any{}
	for _, v := range in {
		k, ok := proc.ResolveCase(v)
		if !ok {
			return nil, dossier.Errorf(dossier.CodeInvalid, "%s", proc.UnknownCaseMessage(clip(v)))
		}
		if !slices.Contains(out, any(k)) {
			out = append(out, k)
		}
	}
	m := maps.Clone(meta)
	m["cases"] = out
	return m, nil
}

func (s *Service) unknownProcedure(ctx context.Context, code string, at time.Time) error {
	msg := fmt.Sprintf("mã thủ tục %q không tồn tại hoặc không có hiệu lực ngày %s", clip(code), at.In(hcm).Format("02/01/2006"))
	en := "unknown procedure code, or not in force on that date"
	if s.Procedures != nil {
		near, err := s.Procedures.Closest(ctx, code, 5)
		if err != nil {
			return err
		}
		var names []string
		for _, p := range near {
			names = append(names, p.Code+" "+p.Name)
		}
		if len(names) > 0 {
			msg += "; gần nhất: " + strings.Join(names, "; ")
			en += "; closest matches listed"
		}
	}
	return dossier.Errorf(dossier.CodeInvalid, "%s (%s)", msg, en)
}

var hcm = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return l
}()

// clip shortens what a submitter typed for an error message.
func clip(s string) string {
	s = vntext.Clean(s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// checkMetadata refuses metadata that no text column can hold: NUL or
// invalid UTF-8 in any key or string value.
func checkMetadata(m map[string]any) error {
	var bad func(v any) bool
	badString := func(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }
	bad = func(v any) bool {
		switch v := v.(type) {
		case string:
			return badString(v)
		case []any:
			return slices.ContainsFunc(v, bad)
		case map[string]any:
			for k, x := range v {
				if badString(k) || bad(x) {
					return true
				}
			}
		}
		return false
	}
	if bad(map[string]any(m)) {
		return dossier.Errorf(dossier.CodeInvalid, "siêu dữ liệu chứa ký tự NUL hoặc UTF-8 không hợp lệ (metadata holds a NUL character or invalid UTF-8)")
	}
	return nil
}

// NewID returns a new dossier id: "HS" + UTC date-time + random, sortable by
// submission time and readable over the phone.
func NewID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "HS" + t.UTC().Format("20060102T150405") + "-" + strings.ToUpper(hex.EncodeToString(b[:]))
}
