package catalog

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// GoldProcedure is a hand-checked list of a procedure's requirements
// (evals/catalog/gold.yaml).
type GoldProcedure struct {
	Code         string            `yaml:"code" json:"code"`
	Name         string            `yaml:"name" json:"name"`
	Ministry     string            `yaml:"ministry" json:"ministry"`
	Note         string            `yaml:"note,omitempty" json:"note,omitempty"`
	Requirements []GoldRequirement `yaml:"requirements" json:"requirements"`
}

// GoldRequirement is one hand-checked requirement.
type GoldRequirement struct {
	Name                 string   `yaml:"name" json:"name"`
	Kind                 string   `yaml:"kind" json:"kind"`
	Originals            int      `yaml:"originals" json:"originals"`
	Copies               int      `yaml:"copies" json:"copies"`
	Form                 *string  `yaml:"form" json:"form"`
	Condition            *string  `yaml:"condition" json:"condition"`
	Alternatives         []string `yaml:"alternatives" json:"alternatives"`
	ElectronicSubstitute *string  `yaml:"electronic_substitute" json:"electronic_substitute"`
}

// LoadGold reads a gold file: a YAML (or JSON) list of GoldProcedure.
func LoadGold(path string) ([]GoldProcedure, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gold %s: %w", path, err)
	}
	var g []GoldProcedure
	if err := yaml.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("decode gold %s: %w", path, err)
	}
	for i, p := range g {
		if p.Code == "" {
			return nil, fmt.Errorf("gold %s: entry %d has no code", path, i)
		}
		for j, r := range p.Requirements {
			if r.Name == "" {
				return nil, fmt.Errorf("gold %s: %s requirement %d has no name", path, p.Code, j)
			}
			if r.Kind == "" {
				g[i].Requirements[j].Kind = KindSubmit
			}
		}
	}
	return g, nil
}

// MatchThreshold is the least name similarity (Dice coefficient over folded
// syllables) at which a parsed requirement counts as the gold one.
const MatchThreshold = 0.6

// EvalReport holds the evaluation figures. Accuracies are over matched
// requirement pairs.
type EvalReport struct {
	Procedures      int      `json:"procedures"`
	Gold            int      `json:"gold_requirements"`
	Parsed          int      `json:"parsed_requirements"`
	Matched         int      `json:"matched"`
	Precision       float64  `json:"precision"`
	Recall          float64  `json:"recall"`
	F1              float64  `json:"f1"`
	KindAccuracy    float64  `json:"kind_accuracy"`
	QuantityAcc     float64  `json:"quantity_accuracy"` // originals and copies both right
	FormAccuracy    float64  `json:"form_accuracy"`     // form named or not, same code
	ConditionAcc    float64  `json:"condition_accuracy"`
	AlternativesAcc float64  `json:"alternatives_accuracy"` // same number of alternatives
	ElectronicAcc   float64  `json:"electronic_substitute_accuracy"`
	Missing         []string `json:"missing,omitempty"`  // "code: gold name" not found
	Spurious        []string `json:"spurious,omitempty"` // "code: parsed name" not in gold
	Mismatches      []string `json:"mismatches,omitempty"`
}

// String renders the report as a short Vietnamese/English table.
func (r EvalReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "thủ tục (procedures): %d, giấy tờ chuẩn (gold): %d, tách được (parsed): %d, khớp (matched): %d\n", r.Procedures, r.Gold, r.Parsed, r.Matched)
	fmt.Fprintf(&b, "precision %.3f  recall %.3f  F1 %.3f\n", r.Precision, r.Recall, r.F1)
	fmt.Fprintf(&b, "kind %.3f  quantities %.3f  form %.3f  condition %.3f  alternatives %.3f  electronic_substitute %.3f\n",
		r.KindAccuracy, r.QuantityAcc, r.FormAccuracy, r.ConditionAcc, r.AlternativesAcc, r.ElectronicAcc)
	return b.String()
}

// Evaluate compares parsed procedures with the gold set, procedure by
// procedure (matched by code; a gold procedure without a parsed one counts
// all its requirements as missing).
func Evaluate(gold []GoldProcedure, got []Procedure) EvalReport {
	byCode := map[string]Procedure{}
	for _, p := range got {
		byCode[p.Code] = p
	}
	var rep EvalReport
	var kind, qty, form, cond, alt, elec int
	for _, g := range gold {
		rep.Procedures++
		p := byCode[g.Code]
		rep.Gold += len(g.Requirements)
		rep.Parsed += len(p.Requirements)
		pairs := matchRequirements(g.Requirements, p.Requirements)
		usedG, usedP := map[int]bool{}, map[int]bool{}
		for _, pr := range pairs {
			usedG[pr[0]], usedP[pr[1]] = true, true
			gr, pr := g.Requirements[pr[0]], p.Requirements[pr[1]]
			rep.Matched++
			var bad []string
			if gr.Kind == pr.Kind {
				kind++
			} else {
				bad = append(bad, "kind")
			}
			if gr.Originals == pr.Originals && gr.Copies == pr.Copies {
				qty++
			} else {
				bad = append(bad, fmt.Sprintf("quantity %d/%d≠%d/%d", gr.Originals, gr.Copies, pr.Originals, pr.Copies))
			}
			if sameForm(gr.Form, pr.Form) {
				form++
			} else {
				bad = append(bad, "form")
			}
			if (gr.Condition == nil) == (pr.Condition == nil) {
				cond++
			} else {
				bad = append(bad, "condition")
			}
			if len(gr.Alternatives) == len(pr.Alternatives) {
				alt++
			} else {
				bad = append(bad, fmt.Sprintf("alternatives %d≠%d", len(gr.Alternatives), len(pr.Alternatives)))
			}
			if (gr.ElectronicSubstitute == nil) == (pr.ElectronicSubstitute == nil) {
				elec++
			} else {
				bad = append(bad, "electronic_substitute")
			}
			if len(bad) > 0 {
				rep.Mismatches = append(rep.Mismatches, fmt.Sprintf("%s: %.60s: %s", g.Code, gr.Name, strings.Join(bad, ", ")))
			}
		}
		for i, r := range g.Requirements {
			if !usedG[i] {
				rep.Missing = append(rep.Missing, fmt.Sprintf("%s: %.100s", g.Code, r.Name))
			}
		}
		for i, r := range p.Requirements {
			if !usedP[i] {
				rep.Spurious = append(rep.Spurious, fmt.Sprintf("%s: %.100s", g.Code, r.Name))
			}
		}
	}
	rep.Precision = ratio(rep.Matched, rep.Parsed)
	rep.Recall = ratio(rep.Matched, rep.Gold)
	if rep.Precision+rep.Recall > 0 {
		rep.F1 = 2 * rep.Precision * rep.Recall / (rep.Precision + rep.Recall)
	}
	rep.KindAccuracy = ratio(kind, rep.Matched)
	rep.QuantityAcc = ratio(qty, rep.Matched)
	rep.FormAccuracy = ratio(form, rep.Matched)
	rep.ConditionAcc = ratio(cond, rep.Matched)
	rep.AlternativesAcc = ratio(alt, rep.Matched)
	rep.ElectronicAcc = ratio(elec, rep.Matched)
	return rep
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func sameForm(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return strings.Join(vntext.FoldedTokens(*a), " ") == strings.Join(vntext.FoldedTokens(*b), " ")
}

// matchRequirements pairs gold and parsed requirements one to one, best
// name similarity first, keeping pairs at or above MatchThreshold.
func matchRequirements(gold []GoldRequirement, got []Requirement) [][2]int {
	type cand struct {
		g, p int
		s    float64
	}
	var cs []cand
	gt := make([][]string, len(gold))
	for i, g := range gold {
		gt[i] = vntext.FoldedTokens(g.Name)
	}
	for j, p := range got {
		pt := vntext.FoldedTokens(p.Name)
		for i := range gold {
			if s := NameSimilarity(gt[i], pt); s >= MatchThreshold {
				cs = append(cs, cand{i, j, s})
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].s != cs[b].s {
			return cs[a].s > cs[b].s
		}
		if cs[a].g != cs[b].g {
			return cs[a].g < cs[b].g
		}
		return cs[a].p < cs[b].p
	})
	usedG, usedP := map[int]bool{}, map[int]bool{}
	var out [][2]int
	for _, c := range cs {
		if usedG[c.g] || usedP[c.p] {
			continue
		}
		usedG[c.g], usedP[c.p] = true, true
		out = append(out, [2]int{c.g, c.p})
	}
	return out
}

// NameSimilarity is the Dice coefficient of two folded syllable multisets.
func NameSimilarity(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	count := map[string]int{}
	for _, t := range a {
		count[t]++
	}
	common := 0
	for _, t := range b {
		if count[t] > 0 {
			count[t]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(a)+len(b))
}
