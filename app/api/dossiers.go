package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"path"
	"strings"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/param"
	"github.com/hoso-vn/hoso/internal/report"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/submission"
)

type actorKey struct{}

// authed requires an authenticated actor and puts it in the context.
func (s *Server) authed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var (
			a  review.Actor
			ok bool
		)
		switch {
		case s.Deps.Authenticate != nil:
			if a, ok = s.Deps.Authenticate(w, r); !ok {
				return // the refusal is written
			}
		case s.Deps.Actor != nil:
			a, ok = s.Deps.Actor(r)
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hoso"`)
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "unauthenticated", Message: "cần đăng nhập hoặc mã truy cập API (authentication required)"})
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, a)))
	}
}

// deny refuses a request for another agency's data (403) and writes the
// refusal to the audit log, as the console does: attempts to read other
// agencies' citizens' data are exactly what an audit looks for.
func (s *Server) deny(w http.ResponseWriter, r *http.Request, action, entity, entityID, reason string, err error) {
	a := actorOf(r)
	if aerr := audit.Record(r.Context(), s.Pool, audit.Entry{Actor: a.ID, Action: action + ".denied", Entity: entity, EntityID: entityID,
		Reason: reason, After: map[string]any{"method": r.Method, "path": r.URL.Path}}); aerr != nil && s.Log != nil {
		s.Log.Error("audit refused request", "err", aerr)
	}
	writeError(w, s.Log, err)
}

// agencyReason names the two agencies of a refusal, as the console does.
func agencyReason(a review.Actor, agency string) string {
	return fmt.Sprintf("agency %q ≠ %q", a.Agency, agency)
}

func actorOf(r *http.Request) review.Actor {
	a, _ := r.Context().Value(actorKey{}).(review.Actor)
	return a
}

// submitMeta is the "metadata" part of a multipart submission.
type submitMeta struct {
	ProcedureCode  string         `json:"procedure_code"`
	Applicant      string         `json:"applicant"`
	Agency         string         `json:"agency"`
	IdempotencyKey string         `json:"idempotency_key"`
	Metadata       map[string]any `json:"metadata"`
}

// handleSubmit accepts multipart/form-data: a "metadata" part with JSON and
// one or more "files" parts. The Idempotency-Key header may replace the
// metadata field.
func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request) {
	if s.Deps.Submission == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "unavailable", Message: "chưa cấu hình tiếp nhận hồ sơ"})
		return
	}
	lim := s.Deps.Submission.Limits
	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxDossierBytes+(1<<20))
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "cần multipart/form-data với phần metadata và files (expected multipart/form-data)"))
		return
	}
	tooLarge := func(err error) bool {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, s.Log, dossier.Errorf(dossier.CodeTooLarge, "hồ sơ vượt quá %d byte (dossier too large)", lim.MaxDossierBytes))
			return true
		}
		return false
	}
	// Each file streams into the object store as its part arrives
	// (submission.Upload); Submit takes the upload over, and until then any
	// early return removes what was stored.
	up := s.Deps.Submission.NewUpload()
	defer func() {
		if up != nil {
			up.Abort(r.Context())
		}
	}()
	var meta submitMeta
	var req submission.Request
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if tooLarge(err) {
				return
			}
			writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "dữ liệu multipart hỏng: %v", err))
			return
		}
		switch p.FormName() {
		case "metadata":
			if err := decodeStrict(p, &meta, "metadata", "metadata"); err != nil {
				writeError(w, s.Log, err)
				return
			}
		case "files", "file":
			if err := up.Add(r.Context(), p.FileName(), p); err != nil {
				if tooLarge(err) {
					return
				}
				var de *dossier.Error
				if !errors.As(err, &de) && isMultipartError(err) {
					err = dossier.Errorf(dossier.CodeInvalid, "dữ liệu multipart hỏng: %v", err)
				}
				writeError(w, s.Log, err)
				return
			}
		}
	}
	req.Upload, up = up, nil
	a := actorOf(r)
	req.ProcedureCode, req.ApplicantID, req.Metadata = meta.ProcedureCode, meta.Applicant, meta.Metadata
	req.IdempotencyKey, req.Submitter = meta.IdempotencyKey, a.ID
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		req.IdempotencyKey = k
	}
	req.Agency = meta.Agency
	if req.Agency == "" {
		req.Agency = a.Agency
	}
	if !a.CanSeeAgency(req.Agency) && !a.Has("portal") {
		s.deny(w, r, "dossier.submit", "agency", req.Agency, agencyReason(a, req.Agency),
			dossier.Errorf(dossier.CodeForbidden, "không được nộp hồ sơ cho cơ quan khác (cannot submit for another agency)"))
		return
	}
	res, err := s.Deps.Submission.Submit(r.Context(), req)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	code := http.StatusCreated
	if !res.Created {
		code = http.StatusOK
	}
	w.Header().Set("Location", "/api/v1/dossiers/"+res.DossierID)
	writeJSON(w, code, res)
}

// isMultipartError reports whether err comes from reading a malformed
// multipart body (the client's fault) rather than from storing it.
func isMultipartError(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart")
}

func (s *Server) handleGetDossier(w http.ResponseWriter, r *http.Request) {
	rep, err := report.Load(r.Context(), s.Pool, r.PathValue("id"))
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	a := actorOf(r)
	if !a.CanSeeAgency(rep.Dossier.Agency) {
		s.deny(w, r, "dossier.view", "dossier", rep.Dossier.ID, agencyReason(a, rep.Dossier.Agency),
			dossier.Errorf(dossier.CodeForbidden, "không có quyền xem hồ sơ của cơ quan khác (another agency's dossier)"))
		return
	}
	_ = audit.Record(r.Context(), s.Pool, audit.Entry{Actor: a.ID, Action: "dossier.view", Entity: "dossier", EntityID: rep.Dossier.ID})
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) handleListDossiers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := report.Filter{Status: q.Get("status"), Procedure: q.Get("procedure"), Applicant: q.Get("applicant"), Sort: q.Get("sort")}
	limit, err := param.Int(q, "limit", 0, 0, 1000)
	if err == nil {
		f.Limit = int(limit)
		var offset int64
		offset, err = param.Int(q, "offset", 0, 0, math.MaxInt32)
		f.Offset = int(offset)
	}
	if err == nil {
		f.MinConfidence, err = param.Float(q, "min_confidence", 0, 1)
	}
	if err == nil {
		f.MaxConfidence, err = param.Float(q, "max_confidence", 0, 1)
	}
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	a := actorOf(r)
	f.Agency = q.Get("agency")
	if !a.Has(review.RoleAdmin) {
		if f.Agency != "" && f.Agency != a.Agency {
			s.deny(w, r, "dossier.list", "agency", f.Agency, agencyReason(a, f.Agency),
				dossier.Errorf(dossier.CodeForbidden, "không có quyền xem hồ sơ của cơ quan khác (another agency)"))
			return
		}
		f.Agency = a.Agency
		if f.Agency == "" {
			writeJSON(w, http.StatusOK, []report.Summary{})
			return
		}
	}
	list, err := report.List(r.Context(), s.Pool, f)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

type decision struct {
	Reason string  `json:"reason"`
	Text   *string `json:"text"`
}

func readDecision(r *http.Request) (decision, error) {
	var d decision
	if r.ContentLength == 0 {
		return d, nil
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		return d, dossier.Errorf(dossier.CodeInvalid, "nội dung yêu cầu không phải JSON hợp lệ (invalid JSON body)")
	}
	return d, nil
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, f func(review.Actor, decision) (dossier.Suggestion, error)) {
	if s.Deps.Review == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "unavailable", Message: "chưa cấu hình duyệt đề xuất"})
		return
	}
	d, err := readDecision(r)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	sg, err := f(actorOf(r), d)
	if dossier.ErrorCode(err) == dossier.CodeForbidden {
		// Another agency's suggestion, or a role the official lacks.
		s.deny(w, r, "suggestion."+path.Base(r.URL.Path), "suggestion", r.PathValue("id"), err.Error(), err)
		return
	}
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, sg)
}

func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) {
	s.decide(w, r, func(a review.Actor, d decision) (dossier.Suggestion, error) {
		return s.Deps.Review.Approve(r.Context(), r.PathValue("id"), a, d.Reason, d.Text)
	})
}

func (s *Server) handleReject(w http.ResponseWriter, r *http.Request) {
	s.decide(w, r, func(a review.Actor, d decision) (dossier.Suggestion, error) {
		return s.Deps.Review.Reject(r.Context(), r.PathValue("id"), a, d.Reason)
	})
}

func (s *Server) handleEdit(w http.ResponseWriter, r *http.Request) {
	s.decide(w, r, func(a review.Actor, d decision) (dossier.Suggestion, error) {
		if d.Text == nil {
			return dossier.Suggestion{}, dossier.Errorf(dossier.CodeInvalid, "thiếu trường text (text is required)")
		}
		return s.Deps.Review.Edit(r.Context(), r.PathValue("id"), a, *d.Text)
	})
}

func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	agency := a.Agency
	if a.Has(review.RoleAdmin) || a.Has("portal") || strings.EqualFold(a.ID, "citizen:"+r.PathValue("id")) {
		agency = ""
	}
	items, err := review.Inbox(r.Context(), s.Pool, r.PathValue("id"), agency)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, items)
}
