package web

// The operators' pages: stages at a glance with the dossiers waiting past
// the SLA, dead letters (retry or discard), stored pipeline versions
// (activate one, which is also how a rollback is done) and the shadow
// candidate's report. They are for the operator role, and for admins as in
// the API. Unlike the review pages they are not scoped to an agency: the
// pipeline and its dead letters are the whole service's.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/app/pipelinestore"
	"github.com/hoso-vn/hoso/app/shadow"
	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/deadletter"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/telemetry"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// The operator pages join the console's templates.
// operatorRoles may open the operator pages (the API's operatorOnly).
var operatorRoles = []string{auth.RoleOperator, auth.RoleAdmin}

// Limits of the operator lists.
const (
	opsWaitingLimit = 200 // waiting dossiers listed on the stages page
	dlqListLimit    = 200 // dead letters listed per filter
	payloadShown    = 64 << 10
)

func (c *Console) needOperator(next http.HandlerFunc) http.HandlerFunc {
	return c.needAny(next, operatorRoles...)
}

// operatorHome sends an operator who reviews nothing from the queue (where
// sign-in lands) to the stages page instead of a refusal.
func (c *Console) operatorHome(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, _ := ActorFrom(r.Context())
		if r.Method == http.MethodGet && !hasRole(a, auth.RoleReviewer, auth.RoleApprover) && hasRole(a, auth.RoleOperator) {
			http.Redirect(w, r, "/console/ops", http.StatusSeeOther)
			return
		}
		next(w, r)
	}
}

func (c *Console) deadLetters() *deadletter.Service {
	if c.d.DeadLetters != nil {
		return c.d.DeadLetters
	}
	// Without a publisher, Retry re-arms the dossier in PostgreSQL and the
	// reconciler publishes it.
	return &deadletter.Service{Pool: c.d.Pool}
}

func (c *Console) pipelineStore() *pipelinestore.Store {
	if c.d.Pipelines != nil {
		return c.d.Pipelines
	}
	return pipelinestore.New(c.d.Pool)
}

func (c *Console) stuckAfter() time.Duration {
	if c.cfg.StuckAfter > 0 {
		return c.cfg.StuckAfter
	}
	return config.DefaultStuckAfter
}

func (c *Console) shadowGate() shadow.Gate {
	if c.cfg.ShadowGate == (shadow.Gate{}) {
		return shadow.DefaultGate
	}
	return c.cfg.ShadowGate
}

// opMessage is the text of a service error for the page: a domain error's
// message (Vietnamese with the English in brackets), else nothing, and the
// status that goes with its code. ok is false for unexpected errors.
func opMessage(err error) (status int, msg string, ok bool) {
	code := dossier.ErrorCode(err)
	if code == "" {
		return 0, "", false
	}
	status = map[dossier.Code]int{dossier.CodeForbidden: http.StatusForbidden, dossier.CodeNotFound: http.StatusNotFound,
		dossier.CodeConflict: http.StatusConflict}[code]
	if status == 0 {
		status = http.StatusBadRequest
	}
	msg = err.Error()
	var de *dossier.Error
	if errors.As(err, &de) {
		msg = de.Message
	}
	return status, msg, true
}

// formValue is a trimmed, NFC-normalised form field.
func formValue(r *http.Request, name string) string {
	return vntext.NFC(strings.TrimSpace(r.PostFormValue(name)))
}

// age writes a duration compactly for operators: 45s, 3m20s, 2h05m, 3d04h.
func age(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d <= 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%02dh", int(d.Hours())/24, int(d.Hours())%24)
}

// canReview reports whether a's dossier links lead anywhere: the dossier
// page is for reviewers and approvers (of the dossier's agency).
func canReview(a Actor) bool { return hasRole(a, auth.RoleReviewer, auth.RoleApprover) }

// ---- Stages -----------------------------------------------------------

type stageRow struct {
	telemetry.StageStat
	Oldest string // "" when nothing waits
	On     bool   // the list below is filtered to this stage
}

type waitingRow struct {
	telemetry.Waiting
	Age string
	// Share of the SLA the dossier has waited, in percent.
	Share int
}

// handleOps: GET /console/ops?sla=10m&stage=&over=1
func (c *Console) handleOps(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := langOf(r)
	q := r.URL.Query()
	status, errMsg := http.StatusOK, ""
	sla := c.stuckAfter()
	slaInput := strings.TrimSpace(q.Get("sla"))
	if slaInput != "" {
		d, err := time.ParseDuration(slaInput)
		if err != nil || d <= 0 {
			status, errMsg = http.StatusBadRequest, fmt.Sprintf(translate(lang, "ops.bad_sla"), slaInput, sla)
		} else {
			sla = d
		}
	}
	stats, err := telemetry.Stages(ctx, c.d.Pool, nil, sla)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	stage, over := q.Get("stage"), q.Get("over") == "1"
	rows := make([]stageRow, len(stats))
	known := false
	var waiting, overSLA int
	for i, s := range stats {
		rows[i] = stageRow{StageStat: s, On: s.Stage == stage}
		if s.Waiting > 0 {
			rows[i].Oldest = age(s.Oldest)
		}
		known = known || s.Stage == stage
		waiting += s.Waiting
		overSLA += s.OverSLA
	}
	if stage != "" && !known {
		status, errMsg = http.StatusBadRequest, fmt.Sprintf(translate(lang, "ops.bad_stage"), stage)
		stage = ""
	}
	ws, err := telemetry.WaitingDossiers(ctx, c.d.Pool, stage, sla, over, opsWaitingLimit)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	list := make([]waitingRow, len(ws))
	for i, x := range ws {
		list[i] = waitingRow{Waiting: x, Age: age(x.Age), Share: int(100 * x.Age / sla)}
	}
	openDLQ, err := c.openDeadLetters(ctx)
	if err != nil {
		c.fail(w, r, fmt.Errorf("count open dead letters: %w", err))
		return
	}
	a, _ := ActorFrom(ctx)
	slaText := sla.String()
	if slaInput != "" && errMsg == "" {
		slaText = slaInput
	}
	c.render(w, r, status, "ops", map[string]any{
		"SLA": age(sla), "SLAInput": slaText, "Default": age(c.stuckAfter()), "Stages": rows, "Waiting": list,
		"TotalWaiting": waiting, "TotalOver": overSLA, "Stage": stage, "Over": over, "Capped": len(ws) == opsWaitingLimit,
		"OpenDLQ": openDLQ, "Error": errMsg, "Links": canReview(a),
	})
}

// ---- Dead letters -----------------------------------------------------

var dlqStatuses = []string{deadletter.StatusOpen, deadletter.StatusRetried, deadletter.StatusDiscarded, "all"}

type letterRow struct {
	deadletter.Letter
	Short string // the reason, cut for the list
}

// handleDLQ: GET /console/dlq?status=open|retried|discarded|all&stage=
func (c *Console) handleDLQ(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	lang := langOf(r)
	q := r.URL.Query()
	status, errMsg := http.StatusOK, ""
	st := q.Get("status")
	if st == "" {
		st = deadletter.StatusOpen
	}
	if !slices.Contains(dlqStatuses, st) {
		status, errMsg = http.StatusBadRequest, fmt.Sprintf(translate(lang, "dlq.bad_status"), st)
		st = deadletter.StatusOpen
	}
	stage := strings.TrimSpace(q.Get("stage"))
	ls, err := c.deadLetters().List(ctx, deadletter.Filter{Status: st, Stage: stage, Limit: dlqListLimit})
	if err != nil {
		c.fail(w, r, err)
		return
	}
	rows := make([]letterRow, len(ls))
	for i, l := range ls {
		rows[i] = letterRow{Letter: l, Short: cut(l.Reason, 160)}
	}
	stages := []string{}
	for _, cs := range broker.Consumers {
		stages = append(stages, cs.Stage)
	}
	if stage != "" && !slices.Contains(stages, stage) {
		stages = append(stages, stage)
	}
	a, _ := ActorFrom(ctx)
	c.render(w, r, status, "dlq", map[string]any{
		"Letters": rows, "Status": st, "Statuses": dlqStatuses, "Stage": stage, "Stages": stages,
		"Capped": len(ls) == dlqListLimit, "Error": errMsg, "Links": canReview(a),
	})
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func letterID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// handleDLQLetter: GET /console/dlq/{id}
func (c *Console) handleDLQLetter(w http.ResponseWriter, r *http.Request) {
	c.showLetter(w, r, http.StatusOK, "", "")
}

func (c *Console) showLetter(w http.ResponseWriter, r *http.Request, status int, errMsg, reason string) {
	id, ok := letterID(r)
	if !ok {
		c.renderErrorMsg(w, r, http.StatusNotFound, "err.not_found", translate(langOf(r), "dlq.bad_id"))
		return
	}
	l, err := c.deadLetters().Get(r.Context(), id)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	payload, truncated := l.Payload, false
	if len(payload) > payloadShown {
		payload, truncated = payload[:payloadShown], true
	}
	var pretty bytes.Buffer
	if !truncated && json.Indent(&pretty, []byte(payload), "", "  ") == nil {
		payload = pretty.String()
	}
	a, _ := ActorFrom(r.Context())
	c.render(w, r, status, "dlq_letter", map[string]any{
		"Letter": l, "Payload": strings.ToValidUTF8(payload, "\uFFFD"), "Truncated": truncated, "Size": len(l.Payload),
		"Headers": l.Headers, "Error": errMsg, "Reason": reason, "Links": canReview(a),
	})
}

// handleDLQAction: POST /console/dlq/{id}/retry and /discard (a reason is
// required to discard). The service audits the decision.
func (c *Console) handleDLQAction(retry bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		a, _ := ActorFrom(ctx)
		id, ok := letterID(r)
		if !ok {
			c.renderErrorMsg(w, r, http.StatusNotFound, "err.not_found", translate(langOf(r), "dlq.bad_id"))
			return
		}
		reason := formValue(r, "reason")
		svc := c.deadLetters()
		var err error
		done := "dlq_discard"
		if retry {
			done = "dlq_retry"
			_, err = svc.Retry(ctx, id, a.ID, reason)
		} else {
			if reason == "" {
				c.showLetter(w, r, http.StatusBadRequest, translate(langOf(r), "dlq.reason_required"), reason)
				return
			}
			_, err = svc.Discard(ctx, id, a.ID, reason)
		}
		if err != nil {
			if st, msg, ok := opMessage(err); ok {
				c.showLetter(w, r, st, msg, reason)
				return
			}
			// A retry commits before it publishes: when only the publish
			// failed, the dossier is re-armed and the reconciler sends it.
			if l, gerr := svc.Get(ctx, id); !retry || gerr != nil || l.Status != deadletter.StatusRetried {
				c.fail(w, r, err)
				return
			}
			c.log.Warn("console: dead letter retried, publish deferred to the reconciler", "id", id, "err", err)
			done = "dlq_retry_later"
		}
		c.log.Info("console: dead letter "+done, "id", id, "user", a.ID)
		http.Redirect(w, r, "/console/dlq/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	}
}

// ---- Pipeline versions ------------------------------------------------

// handlePipelines: GET /console/pipelines
func (c *Console) handlePipelines(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ps := c.pipelineStore()
	vs, err := ps.List(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	hist, err := ps.History(ctx, 50)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	active := ""
	for _, v := range vs {
		if v.Active {
			active = v.Label
		}
	}
	// The version a rollback would activate; none when there is no earlier one.
	prev, err := ps.Previous(ctx)
	if err != nil && dossier.ErrorCode(err) == "" {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, http.StatusOK, "pipelines", map[string]any{"Versions": vs, "Active": active, "History": hist, "Previous": prev.Label})
}

// handlePipeline: GET /console/pipelines/{label}
func (c *Console) handlePipeline(w http.ResponseWriter, r *http.Request) {
	c.showPipeline(w, r, http.StatusOK, "", "")
}

func (c *Console) showPipeline(w http.ResponseWriter, r *http.Request, status int, errMsg, reason string) {
	ctx := r.Context()
	ps := c.pipelineStore()
	v, err := ps.Get(ctx, r.PathValue("label"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	data := map[string]any{"Version": v, "Error": errMsg, "Reason": reason}
	active, err := ps.Active(ctx)
	switch {
	case dossier.ErrorCode(err) == dossier.CodeNotFound:
	case err != nil:
		c.fail(w, r, err)
		return
	default:
		data["Active"] = active.Label
		if !v.Active {
			// What activating this version changes: from the active value to this one.
			from, ferr := active.Definition()
			to, terr := v.Definition()
			if err := errors.Join(ferr, terr); err != nil {
				data["DiffError"] = err.Error()
			} else {
				data["Changes"] = pipelinestore.Diff(from, to)
			}
		}
	}
	hist, err := ps.History(ctx, 1000)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var mine []pipelinestore.Activation
	for _, h := range hist {
		if h.Label == v.Label {
			mine = append(mine, h)
		}
	}
	data["History"] = mine
	c.render(w, r, status, "pipeline", data)
}

// handleActivate: POST /console/pipelines/{label}/activate with a reason.
// Activating the previous version is the rollback; the store audits it and
// the workers follow within their refresh interval.
func (c *Console) handleActivate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	reason := formValue(r, "reason")
	if reason == "" {
		c.showPipeline(w, r, http.StatusBadRequest, translate(langOf(r), "pipeline.reason_required"), reason)
		return
	}
	v, changed, err := c.pipelineStore().Activate(ctx, r.PathValue("label"), a.ID, reason)
	if err != nil {
		if st, msg, ok := opMessage(err); ok && st != http.StatusNotFound {
			c.showPipeline(w, r, st, msg, reason)
			return
		}
		c.fail(w, r, err)
		return
	}
	done := "pipeline_unchanged"
	if changed {
		done = "pipeline_activate"
		c.log.Info("console: pipeline activated", "pipeline", v.Label, "user", a.ID)
	}
	http.Redirect(w, r, "/console/pipelines?done="+done, http.StatusSeeOther)
}

// ---- Shadow -------------------------------------------------------------

// handleShadow: GET /console/shadow
func (c *Console) handleShadow(w http.ResponseWriter, r *http.Request) {
	c.showShadow(w, r, http.StatusOK, "")
}

func (c *Console) showShadow(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	ctx := r.Context()
	s := c.d.Shadow
	data := map[string]any{"Error": errMsg, "Gate": c.shadowGate()}
	if s == nil {
		data["NotConfigured"] = true
		c.render(w, r, status, "shadow", data)
		return
	}
	run, running, err := s.Running(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if running {
		data["Running"] = run
	}
	// Report reads production's documents through the replay engine.
	if s.Engine != nil && s.Engine.Source != nil {
		rep, err := s.Report(ctx, "", c.shadowGate())
		switch {
		case dossier.ErrorCode(err) == dossier.CodeNotFound:
		case err != nil:
			c.fail(w, r, err)
			return
		default:
			data["Report"] = rep
			data["Stopped"] = !running || rep.Candidate != run.Label
		}
	} else {
		data["NoReport"] = true
	}
	// Starting needs the registry that resolves stored versions.
	if s.Registry != nil {
		vs, err := c.pipelineStore().List(ctx)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		var cands []pipelinestore.Version
		for _, v := range vs {
			if !v.Active {
				cands = append(cands, v)
			}
		}
		data["CanStart"], data["Candidates"] = true, cands
	}
	c.render(w, r, status, "shadow", data)
}

// handleShadowStart: POST /console/shadow/start label=… (the service audits
// it; a running candidate is stopped first).
func (c *Console) handleShadowStart(w http.ResponseWriter, r *http.Request) {
	s := c.d.Shadow
	if s == nil || s.Registry == nil {
		c.renderError(w, r, http.StatusServiceUnavailable, "err.unavailable")
		return
	}
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	label := strings.TrimSpace(r.PostFormValue("label"))
	if label == "" {
		c.showShadow(w, r, http.StatusBadRequest, translate(langOf(r), "shadow.label_required"))
		return
	}
	if _, err := s.Start(ctx, label, a.ID); err != nil {
		if st, msg, ok := opMessage(err); ok {
			c.showShadow(w, r, st, msg)
			return
		}
		c.fail(w, r, err)
		return
	}
	c.log.Info("console: shadow started", "pipeline", label, "user", a.ID)
	http.Redirect(w, r, "/console/shadow?done=shadow_start", http.StatusSeeOther)
}

// handleShadowStop: POST /console/shadow/stop (audited by the service; the
// results stay for the report).
func (c *Console) handleShadowStop(w http.ResponseWriter, r *http.Request) {
	s := c.d.Shadow
	if s == nil {
		c.renderError(w, r, http.StatusServiceUnavailable, "err.unavailable")
		return
	}
	ctx := r.Context()
	a, _ := ActorFrom(ctx)
	if _, err := s.Stop(ctx, a.ID); err != nil {
		if st, msg, ok := opMessage(err); ok {
			c.showShadow(w, r, st, msg)
			return
		}
		c.fail(w, r, err)
		return
	}
	c.log.Info("console: shadow stopped", "user", a.ID)
	http.Redirect(w, r, "/console/shadow?done=shadow_stop", http.StatusSeeOther)
}
