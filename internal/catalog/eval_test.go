package catalog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sharedData finds ../shared/data beside the repository (or
// HOSO_SHARED_DATA); "" when absent.
func sharedData() string {
	for _, d := range []string{os.Getenv("HOSO_SHARED_DATA"), "../../../shared/data"} {
		if d == "" {
			continue
		}
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
	}
	return ""
}

// parseFile parses every procedure of a procedures.jsonl file.
func parseFile(t testing.TB, path string) []Procedure {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	var out []Procedure
	for sc.Scan() {
		p, err := ParseNational(sc.Bytes())
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEvaluateGold measures the parser against the hand-checked gold set,
// using the repository's subset (data/procedures) so that it runs anywhere.
func TestEvaluateGold(t *testing.T) {
	t.Parallel()
	gold, err := LoadGold("../../evals/catalog/gold.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) < 40 {
		t.Fatalf("gold set has %d procedures, want ≥ 40", len(gold))
	}
	got := parseFile(t, "../../data/procedures/procedures.jsonl")
	rep := Evaluate(gold, got)
	t.Logf("gold set:\n%s", rep)
	for _, m := range rep.Missing {
		t.Logf("missing: %s", m)
	}
	for _, m := range rep.Spurious {
		t.Logf("spurious: %s", m)
	}
	for _, m := range rep.Mismatches {
		t.Logf("mismatch: %s", m)
	}
	// gold.yaml was corrected from an earlier parser's draft, so its names
	// are that parser's (legal basis and contents included, cells listing
	// several papers kept whole); since the parser splits cells and trims
	// names to the paper, agreement with it is a regression guard only. The
	// measure of the parser is the independent set (TestStructureDev,
	// evals/catalog/gold). Precision here falls as the parser splits more:
	// 0.78 → 0.77 when "kèm" alone came to attach a paper (67c3881), which
	// splits 1.004194's "Văn bản đề nghị đăng ký tạm trú … kèm danh sách
	// người tạm trú" in two, as the independent dev22 label does; and
	// 0.77 → 0.76 when a later "Xuất trình X để đối chiếu" sentence came to
	// add X (d881a0a): 2.002080's Sổ theo dõi hoạt động hòa giải, shown, as
	// the independent dev29 label reads it.
	if rep.Precision < 0.76 || rep.Recall < 0.8 {
		t.Errorf("component names: precision %.3f recall %.3f, want ≥ 0.76 and 0.80", rep.Precision, rep.Recall)
	}
	if rep.KindAccuracy < 0.95 || rep.QuantityAcc < 0.95 {
		t.Errorf("kind %.3f quantities %.3f, want ≥ 0.95", rep.KindAccuracy, rep.QuantityAcc)
	}
	if rep.ConditionAcc < 0.85 || rep.AlternativesAcc < 0.9 || rep.ElectronicAcc < 0.95 {
		t.Errorf("condition %.3f alternatives %.3f electronic %.3f below the recorded level", rep.ConditionAcc, rep.AlternativesAcc, rep.ElectronicAcc)
	}
}

// bqpProcedure is the structured shape of bqp-procedures-structured.
type bqpProcedure struct {
	Code   string `json:"thu_tuc_id"`
	Tables struct {
		Components []struct {
			Name  string `json:"ten_giay_to"`
			Form  string `json:"so_luong"` // the form file column, despite its name
			Notes string `json:"ghi_chu"`  // "Bản chính: 1\nBản sao: 0"
		} `json:"thanh_phan_ho_so"`
	} `json:"tables"`
}

var bqpCount = regexp.MustCompile(`Bản chính:\s*(\d+)\s*Bản sao:\s*(\d+)`)

// TestEvaluateStructured is the second check: the 207 Bộ Quốc phòng
// procedures whose component tables are structured. Their rows are glued
// exactly as the national crawler glues a table (name, form file, quantity
// column, no separators) and parsed back; the structured rows are the gold.
func TestEvaluateStructured(t *testing.T) {
	t.Parallel()
	dir := sharedData()
	if dir == "" {
		t.Skip("shared data absent (set HOSO_SHARED_DATA)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "bqp-procedures-structured", "*.json"))
	if len(files) == 0 {
		t.Skip("bqp-procedures-structured absent")
	}
	var gold []GoldProcedure
	var got []Procedure
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s bqpProcedure
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		g := GoldProcedure{Code: s.Code, Ministry: "Bộ Quốc phòng"}
		var text strings.Builder
		text.WriteString("--" + tableHeader)
		for _, c := range s.Tables.Components {
			o, cp := 1, 0
			if m := bqpCount.FindStringSubmatch(c.Notes); m != nil {
				o, _ = strconv.Atoi(m[1])
				cp, _ = strconv.Atoi(m[2])
			}
			name := strings.TrimSpace(c.Name)
			text.WriteString(name)
			if fileExt.MatchString(strings.TrimSpace(c.Form)) {
				text.WriteString(strings.TrimSpace(c.Form))
			}
			if cp > 0 {
				fmt.Fprintf(&text, "%d bản chính,%d bản sao", o, cp)
			} else {
				fmt.Fprintf(&text, "%d bản chính", o)
			}
			g.Requirements = append(g.Requirements, GoldRequirement{Name: name, Kind: KindSubmit, Originals: o, Copies: cp})
		}
		gold = append(gold, g)
		reqs, _ := ParseComponents(text.String())
		got = append(got, Procedure{Code: s.Code, Requirements: reqs})
	}
	// The structured names are whole table cells, conditions and notes
	// included, while the parser extracts the component's name from the
	// cell; so rows are compared by the parsed row text (Raw without the
	// form file), and the name-level figures are logged for information.
	names := Evaluate(gold, got)
	t.Logf("bqp-procedures-structured, extracted names vs whole cells (%d procedures):\n%s", len(gold), names)
	// A row that holds several papers is now several requirements with one
	// Raw: the row comparison counts the row once.
	for i := range got {
		seen := map[string]bool{}
		var rows []Requirement
		for _, r := range got[i].Requirements {
			if seen[r.Raw] {
				continue
			}
			seen[r.Raw] = true
			r.Name, _ = splitFormFile(r.Raw)
			rows = append(rows, r)
		}
		got[i].Requirements = rows
	}
	rep := Evaluate(gold, got)
	t.Logf("bqp-procedures-structured, parsed rows vs cells:\n%s", rep)
	for i, m := range rep.Missing {
		if i < 30 {
			t.Logf("missing: %s", m)
		}
	}
	for i, m := range rep.Spurious {
		if i < 30 {
			t.Logf("spurious: %s", m)
		}
	}
	// Recall was 0.952 (775 rows); 0.947 (771) since rows that only head a
	// case ("2. Trường hợp 2: Hồ sơ đề nghị cấp mới … :" with a quantity in
	// its column, 1.013614) are read as headings, and the same application
	// form in two cases (1.013616, once its citation is cut) as one paper
	// every case lists — both by rule 1 of evals/catalog/gold, both a row
	// less here.
	if rep.Precision < 0.95 || rep.Recall < 0.945 {
		t.Errorf("component names: precision %.3f recall %.3f, want ≥ 0.95 and 0.945", rep.Precision, rep.Recall)
	}
	if rep.QuantityAcc < 0.95 {
		t.Errorf("quantities %.3f, want ≥ 0.95", rep.QuantityAcc)
	}
}

// TestParseNationalFile parses the whole national file: no crash, and every
// procedure with component text yields at least one requirement.
func TestParseNationalFile(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("parses all 2,642 procedures")
	}
	dir := sharedData()
	if dir == "" {
		t.Skip("shared data absent (set HOSO_SHARED_DATA)")
	}
	ps := parseFile(t, filepath.Join(dir, "dvc-procedures-2026", "procedures.jsonl"))
	if len(ps) != 2642 {
		t.Errorf("parsed %d procedures, want 2642", len(ps))
	}
	empty, steps, review, reqs := 0, 0, 0, 0
	for _, p := range ps {
		reqs += len(p.Requirements)
		if p.NeedsReview {
			review++
		}
		if len(p.Requirements) == 0 {
			why := strings.Join(p.ReviewReasons, " ")
			switch {
			case strings.Contains(why, "empty component text"):
				empty++
			case strings.Contains(why, "end of the steps text"):
				steps++
			default:
				t.Errorf("%s: no requirements but the text is not empty: %v", p.Code, p.ReviewReasons)
			}
		}
		seen := map[string]bool{}
		for _, r := range p.Requirements {
			if r.Key == "" || seen[r.Key] {
				t.Errorf("%s: empty or duplicate key %q", p.Code, r.Key)
			}
			seen[r.Key] = true
			if r.Kind != KindSubmit && r.Kind != KindPresent {
				t.Errorf("%s: kind %q", p.Code, r.Kind)
			}
		}
	}
	// The 24 procedures (social insurance, most) whose component field holds the
	// end of the steps text ("); nộp hồ sơ cho cơ quan BHXH. Bước 2. …"),
	// no more: a table is never read as steps.
	if steps != 24 {
		t.Errorf("%d procedures read as steps text only, want 24", steps)
	}
	t.Logf("%d procedures, %d requirements, %d without component text, %d holding only steps text, %d flagged for review", len(ps), reqs, empty, steps, review)
}
