package replay

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
	"github.com/hoso-vn/hoso/internal/store"
	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/prompts"
)

// Change is one finding or suggestion that differs between two runs.
type Change struct {
	Key    string   `json:"key"`
	Change string   `json:"change"` // added | removed | changed
	From   string   `json:"from,omitempty"`
	To     string   `json:"to,omitempty"`
	Fields []string `json:"fields,omitempty"` // what changed: status, severity, evidence, citations, details…
}

// Report is the result of a replay.
type Report struct {
	DossierID string `json:"dossier_id"`
	// Recorded is the version the dossier ran under; Compared the one it
	// was compared with (the active version unless one was named).
	Recorded string `json:"recorded"`
	Compared string `json:"compared"`
	// Exact reports that re-running under the recorded version reproduced
	// the recorded findings; Mismatches lists what did not.
	Exact      bool     `json:"exact"`
	Mismatches []Change `json:"mismatches"`
	// Changes are the findings that differ under Compared;
	// SuggestionChanges the suggestions drafted differently.
	Changes           []Change          `json:"changes"`
	SuggestionChanges []Change          `json:"suggestion_changes"`
	Pins              map[string]string `json:"pins"` // what the recorded run used, and what this run used
	Warnings          []string          `json:"warnings,omitempty"`
	AsRecorded        Outcome           `json:"as_recorded"`
	Under             Outcome           `json:"under_compared"`
}

// Replayer replays dossiers.
type Replayer struct {
	Pool     *pgxpool.Pool
	Engine   *Engine
	Registry pipelinedef.Registry
}

// Replay re-runs dossier id exactly as recorded, then under compare (a
// stored version label; "" for the active version), compares both with
// the record, and stores the replay for the dossier's history.
func (r *Replayer) Replay(ctx context.Context, id, compare, actor string) (Report, error) {
	d, err := r.Engine.Source.Dossier(ctx, id)
	if err != nil {
		return Report{}, err
	}
	rep := Report{DossierID: id, Recorded: d.PipelineVersion, Pins: map[string]string{}, Mismatches: []Change{}, Changes: []Change{}, SuggestionChanges: []Change{}}
	if d.PipelineVersion == "" {
		return rep, dossier.Errorf(dossier.CodeConflict, "hồ sơ %s chưa qua bước tiếp nhận, không có phiên bản quy trình (dossier has no recorded pipeline version)", id)
	}
	recDef, ok := r.Registry.Version(d.PipelineVersion)
	if !ok {
		return rep, dossier.Errorf(dossier.CodeNotFound, "không tìm thấy phiên bản %s đã ghi trên hồ sơ (recorded pipeline version not stored)", d.PipelineVersion)
	}
	cmpDef := r.Registry.Current()
	if compare != "" {
		if cmpDef, ok = r.Registry.Version(compare); !ok {
			return rep, dossier.Errorf(dossier.CodeNotFound, "không có phiên bản quy trình %q (no such pipeline version)", compare)
		}
	}
	rep.Compared = cmpDef.VersionLabel()

	recorded, err := store.QueryFindings(ctx, r.Pool, id)
	if err != nil {
		return rep, err
	}
	recSugg, err := store.QuerySuggestions(ctx, r.Pool, id)
	if err != nil {
		return rep, err
	}
	if err := r.pins(ctx, id, &rep); err != nil {
		return rep, err
	}
	// Pin the regulation index: the run as recorded cites what the dossier
	// cited then (the index may have been re-imported or re-embedded since);
	// the run under the compared version cites the current index, so the
	// difference shows any change of legal basis.
	pinned := *r.Engine
	pinned.Citations, pinned.Indexes = recordedCitations(recorded), nil
	rep.Pins["regulation_index"] = "recorded citations of the dossier's findings"
	// Pin the vault (once-only): both runs see it as it stood when the
	// recorded check ran, not with the records verified since (this very
	// dossier's papers, once an official accepted it, would otherwise stand
	// in for themselves).
	compared := *r.Engine
	if err := r.pinVault(ctx, id, &rep, &pinned, &compared); err != nil {
		return rep, err
	}
	// Pin the remote models and prompts: each task that called a model in
	// the recorded run is re-run with that model and prompt version, whatever
	// the endpoint's default model is today. The shared AI cache answers an
	// unchanged input exactly as it did; only a purged entry calls the model
	// again, on the replay scope's budget.
	runDef, err := r.pinModels(ctx, id, recDef, &rep)
	if err != nil {
		return rep, err
	}
	if rep.AsRecorded, err = pinned.Run(ctx, id, runDef); err != nil {
		return rep, err
	}
	rep.Pins["classifier_now"] = rep.AsRecorded.Pins["classifier"]
	for _, m := range splitModels(rep.Pins["classifier_recorded"]) {
		if m != rep.Pins["classifier_now"] && m != "" {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("mô hình đã ghi %s khác mô hình hiện tại %s (recorded model differs from the current one)", m, rep.Pins["classifier_now"]))
		}
	}
	rep.Mismatches = DiffFindings(normalizeAll(recorded), rep.AsRecorded.Findings)
	rep.Exact = len(rep.Mismatches) == 0
	// The current run always uses the current regulation index, even under
	// the recorded pipeline version, so a changed legal basis shows.
	if rep.Under, err = compared.Run(ctx, id, cmpDef); err != nil {
		return rep, err
	}
	rep.Changes = DiffFindings(rep.AsRecorded.Findings, rep.Under.Findings)
	rep.SuggestionChanges = DiffSuggestions(recSugg, rep.Under.Suggestions)
	diff, _ := json.Marshal(map[string]any{"mismatches": rep.Mismatches, "changes": rep.Changes, "suggestion_changes": rep.SuggestionChanges, "warnings": rep.Warnings})
	if err := recordReplay(ctx, r.Pool, id, rep.Recorded, rep.Compared, rep.Exact, diff, actor); err != nil {
		return rep, fmt.Errorf("record replay of %s: %w", id, err)
	}
	return rep, nil
}

// pinVault pins the engines' vault to the instant the dossier's recorded
// check committed (stage_runs.finished_at, the start of its transaction,
// after its look-ups and before anyone could accept the dossier).
func (r *Replayer) pinVault(ctx context.Context, id string, rep *Report, engines ...*Engine) error {
	st, ok := r.Engine.Vault.(*vault.Store)
	if !ok || st == nil {
		return nil
	}
	at, err := lastCheckAt(ctx, r.Pool, id)
	if err != nil {
		return fmt.Errorf("read the recorded check of %s: %w", id, err)
	}
	if at == nil {
		rep.Warnings = append(rep.Warnings, "hồ sơ chưa qua bước kiểm tra, kho dữ liệu dùng như hiện tại (no recorded check: the vault as it is now)")
		return nil
	}
	for _, e := range engines {
		e.Vault = vault.AsOf{Store: st, At: *at}
	}
	rep.Pins["vault_as_of"] = at.UTC().Format(time.RFC3339Nano)
	return nil
}

// pinModels returns recDef with the providers section pinned to the
// models and prompts the dossier's production AI calls used (recDef itself
// when none were made), warning when a pin cannot be honoured here.
func (r *Replayer) pinModels(ctx context.Context, id string, recDef *pipelinedef.Definition, rep *Report) (*pipelinedef.Definition, error) {
	pins, err := recordedModelPins(ctx, r.Pool, id)
	if err != nil {
		return nil, err
	}
	if len(pins) == 0 {
		return recDef, nil
	}
	def := *recDef
	def.Providers = maps.Clone(recDef.Providers)
	if def.Providers == nil {
		def.Providers = map[string]pipelinedef.Provider{}
	}
	h := sha256.New()
	h.Write([]byte(recDef.Hash))
	for _, p := range pins {
		if cur, err := prompts.Get(p.prompt); err != nil || cur.Hash != p.hash {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("lời nhắc %s đã ghi không còn nguyên văn trong bản này (recorded prompt text is not in this build)", p.prompt))
			continue
		}
		def.Providers[p.task] = pipelinedef.Provider{Provider: "openai", Model: p.model, Prompt: p.prompt}
		fmt.Fprintf(h, "\x00%s=%s/%s", p.task, p.model, p.prompt)
		rep.Pins["model_"+p.task] = p.model + " · " + p.prompt + "#" + p.hash[:min(12, len(p.hash))]
	}
	// The pinned definition keeps the recorded label (what the ledger shows
	// for the replay's calls) but gets its own hash, so that its clients are
	// not mistaken for the recorded version's unpinned ones.
	def.Hash = recDef.Hash + "+" + hex.EncodeToString(h.Sum(nil))[:16]
	if m := r.Engine.Models; m != nil {
		if _, err := m.Scoped(&def, llm.ScopeReplay); err != nil {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("không gọi được mô hình đã ghi, dùng mô hình cục bộ (recorded model not reachable here, local fallback): %v", err))
		}
	} else {
		rep.Warnings = append(rep.Warnings, "bản phát lại không có mô hình từ xa, dùng mô hình cục bộ (no remote models in this replay: local fallback)")
	}
	return &def, nil
}

// pins reads what the recorded run used: the classifier models on the
// documents and the models and prompt hashes of its AI calls.
func (r *Replayer) pins(ctx context.Context, id string, rep *Report) error {
	models, prompts, err := recordedPins(ctx, r.Pool, id)
	if err != nil {
		return err
	}
	slices.Sort(models)
	rep.Pins["classifier_recorded"] = joinModels(models)
	if len(prompts) > 0 {
		slices.Sort(prompts)
		rep.Pins["ai_calls"] = joinModels(prompts)
	}
	return nil
}

func joinModels(ms []string) string {
	out := ""
	for i, m := range ms {
		if i > 0 {
			out += ", "
		}
		out += m
	}
	return out
}

func splitModels(s string) []string {
	var out []string
	cur := ""
	for i := 0; i < len(s); i++ {
		if i+1 < len(s) && s[i] == ',' && s[i+1] == ' ' {
			out = append(out, cur)
			cur = ""
			i++
			continue
		}
		cur += string(s[i])
	}
	if cur != "" {
		out = append(out, cur)
	}
	return out
}

func normalizeAll(fs []dossier.Finding) []dossier.Finding {
	out := make([]dossier.Finding, len(fs))
	for i, f := range fs {
		out[i] = normalizeFinding(f)
	}
	return out
}

// DiffFindings compares two sets of findings by key.
func DiffFindings(a, b []dossier.Finding) []Change {
	am, bm := map[string]dossier.Finding{}, map[string]dossier.Finding{}
	for _, f := range a {
		am[f.Key] = normalizeFinding(f)
	}
	for _, f := range b {
		bm[f.Key] = normalizeFinding(f)
	}
	out := []Change{}
	for k, fa := range am {
		fb, ok := bm[k]
		if !ok {
			out = append(out, Change{Key: k, Change: "removed", From: fa.Status})
			continue
		}
		var fields []string
		eq := func(name string, x, y any) {
			jx, _ := json.Marshal(x)
			jy, _ := json.Marshal(y)
			if string(jx) != string(jy) {
				fields = append(fields, name)
			}
		}
		eq("kind", fa.Kind, fb.Kind)
		eq("requirement", fa.Requirement, fb.Requirement)
		eq("status", fa.Status, fb.Status)
		eq("severity", fa.Severity, fb.Severity)
		eq("evidence", fa.Evidence, fb.Evidence)
		eq("document_id", fa.DocumentID, fb.DocumentID)
		eq("citations", fa.Citations, fb.Citations)
		eq("details", fa.Details, fb.Details)
		if len(fields) > 0 {
			out = append(out, Change{Key: k, Change: "changed", From: fa.Status, To: fb.Status, Fields: fields})
		}
	}
	for k, fb := range bm {
		if _, ok := am[k]; !ok {
			out = append(out, Change{Key: k, Change: "added", To: fb.Status})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// DiffSuggestions compares the recorded suggestions (with officials'
// decisions) with the ones a run drafted, by key.
func DiffSuggestions(recorded, drafted []dossier.Suggestion) []Change {
	out := []Change{}
	dm := map[string]dossier.Suggestion{}
	for _, s := range drafted {
		dm[s.Key] = s
	}
	rm := map[string]bool{}
	for _, s := range recorded {
		rm[s.Key] = true
		d, ok := dm[s.Key]
		switch {
		case !ok:
			out = append(out, Change{Key: s.Key, Change: "removed", From: s.Status})
		case d.Text != s.Text || d.Risk != s.Risk:
			out = append(out, Change{Key: s.Key, Change: "changed", From: s.Status, To: d.Status, Fields: []string{"text", "risk"}})
		}
	}
	for _, s := range drafted {
		if !rm[s.Key] {
			out = append(out, Change{Key: s.Key, Change: "added", To: s.Kind})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// recordedCitations answers citation look-ups from a dossier's recorded
// findings (keyed "req:<requirement key>").
type recordedCitations []dossier.Finding

func (rc recordedCitations) Citations(_ context.Context, _, requirementKey string) ([]dossier.Citation, error) {
	for _, f := range rc {
		if f.Key != "req:"+requirementKey {
			continue
		}
		if f.Status == dossier.FindingSatisfiedByReuse && len(f.Citations) > 0 {
			// The check stage puts the rule that allows reuse first, on
			// top of what the index gave; the index gave the rest.
			return f.Citations[1:], nil
		}
		return f.Citations, nil
	}
	return nil, nil
}
