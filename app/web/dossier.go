package web

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/report"
	"github.com/hoso-vn/hoso/internal/signing"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// dossierAgency returns the agency of a dossier, or CodeNotFound.
func (c *Console) dossierAgency(ctx context.Context, id string) (string, error) {
	return store.New(c.d.Pool).DossierAgency(ctx, id)
}

// authorize refuses an official access to another agency's dossier, and logs
// the refusal in the audit trail: attempts to read other agencies' citizens'
// data are exactly what an audit looks for.
func (c *Console) authorize(ctx context.Context, a Actor, dossierID, action string) error {
	agency, err := c.dossierAgency(ctx, dossierID)
	if err != nil {
		return err
	}
	if !a.CanSeeAgency(agency) {
		_ = audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: action + ".denied", Entity: "dossier", EntityID: dossierID,
			Reason: fmt.Sprintf("agency %q ≠ %q", a.Agency, agency)})
		return dossier.Errorf(dossier.CodeForbidden, "hồ sơ %s thuộc cơ quan khác (dossier belongs to another agency)", dossierID)
	}
	return nil
}

// docView is a document with what the page needs beyond the report.
type docView struct {
	dossier.Document
	Fields []fieldView
	Inline bool // shown in the inline viewer
	Image  bool
	Render []int // page numbers shown as rendered images
}

type fieldView struct {
	dossier.Field
	Before, Match, After string // context from the page text around the span
}

type suggestionView struct {
	dossier.Suggestion
	Approvals []approval
	HighRisk  bool
	Needed    int
	Mine      bool // the current official already approved (four-eyes)
}

type approval struct {
	By     string    `json:"by"`
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

type inboxRow struct {
	SuggestionID string
	Text         string
	CreatedAt    time.Time
	PublishedAt  *time.Time
	Response     *string
}

type auditRow struct {
	Seq      int64
	At       time.Time
	Actor    string
	Action   string
	Entity   string
	EntityID string
	Reason   string
	Before   any
	After    any
}

type dossierView struct {
	Report      dossier.Report
	Item        QueueItem
	Documents   []docView
	Suggestions []suggestionView
	Inbox       []inboxRow
	History     []auditRow
	CanApprove  bool
	CanReview   bool
	FileViewer  bool
	Error       string
	Sample      *sampleOutcome
	Signed      []signing.Check // what the agency signed for this dossier, checked again
	Correct     *correctView    // the correction forms (corrections.go); nil: not offered
	// Findings in the order a counter works (missing, needs review,
	// invalid, present, reused), citations one per article;
	// NotApplicable collapsed apart.
	Findings      []findingView
	NotApplicable []findingView
	TypeNames     map[string]string // document type → the requirement's name
	AgencyName    string
}

type sampleOutcome struct {
	By, Outcome, Note string
	At                time.Time
}

func (c *Console) handleDossier(w http.ResponseWriter, r *http.Request) {
	c.showDossier(w, r, http.StatusOK, "")
}

func (c *Console) showDossier(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id := r.PathValue("id")
	if err := c.authorize(ctx, a, id, "dossier.view"); err != nil {
		c.fail(w, r, err)
		return
	}
	v, err := c.loadDossierView(ctx, a, id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Error = errMsg
	if err := audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "dossier.view", Entity: "dossier", EntityID: id}); err != nil {
		// A view that cannot be logged is not shown.
		c.fail(w, r, err)
		return
	}
	c.render(w, r, status, "dossier", v)
}

func (c *Console) loadDossierView(ctx context.Context, a Actor, id string) (*dossierView, error) {
	rep, err := report.Load(ctx, c.d.Pool, id)
	if err != nil {
		return nil, err
	}
	v := &dossierView{Report: rep, CanApprove: hasRole(a, auth.RoleApprover), CanReview: hasRole(a, auth.RoleReviewer, auth.RoleApprover), FileViewer: c.d.Files != nil}
	// Queue facts (deadlines, confidence, sample) for the header.
	items, err := c.loadQueueItem(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Item = items
	v.Correct = c.correctionView(ctx, a, rep)
	v.Report.Dossier.ProcedureName = cmp.Or(v.Report.Dossier.ProcedureName, v.Item.ProcedureName)
	v.Findings, v.NotApplicable = arrangeFindings(rep.Findings)
	v.TypeNames = map[string]string{}
	for _, f := range rep.Findings {
		if t, ok := strings.CutPrefix(f.Key, "req:"); ok && f.Requirement != "" {
			v.TypeNames[t] = f.Requirement
		}
	}
	v.AgencyName = c.agencyName(ctx, rep.Dossier.Agency)
	texts, err := c.pageTexts(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, d := range rep.Documents {
		dv := docView{Document: d}
		ct, _, _ := mime.ParseMediaType(d.ContentType)
		dv.Inline = ct == "application/pdf"
		dv.Image = ct == "image/png" || ct == "image/jpeg"
		if dv.Inline && c.d.Pages != nil {
			for p := 1; p <= min(max(d.Pages, 1), maxRenderPages); p++ {
				dv.Render = append(dv.Render, p)
			}
		}
		for _, f := range d.Fields {
			dv.Fields = append(dv.Fields, withContext(f, texts[d.ID]))
		}
		v.Documents = append(v.Documents, dv)
	}
	approvals, err := c.approvals(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, s := range rep.Suggestions {
		sv := suggestionView{Suggestion: s, Approvals: approvals[s.ID], HighRisk: s.Risk == "high", Needed: 1}
		if sv.HighRisk {
			sv.Needed = 2
		}
		for _, ap := range sv.Approvals {
			if ap.By == a.ID {
				sv.Mine = true
			}
		}
		v.Suggestions = append(v.Suggestions, sv)
	}
	if v.Inbox, err = c.inbox(ctx, id); err != nil {
		return nil, err
	}
	if v.History, err = c.history(ctx, id, rep.Suggestions); err != nil {
		return nil, err
	}
	if v.Signed, err = (&signing.Service{Pool: c.d.Pool}).Verify(ctx, id, nil); err != nil {
		return nil, err
	}
	if v.Sample, err = c.auditSample(ctx, id); err != nil {
		return nil, err
	}
	return v, nil
}

// withContext cuts the span a field was read from out of its page, with a
// little text either side, so that the official sees where it came from.
func withContext(f dossier.Field, pages []string) fieldView {
	fv := fieldView{Field: f}
	if f.Page < 1 || f.Page > len(pages) {
		return fv
	}
	text := pages[f.Page-1]
	if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
		return fv
	}
	start, end := f.Start, f.End
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	for end < len(text) && !utf8.RuneStart(text[end]) {
		end++
	}
	lo := max(0, start-60)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo--
	}
	hi := min(len(text), end+60)
	for hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi++
	}
	fv.Before = collapse(text[lo:start])
	fv.Match = text[start:end]
	fv.After = collapse(text[end:hi])
	if lo > 0 {
		fv.Before = "…" + fv.Before
	}
	if hi < len(text) {
		fv.After += "…"
	}
	return fv
}

// collapse turns runs of white space (line breaks of the page text) into one
// space, keeping one at either edge so that the span stays a separate word.
func collapse(s string) string {
	if s == "" {
		return s
	}
	out := vntext.CollapseSpace(s)
	if strings.TrimLeftFunc(s[:1], unicode.IsSpace) == "" {
		out = " " + out
	}
	if r, _ := utf8.DecodeLastRuneInString(s); unicode.IsSpace(r) && out != " " {
		out += " "
	}
	return out
}

func (c *Console) history(ctx context.Context, dossierID string, sugg []dossier.Suggestion) ([]auditRow, error) {
	ids := []string{}
	for _, s := range sugg {
		ids = append(ids, s.ID)
	}
	return c.auditRows(ctx, `WHERE (entity = 'dossier' AND entity_id = $1) OR (entity = 'suggestion' AND entity_id = ANY($2))
		ORDER BY seq DESC LIMIT 50`, dossierID, ids)
}

// handleFile streams a document's bytes for the inline viewer.
func (c *Console) handleFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if c.d.Files == nil {
		c.renderError(w, r, http.StatusServiceUnavailable, "err.unavailable")
		return
	}
	docID := r.PathValue("id")
	dossierID, filename, ctype, found, err := c.documentFile(ctx, docID)
	if !found {
		c.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.authorize(ctx, a, dossierID, "document.view"); err != nil {
		c.fail(w, r, err)
		return
	}
	rc, stored, err := c.d.Files.Open(ctx, dossierID, docID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	defer rc.Close()
	if stored != "" {
		ctype = stored
	}
	_ = audit.Record(ctx, c.d.Pool, audit.Entry{Actor: a.ID, Action: "document.view", Entity: "document", EntityID: docID})
	mt, _, _ := mime.ParseMediaType(ctype)
	disposition := "attachment"
	switch mt {
	case "application/pdf", "image/png", "image/jpeg":
		disposition = "inline"
	default:
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": vntext.Display(filename)}))
	w.Header().Set("Cache-Control", "private, no-store")
	if _, err := io.Copy(w, rc); err != nil {
		c.log.Warn("console: stream document", "document_id", docID, "err", err)
	}
}

// handleSuggestion runs approve, reject or edit on a suggestion.
func (c *Console) handleSuggestion(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	sid, action := r.PathValue("id"), r.PathValue("action")
	dossierID, found, err := c.suggestionDossier(ctx, sid)
	if !found {
		c.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if err := c.authorize(ctx, a, dossierID, "suggestion."+action); err != nil {
		c.fail(w, r, err)
		return
	}
	if c.d.Review == nil {
		c.renderError(w, r, http.StatusServiceUnavailable, "err.unavailable")
		return
	}
	reason := vntext.NFC(strings.TrimSpace(r.PostFormValue("reason")))
	text := vntext.NFC(strings.TrimSpace(r.PostFormValue("text")))
	switch action {
	case "approve":
		if !hasRole(a, auth.RoleApprover) {
			c.renderError(w, r, http.StatusForbidden, "err.role")
			return
		}
		var edited *string
		if text != "" {
			edited = &text
		}
		_, err = c.d.Review.Approve(ctx, sid, a, reason, edited)
	case "reject":
		if reason == "" {
			err = dossier.Errorf(dossier.CodeInvalid, "cần nêu lý do từ chối (a reason is required)")
			break
		}
		_, err = c.d.Review.Reject(ctx, sid, a, reason)
	case "edit":
		if text == "" {
			err = dossier.Errorf(dossier.CodeInvalid, "nội dung không được để trống (text is required)")
			break
		}
		_, err = c.d.Review.Edit(ctx, sid, a, text)
	default:
		c.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	if err != nil {
		status, msg, ok := opMessage(err)
		if !ok {
			c.fail(w, r, err)
			return
		}
		r.SetPathValue("id", dossierID)
		c.showDossier(w, r, status, msg)
		return
	}
	c.log.Info("console: suggestion "+action, "dossier_id", dossierID, "suggestion", sid, "user", a.ID)
	http.Redirect(w, r, "/console/dossiers/"+url.PathEscape(dossierID)+"?done="+action+"#s-"+sid, http.StatusSeeOther)
}

// handleAuditSample records a reviewer's verdict on a sampled pre-check.
func (c *Console) handleAuditSample(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	id := r.PathValue("id")
	if err := c.authorize(ctx, a, id, "audit_sample.record"); err != nil {
		c.fail(w, r, err)
		return
	}
	outcome := r.PostFormValue("outcome")
	if outcome != "agree" && outcome != "disagree" {
		c.renderError(w, r, http.StatusBadRequest, "err.bad_request")
		return
	}
	note := vntext.NFC(strings.TrimSpace(r.PostFormValue("note")))
	if err := c.recordAuditSample(ctx, a.ID, id, outcome, note); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/console/dossiers/"+url.PathEscape(id)+"?done=sample", http.StatusSeeOther)
}

func (c *Console) handleRegulation(w http.ResponseWriter, r *http.Request) {
	doc := vntext.NFC(r.PathValue("document"))
	num, err := strconv.Atoi(r.PathValue("article"))
	if err != nil || num <= 0 {
		c.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	data := map[string]any{"Document": doc, "Number": num, "Quote": r.URL.Query().Get("q")}
	if c.d.Regulations == nil {
		data["Missing"] = true
		c.render(w, r, http.StatusOK, "regulation", data)
		return
	}
	art, err := c.d.Regulations.Article(r.Context(), doc, num)
	if dossier.ErrorCode(err) == dossier.CodeNotFound {
		data["Missing"] = true
		c.render(w, r, http.StatusNotFound, "regulation", data)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data["Article"] = art
	data["Paragraphs"] = strings.Split(art.Text, "\n")
	c.render(w, r, http.StatusOK, "regulation", data)
}
