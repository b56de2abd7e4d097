package shadow

// The package's SQL: its storage adapter (docs/architecture.md).

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// Report compares candidate's shadow runs with production and officials'
// decisions and applies the gate. candidate "" is the running (or last)
// candidate.
func (s *Service) Report(ctx context.Context, candidate string, g Gate) (Report, error) {
	if candidate == "" {
		err := s.Pool.QueryRow(ctx, `SELECT label FROM shadow_candidates ORDER BY (stopped_at IS NULL) DESC, id DESC LIMIT 1`).Scan(&candidate)
		if err != nil {
			return Report{}, dossier.Errorf(dossier.CodeNotFound, "chưa có bản chạy bóng nào (no shadow run yet)")
		}
	}
	rep := Report{Candidate: candidate, TopDifferences: []Diff{}, ProductionVersion: []string{}}
	rows, err := s.Pool.Query(ctx, `SELECT dossier_id, production, classifications, findings, suggestions, error
		FROM shadow_runs WHERE candidate = $1 ORDER BY dossier_id`, candidate)
	if err != nil {
		return rep, fmt.Errorf("read shadow runs: %w", err)
	}
	type run struct {
		id, prod, errMsg string
		cls              []struct {
			DocumentID string `json:"document_id"`
			Type       string `json:"type"`
		}
		fs []dossier.Finding
		sg []dossier.Suggestion
	}
	var runs []run
	for rows.Next() {
		var r run
		var cls, fs, sg []byte
		if err := rows.Scan(&r.id, &r.prod, &cls, &fs, &sg, &r.errMsg); err != nil {
			rows.Close()
			return rep, err
		}
		_ = json.Unmarshal(cls, &r.cls)
		_ = json.Unmarshal(fs, &r.fs)
		_ = json.Unmarshal(sg, &r.sg)
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, err
	}
	err = s.Pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(tokens), 0), count(*) FILTER (WHERE cached)
		FROM ai_calls WHERE scope = 'shadow' AND pipeline_version = $1`, candidate).Scan(&rep.AICalls, &rep.AITokens, &rep.AICached)
	if err != nil {
		return rep, fmt.Errorf("read shadow AI calls: %w", err)
	}
	versions := map[string]bool{}
	diffs := map[[3]string]int{}
	agree, clsAgree, citeAgree := 0, 0, 0
	for _, r := range runs {
		if r.errMsg != "" {
			rep.Failed++
			continue
		}
		rep.Dossiers++
		versions[r.prod] = true
		prodF, err := store.QueryFindings(ctx, s.Pool, r.id)
		if err != nil {
			return rep, err
		}
		prodS, err := store.QuerySuggestions(ctx, s.Pool, r.id)
		if err != nil {
			return rep, err
		}
		docs, err := s.Engine.Source.Documents(ctx, r.id)
		if err != nil {
			return rep, err
		}
		prodType := map[string]string{}
		for _, d := range docs {
			prodType[d.ID] = d.Type
		}
		for _, c := range r.cls {
			rep.Documents++
			if prodType[c.DocumentID] == c.Type {
				clsAgree++
			}
		}
		ps, cs := map[string]string{}, map[string]string{}
		pc, cc := map[string]string{}, map[string]string{}
		for _, f := range prodF {
			ps[f.Key], pc[f.Key] = f.Status, firstCitation(f)
		}
		for _, f := range r.fs {
			cs[f.Key], cc[f.Key] = f.Status, firstCitation(f)
		}
		for k := range ps {
			if _, both := cs[k]; !both || pc[k]+cc[k] == "" {
				continue
			}
			rep.Cited++
			if pc[k] == cc[k] {
				citeAgree++
			} else {
				diffs[[3]string{"citation " + pattern(k), or(pc[k], "—"), or(cc[k], "—")}]++
			}
		}
		keys := map[string]bool{}
		for k := range ps {
			keys[k] = true
		}
		for k := range cs {
			keys[k] = true
		}
		for k := range keys {
			rep.Findings++
			if ps[k] == cs[k] {
				agree++
			} else {
				diffs[[3]string{pattern(k), or(ps[k], "—"), or(cs[k], "—")}]++
			}
		}
		// Officials' decisions on production's suggestions are the truth.
		truth := map[string]bool{}
		for _, sg := range prodS {
			switch sg.Status {
			case dossier.SuggestionApproved, "sent":
				truth[sg.Key] = true
			case dossier.SuggestionRejected:
				truth[sg.Key] = false
			}
		}
		rep.Decided += len(truth)
		cand := map[string]bool{}
		for _, sg := range r.sg {
			cand[sg.Key] = true
			if _, decided := truth[sg.Key]; !decided && !hasKey(prodS, sg.Key) {
				rep.NewUndecided++
			}
		}
		prod := map[string]bool{}
		for _, sg := range prodS {
			prod[sg.Key] = true
		}
		for k, positive := range truth {
			count(&rep.Production, prod[k], positive)
			count(&rep.CandidateScore, cand[k], positive)
		}
	}
	rep.Production.finish()
	rep.CandidateScore.finish()
	if rep.Findings > 0 {
		rep.Agreement = float64(agree) / float64(rep.Findings)
	}
	if rep.Documents > 0 {
		rep.ClassAgreement = float64(clsAgree) / float64(rep.Documents)
	}
	if rep.Cited > 0 {
		rep.CitationAgreement = float64(citeAgree) / float64(rep.Cited)
	}
	for v := range versions {
		rep.ProductionVersion = append(rep.ProductionVersion, v)
	}
	sort.Strings(rep.ProductionVersion)
	for k, n := range diffs {
		rep.TopDifferences = append(rep.TopDifferences, Diff{Key: k[0], Production: k[1], Candidate: k[2], Count: n})
	}
	sort.Slice(rep.TopDifferences, func(i, j int) bool {
		a, b := rep.TopDifferences[i], rep.TopDifferences[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Key+a.Production+a.Candidate < b.Key+b.Production+b.Candidate
	})
	if len(rep.TopDifferences) > 10 {
		rep.TopDifferences = rep.TopDifferences[:10]
	}
	rep.Pass, rep.Reasons = g.judge(rep)
	return rep, nil
}

// Check is the promotion gate at activation: nil when label was never
// shadowed (an urgent fix need not be) or its shadow runs pass g; otherwise
// an error with the gate's reasons.
func (s *Service) Check(ctx context.Context, label string, g Gate) error {
	var n int
	if err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM shadow_runs WHERE candidate = $1`, label).Scan(&n); err != nil {
		return fmt.Errorf("read shadow runs of %s: %w", label, err)
	}
	if n == 0 {
		return nil
	}
	rep, err := s.Report(ctx, label, g)
	if err != nil {
		return err
	}
	if !rep.Pass {
		return fmt.Errorf("chạy bóng chưa đạt ngưỡng: %s (shadow gate failed; see hoso shadow report %s)", strings.Join(rep.Reasons, "; "), label)
	}
	return nil
}

// Start begins shadowing the stored version label. Only one candidate runs
// at a time; starting another stops the running one.
func (s *Service) Start(ctx context.Context, label, author string) (Candidate, error) {
	var c Candidate
	if author == "" {
		return c, dossier.Errorf(dossier.CodeInvalid, "cần người thực hiện (actor required)")
	}
	if _, ok := s.Registry.Version(label); !ok {
		return c, dossier.Errorf(dossier.CodeNotFound, "không có phiên bản quy trình %q; lưu nó trước bằng hoso pipeline validate --store (no such stored version)", label)
	}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE shadow_candidates SET stopped_at = now() WHERE stopped_at IS NULL`); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO shadow_candidates (label, author) VALUES ($1, $2) RETURNING id, label, author, started_at`,
			label, author).Scan(&c.ID, &c.Label, &c.Author, &c.StartedAt)
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: author, Action: "shadow.start", Entity: "pipeline", EntityID: label})
	})
	if err != nil {
		return c, fmt.Errorf("start shadow %s: %w", label, err)
	}
	return c, nil
}

// Stop ends the running shadow; its results stay for Report.
func (s *Service) Stop(ctx context.Context, author string) (Candidate, error) {
	var c Candidate
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `UPDATE shadow_candidates SET stopped_at = now() WHERE stopped_at IS NULL
			RETURNING id, label, author, started_at, stopped_at`).Scan(&c.ID, &c.Label, &c.Author, &c.StartedAt, &c.StoppedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return dossier.Errorf(dossier.CodeNotFound, "không có bản chạy bóng nào đang chạy (no shadow running)")
		}
		if err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Actor: author, Action: "shadow.stop", Entity: "pipeline", EntityID: c.Label})
	})
	return c, err
}

// Running returns the running candidate; ok is false when none runs.
func (s *Service) Running(ctx context.Context) (c Candidate, ok bool, err error) {
	err = s.Pool.QueryRow(ctx, `SELECT id, label, author, started_at FROM shadow_candidates WHERE stopped_at IS NULL`).
		Scan(&c.ID, &c.Label, &c.Author, &c.StartedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read running shadow: %w", err)
	}
	return c, true, nil
}

// Handle runs the running candidate, if any, on a dossier production has
// checked. It is the shadow consumer's worker body.
func (s *Service) Handle(ctx context.Context, dossierID string, delivery int) error {
	c, ok, err := s.Running(ctx)
	if err != nil || !ok {
		return err
	}
	d, err := s.Engine.Source.Dossier(ctx, dossierID)
	if dossier.ErrorCode(err) == dossier.CodeNotFound {
		return nil // deleted since: nothing to compare
	}
	if err != nil {
		return err
	}
	def, ok := s.Registry.Version(c.Label)
	if !ok {
		return fmt.Errorf("shadow candidate %s is not stored", c.Label)
	}
	start := time.Now()
	out, err := s.Engine.Run(ctx, dossierID, def)
	msg := ""
	if err != nil {
		limit := s.GiveUpAfter
		if limit <= 0 {
			limit = 3
		}
		if delivery < limit {
			return err
		}
		msg = err.Error()
		if s.Log != nil {
			s.Log.Warn("shadow run failed", "dossier_id", dossierID, "stage", "shadow", "candidate", c.Label, "err", err)
		}
	}
	cls, _ := json.Marshal(nonNil(out.Classifications))
	fs, _ := json.Marshal(nonNil(out.Findings))
	sg, _ := json.Marshal(nonNil(out.Suggestions))
	_, err = s.Pool.Exec(ctx, `INSERT INTO shadow_runs (candidate, dossier_id, production, classifications, findings, suggestions, error, duration_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (candidate, dossier_id) DO UPDATE SET production = EXCLUDED.production, classifications = EXCLUDED.classifications,
			findings = EXCLUDED.findings, suggestions = EXCLUDED.suggestions, error = EXCLUDED.error,
			duration_ms = EXCLUDED.duration_ms, ran_at = now()`,
		c.Label, dossierID, d.PipelineVersion, cls, fs, sg, msg, time.Since(start).Milliseconds())
	if err != nil {
		return fmt.Errorf("record shadow run of %s: %w", dossierID, err)
	}
	return nil
}
