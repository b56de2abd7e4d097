package shadow

import (
	"fmt"

	"github.com/hoso-vn/hoso/internal/dossier"
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
