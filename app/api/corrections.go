package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/hoso-vn/hoso/internal/correction"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// handleCorrect records an official's correction of a dossier's pre-check
// (internal/correction): 201 when recorded, 200 when the same correction
// was recorded before (nothing written, nothing re-run). Refusals (another
// agency, a role without review rights) are 403 and audited by the
// service.
func (s *Server) handleCorrect(w http.ResponseWriter, r *http.Request) {
	if s.Deps.Corrections == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "unavailable", Message: "chưa cấu hình sửa kết quả kiểm tra (corrections not configured)"})
		return
	}
	var in correction.Input
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil && !errors.Is(err, io.EOF) {
		writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "nội dung JSON không hợp lệ: %v (invalid JSON body)", err))
		return
	}
	res, err := s.Deps.Corrections.Record(r.Context(), r.PathValue("id"), actorOf(r), in)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	code := http.StatusCreated
	if !res.Created {
		code = http.StatusOK
	}
	writeJSON(w, code, res)
}

// handleListCorrections lists a dossier's corrections, oldest first.
func (s *Server) handleListCorrections(w http.ResponseWriter, r *http.Request) {
	if s.Deps.Corrections == nil {
		writeJSON(w, http.StatusServiceUnavailable, apiError{Error: "unavailable", Message: "chưa cấu hình sửa kết quả kiểm tra (corrections not configured)"})
		return
	}
	cs, err := s.Deps.Corrections.List(r.Context(), r.PathValue("id"), actorOf(r))
	if dossier.ErrorCode(err) == dossier.CodeForbidden {
		s.deny(w, r, "correction.list", "dossier", r.PathValue("id"), err.Error(), err)
		return
	}
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, cs)
}
