package shadow

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// Score measures suggestions against officials' final decisions: an
// approved (or sent) suggestion is a true problem, a rejected one a false
// alarm; pending ones are not counted.
type Score struct {
	TP        int     `json:"true_positives"`
	FP        int     `json:"false_positives"`
	FN        int     `json:"false_negatives"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

func (s *Score) finish() {
	if s.TP+s.FP > 0 {
		s.Precision = float64(s.TP) / float64(s.TP+s.FP)
	}
	if s.TP+s.FN > 0 {
		s.Recall = float64(s.TP) / float64(s.TP+s.FN)
	}
}

// Gate is the promotion rule.
type Gate struct {
	// Tolerance is how much lower the candidate's precision or recall may be
	// than production's.
	Tolerance float64
	// MinDecided is how many officials' decisions the comparison needs.
	MinDecided int
	// MinAgreement, when positive, is the least share of findings on which
	// the candidate must agree with production.
	MinAgreement float64
}

// DefaultGate is the promotion rule unless an operator sets another (hoso
// shadow report's flag defaults, the console's shadow page): no worse than
// production by more than 0.02 in precision or recall, judged on at least
// one official's decision, with no floor on agreement.
var DefaultGate = Gate{Tolerance: 0.02, MinDecided: 1}

// Report compares a candidate with production.
type Report struct {
	Candidate string `json:"candidate"`
	Dossiers  int    `json:"dossiers"`
	Failed    int    `json:"failed_runs"`
	// Findings compared (union of keys per dossier), and the share on which
	// the candidate reached production's status.
	Findings  int     `json:"findings"`
	Agreement float64 `json:"agreement"`
	// Findings that carry citations in production or in the candidate, and
	// the share whose first citation (document, article) is the same: what a
	// candidate regulation index changes.
	Cited             int     `json:"cited_findings"`
	CitationAgreement float64 `json:"citation_agreement"`
	// Documents whose classification (requirement) differs.
	Documents         int      `json:"documents"`
	ClassAgreement    float64  `json:"classification_agreement"`
	Decided           int      `json:"decided_suggestions"`
	Production        Score    `json:"production"`
	CandidateScore    Score    `json:"candidate_score"`
	NewUndecided      int      `json:"new_undecided"` // suggestions only the candidate drafts (no decision to judge them by)
	TopDifferences    []Diff   `json:"top_differences"`
	Pass              bool     `json:"pass"`
	Reasons           []string `json:"reasons,omitempty"`
	ProductionVersion []string `json:"production_versions"`
	// What the candidate's models cost in the shadow scope (its own
	// budget): calls, tokens, and calls the shared cache answered.
	AICalls  int   `json:"ai_calls"`
	AITokens int64 `json:"ai_tokens"`
	AICached int   `json:"ai_cached"`
}

// Diff counts one kind of disagreement.
type Diff struct {
	Key        string `json:"key"` // finding key pattern, e.g. req:giay-chung-sinh
	Production string `json:"production"`
	Candidate  string `json:"candidate"`
	Count      int    `json:"count"`
}

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

func (g Gate) judge(r Report) (bool, []string) {
	var reasons []string
	if r.Dossiers == 0 {
		reasons = append(reasons, "chưa có hồ sơ nào chạy bóng thành công (no successful shadow runs)")
	}
	if r.Decided < g.MinDecided {
		reasons = append(reasons, fmt.Sprintf("chỉ có %d quyết định của cán bộ, cần %d (too few officials' decisions to judge)", r.Decided, g.MinDecided))
	}
	if r.CandidateScore.Precision < r.Production.Precision-g.Tolerance {
		reasons = append(reasons, fmt.Sprintf("độ chính xác %.3f thấp hơn bản đang chạy %.3f quá dung sai %.3f (precision worse than production)",
			r.CandidateScore.Precision, r.Production.Precision, g.Tolerance))
	}
	if r.CandidateScore.Recall < r.Production.Recall-g.Tolerance {
		reasons = append(reasons, fmt.Sprintf("độ phủ %.3f thấp hơn bản đang chạy %.3f quá dung sai %.3f (recall worse than production)",
			r.CandidateScore.Recall, r.Production.Recall, g.Tolerance))
	}
	if g.MinAgreement > 0 && r.Agreement < g.MinAgreement {
		reasons = append(reasons, fmt.Sprintf("mức đồng thuận %.3f dưới ngưỡng %.3f (agreement with production below the minimum)", r.Agreement, g.MinAgreement))
	}
	return len(reasons) == 0, reasons
}

func count(s *Score, predicted, positive bool) {
	switch {
	case predicted && positive:
		s.TP++
	case predicted && !positive:
		s.FP++
	case !predicted && positive:
		s.FN++
	}
}

func hasKey(ss []dossier.Suggestion, key string) bool {
	for _, s := range ss {
		if s.Key == key {
			return true
		}
	}
	return false
}

// pattern drops the dossier-specific part of a finding key (document ids)
// so that differences can be counted across dossiers.
func pattern(k string) string {
	for _, p := range []string{"document:", "validity/expiry/", "validity/expiry_rule/"} {
		if len(k) > len(p) && k[:len(p)] == p {
			return p + "…"
		}
	}
	return k
}

// firstCitation names a finding's best citation ("" when it has none).
func firstCitation(f dossier.Finding) string {
	if len(f.Citations) == 0 {
		return ""
	}
	c := f.Citations[0]
	return fmt.Sprintf("%s Điều %d", c.Document, c.Article)
}

func or(v, d string) string {
	if v == "" {
		return d
	}
	return v
}
