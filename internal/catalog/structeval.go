package catalog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// StructGold is one procedure of the independent structure gold set
// (evals/catalog/gold/labels.jsonl): its cases and, per case, its
// requirements with their alternative groups, annotated from the source
// text before the parser was run on it.
type StructGold struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Ministry string `json:"ministry_folder"`
	Split    string `json:"split"` // dev | test
	// Batch names a later extension of a split ("dev2", "dev3"); empty for
	// the procedures of the first draw (seed 15015).
	Batch string           `json:"batch,omitempty"`
	Cases []StructGoldCase `json:"cases"`
}

// StructGoldCase is one case; Case is empty for the papers every case needs.
type StructGoldCase struct {
	Case         string            `json:"case"`
	Requirements []StructGoldPaper `json:"requirements"`
}

// StructGoldPaper is one required document (or one alternative group).
type StructGoldPaper struct {
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	Alternatives []string `json:"alternatives"`
}

// LoadStructGold reads a JSONL structure gold file, keeping the procedures
// of split ("" keeps all).
func LoadStructGold(path, split string) ([]StructGold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read structure gold %s: %w", path, err)
	}
	defer f.Close()
	var out []StructGold
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var g StructGold
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			return nil, fmt.Errorf("structure gold %s:%d: %w", path, line, err)
		}
		if g.Code == "" || (g.Split != "dev" && g.Split != "test") {
			return nil, fmt.Errorf("structure gold %s:%d: need a code and split dev|test", path, line)
		}
		if split != "" && g.Split != split {
			continue
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read structure gold %s: %w", path, err)
	}
	return out, nil
}

// StructMatchThreshold is the least Dice similarity of folded syllables at
// which a parsed requirement (or case, or option) counts as the gold one.
const StructMatchThreshold = 0.5

// StructReport holds the structure figures of one split.
type StructReport struct {
	Procedures int `json:"procedures"`
	Gold       int `json:"gold_requirements"`
	Parsed     int `json:"parsed_requirements"`
	Matched    int `json:"matched"`

	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// CaseAccuracy: matched requirements placed in the right case (the
	// parsed case aligned with the gold one by name, or both common).
	CaseAccuracy float64 `json:"case_accuracy"`
	// CaseCountAccuracy: procedures with as many cases as the gold.
	CaseCountAccuracy float64 `json:"case_count_accuracy"`
	// Alternative groups: a gold group is right when its matched parsed
	// requirement offers the same options (one to one by name).
	AltGold      int     `json:"alternative_groups_gold"`
	AltParsed    int     `json:"alternative_groups_parsed"`
	AltCorrect   int     `json:"alternative_groups_correct"`
	AltAccuracy  float64 `json:"alternative_accuracy"` // correct / (gold ∪ parsed groups)
	AltPrecision float64 `json:"alternative_precision"`
	AltRecall    float64 `json:"alternative_recall"`
	KindAccuracy float64 `json:"kind_accuracy"`

	// NameOnly counts the pairs of a missing gold paper and a spurious
	// parsed one, in the same procedure, that differ only in how much of
	// the name they give (one's syllables hold at least NameOnlyOverlap of
	// the other's, the shorter has three or more, and the parsed name holds
	// no other gold paper of the procedure): a name error, not a paper
	// missed or invented. A diagnostic beside the figures, which stay
	// strict; NamesTolerantPrecision/Recall count these pairs as matched.
	NameOnly               int      `json:"name_only_pairs"`
	NamesTolerantPrecision float64  `json:"names_tolerant_precision"`
	NamesTolerantRecall    float64  `json:"names_tolerant_recall"`
	NameOnlyPairs          []string `json:"name_only,omitempty"`

	// How well the parser's own doubt (Requirement.Uncertain, shown to the
	// official beside the findings it drives) points at its errors: a
	// spurious row flagged, a missing paper whose syllables a flagged row
	// holds (containment >= 0.6), and, for false alarms, matched rows
	// flagged.
	SpuriousFlagged int `json:"spurious_flagged"`
	MissingFlagged  int `json:"missing_flagged"`
	MatchedFlagged  int `json:"matched_flagged"`

	// What kind of errors remain (name-only pairs excluded): a missing
	// paper whose syllables another parsed row holds (merged into it, or
	// kept in its note) or none does (lost); a spurious row that is part
	// of a gold paper (split off) or of none (a note, heading or invented
	// paper read as a paper).
	MissingMerged int `json:"missing_merged"`
	MissingInNote int `json:"missing_in_note"` // of MissingMerged: held by a row's note, not its name
	MissingLost   int `json:"missing_lost"`
	SpuriousPart  int `json:"spurious_part"`
	SpuriousExtra int `json:"spurious_extra"`

	// InNote lists the missing papers a row's note holds, with the row
	// (dev diagnostics, like Missing).
	InNote []string `json:"in_note,omitempty"`

	Missing   []string `json:"missing,omitempty"`
	Spurious  []string `json:"spurious,omitempty"`
	WrongCase []string `json:"wrong_case,omitempty"`
	WrongAlt  []string `json:"wrong_alternatives,omitempty"`
}

type flatGold struct {
	paper StructGoldPaper
	cas   int // index into the procedure's named cases, -1 = common
}

// EvaluateStructure compares parsed procedures with the structure gold set.
// A gold procedure without a parsed one counts all its papers as missing.
func EvaluateStructure(gold []StructGold, got map[string]Procedure) StructReport {
	var rep StructReport
	var caseOK, countOK, kindOK, altUnion int
	for _, g := range gold {
		rep.Procedures++
		p := got[g.Code]
		// Gold: named cases in order; the unnamed case is common.
		var gCases []string
		var gf []flatGold
		for _, c := range g.Cases {
			idx := -1
			if strings.TrimSpace(c.Case) != "" {
				idx = len(gCases)
				gCases = append(gCases, c.Case)
			}
			for _, r := range c.Requirements {
				gf = append(gf, flatGold{r, idx})
			}
		}
		pCaseIdx := map[string]int{}
		for i, c := range p.Cases {
			pCaseIdx[c.Key] = i
		}
		// A paper every case lists is one requirement listed by every case:
		// it counts once per case, as the gold lists it.
		listed := map[string][]int{}
		for i, c := range p.Cases {
			for _, k := range c.Requirements {
				listed[k] = append(listed[k], i)
			}
		}
		var preqs []Requirement
		var pc []int
		for _, r := range p.Requirements {
			if j, ok := pCaseIdx[r.Case]; ok && r.Case != "" {
				preqs, pc = append(preqs, r), append(pc, j)
				continue
			}
			if ls := listed[r.Key]; len(ls) > 0 && len(gCases) > 0 {
				for _, j := range ls {
					preqs, pc = append(preqs, r), append(pc, j)
				}
				continue
			}
			preqs, pc = append(preqs, r), append(pc, -1)
		}
		p.Requirements = preqs
		if len(gCases) == len(p.Cases) {
			countOK++
		}
		caseMap := alignCases(gCases, p.Cases)

		rep.Gold += len(gf)
		rep.Parsed += len(p.Requirements)
		type cand struct {
			g, p int
			s    float64
		}
		var cs []cand
		for i, gr := range gf {
			gt := vntext.FoldedTokens(gr.paper.Name)
			ga := vntext.FoldedTokens(strings.Join(append([]string{gr.paper.Name}, gr.paper.Alternatives...), " "))
			for j, pr := range p.Requirements {
				s := NameSimilarity(gt, vntext.FoldedTokens(pr.Name))
				if pr.Condition != nil {
					s = max(s, NameSimilarity(gt, vntext.FoldedTokens(pr.Name+" "+*pr.Condition)))
				}
				if len(gr.paper.Alternatives) > 0 || len(pr.Alternatives) > 0 {
					pa := vntext.FoldedTokens(strings.Join(append([]string{pr.Name}, pr.Alternatives...), " "))
					s = max(s, NameSimilarity(ga, pa))
				}
				if s < StructMatchThreshold {
					continue
				}
				if mapped(caseMap, gr.cas) == pc[j] {
					s += 0.05 // prefer the copy in the same case
				}
				cs = append(cs, cand{i, j, s})
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
		usedG, usedP := map[int]int{}, map[int]bool{}
		for _, c := range cs {
			if _, ok := usedG[c.g]; ok || usedP[c.p] {
				continue
			}
			usedG[c.g], usedP[c.p] = c.p, true
		}
		for i, gr := range gf {
			if len(gr.paper.Alternatives) > 0 {
				rep.AltGold++
			}
			j, ok := usedG[i]
			if !ok {
				rep.Missing = append(rep.Missing, fmt.Sprintf("%s: %.100s", g.Code, gr.paper.Name))
				if len(gr.paper.Alternatives) > 0 {
					altUnion++
				}
				continue
			}
			pr := p.Requirements[j]
			rep.Matched++
			if mapped(caseMap, gr.cas) == pc[j] {
				caseOK++
			} else {
				rep.WrongCase = append(rep.WrongCase, fmt.Sprintf("%s: %.80s: case %s ≠ %s", g.Code, gr.paper.Name, caseName(gCases, gr.cas), parsedCaseName(p, pc[j])))
			}
			kind := gr.paper.Kind
			if kind == "" {
				kind = KindSubmit
			}
			if kind == pr.Kind {
				kindOK++
			}
			gAlt, pAlt := len(gr.paper.Alternatives) > 0, len(pr.Alternatives) > 0
			// A label that keeps "A hoặc B" as one name reads, by rule 4,
			// as the group {A, B} when A and B are two papers: a parsed
			// group with exactly those options is right, and the label
			// then counts as a gold group.
			orGroup := false
			if !gAlt && pAlt {
				if parts := orPapers(gr.paper.Name); len(parts) >= 2 && sameOptions(parts, append([]string{pr.Name}, pr.Alternatives...)) {
					orGroup = true
					rep.AltGold++
				}
			}
			if gAlt || pAlt {
				altUnion++
			}
			if orGroup || gAlt && pAlt && sameGroup(gr.paper, pr) {
				rep.AltCorrect++
			} else if gAlt || pAlt {
				rep.WrongAlt = append(rep.WrongAlt, fmt.Sprintf("%s: %.60s: %d alternatives ≠ parsed %d", g.Code, gr.paper.Name, len(gr.paper.Alternatives), len(pr.Alternatives)))
			}
		}
		nameOnlyPairs(&rep, g.Code, gf, p.Requirements, usedG, usedP)
		flaggedErrors(&rep, gf, p.Requirements, usedG, usedP)
		for j, r := range p.Requirements {
			if len(r.Alternatives) > 0 {
				rep.AltParsed++
			}
			if !usedP[j] {
				rep.Spurious = append(rep.Spurious, fmt.Sprintf("%s: %.100s", g.Code, r.Name))
				if len(r.Alternatives) > 0 {
					altUnion++
				}
			}
		}
	}
	rep.Precision = ratio(rep.Matched, rep.Parsed)
	rep.Recall = ratio(rep.Matched, rep.Gold)
	if rep.Precision+rep.Recall > 0 {
		rep.F1 = 2 * rep.Precision * rep.Recall / (rep.Precision + rep.Recall)
	}
	rep.NamesTolerantPrecision = ratio(rep.Matched+rep.NameOnly, rep.Parsed)
	rep.NamesTolerantRecall = ratio(rep.Matched+rep.NameOnly, rep.Gold)
	rep.CaseAccuracy = ratio(caseOK, rep.Matched)
	rep.CaseCountAccuracy = ratio(countOK, rep.Procedures)
	rep.KindAccuracy = ratio(kindOK, rep.Matched)
	rep.AltAccuracy = ratio(rep.AltCorrect, altUnion)
	rep.AltPrecision = ratio(rep.AltCorrect, rep.AltParsed)
	rep.AltRecall = ratio(rep.AltCorrect, rep.AltGold)
	return rep
}

// NameOnlyOverlap is the least share of the shorter name's syllables that
// the longer must hold for a missing and a spurious paper to be one paper
// named differently (see StructReport.NameOnly).
const NameOnlyOverlap = 0.8

// nameOnlyPairs pairs the procedure's unmatched gold papers with its
// unmatched parsed ones when they differ only in the length of the name
// (StructReport.NameOnly). A parsed name that also holds another gold
// paper ("A và B" against A and B) is a merge, not a name error.
func nameOnlyPairs(rep *StructReport, code string, gf []flatGold, parsed []Requirement, usedG map[int]int, usedP map[int]bool) {
	var pairedG, pairedP map[int]bool
	defer func() { errorKinds(rep, code, gf, parsed, usedG, usedP, pairedG, pairedP) }()
	gt := make([][]string, len(gf))
	for i, gr := range gf {
		gt[i] = vntext.FoldedTokens(gr.paper.Name)
	}
	taken := map[int]bool{}
	pairedG, pairedP = map[int]bool{}, taken
	for i := range gf {
		if _, ok := usedG[i]; ok || len(gt[i]) == 0 {
			continue
		}
		best, bj := 0.0, -1
		for j, pr := range parsed {
			if usedP[j] || taken[j] {
				continue
			}
			pt := vntext.FoldedTokens(pr.Name)
			if s := containment(gt[i], pt); s >= NameOnlyOverlap && s > best && min(len(gt[i]), len(pt)) >= 3 && !holdsOther(pt, gt, i) {
				best, bj = s, j
			}
		}
		if bj >= 0 {
			taken[bj], pairedG[i] = true, true
			rep.NameOnly++
			rep.NameOnlyPairs = append(rep.NameOnlyPairs, fmt.Sprintf("%s: %.70s ~ %.70s", code, gf[i].paper.Name, parsed[bj].Name))
		}
	}
}

// errorKinds sorts the procedure's errors that are not name-only pairs
// (StructReport.MissingMerged …).
func errorKinds(rep *StructReport, code string, gf []flatGold, parsed []Requirement, usedG map[int]int, usedP, pairedG, pairedP map[int]bool) {
	pt, pn := make([][]string, len(parsed)), make([][]string, len(parsed))
	for j, r := range parsed {
		pt[j] = vntext.FoldedTokens(r.Name + " " + r.Note)
		pn[j] = vntext.FoldedTokens(r.Name + " " + strings.Join(r.Alternatives, " "))
	}
	gt := make([][]string, len(gf))
	for i, gr := range gf {
		gt[i] = vntext.FoldedTokens(gr.paper.Name)
	}
	for i := range gf {
		if _, ok := usedG[i]; ok || pairedG[i] {
			continue
		}
		merged, inName, holder := false, false, -1
		for j := range parsed {
			if len(gt[i]) > 0 && len(pt[j]) >= len(gt[i]) && containment(gt[i], pt[j]) >= 0.8 {
				merged = true
				inName = inName || len(pn[j]) >= len(gt[i]) && containment(gt[i], pn[j]) >= 0.8
				holder = j
			}
		}
		if merged {
			rep.MissingMerged++
			if !inName {
				rep.MissingInNote++
				rep.InNote = append(rep.InNote, fmt.Sprintf("%s: %.90s ⊂ the note of %.60s: %.160s", code, gf[i].paper.Name, parsed[holder].Name, parsed[holder].Note))
			}
		} else {
			rep.MissingLost++
		}
	}
	for j, r := range parsed {
		if usedP[j] || pairedP[j] {
			continue
		}
		own := vntext.FoldedTokens(r.Name)
		part := false
		for i := range gf {
			if len(own) > 0 && len(gt[i]) >= len(own) && containment(own, gt[i]) >= 0.8 {
				part = true
				break
			}
		}
		if part {
			rep.SpuriousPart++
		} else {
			rep.SpuriousExtra++
		}
	}
}

// flaggedErrors counts the procedure's errors and matches that rows the
// parser flagged as uncertain cover (StructReport.SpuriousFlagged …).
func flaggedErrors(rep *StructReport, gf []flatGold, parsed []Requirement, usedG map[int]int, usedP map[int]bool) {
	var flagged [][]string
	for j, r := range parsed {
		if r.Uncertain == "" {
			continue
		}
		if usedP[j] {
			rep.MatchedFlagged++
		} else {
			rep.SpuriousFlagged++
		}
		flagged = append(flagged, vntext.FoldedTokens(r.Name+" "+r.Note))
	}
	for i, gr := range gf {
		if _, ok := usedG[i]; ok {
			continue
		}
		gt := vntext.FoldedTokens(gr.paper.Name)
		for _, ft := range flagged {
			if len(gt) > 0 && len(ft) >= len(gt) && containment(gt, ft) >= 0.6 {
				rep.MissingFlagged++
				break
			}
		}
	}
}

// containment is the share of the shorter token list found in the longer
// (with multiplicity).
func containment(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common := NameSimilarity(a, b) * float64(len(a)+len(b)) / 2
	return common / float64(min(len(a), len(b)))
}

// holdsOther reports whether the parsed tokens also hold a gold paper other
// than the i-th.
func holdsOther(pt []string, gt [][]string, i int) bool {
	for k, g := range gt {
		if k != i && len(g) >= 2 && len(g) < len(pt) && containment(g, pt) >= NameOnlyOverlap && NameSimilarity(g, gt[i]) < 0.5 {
			return true
		}
	}
	return false
}

// String renders the report's figures on three lines.
func (r StructReport) String() string {
	return fmt.Sprintf("procedures %d, gold %d, parsed %d, matched %d\nprecision %.3f  recall %.3f  F1 %.3f  kind %.3f\ncase accuracy %.3f  case count %.3f  alternatives %.3f (P %.3f R %.3f; gold %d parsed %d correct %d)\nname-only pairs %d (names tolerated: precision %.3f  recall %.3f)\nflagged uncertain: spurious %d/%d, missing %d/%d, matched %d/%d\nmissing: merged %d (%d in a note), lost %d; spurious: split off %d, extra %d\n",
		r.Procedures, r.Gold, r.Parsed, r.Matched, r.Precision, r.Recall, r.F1, r.KindAccuracy,
		r.CaseAccuracy, r.CaseCountAccuracy, r.AltAccuracy, r.AltPrecision, r.AltRecall, r.AltGold, r.AltParsed, r.AltCorrect,
		r.NameOnly, r.NamesTolerantPrecision, r.NamesTolerantRecall,
		r.SpuriousFlagged, r.Parsed-r.Matched, r.MissingFlagged, r.Gold-r.Matched, r.MatchedFlagged, r.Matched,
		r.MissingMerged, r.MissingInNote, r.MissingLost, r.SpuriousPart, r.SpuriousExtra)
}

func mapped(m map[int]int, g int) int {
	if g < 0 {
		return -1
	}
	if p, ok := m[g]; ok {
		return p
	}
	return -2 // a gold case with no parsed counterpart matches nothing
}

func caseName(cs []string, i int) string {
	if i < 0 {
		return "(chung)"
	}
	return fmt.Sprintf("%.40q", cs[i])
}

func parsedCaseName(p Procedure, i int) string {
	if i < 0 {
		return "(chung)"
	}
	return fmt.Sprintf("%.40q", p.Cases[i].Name)
}

// alignCases pairs gold cases with parsed ones, best name similarity first;
// when the names do not match, cases with the same position pair up.
func alignCases(gold []string, got []Case) map[int]int {
	out := map[int]int{}
	type cand struct {
		g, p int
		s    float64
	}
	var cs []cand
	for i, g := range gold {
		gt := vntext.FoldedTokens(g)
		for j, c := range got {
			if s := NameSimilarity(gt, vntext.FoldedTokens(c.Name)); s >= StructMatchThreshold {
				cs = append(cs, cand{i, j, s})
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].s > cs[b].s })
	usedP := map[int]bool{}
	for _, c := range cs {
		if _, ok := out[c.g]; ok || usedP[c.p] {
			continue
		}
		out[c.g], usedP[c.p] = c.p, true
	}
	if len(gold) == len(got) {
		for i := range gold {
			if _, ok := out[i]; !ok && !usedP[i] {
				out[i], usedP[i] = i, true
			}
		}
	}
	return out
}

// sameGroup compares a gold group with the parsed requirement it matched,
// by the README's rule 4: a group introduced by a heading is named by its
// heading phrase ("Một trong các giấy tờ sau") and lists every member as an
// alternative, so its members decide; an "A hoặc B" group is named by its
// first paper, so its name and alternatives decide. Either reading counts.
func sameGroup(g StructGoldPaper, p Requirement) bool {
	return sameOptions(g.Alternatives, p.Alternatives) ||
		sameOptions(append([]string{g.Name}, g.Alternatives...), append([]string{p.Name}, p.Alternatives...))
}

// orPapers splits a gold name "A hoặc B" (outside parentheses) into its
// papers when every part names a paper of its own: at least two syllables,
// not only a form of a copy ("bản sao", "bản chính"), and not another form
// of a neighbouring part ("A hoặc bản sao A", which rule 4 keeps as one).
func orPapers(name string) []string {
	parts := splitTop(name, " hoặc ", " hay ")
	if len(parts) < 2 {
		return nil
	}
	core := make([][]string, len(parts))
	for i, p := range parts {
		t := vntext.FoldedTokens(p)
		for len(t) >= 2 && t[0] == "ban" && (t[1] == "sao" || t[1] == "chinh" || t[1] == "chup" || t[1] == "goc") {
			t = t[2:]
		}
		if len(vntext.FoldedTokens(p)) < 2 || len(t) == 0 {
			return nil
		}
		core[i] = t
	}
	for i := range core {
		for j := i + 1; j < len(core); j++ {
			if NameSimilarity(core[i], core[j]) >= 0.8 {
				return nil
			}
		}
	}
	return parts
}

// sameOptions reports whether two option lists name the same papers, one
// to one by name similarity.
func sameOptions(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	used := make([]bool, len(b))
	for _, x := range a {
		xt := vntext.FoldedTokens(x)
		best, bi := 0.0, -1
		for j, y := range b {
			if used[j] {
				continue
			}
			if s := NameSimilarity(xt, vntext.FoldedTokens(y)); s > best {
				best, bi = s, j
			}
		}
		if bi < 0 || best < StructMatchThreshold {
			return false
		}
		used[bi] = true
	}
	return true
}

// ParseNationalFile parses the procedures of a national JSONL file whose
// codes are in want (all when want is nil), keyed by code.
func ParseNationalFile(path string, want map[string]bool) (map[string]Procedure, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]Procedure{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		p, err := ParseNational(sc.Bytes())
		if err != nil || (want != nil && !want[p.Code]) {
			continue
		}
		out[p.Code] = p
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

// LabelledProcedure puts one reader's labels in the parser's shape, so that a
// second reader's labels of the same procedures can be scored against the
// first's with EvaluateStructure: the agreement of two readers is the
// ceiling the labels themselves allow a parser.
func LabelledProcedure(g StructGold) Procedure {
	p := Procedure{Code: g.Code, Name: g.Name}
	named := 0
	for _, c := range g.Cases {
		key := ""
		if strings.TrimSpace(c.Case) != "" {
			named++
			key = fmt.Sprintf("case-%d", named)
			p.Cases = append(p.Cases, Case{Key: key, Name: c.Case})
		}
		for _, r := range c.Requirements {
			kind := r.Kind
			if kind == "" {
				kind = KindSubmit
			}
			req := Requirement{
				Key:          fmt.Sprintf("r%d", len(p.Requirements)+1),
				Name:         r.Name,
				Kind:         kind,
				Alternatives: r.Alternatives,
				Case:         key,
			}
			if key != "" {
				p.Cases[len(p.Cases)-1].Requirements = append(p.Cases[len(p.Cases)-1].Requirements, req.Key)
			}
			p.Requirements = append(p.Requirements, req)
		}
	}
	return p
}

// ReaderAgreement scores the second reader's labels against the first
// reader's, on the procedures both labelled: precision is the share of the
// second reader's papers the first also lists, recall the converse.
func ReaderAgreement(first, second []StructGold) StructReport {
	got := make(map[string]Procedure, len(second))
	for _, g := range second {
		got[g.Code] = LabelledProcedure(g)
	}
	var both []StructGold
	for _, g := range first {
		if _, ok := got[g.Code]; ok {
			both = append(both, g)
		}
	}
	return EvaluateStructure(both, got)
}
