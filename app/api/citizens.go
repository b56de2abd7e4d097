package api

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/app/trigger"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/explain"
	"github.com/hoso-vn/hoso/internal/review"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vault"
)

// RoleRegistry is the role of another agency's system that registers
// verified records (birth certificates, residence records) in the vault.
const RoleRegistry = "registry"

// citizenSelf reports whether a acts for citizen id: the citizen, a portal
// integration or an administrator.
func citizenSelf(a review.Actor, id string) bool {
	return a.Has(review.RoleAdmin) || a.Has("portal") || strings.EqualFold(a.ID, "citizen:"+id)
}

func (s *Server) vault() *vault.Store {
	v := vault.New(s.Pool)
	v.Log = s.Log
	if s.Deps.Catalog != nil {
		v.Procedures = s.Deps.Catalog
	}
	return v
}

func (s *Server) triggers() (*trigger.Engine, error) {
	rules, err := trigger.Default()
	if err != nil {
		return nil, err
	}
	e := &trigger.Engine{Pool: s.Pool, Rules: rules, Log: s.Log}
	if s.Deps.Catalog != nil {
		e.Procedures = s.Deps.Catalog
	}
	if s.Deps.Submission != nil {
		e.DefaultAgency = s.Deps.Submission.DefaultAgency
	}
	return e, nil
}

// handleAcceptDossier: POST /api/v1/dossiers/{id}/accept {"note": "…"}.
// The official accepts a pre-checked dossier; its documents become verified
// vault records, and the proactive rules run on the acceptance.
func (s *Server) handleAcceptDossier(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Note string `json:"note"`
	}
	if err := decodeOptional(r, &body); err != nil {
		writeError(w, s.Log, err)
		return
	}
	acc, err := s.vault().Accept(r.Context(), r.PathValue("id"), actorOf(r), body.Note)
	if dossier.ErrorCode(err) == dossier.CodeForbidden {
		s.deny(w, r, "dossier.accept", "dossier", r.PathValue("id"), err.Error(), err)
		return
	}
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	out := struct {
		vault.Acceptance
		Suggestions []trigger.Drafted `json:"suggestions"`
	}{Acceptance: acc, Suggestions: []trigger.Drafted{}}
	if e, err := s.triggers(); err == nil {
		// A failure here is not the acceptance's: the scheduler's pass
		// processes the recorded event later.
		if ds, err := e.HandleStored(r.Context(), acc.EventID); err == nil {
			out.Suggestions = ds
		} else if s.Log != nil {
			s.Log.Warn("acceptance event left to the scheduler", "dossier_id", acc.DossierID, "err", err)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// handleRegisterRecord: POST /api/v1/registry/records (role registry or
// admin) registers a verified record from another agency's registry.
func (s *Server) handleRegisterRecord(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if !s.registryRole(w, r, a, "registry.register") {
		return
	}
	var rec vault.Record
	if err := decodeStrict(r.Body, &rec, "bản ghi", "record"); err != nil {
		writeError(w, s.Log, err)
		return
	}
	if rec.Source == "" {
		rec.Source = "registry:" + strings.TrimPrefix(a.ID, "registry:")
	}
	if !strings.HasPrefix(rec.Source, "registry:") {
		writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "source phải bắt đầu bằng registry: (source must start with registry:)"))
		return
	}
	rec.VerifiedBy, rec.SourceDossier, rec.RevokedAt = a.ID, "", nil
	got, created, err := s.vault().Register(r.Context(), rec)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	code := http.StatusOK
	if created {
		code = http.StatusCreated
	}
	writeJSON(w, code, got)
}

// handleCitizenVault: GET /api/v1/citizens/{id}/vault lists the records.
func (s *Server) handleCitizenVault(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !citizenSelf(actorOf(r), id) {
		s.deny(w, r, "vault.view", "citizen", id, "citizen or portal only",
			dossier.Errorf(dossier.CodeForbidden, "chỉ công dân hoặc cổng dịch vụ công được xem (citizen or portal only)"))
		return
	}
	recs, err := s.vault().Records(r.Context(), id)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, recs)
}

// handleCitizenExport: GET /api/v1/citizens/{id}/vault/export — the
// data-subject export (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15).
func (s *Server) handleCitizenExport(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a := actorOf(r)
	if !citizenSelf(a, id) {
		s.deny(w, r, "vault.export", "citizen", id, "citizen or portal only",
			dossier.Errorf(dossier.CodeForbidden, "chỉ công dân hoặc cổng dịch vụ công được xuất dữ liệu (citizen or portal only)"))
		return
	}
	ex, err := s.vault().Export(r.Context(), id, a.ID)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="hoso-du-lieu-`+strings.Map(safeName, id)+`.json"`)
	writeJSON(w, http.StatusOK, ex)
}

func safeName(r rune) rune {
	if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
		return r
	}
	return '_'
}

// handleRespond: POST /api/v1/citizens/{id}/inbox/{item}/accept|decline.
func (s *Server) handleRespond(response string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		a := actorOf(r)
		if !a.Has("portal") && !strings.EqualFold(a.ID, "citizen:"+id) {
			s.deny(w, r, "inbox."+response, "citizen", id, "citizen or portal only",
				dossier.Errorf(dossier.CodeForbidden, "chỉ công dân hoặc cổng dịch vụ công được trả lời (citizen or portal only)"))
			return
		}
		item, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
		if err != nil {
			writeError(w, s.Log, dossier.Errorf(dossier.CodeInvalid, "mã mục không hợp lệ (invalid item id)"))
			return
		}
		c := &trigger.Consent{Pool: s.Pool, Vault: s.vault(), Log: s.Log}
		if s.Deps.Catalog != nil {
			c.Procedures = s.Deps.Catalog
		}
		ans, err := c.Respond(r.Context(), id, item, response, a.ID)
		if err != nil {
			writeError(w, s.Log, err)
			return
		}
		writeJSON(w, http.StatusOK, ans)
	}
}

// handleExplanation: GET builds the explanation of a dossier from approved
// suggestions; POST drafts it as a pending suggestion for approval.
func (s *Server) handleExplanation(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	agency, err := store.New(s.Pool).DossierAgency(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, s.Log, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy hồ sơ %s (dossier not found)", r.PathValue("id")))
		return
	}
	if !a.CanSeeAgency(agency) {
		s.deny(w, r, "dossier.explanation", "dossier", r.PathValue("id"), agencyReason(a, agency),
			dossier.Errorf(dossier.CodeForbidden, "không thuộc cơ quan tiếp nhận hồ sơ này (not this agency's dossier)"))
		return
	}
	b := &explain.Builder{Pool: s.Pool, Log: s.Log}
	if s.Deps.Catalog != nil {
		b.Procedures = s.Deps.Catalog
	}
	if r.Method == http.MethodGet {
		msg, err := b.Build(r.Context(), r.PathValue("id"), time.Now())
		if err != nil {
			writeError(w, s.Log, err)
			return
		}
		writeJSON(w, http.StatusOK, msg)
		return
	}
	sg, msg, err := b.Draft(r.Context(), r.PathValue("id"), time.Now())
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"suggestion": sg, "message": msg})
}

// handleRuleStats: GET /api/v1/triggers/rules — the operators' view.
func (s *Server) handleRuleStats(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if !a.Has(review.RoleAdmin) && !a.Has(review.RoleOperator) && !a.Has(review.RoleApprover) {
		s.deny(w, r, "trigger.stats", "role", review.RoleOperator, "operator, approver or admin role required",
			dossier.Errorf(dossier.CodeForbidden, "cần vai trò vận hành (operator role required)"))
		return
	}
	stats, err := trigger.Stats(r.Context(), s.Pool)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	type row struct {
		trigger.RuleStats
		RejectionRate float64 `json:"rejection_rate"`
	}
	out := make([]row, len(stats))
	for i, st := range stats {
		out[i] = row{st, st.RejectionRate()}
	}
	writeJSON(w, http.StatusOK, out)
}

// handlePublishEvent: POST /api/v1/events — for systems that cannot reach
// NATS: the event is handled as if it came on <prefix>.events.<kind>.
func (s *Server) handlePublishEvent(w http.ResponseWriter, r *http.Request) {
	a := actorOf(r)
	if !s.registryRole(w, r, a, "event.publish") {
		return
	}
	var ev trigger.Event
	if err := decodeStrict(r.Body, &ev, "sự kiện", "event"); err != nil {
		writeError(w, s.Log, err)
		return
	}
	ev.Origin = "api"
	e, err := s.triggers()
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	ds, err := e.Handle(r.Context(), ev)
	if err != nil {
		writeError(w, s.Log, err)
		return
	}
	if ds == nil {
		ds = []trigger.Drafted{}
	}
	writeJSON(w, http.StatusAccepted, ds)
}

// registryRole reports whether a may act for a registry (role registry or
// admin); otherwise it answers 403 and audits action as denied.
func (s *Server) registryRole(w http.ResponseWriter, r *http.Request, a review.Actor, action string) bool {
	if a.Has(RoleRegistry) || a.Has(review.RoleAdmin) {
		return true
	}
	s.deny(w, r, action, "role", RoleRegistry, "role registry required",
		dossier.Errorf(dossier.CodeForbidden, "cần vai trò registry (registry role required)"))
	return false
}

// decodeStrict decodes one JSON value of at most 1 MiB into v, refusing
// unknown fields; what names the value in the error (Vietnamese, English).
func decodeStrict(body io.Reader, v any, whatVI, whatEN string) error {
	dec := json.NewDecoder(io.LimitReader(body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return dossier.Errorf(dossier.CodeInvalid, "%s không phải JSON hợp lệ: %v (invalid %s JSON)", whatVI, err, whatEN)
	}
	return nil
}

// decodeOptional decodes a JSON body when there is one.
func decodeOptional(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil || len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return dossier.Errorf(dossier.CodeInvalid, "JSON không hợp lệ: %v (invalid JSON)", err)
	}
	return nil
}
