package catalog

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// nationalFile is the full national scrape, present on the project's
// machines (../shared/data) and absent in a bare checkout.
func nationalFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", "dvc-procedures-2026", "procedures.jsonl")
	if _, err := os.Stat(p); err != nil {
		t.Skip("no ../shared/data/dvc-procedures-2026/procedures.jsonl")
	}
	return p
}

// goldLabels is every labelled procedure of labels.jsonl and each code's
// split, for the dev tools that must refuse test codes or leave the gold
// set out.
func goldLabels(t *testing.T) ([]StructGold, map[string]string) {
	t.Helper()
	all, err := LoadStructGold(filepath.Join("..", "..", "evals", "catalog", "gold", "labels.jsonl"), "")
	if err != nil {
		t.Fatal(err)
	}
	split := make(map[string]string, len(all))
	for _, g := range all {
		split[g.Code] = g.Split
	}
	return all, split
}

func structGold(t *testing.T, split string) ([]StructGold, map[string]Procedure) {
	t.Helper()
	gold, err := LoadStructGold(filepath.Join("..", "..", "evals", "catalog", "gold", "labels.jsonl"), split)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, g := range gold {
		want[g.Code] = true
	}
	got, err := ParseNationalFile(nationalFile(t), want)
	if err != nil {
		t.Fatal(err)
	}
	return gold, got
}

// TestStructureDev prints the dev figures and their errors (go test -run
// TestStructureDev -v): the only split the parser is tuned on.
func TestStructureDev(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the national file; the gate is the catalog_structure eval suite")
	}
	gold, got := structGold(t, "dev")
	byBatch := map[string][]StructGold{}
	for _, g := range gold {
		byBatch[g.Batch] = append(byBatch[g.Batch], g)
	}
	for _, b := range slices.Sorted(maps.Keys(byBatch)) {
		t.Logf("batch %q:\n%s", b, EvaluateStructure(byBatch[b], got))
	}
	// A held-out batch is printed as figures only: its errors are not
	// listed and it is in neither fold, so that it measures the parser on
	// procedures no change was read against.
	gold = slices.DeleteFunc(gold, func(g StructGold) bool { return heldOutBatches[g.Batch] })
	// HOSO_GOLD_BATCH=dev3 lists the errors of one dev batch only.
	if b, ok := os.LookupEnv("HOSO_GOLD_BATCH"); ok && !heldOutBatches[b] {
		gold = byBatch[b]
	}
	// Changes are tuned on fold A and kept only when fold B does not get
	// worse; both folds' figures are printed, HOSO_GOLD_FOLD=A lists the
	// errors of fold A only.
	folds := map[string][]StructGold{}
	for _, g := range gold {
		folds[structFold(g.Code)] = append(folds[structFold(g.Code)], g)
	}
	for _, f := range []string{"A", "B"} {
		t.Logf("fold %s (%d procedures):\n%s", f, len(folds[f]), EvaluateStructure(folds[f], got))
	}
	if f, ok := os.LookupEnv("HOSO_GOLD_FOLD"); ok {
		gold = folds[f]
	}
	rep := EvaluateStructure(gold, got)
	t.Log("\n" + rep.String())
	logByFlag(t, gold, got)
	if testing.Verbose() {
		for _, s := range [][]string{rep.Missing, rep.Spurious, rep.WrongCase, rep.WrongAlt, rep.InNote} {
			for _, m := range s {
				t.Log(m)
			}
			t.Log("--")
		}
	}
}

// logByFlag prints the figures of the procedures the parser flags as
// uncertain (`hoso catalog validate` lists them for an official to check)
// apart from the others: how much of the error the flag points at.
func logByFlag(t *testing.T, gold []StructGold, got map[string]Procedure) {
	t.Helper()
	var clean, flagged []StructGold
	for _, g := range gold {
		if len(got[g.Code].Uncertain) > 0 {
			flagged = append(flagged, g)
		} else {
			clean = append(clean, g)
		}
	}
	c, f := EvaluateStructure(clean, got), EvaluateStructure(flagged, got)
	t.Logf("not flagged uncertain: %d procedures, precision %.3f recall %.3f; flagged: %d procedures, precision %.3f recall %.3f",
		c.Procedures, c.Precision, c.Recall, f.Procedures, f.Precision, f.Recall)
}

// heldOutBatches are the dev batches kept unread while the parser is
// tuned, printed as figures only. dev6 was held out while four helpers
// changed the parser (2026-12-06, until 12:46 UTC, figures in the gold
// README); its errors have been read since, so it is ordinary dev now.
// dev7 was drawn at 13:12 UTC and held out while the parser's output
// invariants were worked on; its errors were read at 13:20, after its
// figure was taken, so it is ordinary dev now too.
//
// dev8 was drawn at 14:55 UTC (seed 15023) before that afternoon's parser
// work, measured before and after it (unchanged, gold README "Eighth
// round") and is kept held out, its errors unread, so that the next round
// can measure on procedures nobody has tuned on. Its figures were taken
// again at 17:31 UTC the next round (unchanged: P 0.914, R 0.736) and it
// was then released to dev; dev9 (seed 15031) was drawn and labelled
// from the raw text to be held out in its place.
//
// dev9's figures were taken again at 19:50 UTC the round after (unchanged:
// P 0.902, R 0.896) and it was released to dev; dev10 (seed 15041) was
// drawn at 19:58 and labelled from the raw text to be held out in its place.
//
// dev10's figures were taken again at 22:24 UTC the round after, beside
// the new dev11's first (unchanged: P 0.865, R 0.901) and it was released
// to dev; dev11 (seed 15111, drawn at 22:10 and labelled from the raw text
// by a helper that ran no parser) is held out in its place.
//
// dev11's figures were taken again at 00:47 UTC on 2026-12-07, the round
// after (unchanged: P 0.937, R 0.796), and it was released to dev; dev12
// (seed 15121, drawn at 00:49 before any label) is held out in its place,
// labelled from the raw text by a helper that runs no parser.
//
// dev12's figures were taken again at 03:40 UTC on 2026-12-07, the round
// after (unchanged: P 0.946, R 0.888), and it was released to dev; dev13
// (seed 15131, drawn at 03:35 before any label, commit d31c2c0) is held
// out in its place, labelled from the raw text by a helper that runs no
// parser.
//
// dev13's figures were taken at 03:48 UTC on the parser as that round
// began (P 0.891, R 0.774) and again at 04:01 after the round's rules from
// dev12 (unchanged), and it was released to dev; dev14 (seed 15141, drawn
// at 04:01 before any label, commit 2d5e438) is held out in its place.
//
// dev14's figures were taken at 04:07 UTC on the parser as that round
// began (61d4cf3: P 0.945, R 0.858) and again at 04:08 after the round's
// rules from dev13 (unchanged), and it was released to dev; dev15 (seed
// 15151, drawn at 04:18 before any label, commit 048c7e9) is held out in
// its place.
//
// dev15's figures were taken again at 06:25 UTC on 2026-12-07 on the
// parser of 1964554 (unchanged: P 0.915, R 0.815), beside dev16's first
// (P 0.912, R 0.873), and it was released to dev;
// dev16 (seed 15161, drawn at 06:15 before any label, commit 85b1fbd,
// labelled from the raw text by a helper that ran no parser) is held out
// in its place.
//
// dev16's figures were taken again at 06:45 UTC on bba8e5e, after the
// sixteenth round's rules (unchanged: P 0.912, R 0.873), and it was
// released to dev; dev17 (seed 15171, drawn before any label) is held out
// in its place.
//
// dev17's figures were taken again at 07:33 UTC on 2a68ad2, after the
// seventeenth round's rules (unchanged: P 0.846, R 0.896), and it was
// released to dev; dev18 (seed 15181, drawn before any label) is held out
// in its place. dev18's first figures, on e2448a3 as the eighteenth round
// began: P 0.935, R 0.915; unchanged after that round's rules (f6c113e).
//
// dev18's figures were taken again at 08:05 UTC on 0a8bb36 (unchanged:
// P 0.935, R 0.915), and it was released to dev; dev19 (seed 15191, drawn
// before any label) is held out in its place. dev19's first figures, on
// 03f9372 as the nineteenth round began: P 0.900, R 0.842; unchanged after
// that round's rule (2eb4124).
//
// From 09:10 UTC on 2026-12-07, nine more rounds (gold README, "Twentieth
// to twenty-eighth rounds"): dev19 to dev27 released in turn, dev20 to
// dev28 each drawn before any label and held out for one round. dev28 (seed
// 15281, drawn at 8cdc53e: P 0.958, R 0.875, unchanged after the
// twenty-eighth round's rules) was then released, its errors read but no
// rule kept from them; dev29 (seed 15291, drawn at c20e8be, labelled from
// the raw text) was held out with its errors unread: first figures on
// c20e8be, P 0.853, R 0.959.
//
// The twenty-ninth round (from 12:15 UTC, gold README "Twenty-ninth and
// thirtieth rounds") tuned on dev28 and the dev alternatives with dev29 and
// dev30 (seed 15301, drawn at 6a4197d; first figures on 2bcd14e, the
// parser as at c20e8be: P 0.942, R 0.890) held out. After it (ba89480)
// dev29 stood at P 0.847, R 0.959 and dev30 at P 0.948, R 0.896; dev29 was
// then released. dev30 stayed held out for the thirtieth round (rules from
// dev29's errors, fda6320 and d881a0a) and was unchanged by it (8dce97f:
// P 0.948, R 0.896); it was then released. dev31 (seed 15311, drawn at
// f8260dd, labelled from the raw text; first figures on 84cbe1f, the
// parser as at ba89480: P 0.915, R 0.900) is held out for the thirty-first
// round, unchanged by the thirtieth.
//
// The thirty-first round (rules from dev30's errors, 16198b0 and f9ffdc6)
// left dev31 unchanged (P 0.915, R 0.900); dev31 was then released for the
// thirty-second round. dev32 (seed 15321, drawn at 05d9079, labelled from
// the raw text; first figures on 197b611, the parser as at f9ffdc6:
// P 0.954, R 0.962) stays held out, its errors unread; it was unchanged by
// the thirty-second round's rules (5baea06, 59c4ca4, 7ba08fd). dev33 (seed
// 15331, drawn at 33a3611, labelled from the raw text; first figures on
// bd96756, the parser as at 7ba08fd: P 0.938, R 0.895) is held out beside
// it. dev32 was then released for a thirty-third round (unchanged by the
// thirty-second: P 0.954, R 0.962); dev33 stays held out, its errors
// unread, unchanged by the thirty-third round's rule (989c0c8: P 0.938,
// R 0.895); it was then released for a thirty-fourth round (rules from its
// errors, c66a0c7: dev33 at P 0.939, R 0.902 after it). dev34 (seed 15341,
// drawn at d61aafd, labelled from the raw text; first figures on 2f59fb0,
// the parser as at c66a0c7: P 0.960, R 0.941) is held out, its errors
// unread, for the next session.
//
// The thirty-fifth round (2026-12-07, from 15:00 UTC) released dev34
// (unchanged since its first figures: P 0.960, R 0.941) and tunes on its
// errors (40b1d10: dev34 at P 0.980, R 0.967 after it). dev35 (seed
// 15351, drawn at 2f1e439, labelled from the raw text; first figures on
// 93bcd19, the parser as at 5bdebd0: P 0.926, R 0.900) was held out, its
// errors unread, and unchanged by the thirty-fifth round; it was then
// released for a thirty-sixth round (b03ed03: dev35 at P 0.949, R 0.921
// after it). dev36 (seed 15361, drawn at 9a768d4, labelled from the raw
// text; first figures on 1d4126c, the parser as at b03ed03: P 0.904,
// R 0.882) was then released for a thirty-seventh round (0686c55: dev36
// at P 0.928, R 0.912 after it). dev37 (seed 15371, drawn at 12d12a5,
// labelled from the raw text; first figures on 494dc44, the parser as at
// 0686c55: P 0.858, R 0.876) was then released for a thirty-eighth round;
// dev38 (seed 15381, drawn at ca57d93, labelled from the raw text; first
// figures on 0f3fea4, the parser as at 98b0c09: P 0.910, R 0.931) is held
// out, its errors unread; it was unchanged by a thirty-ninth round whose
// rules came from the pooled dev errors (contract rows lost to a prose
// phrase in their bracket, "Những tài liệu do …" legalisation notes);
// dev38 was then released for a fortieth round (one rule, dev38's
// alternatives 0.368 -> 0.421, P and R unchanged). dev39 (seed 15391, drawn
// at 6b70eeb, labelled from the raw text; first figures on 4ffe5f0, the
// parser as at f8d0cb5: P 0.927, R 0.882) was then released for a
// forty-first round (3117bd2: dev39 at P 0.934, R 0.882 after it). dev40
// (seed 15401, drawn at 08a599e, labelled from the raw text; first figures
// on a142be8, the parser as at 3117bd2: P 0.867, R 0.819) was then
// released for a forty-second round (its errors read, no rule kept).
// dev41 (seed 15411, drawn at ba97867, labelled from the raw text; first
// figures on 4fbdf14, the parser as at 3117bd2: P 0.905, R 0.927) was
// then released for a forty-third round (dev41 at P 0.912, R 0.927 after
// it; the test half's precision 0.906 -> 0.909, one cited law fewer read as
// a paper). dev42 (seed 15421, drawn at da25f87, labelled from the raw
// text; first figures on 2c4c50b, the parser as at 009406c: P 0.881,
// R 0.925) was then released for a forty-fourth round (dev42 at P 0.896,
// R 0.933 after it). dev43 (seed 15431, drawn at 71fbf66, labelled from
// the raw text; first figures on a31b427, the parser as at dd78c98:
// P 0.875, R 0.824) was held out, its errors unread, for the next session,
// which released it for a forty-fifth round (dev43 at P 0.934, R 0.838
// after it). dev44 (seed 15441, drawn at 4a91bcb, labelled from the raw
// text; first figures on 86be5ca, the parser as at 111655b: P 0.922,
// R 0.881) was held out, its errors unread, then released for a
// forty-sixth round (dev44 at P 0.953, R 0.903 after it). dev45 (seed
// 15451, drawn at 1478127, labelled from the raw text; first figures on
// 46b0cbf, the parser as at 8cafc22: P 0.915, R 0.881) is held out, its
// errors unread; it was then released for a forty-seventh round (dev45
// at P 0.946, R 0.904 after it). dev46 (seed 15461, drawn at 164f750,
// labelled from the raw text; first figures on 4004815, the parser as at
// 6efecda: P 0.889, R 0.921) was held out, its errors unread, then
// released for a forty-eighth round (dev46 at P 0.896, R 0.928 after it).
// dev47 (seed 15471, drawn at 96bcc35, labelled from the raw text; first
// figures on 0bb2d5b, the parser as at 7a71efa: P 0.950, R 0.852) is held
// out, its errors unread; it was then released for a forty-ninth round
// (dev47 at P 0.946, R 0.897 after it). dev48 (seed 15481, drawn at
// a586289, labelled from the raw text; first figures on cf46ae1, the
// parser as at 8534292: P 0.928, R 0.860) was held out, its errors unread,
// then released for a fiftieth round (dev48 at P 0.928, R 0.866 after it,
// alternatives 0.440 -> 0.560). dev49 (seed 15491, drawn at 2839368,
// labelled from the raw text; first figures on aa07e97, the parser as at
// cb0cc06: P 0.963, R 0.929) was held out, its errors unread, then released
// for a fifty-first round (dev49 at P 0.963, R 0.939 after it). dev50
// (seed 15501, drawn at 2bf5bfb, labelled from the raw text; first figures
// on 6483041, the parser as at 4f4e461: P 0.961, R 0.904) is held out, its
// errors unread, for the next session. dev51–dev62 (seeds 15511 … 15621)
// were drawn, labelled, first measured and released in pairs the session
// after (gold README, rounds 52–61). This session's: dev63 (seed 15631),
// dev64 (15641), dev65 (15651) and dev66 (15661), drawn at fbe2b17 and
// 7ef9db5, first measured on the parser as at 13c8112 (P / R: 0.940 /
// 0.845, 0.944 / 0.860, 0.947 / 0.933, 0.900 / 0.850); dev67 (15671) and
// dev68 (15681), drawn at 4ad3e6b, first measured as at dd4506d (0.923 /
// 0.831, 0.932 / 0.907); dev69 (15691) and dev70 (15701), drawn at
// 4c4e505, first measured as at 47b9cef (0.840 / 0.885, 0.960 / 0.930);
// all labelled from the raw text. dev63 and dev64 were released for round
// 62, dev65 and dev66 for round 63 (gold README, rounds 61–63); dev67 to
// dev70 were held out, their errors unread, and released for round 64.
// dev71 (seed 15711) and dev72 (15721), drawn at 3925fad and labelled
// from the raw text (merged at 17c4bde), were first measured on the parser
// as at 62b300d (P / R: 0.882 / 0.925, 0.838 / 0.925), unchanged by round
// 64 (93f1b16), then released for round 65. dev73 (seed 15731) and dev74
// (15741), drawn at 74d171a and labelled from the raw text (merged at
// 6779156), were first measured on the parser as at 9535c7c (P / R: 0.873
// / 0.852, 0.918 / 0.863); they are held out, their errors unread, for the
// next session, with dev75 (seed 15751) and dev76 (15761), drawn at ac92572,
// labelled from the raw text (merged at 13153be) and first measured on the
// same parser (P / R: 0.901 / 0.861, 0.903 / 0.897).
var heldOutBatches = map[string]bool{"dev73": true, "dev74": true, "dev75": true, "dev76": true}

// structFold puts a dev procedure in fold A or B by a seeded FNV-1a hash of
// its code, fixed before the tuning it guards.
func structFold(code string) string {
	h := fnv.New32a()
	h.Write([]byte("15021:" + code))
	if h.Sum32()%2 == 0 {
		return "A"
	}
	return "B"
}

// TestStructureTestSplit prints the test figures only, never the errors:
// the parser is not tuned on them.
func TestStructureTestSplit(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the national file; the gate is the catalog_structure eval suite")
	}
	gold, got := structGold(t, "test")
	t.Log("\n" + EvaluateStructure(gold, got).String())
	logByFlag(t, gold, got)
	// The same parse against each reader's own labels, before adjudication.
	files, _ := filepath.Glob(filepath.Join("..", "..", "evals", "catalog", "gold", "*-reader-*.jsonl"))
	for _, f := range files {
		rd, err := LoadStructGold(f, "test")
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("against %s:\n%s", filepath.Base(f), EvaluateStructure(rd, got))
	}
}

// wantNames parses a component text and checks its requirement names, in
// order.
func wantNames(t *testing.T, name, text string, want []string) {
	t.Helper()
	var got []string
	for _, r := range parseText(t, text).Requirements {
		got = append(got, r.Name)
	}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("%s: got %q", name, got)
	}
}

func parseText(t *testing.T, text string) Procedure {
	t.Helper()
	line, _ := json.Marshal(map[string]string{"ma_thu_tuc": "9.000001", "ten_thu_tuc": "x", "thanh_phan_ho_so": text})
	p, err := ParseNational(line)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestParseStructure: cases from headings, one requirement per paper,
// one-of groups, the interactive form as an alternative, and a flagged
// cell. Each fails on the parser before the structure pass.
func TestParseStructure(t *testing.T) {
	t.Parallel()
	t.Run("CasesFromCellHeadings", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+
			"Đối với cơ quan bị mất con dấu: - Văn bản đề nghị đăng ký lại mẫu con dấu; - Giấy chứng nhận đăng ký mẫu con dấu được cấp trước đó.1 bản chính"+
			"Đối với cơ quan đổi tên: - Văn bản đề nghị đăng ký lại mẫu con dấu; - Quyết định đổi tên cơ quan của cơ quan có thẩm quyền.1 bản chính")
		if len(p.Cases) != 2 || len(p.Requirements) != 3 {
			t.Fatalf("cases %+v requirements %+v", p.Cases, p.Requirements)
		}
		// The request letter is in both cases: one requirement, listed by both.
		if p.Requirements[0].Case != "" || p.Requirements[0].Condition != nil || len(p.Cases[0].Requirements) != 2 || len(p.Cases[1].Requirements) != 2 {
			t.Errorf("shared paper: %+v cases %+v", p.Requirements[0], p.Cases)
		}
		if p.Requirements[1].Case != "case-1" || p.Requirements[2].Case != "case-2" || !p.Requirements[2].Optional {
			t.Errorf("case papers: %+v", p.Requirements[1:])
		}
	})
	t.Run("OneOfGroup", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"b) Một trong những giấy tờ chứng minh thời gian tham gia kháng chiến: Quyết định phục viên, xuất ngũ; giấy chuyển thương, chuyển viện; giấy tờ khác chứng minh có tham gia kháng chiến.1 bản chính")
		if len(p.Requirements) != 1 || len(p.Requirements[0].Alternatives) != 3 || len(p.Groups) != 1 || p.Groups[0].Kind != GroupOneOf || len(p.Groups[0].Options) != 4 {
			t.Fatalf("%+v groups %+v", p.Requirements, p.Groups)
		}
	})
	t.Run("CellWithSeveralPapers", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Nhóm 1 gồm các văn bản, tài liệu sau: Đơn tố cáo; Quyết định thụ lý, Quyết định thành lập Tổ xác minh; Kế hoạch xác minh tố cáo1 bản chính")
		if len(p.Requirements) != 4 {
			t.Fatalf("%+v", p.Requirements)
		}
	})
	t.Run("InteractiveFormIsAnAlternative", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp theo Mẫu số 031 bản chínhTờ khai yêu cầu cấp Phiếu lý lịch tư pháp điện tử tương tác1 bản chính")
		if len(p.Requirements) != 1 || len(p.Groups) != 1 || p.Groups[0].Kind != GroupElectronicForm {
			t.Fatalf("%+v groups %+v", p.Requirements, p.Groups)
		}
	})
	t.Run("OneOfInALaterSentence", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Giấy chứng nhận đăng ký xe ô tô hoặc giấy hẹn nhận giấy chứng nhận đăng ký xe ô tô của cơ quan có thẩm quyền (Bản sao hoặc bản sao có chứng thực hoặc bản sao điện tử từ sổ gốc). Trường hợp phương tiện không thuộc quyền sở hữu của đơn vị kinh doanh vận tải phải xuất trình thêm bản sao một trong các giấy tờ sau: Hợp đồng thuê phương tiện bằng văn bản với tổ chức, cá nhân hoặc hợp đồng dịch vụ giữa thành viên và hợp tác xã hoặc hợp đồng hợp tác kinh doanh0 bản chính,1 bản sao")
		if len(p.Requirements) != 2 {
			t.Fatalf("%+v", p.Requirements)
		}
		car, group := p.Requirements[0], p.Requirements[1]
		// The copy forms apply to the row, not to its last option.
		if len(car.Alternatives) != 1 || strings.Contains(car.Alternatives[0], "Bản sao") || car.Key != "giay-chung-nhan-dang-ky-xe-o-to" {
			t.Errorf("first paper: %+v", car)
		}
		if len(group.Alternatives) != 3 || group.Condition == nil || !strings.HasPrefix(*group.Condition, "Trường hợp phương tiện không thuộc") {
			t.Errorf("group: %+v", group)
		}
	})
	// Systematic errors seen on procedures outside the gold set (seeded
	// sample), each on an excerpt of the real text.
	t.Run("OutsideGoldFixes", func(t *testing.T) {
		for _, c := range []struct {
			name, text string
			want       []string // requirement names, in order
		}{
			{"OrInsideContents", "--" + tableHeader + "Văn bản đề nghị, trong đó ghi rõ tên, địa chỉ của cơ quan, họ tên, số định danh cá nhân hoặc số hộ chiếu của người đại diện theo pháp luật; văn bản đồng ý của lãnh đạo Bộ, ngành về việc trang bị vũ khí quân dụng.1 bản chính",
				[]string{"Văn bản đề nghị", "Văn bản đồng ý của lãnh đạo Bộ, ngành về việc trang bị vũ khí quân dụng"}},
			{"QuantityRowIsANote", "--" + tableHeader + "Số lượng hồ sơ: 01(bộ)1 bản chínhMẫu số 06/ĐN-PSĐT Đơn đề nghị cấp hóa đơn điện tử có mã của cơ quan thuế theo từng lần phát sinh1 bản chính",
				[]string{"Mẫu số 06/ĐN-PSĐT Đơn đề nghị cấp hóa đơn điện tử có mã của cơ quan thuế theo từng lần phát sinh"}},
			{"DashedPapersInOneCell", "--" + tableHeader + "- Đơn đề nghị hỗ trợ phát triển sản xuất cộng đồng theo Mẫu số 01. - Biên bản họp cộng đồng theo Mẫu số 02. - Dự án, phương án hỗ trợ phát triển sản xuất cộng đồng theo Mẫu số 03.1 bản chính",
				[]string{"Đơn đề nghị hỗ trợ phát triển sản xuất cộng đồng theo Mẫu số 01", "Biên bản họp cộng đồng theo Mẫu số 02", "Dự án, phương án hỗ trợ phát triển sản xuất cộng đồng theo Mẫu số 03"}},
			{"ContentsAreNotPapers", "--" + tableHeader + "Đối với doanh nghiệp môi giới bảo hiểm: Báo cáo về việc mở chi nhánh gồm các nội dung: tên, địa chỉ chi nhánh; nội dung hoạt động của chi nhánh; thông tin của Giám đốc chi nhánh1 bản chínhĐối với doanh nghiệp bảo hiểm: Báo cáo trách nhiệm khi chấm dứt hoạt động chi nhánh1 bản chính",
				[]string{"Báo cáo về việc mở chi nhánh", "Báo cáo trách nhiệm khi chấm dứt hoạt động chi nhánh"}},
			{"QuantityAfterName", "--" + tableHeader + "Nộp 01 bản chụp vận tải đơn;1 bản chínhHóa đơn thương mại: 01 bản chụp;0 bản chính,1 bản sao",
				[]string{"Bản chụp vận tải đơn", "Hóa đơn thương mại"}},
		} {
			wantNames(t, c.name, c.text, c.want)
		}
		p := parseText(t, "--"+tableHeader+"Bản chính hoặc biểu mẫu điện tử Đơn đề nghị phê duyệt Phương án đưa tàu lặn vào hoạt động theo mẫu1 bản chínhCông văn đề nghị của Bộ Quốc phòng hoặc đơn vị được Bộ Quốc phòng ủy quyền theo Mẫu số 03a1 bản chính")
		if len(p.Requirements) != 2 || len(p.Requirements[0].Alternatives) != 1 || p.Groups[0].Kind != GroupElectronicForm || len(p.Requirements[1].Alternatives) != 0 {
			t.Errorf("e-form offered instead of the paper one; 'đơn vị' is no paper: %+v", p.Requirements)
		}
		p = parseText(t, "Giấy tờ phải nộp để lưu giữ tại cơ quan đăng ký phương tiện:"+tableHeader+"Đơn đề nghị đăng ký lại phương tiện thủy nội địa1 bản chính"+
			"* Xuất trình hoặc gửi bản chính hoặc bản sao có chứng thực các loại giấy tờ sau đây để cơ quan đăng ký phương tiện kiểm tra:"+tableHeader+"Hợp đồng mua bán phương tiện1 bản chính,1 bản sao")
		if len(p.Cases) != 0 || len(p.Requirements) != 2 || p.Requirements[1].Kind != KindPresent {
			t.Errorf("'giấy tờ phải nộp' and 'xuất trình … để kiểm tra' are kinds, not cases: %+v %+v", p.Cases, p.Requirements)
		}
		p = parseText(t, "Theo quy định tại Điều 41 Luật Quản lý, sử dụng vũ khí, cụ thể: "+tableHeader+"Văn bản đề nghị cấp giấy phép vận chuyển1 bản chính")
		if len(p.Requirements) != 1 || p.Requirements[0].Condition != nil {
			t.Errorf("a header citing the law is not a condition: %+v", p.Requirements)
		}
	})
	// README rule 4 and its judgement call on "A hoặc B hoặc C": a list
	// of papers closed by "hoặc" is one group named by the first paper; a
	// "số" (number) the paper states is no paper, and a person after the
	// "hoặc" ends no list of papers.
	t.Run("CommaOrList", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Bản sao quyết định phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi trường, giấy phép môi trường hoặc đăng ký môi trường đã được cơ quan có thẩm quyền ban hành theo quy định của pháp luật về bảo vệ môi trường0 bản chính,1 bản sao"+
			"Danh sách cá nhân tham gia huấn luyện ghi rõ họ tên, chức vụ, số định danh cá nhân hoặc số hộ chiếu1 bản chính"+
			"Văn bản ủy quyền và giấy đề nghị đăng ký thay đổi người đại diện theo pháp luật, giấy đề nghị, thông báo thay đổi nội dung khác là chủ sở hữu mới là cá nhân hoặc người đại diện theo pháp luật của chủ sở hữu mới là tổ chức1 bản chính")
		// The last row names two papers joined by "và" (rule 2).
		if len(p.Requirements) != 4 {
			t.Fatalf("%+v", p.Requirements)
		}
		if r := p.Requirements[0]; r.Name != "Bản sao quyết định phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi trường" || strings.Join(r.Alternatives, " | ") != "Giấy phép môi trường | Đăng ký môi trường" {
			t.Errorf("list closed by hoặc: %q %q", r.Name, r.Alternatives)
		}
		if r := p.Requirements[1]; len(r.Alternatives) != 0 {
			t.Errorf("numbers the list states: %q", r.Alternatives)
		}
		if r := p.Requirements[3]; len(r.Alternatives) != 0 || p.Requirements[2].Name != "Văn bản ủy quyền" {
			t.Errorf("a person is no paper: %q %q", p.Requirements[2].Name, r.Alternatives)
		}
		// Rule 2 and 4: the copy word after the comma starts another paper,
		// whose forms the "hoặc" offers.
		p = parseText(t, "--"+tableHeader+"Sơ yếu lý lịch, bản sao thẻ căn cước công dân hoặc giấy chứng minh nhân dân hoặc hộ chiếu của người dự kiến giữ chức danh Trưởng văn phòng1 bản chính")
		if len(p.Requirements) != 2 || p.Requirements[0].Name != "Sơ yếu lý lịch" || len(p.Requirements[0].Alternatives) != 0 || len(p.Requirements[1].Alternatives) != 2 {
			t.Errorf("separate paper before the copy: %+v", p.Requirements)
		}
	})
	// Rule 2: a later sentence that asks for a further paper in a case
	// ("Trường hợp giảm vốn: Giấy xác nhận …") is a requirement of its own;
	// a sentence on what the row's paper must carry, or on a stand-in when
	// it is missing, is not.
	t.Run("LaterCasePaper", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Giấy chứng nhận của công ty thực hiện quản lý quỹ về phần vốn đã góp thêm. Trường hợp giảm vốn: Giấy xác nhận của công ty thực hiện quản lý quỹ về việc phân bổ tài sản1 bản chính"+
			"Đơn đề nghị cấp lại thẻ giám định viên. Trường hợp thẻ bị mất thì đơn đề nghị cấp lại thẻ phải có xác nhận của cơ quan, đơn vị chủ quản.1 bản chính"+
			"Hợp đồng thương mại với đối tác. Trường hợp chưa có hợp đồng thương mại thì phải có giấy tờ chứng minh nhu cầu hợp tác với đối tác.1 bản chính")
		var got []string
		for _, r := range p.Requirements {
			got = append(got, r.Name)
		}
		want := "Giấy chứng nhận của công ty thực hiện quản lý quỹ về phần vốn đã góp thêm | Giấy xác nhận của công ty thực hiện quản lý quỹ về việc phân bổ tài sản | Đơn đề nghị cấp lại thẻ giám định viên | Hợp đồng thương mại với đối tác"
		if strings.Join(got, " | ") != want {
			t.Fatalf("got %q", got)
		}
		if c := p.Requirements[1].Condition; c == nil || *c != "Trường hợp giảm vốn" {
			t.Errorf("condition %v", c)
		}
	})
	// Component rules that follow the grammar of the portal's tables (row
	// boundaries, list intros, bullets), each on a short synthetic text.
	t.Run("ComponentGrammar", func(t *testing.T) {
		for _, c := range []struct {
			name, text string
			want       []string // requirement names, in order
		}{
			// A closing legal basis goes even after a short name; a
			// dossier's citation says which papers, and stays; the copies
			// are no part of a name (rule 6).
			{"BasisTailCut", "--" + tableHeader + "Bản cáo bạch theo quy định tại Điều 19 Luật Chứng khoán1 bản chính",
				[]string{"Bản cáo bạch"}},
			{"DossierKeepsItsBasis", "--" + tableHeader + "Hồ sơ đăng ký hành nghề của Thừa phát lại theo quy định tại khoản 1 Điều 15 của Nghị định số 08/2020/NĐ-CP1 bản chính",
				[]string{"Hồ sơ đăng ký hành nghề của Thừa phát lại theo quy định tại khoản 1 Điều 15 của Nghị định số 08/2020/NĐ-CP"}},
			{"CopiesTail", "--" + tableHeader + "Văn bản tư vấn pháp luật, bao gồm 01 bản đầy đủ và 01 bản đã loại bỏ các thông tin về bí mật kinh doanh1 bản chính",
				[]string{"Văn bản tư vấn pháp luật"}},
			{"CopyFormAfterColon", "--" + tableHeader + "Giấy chứng nhận hợp chuẩn, hợp quy: bản sao có chứng thực, trường hợp bản sao không có chứng thực thì xuất trình bản chính để đối chiếu1 bản sao",
				[]string{"Giấy chứng nhận hợp chuẩn, hợp quy"}},
			{"NoLeadingFullStop", "--" + tableHeader + "Văn bản đề nghị thành lập chi nhánh1 bản chính.Tên, địa điểm của chi nhánh dự kiến1 bản chính",
				[]string{"Văn bản đề nghị thành lập chi nhánh", "Tên, địa điểm của chi nhánh dự kiến"}},
			// The resolution the template was issued with is no paper of
			// the row (lawRefOnly itself is tested in TestLawRefOnly).
			{"LawNumberIsNoPaper", "--" + tableHeader + "+ Trường hợp thay đổi địa chỉ trụ sở chính, hồ sơ kèm theo tài liệu bao gồm: Bản thuyết minh cơ sở vật chất theo Mẫu số 04 Phụ lục ban hành kèm Nghị Quyết 05/2025/NQ-CP, kèm theo giấy tờ chứng minh quyền sở hữu trụ sở quy định tại khoản 4 Điều 9 Nghị Quyết số 05/2025/NQ-CP;1 bản chính",
				[]string{"Bản thuyết minh cơ sở vật chất theo Mẫu số 04", "Giấy tờ chứng minh quyền sở hữu trụ sở quy định tại khoản 4 Điều 9 Nghị Quyết số 05/2025/NQ-CP"}},
			// "*) Tờ khai …": the portal's "*)" bullet is no part of the
			// name; a name never starts with a closing bracket.
			{"NoLeadingBracket", "--" + tableHeader + "*) Tờ khai đăng ký tàu biển theo mẫu quy định1 bản chính,1 bản sao*) Giấy chứng nhận dung tích tàu biển0 bản chính,1 bản sao",
				[]string{"Tờ khai đăng ký tàu biển theo mẫu quy định", "Giấy chứng nhận dung tích tàu biển"}},
			// A template file whose name starts with a lower-case form word
			// glued to the row's last word or full stop is the form column.
			{"LowerCaseGluedFile", "--" + tableHeader + "Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanhmẫu số 1 nđ 88.docx1 bản chính" +
				"Thông tin về cổ đông hoặc thành viên góp vốnmẫu số 2 nđ 88.docx0 bản chính,1 bản sao" +
				"Giấy đề nghị cấp lại giấy phép theo mẫu số 3.mẫu số 3 nđ 88.docx1 bản chính" +
				"Tờ trình đề nghị theo quy địnhvăn bản đề nghị (vị trí, quy mô).docx1 bản chính",
				[]string{"Đơn đề nghị cấp Giấy chứng nhận đủ điều kiện kinh doanh", "Thông tin về cổ đông hoặc thành viên góp vốn", "Giấy đề nghị cấp lại giấy phép theo mẫu số 3", "Tờ trình đề nghị theo quy định"}},
			// A bullet's own punctuation ("+..", "(i).") is no part of the
			// name; left in, it emptied the name.
			{"BulletPunctuation", "--" + tableHeader + "+.. Nghiên cứu khả thi về thị trường mục tiêu;;1 bản chính(i). Thông báo lập địa điểm kinh doanh..;1 bản chính",
				[]string{"Nghiên cứu khả thi về thị trường mục tiêu", "Thông báo lập địa điểm kinh doanh"}},
			// A template file named after the procedure's code and glued to
			// the name's last word: the word stays in the name; a file
			// name of its own ("Don_TT1.000672") goes whole.
			{"CodeNamedFile", "--" + tableHeader + "Văn bản đề nghị cấp giấy phép theo mẫu1.000312.docx1 bản chính,1 bản sao" +
				"Giấy phép kinh doanh hàng không chung1.000423.docx1 bản chính,1 bản sao" +
				"Văn bản đề nghị công bố lại bến xe theo mẫuDon_TT1.000672.docx1 bản chính",
				[]string{"Văn bản đề nghị cấp giấy phép theo mẫu", "Giấy phép kinh doanh hàng không chung", "Văn bản đề nghị công bố lại bến xe theo mẫu"}},
			// A name cannot end in "gồm": with a quantity in its column the
			// row still opens the list of the rows after it.
			{"GomRowIsAHeading", "--" + tableHeader + "a) Văn bản đề nghị chuyển nhượng dự án1 bản chính(2) Các giấy tờ của bên nhận chuyển nhượng dự án gồm1 bản chính,1 bản saob) Giấy chứng nhận đăng ký doanh nghiệp1 bản chính,1 bản sao",
				[]string{"Văn bản đề nghị chuyển nhượng dự án", "Giấy chứng nhận đăng ký doanh nghiệp"}},
			// A long bracket between the name and its form code says to
			// whom the paper applies; the name keeps its form code.
			{"BracketBeforeFormCode", "--" + tableHeader + "Tờ khai khấu trừ thuế thu nhập cá nhân (Áp dụng cho doanh nghiệp xổ số, bảo hiểm trả tiền hoa hồng cho đại lý) mẫu số 01/XSBHĐC1 bản chính",
				[]string{"Tờ khai khấu trừ thuế thu nhập cá nhân mẫu số 01/XSBHĐC"}},
			// "theo mẫu" without a code is named by its annex; the
			// citation after the annex goes.
			{"AnnexNamesTheForm", "--" + tableHeader + "Đơn đề nghị theo mẫu tại Phụ lục 1 thuộc Phụ lục IV ban hành kèm theo Thông tư số 75/2025/TT-NHNN ngày 31/12/2025;PL 1 PL IV TT75.docx1 bản chínhBáo cáo quá trình thực hiện dự án theo mẫu tại Phụ lục XIII ban hành kèm theo Nghị định số 96/2024/NĐ-CP.Phụ lục XIII.docx1 bản chính",
				[]string{"Đơn đề nghị theo mẫu tại Phụ lục 1 thuộc Phụ lục IV", "Báo cáo quá trình thực hiện dự án theo mẫu tại Phụ lục XIII"}},
			// A comma part that starts with a paper's own noun starts a
			// paper; other parts continue the one before; nouns joined
			// inside a name ("các loại giấy tờ, văn bản") and what a paper
			// adopts ("…, phương án …") stay.
			{"CommaPapers", "--" + tableHeader + "Giấy ra viện, hóa đơn thanh toán chi phí khám bệnh, chữa bệnh1 bản chính,1 bản sao" +
				"Bản dịch sang tiếng Việt của các loại giấy tờ, văn bản có tiếng nước ngoài0 bản chính,1 bản sao" +
				"Nghị quyết của Đại hội thành viên thông qua việc giải thể, phương án thanh lý tài sản;1 bản chính",
				[]string{"Giấy ra viện", "Hóa đơn thanh toán chi phí khám bệnh, chữa bệnh", "Bản dịch sang tiếng Việt của các loại giấy tờ, văn bản có tiếng nước ngoài", "Nghị quyết của Đại hội thành viên thông qua việc giải thể, phương án thanh lý tài sản"}},
			{"CommaPapersBeforeQuantity", "--" + tableHeader + "Giấy phép tạm nhập, văn bản thông báo kết quả kiểm tra chuyên ngành: 01 bản chính.  Trường hợp pháp luật chuyên ngành quy định nộp bản chụp thì người khai hải quan được nộp bản chụp1 bản chính",
				[]string{"Giấy phép tạm nhập", "Văn bản thông báo kết quả kiểm tra chuyên ngành"}},
			// "trong một số trường hợp …" is the paper's condition, and the
			// same paper again as "Bản sao …" in a later row counts once.
			{"CopyOfTheSamePaper", "--" + tableHeader + "Giấy tờ chứng minh tài sản thuộc diện miễn lệ phí trước bạ trong một số trường hợp quy định tại Thông tư số 80/2021/TT-BTC.1 bản chính++ Bản sao Giấy tờ chứng minh tài sản thuộc diện miễn lệ phí trước bạ (nếu có)0 bản chính,1 bản sao",
				[]string{"Giấy tờ chứng minh tài sản thuộc diện miễn lệ phí trước bạ"}},
			// "… thì hồ sơ đăng ký là X": the paper is X, here the one the
			// first row already asks for.
			{"DossierIsThePaper", "--" + tableHeader + "Phiếu yêu cầu theo Mẫu số 02b1 bản chínhTrường hợp đăng ký thay đổi để bổ sung tài sản bảo đảm thì hồ sơ đăng ký là Phiếu yêu cầu theo Mẫu số 02b1 bản chính",
				[]string{"Phiếu yêu cầu theo Mẫu số 02b"}},
			// "Các …" before a paper's noun is a paper's name too: the
			// ";" list splits.
			{"PluralPaperInList", "--" + tableHeader + "Các phụ lục, bản vẽ và tài liệu nguyên thủy có liên quan; tài liệu luận giải chỉ tiêu tính trữ lượng1 bản chính",
				[]string{"Các phụ lục, bản vẽ và tài liệu nguyên thủy có liên quan", "Tài liệu luận giải chỉ tiêu tính trữ lượng"}},
			// ", kèm" attaches a paper as "kèm theo" does; "bản sao kèm
			// bản chính" is a copy form.
			{"CommaKem", "--" + tableHeader + "Kê khai danh sách giảng viên, kèm bản kê khai về trình độ chuyên môn, kinh nghiệm thực tế1 bản chính,1 bản sao",
				[]string{"Kê khai danh sách giảng viên", "Bản kê khai về trình độ chuyên môn, kinh nghiệm thực tế"}},
			// After "gồm:", a later sentence that names a paper is an item
			// of the list.
			{"PaperSentenceInList", "--" + tableHeader + "Các giấy tờ về đất gồm: Quyết định giao đất, cho thuê đất thực hiện dự án của cơ quan nhà nước có thẩm quyền. Biên bản bàn giao đất thực hiện dự án trên thực địa.1 bản chính,1 bản sao",
				[]string{"Quyết định giao đất, cho thuê đất thực hiện dự án của cơ quan nhà nước có thẩm quyền", "Biên bản bàn giao đất thực hiện dự án trên thực địa"}},
			// Two short names joined by "và" share the "của …" that follows
			// the second; "Báo cáo và cam kết …" shares none.
			{"SharedQualifier", "--" + tableHeader + "Biên bản họp và nghị quyết của Đại hội nhà đầu tư về việc tăng, giảm vốn;1 bản chínhBáo cáo và cam kết không bị xử phạt vi phạm hành chính1 bản chính",
				[]string{"Biên bản họp của Đại hội nhà đầu tư về việc tăng, giảm vốn", "Nghị quyết của Đại hội nhà đầu tư về việc tăng, giảm vốn", "Báo cáo và cam kết không bị xử phạt vi phạm hành chính"}},
			// A template file glued to the name's last word: by its capital
			// ("genBao cao …", before a dot inside the file name) or by the
			// paper's own first words ("quy địnhvăn bản đề nghị.docx").
			{"GluedTemplateFile", "--" + tableHeader + "Báo cáo tình hình thực hiện tiếp cận nguồn genBao cao tinh hinh TCNG.docx1 bản chính" +
				"Đơn đề nghị gia hạn Giấy phép tiếp cận nguồn genĐơn Dăng ký gia han.TCNG.docx1 bản chính" +
				"Văn bản đề nghị chấp thuận cơ sở kinh doanh đào tạo theo quy địnhvăn bản đề nghị.docx1 bản chính",
				[]string{"Báo cáo tình hình thực hiện tiếp cận nguồn gen", "Đơn đề nghị gia hạn Giấy phép tiếp cận nguồn gen", "Văn bản đề nghị chấp thuận cơ sở kinh doanh đào tạo theo quy định"}},
			// A glued acronym file ("MẫuTPHS 1.002847 (PA).docx"), and the
			// copy word before a name that starts with "Bản".
			{"GluedAcronymFileAndCopyLead", "--" + tableHeader + "Phương án khai thác tuyến vận tải hành khách cố định theo MẫuTPHS 1.002847 (PA).docx1 bản chính" +
				"Bản chính Bản đồ khu vực biển còn lại sau khi trả lại một phần khu vực biển1 bản chính",
				[]string{"Phương án khai thác tuyến vận tải hành khách cố định theo Mẫu", "Bản đồ khu vực biển còn lại sau khi trả lại một phần khu vực biển"}},
			// "(bản chính)" inside a name says the copy form, not the paper.
			{"CopyFormBracket", "--" + tableHeader + "Văn bản đề nghị (bản chính) chấp thuận cơ sở kinh doanh đào tạo1 bản chính",
				[]string{"Văn bản đề nghị chấp thuận cơ sở kinh doanh đào tạo"}},
			// "theo quy định của pháp luật về X, về Y" closing a name is its
			// legal basis; "… pháp luật về việc …" says what it is about.
			{"LawTail", "--" + tableHeader + "Văn bản của cơ quan nhà nước có thẩm quyền về việc lựa chọn nhà đầu tư theo quy định của pháp luật về đầu tư, pháp luật về đấu giá1 bản chính" +
				"Bản sao Giấy tờ hợp pháp theo quy định của pháp luật về việc chuyển giao tài sản giữa các bên0 bản chính,1 bản sao",
				[]string{"Văn bản của cơ quan nhà nước có thẩm quyền về việc lựa chọn nhà đầu tư", "Bản sao Giấy tờ hợp pháp theo quy định của pháp luật về việc chuyển giao tài sản giữa các bên"}},
			// A comma part "bản sao <paper>" is another paper; "bản sao có
			// chứng thực" alone is the copy form of the one before.
			{"CommaCopyOfAnotherPaper", "--" + tableHeader + "Bản sao giấy khai sinh của trẻ em, bản sao sổ hộ khẩu của gia đình0 bản chính,1 bản sao" +
				"Giấy chứng nhận đăng ký kinh doanh của hộ, bản sao có chứng thực0 bản chính,1 bản sao",
				[]string{"Bản sao giấy khai sinh của trẻ em", "Bản sao sổ hộ khẩu của gia đình", "Giấy chứng nhận đăng ký kinh doanh của hộ, bản sao có chứng thực"}},
			// The phrase that opens a paper's contents ends the name also
			// when the colon is glued to it ("… trong đó nêu rõ: (i) …").
			{"ContentsPhraseBeforeColon", "--" + tableHeader + "Báo cáo tình hình hoạt động của quỹ trong đó nêu rõ: (i) Đánh giá kết quả kinh doanh; (ii) Dự kiến doanh thu năm tới;1 bản chính" +
				"Văn bản đề nghị của doanh nghiệp, trong đó nêu rõ: lý do đề nghị1 bản chính",
				[]string{"Báo cáo tình hình hoạt động của quỹ", "Văn bản đề nghị của doanh nghiệp"}},
			// Copy forms, then the bare word "giấy tờ" and a colon: the
			// comma parts after it are papers, in lower case too.
			{"CopyFormsThenCommaPapers", "--" + tableHeader + "Bản sao và xuất trình bản chính để đối chiếu hoặc bản sao điện tử có giá trị pháp lý giấy tờ: Quyết định giao đất của cơ quan có thẩm quyền, giấy tờ nghiệm thu công trình xây dựng1 bản chính,1 bản sao",
				[]string{"Quyết định giao đất của cơ quan có thẩm quyền", "Giấy tờ nghiệm thu công trình xây dựng"}},
			// "A và B" splits when B starts with a paper's own noun
			// (hợp đồng, giấy, văn bản, danh sách …); "và kế hoạch …" may be
			// what a report holds and stays.
			{"AndAnotherPaper", "--" + tableHeader + "Bản sao có chứng thực văn bằng chuyên môn của người lao động và hợp đồng lao động của người lao động1 bản chính" +
				"Báo cáo kết quả thăm dò khoáng sản và kế hoạch thăm dò tiếp theo1 bản chính",
				[]string{"Văn bằng chuyên môn của người lao động", "Hợp đồng lao động của người lao động", "Báo cáo kết quả thăm dò khoáng sản và kế hoạch thăm dò tiếp theo"}},
			// "đối với đối tượng/trường hợp quy định tại …" says to whom
			// the paper applies by a citation: not part of its name (rule 6).
			{"ForWhomByCitation", "--" + tableHeader + "Chứng minh thư do Bộ Ngoại giao cấp đối với đối tượng quy định tại điểm a khoản 1 Điều 5 Nghị định số 134/2016/NĐ-CP0 bản chính,1 bản sao" +
				"Giấy xác nhận của Ủy ban nhân dân cấp xã đối với trường hợp quy định tại khoản 2 Điều 10 Thông tư này1 bản chính",
				[]string{"Chứng minh thư do Bộ Ngoại giao cấp", "Giấy xác nhận của Ủy ban nhân dân cấp xã"}},
			// "và" before the last item of a ";" list joins it: the item is
			// the paper after it.
			{"AndBeforeLastListItem", "--" + tableHeader + "Báo cáo về những thay đổi của tổ chức; và các tài liệu liên quan đến nội dung đề nghị sửa đổi1 bản chính",
				[]string{"Báo cáo về những thay đổi của tổ chức", "Các tài liệu liên quan đến nội dung đề nghị sửa đổi"}},
			// "Kết luận …" names a paper in a list like "Biên bản …".
			{"ConclusionIsAPaper", "--" + tableHeader + "Nhóm 1 gồm các văn bản, tài liệu sau: Đơn khiếu nại; Biên bản xác minh nội dung khiếu nại; Kết luận nội dung khiếu nại1 bản chính",
				[]string{"Đơn khiếu nại", "Biên bản xác minh nội dung khiếu nại", "Kết luận nội dung khiếu nại"}},
			// "kèm theo giải trình …": the explanation sent with a paper is
			// a paper of its own, as other attached papers are.
			{"AttachedExplanation", "--" + tableHeader + "Báo cáo tài chính năm trước kèm theo giải trình phân tích số lỗ do thiên tai1 bản chính",
				[]string{"Báo cáo tài chính năm trước", "Giải trình phân tích số lỗ do thiên tai"}},
			// In a case sentence, "phải có A, kèm theo B" asks for both A and
			// B; "kèm theo hồ sơ phải có B" only for B.
			{"ProseMustThenAttached", "--" + tableHeader + "Trường hợp người đề nghị là người nước ngoài thì phải có văn bản bảo lãnh của cơ quan nơi người đó làm việc, kèm theo đơn của người đó cam kết cư trú tại Việt Nam.1 bản chính",
				[]string{"Văn bản bảo lãnh của cơ quan nơi người đó làm việc", "Đơn của người đó cam kết cư trú tại Việt Nam"}},
			// "A và xuất trình B": B is a paper of its own, shown (its kind is
			// checked in PresentTailIsShown); "và xuất trình bản chính để đối
			// chiếu" is how A is given.
			{"AndShowAnotherPaper", "--" + tableHeader + "Giấy ủy quyền hợp pháp và xuất trình thẻ căn cước của người được ủy quyền1 bản chính" +
				"Bản sao giấy chứng nhận đăng ký kinh doanh và xuất trình bản chính để đối chiếu0 bản chính,1 bản sao",
				[]string{"Giấy ủy quyền hợp pháp", "Thẻ căn cước của người được ủy quyền", "Bản sao giấy chứng nhận đăng ký kinh doanh và xuất trình bản chính để đối chiếu"}},
			// A row that names no paper and ends in ":" opens the rows after
			// it even with a quantity in its column; a paper's row ending in
			// ":" stays.
			{"ColonRowIsAHeading", "--" + tableHeader + "- Đăng ký thay đổi thông tin trong hồ sơ đăng ký:1 bản chính- Giấy đề nghị đăng ký thay đổi nội dung đăng ký1 bản chính",
				[]string{"Giấy đề nghị đăng ký thay đổi nội dung đăng ký"}},
			// "không quy định" in the name column: the procedure asks for
			// no paper; the row is not kept as one.
			{"NothingRequired", "Thành phần hồ sơ" + tableHeader + "\tkhông quy định0 bản chính", nil},
		} {
			wantNames(t, c.name, c.text, c.want)
		}
	})
	t.Run("PresentTailIsShown", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Giấy ủy quyền hợp pháp và xuất trình thẻ căn cước của người được ủy quyền1 bản chính")
		if len(p.Requirements) != 2 || p.Requirements[0].Kind != KindSubmit || p.Requirements[1].Kind != KindPresent {
			t.Errorf("'và xuất trình B': B is shown: %+v", p.Requirements)
		}
	})
	t.Run("SharedQualifierKeepsOptions", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Biên bản họp và nghị quyết của Hội đồng thành viên hoặc quyết định của chủ sở hữu về việc tăng vốn1 bản chính")
		if len(p.Requirements) != 1 || len(p.Requirements[0].Alternatives) == 0 {
			t.Errorf("a qualifier with its own options is not shared: %+v", p.Requirements)
		}
	})
	t.Run("UnsplittableCellIsFlagged", func(t *testing.T) {
		p := parseText(t, "--"+tableHeader+"Văn bản đề nghị của doanh nghiệp; Báo cáo tình hình hoạt động; nội dung khác theo yêu cầu của cơ quan quản lý1 bản chính")
		if len(p.Uncertain) != 1 {
			t.Fatalf("uncertain %v requirements %+v", p.Uncertain, p.Requirements)
		}
	})
}

// TestAlternativeScoring: the alternative-group score follows the gold
// README's rule 4 — a heading group is judged by its members, an "A hoặc B"
// label kept as one name accepts the group {A, B} but not a split of two
// forms of one paper.
func TestAlternativeScoring(t *testing.T) {
	t.Parallel()
	one := func(g StructGoldPaper, r Requirement) StructReport {
		gold := []StructGold{{Code: "9.1", Split: "dev", Cases: []StructGoldCase{{Requirements: []StructGoldPaper{g}}}}}
		r.Key = "k"
		return EvaluateStructure(gold, map[string]Procedure{"9.1": {Code: "9.1", Requirements: []Requirement{r}}})
	}
	cases := []struct {
		name string
		g    StructGoldPaper
		r    Requirement
		want int
	}{
		{"OrLabelReadAsGroup",
			StructGoldPaper{Name: "Hộ chiếu hoặc giấy tờ có giá trị đi lại quốc tế"},
			Requirement{Name: "Hộ chiếu", Alternatives: []string{"Giấy tờ có giá trị đi lại quốc tế"}}, 1},
		{"CopyFormsAreOnePaper",
			StructGoldPaper{Name: "Bản sao hoặc bản chính biên bản họp Đại hội thành viên"},
			Requirement{Name: "Bản sao", Alternatives: []string{"Bản chính biên bản họp Đại hội thành viên"}}, 0},
		{"HeadingGroupByMembers",
			StructGoldPaper{Name: "Văn bản thông báo hoặc văn bản đề nghị của cơ quan có thẩm quyền", Alternatives: []string{"Thông báo theo mẫu NA-01", "Văn bản đề nghị theo mẫu NA-02"}},
			Requirement{Name: "Văn bản thông báo hoặc văn bản đề nghị của cơ quan có thẩm quyền, cụ thể", Alternatives: []string{"Thông báo của cơ quan theo mẫu NA-01", "Văn bản đề nghị của bộ theo mẫu NA-02"}}, 1},
		{"MembersMustMatch",
			StructGoldPaper{Name: "Một trong các giấy tờ sau", Alternatives: []string{"Hợp đồng thuê phương tiện", "Hợp đồng hợp tác kinh doanh"}},
			Requirement{Name: "Một trong các giấy tờ sau", Alternatives: []string{"Hợp đồng thuê phương tiện"}}, 0},
	}
	for _, c := range cases {
		if got := one(c.g, c.r).AltCorrect; got != c.want {
			t.Errorf("%s: correct %d, want %d", c.name, got, c.want)
		}
	}
}

// TestNameOnlyPairs: a missing paper and a spurious one that differ only
// in how much of the name they give are counted as a name error (the strict
// figures stay as they are); a merge that holds two gold papers is not.
func TestNameOnlyPairs(t *testing.T) {
	t.Parallel()
	run := func(gold []string, parsed []string) StructReport {
		var g []StructGoldPaper
		for _, n := range gold {
			g = append(g, StructGoldPaper{Name: n})
		}
		var rs []Requirement
		for i, n := range parsed {
			rs = append(rs, Requirement{Key: fmt.Sprint("k", i), Name: n, Kind: KindSubmit})
		}
		return EvaluateStructure([]StructGold{{Code: "9.1", Split: "dev", Cases: []StructGoldCase{{Requirements: g}}}},
			map[string]Procedure{"9.1": {Code: "9.1", Requirements: rs}})
	}
	// The parsed name keeps a long bracket the label left out.
	r := run([]string{"Bản sao thẻ Căn cước của người uỷ quyền"},
		[]string{"Bản sao thẻ Căn cước của người uỷ quyền (trường hợp chưa có tài khoản định danh điện tử, người nộp hồ sơ phải nộp kèm theo hồ sơ giấy)"})
	if r.Matched != 0 || r.NameOnly != 1 || r.Precision != 0 || r.NamesTolerantRecall != 1 {
		t.Errorf("long name: matched %d name-only %d P %.2f tolerant R %.2f, want 0 1 0 1", r.Matched, r.NameOnly, r.Precision, r.NamesTolerantRecall)
	}
	// A cell of three papers read as one: it matches none of them by
	// Dice and holds the others, so it is a merge, not a name error.
	r = run([]string{"Đơn rút vốn theo mẫu", "Các sao kê theo mẫu", "Các chứng từ cần thiết theo quy định của nhà tài trợ"},
		[]string{"Đơn rút vốn theo mẫu, các sao kê theo mẫu và các chứng từ cần thiết theo quy định của nhà tài trợ"})
	if r.NameOnly != 0 {
		t.Errorf("merge counted as %d name errors: %v", r.NameOnly, r.NameOnlyPairs)
	}
	if missing := r.Gold - r.Matched; r.MissingMerged != missing || r.MissingLost != 0 || r.MissingInNote != 0 {
		t.Errorf("merge: %d missing, merged %d (in a note %d), lost %d", missing, r.MissingMerged, r.MissingInNote, r.MissingLost)
	}
	// The parser's doubt: a flagged spurious row, and the missing paper it
	// holds, count as flagged errors.
	gold := []StructGold{{Code: "9.1", Split: "dev", Cases: []StructGoldCase{{Requirements: []StructGoldPaper{{Name: "Đơn rút vốn theo mẫu"}, {Name: "Các sao kê theo mẫu số 02"}}}}}}
	r = EvaluateStructure(gold, map[string]Procedure{"9.1": {Code: "9.1", Requirements: []Requirement{
		{Key: "a", Name: "Đơn rút vốn theo mẫu", Kind: KindSubmit, Uncertain: "x"},
		{Key: "b", Name: "Bảng kê chứng từ thanh toán của dự án đầu tư công kèm theo các sao kê theo mẫu số 02 và hóa đơn giá trị gia tăng", Kind: KindSubmit, Uncertain: "x"}}}})
	if r.MatchedFlagged != 1 || r.SpuriousFlagged != 1 || r.MissingFlagged != 1 {
		t.Errorf("flagged: matched %d spurious %d missing %d, want 1 1 1", r.MatchedFlagged, r.SpuriousFlagged, r.MissingFlagged)
	}
	// Unrelated papers stay missing and spurious.
	r = run([]string{"Giấy phép lái xe hạng B2"}, []string{"Sổ hộ khẩu gia đình có xác nhận"})
	if r.NameOnly != 0 || r.NamesTolerantRecall != 0 {
		t.Errorf("unrelated papers paired: %v", r.NameOnlyPairs)
	}
	if r.MissingLost != 1 || r.SpuriousExtra != 1 || r.MissingMerged != 0 || r.SpuriousPart != 0 {
		t.Errorf("unrelated: lost %d extra %d merged %d part %d, want 1 1 0 0", r.MissingLost, r.SpuriousExtra, r.MissingMerged, r.SpuriousPart)
	}
	// A paper's name left in another row's note.
	r = EvaluateStructure([]StructGold{{Code: "9.1", Split: "dev", Cases: []StructGoldCase{{Requirements: []StructGoldPaper{{Name: "Văn bản thông báo chấm dứt chương trình"}, {Name: "Bản dịch sang tiếng Việt có đóng dấu giáp lai"}}}}}},
		map[string]Procedure{"9.1": {Code: "9.1", Requirements: []Requirement{{Key: "a", Name: "Văn bản thông báo chấm dứt chương trình", Kind: KindSubmit,
			Note: "Trường hợp bằng tiếng nước ngoài thì gửi kèm bản dịch sang tiếng Việt có đóng dấu giáp lai"}}}})
	if r.MissingMerged != 1 || r.MissingInNote != 1 {
		t.Errorf("in a note: merged %d in a note %d, want 1 1", r.MissingMerged, r.MissingInNote)
	}
}

// TestInteractiveFormOfRealProcedures: the interactive e-forms ("Mẫu hộ tịch
// điện tử tương tác …") of đăng ký khai tử and kết hôn, on the portal's real
// text, are alternatives of the paper declaration, not papers of their own
// that every paper dossier would lack. The e-form's name differs from the
// declaration's ("Mẫu hộ tịch" / "Tờ khai …, có đủ thông tin của hai bên")
// and carries a long bracket on how it is filled in.
func TestInteractiveFormOfRealProcedures(t *testing.T) {
	t.Parallel()
	ps := map[string]Procedure{}
	for _, p := range parseFile(t, "../../data/procedures/procedures.jsonl") {
		ps[p.Code] = p
	}
	for code, form := range map[string]string{"1.000656": "to-khai-dang-ky-khai-tu-theo-mau", "1.000894": "to-khai-dang-ky-ket-hon-theo-mau-co-du-thong-tin"} {
		p, ok := ps[code]
		if !ok {
			t.Fatalf("%s not in the subset", code)
		}
		var paper *Requirement
		for i, r := range p.Requirements {
			if electronicForm(r.Name) {
				t.Errorf("%s: interactive form kept as a requirement: %s", code, r.Key)
			}
			if r.Key == form {
				paper = &p.Requirements[i]
			}
		}
		if paper == nil || len(paper.Alternatives) != 1 || !electronicForm(paper.Alternatives[0]) {
			t.Fatalf("%s: declaration %+v", code, paper)
		}
		found := false
		for _, g := range p.Groups {
			found = found || g.Requirement == form && g.Kind == GroupElectronicForm
		}
		if !found {
			t.Errorf("%s: no electronic-form group for %s: %+v", code, form, p.Groups)
		}
	}
}

// TestStandInPapersOfRealProcedure: the portal's birth-registration row
// (2.000986) says which papers stand in for the birth certificate — the
// witness's statement when the child was born outside a health facility,
// the declarant's own sworn statement when there is no witness, and the
// record of an abandoned child. Each is an alternative of the certificate,
// so a dossier holding one of them does not lack the certificate.
func TestStandInPapersOfRealProcedure(t *testing.T) {
	t.Parallel()
	var cert *Requirement
	for _, p := range parseFile(t, "../../data/procedures/procedures.jsonl") {
		if p.Code != "2.000986" {
			continue
		}
		for i, r := range p.Requirements {
			if strings.HasPrefix(r.Name, "Giấy chứng sinh") {
				cert = &p.Requirements[i]
			}
		}
	}
	if cert == nil {
		t.Fatal("2.000986: no birth-certificate requirement")
	}
	for _, want := range []string{"Văn bản xác nhận của người làm chứng", "Giấy cam đoan về việc sinh là có thực", "Biên bản về việc trẻ em bị bỏ rơi"} {
		found := false
		for _, a := range cert.Alternatives {
			found = found || strings.HasPrefix(a, want)
		}
		if !found {
			t.Errorf("alternative %q missing: %q", want, cert.Alternatives)
		}
	}
	if !strings.Contains(cert.Note, "ngoài cơ sở y tế") {
		t.Errorf("the stand-in's condition left the note: %q", cert.Note)
	}
}

// TestStructureShowDev prints, for the dev procedures named in
// HOSO_GOLD_CODE (comma-separated; "dev3" or "dev2" for a whole batch), the
// raw component text, the gold structure and the parsed one, to read the
// parser's errors side by side. It refuses test procedures: the parser is
// never tuned on them.
func TestStructureShowDev(t *testing.T) {
	want, ok := os.LookupEnv("HOSO_GOLD_CODE")
	if !ok || testing.Short() {
		t.Skip("set HOSO_GOLD_CODE=code[,code…] (dev procedures only)")
	}
	all, split := goldLabels(t)
	codes := map[string]bool{}
	for _, c := range strings.Split(want, ",") {
		c = strings.TrimSpace(c)
		batch := false
		if heldOutBatches[c] {
			t.Fatalf("%s is held out: figures only", c)
		}
		for _, g := range all {
			if heldOutBatches[g.Batch] && g.Code == c {
				t.Fatalf("%s is in a held-out batch: figures only", c)
			}
			if g.Split == "dev" && (g.Batch == c || (c == "dev1" && g.Batch == "")) {
				codes[g.Code], batch = true, true
			}
		}
		if batch {
			continue
		}
		if split[c] == "test" {
			t.Fatalf("%s is a test procedure: not shown", c)
		}
		codes[c] = true
	}
	got, err := ParseNationalFile(nationalFile(t), codes)
	if err != nil {
		t.Fatal(err)
	}
	raw := map[string]string{}
	f, err := os.Open(nationalFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	for dec.More() {
		var r struct {
			Code string `json:"ma_thu_tuc"`
			Text string `json:"thanh_phan_ho_so"`
		}
		if dec.Decode(&r) != nil {
			break
		}
		if codes[r.Code] {
			raw[r.Code] = r.Text
		}
	}
	var b strings.Builder
	for _, g := range all {
		if !codes[g.Code] {
			continue
		}
		fmt.Fprintf(&b, "\n======== %s %s\n--- raw:\n%s\n--- gold:\n", g.Code, g.Name, raw[g.Code])
		for _, c := range g.Cases {
			fmt.Fprintf(&b, " [%s]\n", c.Case)
			for _, r := range c.Requirements {
				fmt.Fprintf(&b, "   - %s", r.Name)
				if r.Kind == KindPresent {
					b.WriteString(" (present)")
				}
				for _, a := range r.Alternatives {
					fmt.Fprintf(&b, "\n       | %s", a)
				}
				b.WriteString("\n")
			}
		}
		b.WriteString("--- parsed:\n")
		writeParsed(&b, got[g.Code])
	}
	t.Log(b.String())
}

// writeParsed prints a parsed procedure's cases, requirements (condition,
// kind, alternatives) and uncertain cells, one per line, for the dev tools.
func writeParsed(b *strings.Builder, p Procedure) {
	for _, c := range p.Cases {
		fmt.Fprintf(b, " case %s [%s] %v\n", c.Key, c.Name, c.Requirements)
	}
	for _, r := range p.Requirements {
		fmt.Fprintf(b, "   - %s {%s}", r.Name, r.Case)
		if r.Condition != nil {
			fmt.Fprintf(b, " (if %s)", *r.Condition)
		}
		if r.Kind == KindPresent {
			b.WriteString(" (present)")
		}
		for _, a := range r.Alternatives {
			fmt.Fprintf(b, "\n       | %s", a)
		}
		b.WriteString("\n")
	}
	for _, u := range p.Uncertain {
		fmt.Fprintf(b, "   ? %s\n", u)
	}
}

// TestStructureShowSample prints, for a seeded random draw of procedures
// OUTSIDE the gold set (HOSO_SAMPLE_SEED, HOSO_SAMPLE_N, default 20), the
// raw component text and the parsed structure, to check a parser rule on
// procedures nobody has labelled. Every code in labels.jsonl (dev and test)
// is removed before the draw, so no test procedure can be shown. Population:
// component texts of 1–6,000 runes, as for the gold set.
func TestStructureShowSample(t *testing.T) {
	seedS, ok := os.LookupEnv("HOSO_SAMPLE_SEED")
	if !ok || testing.Short() {
		t.Skip("set HOSO_SAMPLE_SEED=n [HOSO_SAMPLE_N=20]")
	}
	seed, err := strconv.ParseUint(seedS, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	n := 20
	if s := os.Getenv("HOSO_SAMPLE_N"); s != "" {
		if n, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	_, gold := goldLabels(t) // every labelled code, dev and test
	f, err := os.Open(nationalFile(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type rawProc struct {
		Code string `json:"ma_thu_tuc"`
		Name string `json:"ten_thu_tuc"`
		Text string `json:"thanh_phan_ho_so"`
	}
	var pop []rawProc
	dec := json.NewDecoder(f)
	for dec.More() {
		var r rawProc
		if dec.Decode(&r) != nil {
			break
		}
		if k := utf8.RuneCountInString(r.Text); gold[r.Code] != "" || k < 1 || k > 6000 || isEmptyComponents(r.Text) {
			continue
		}
		pop = append(pop, r)
	}
	sort.Slice(pop, func(i, j int) bool { return pop[i].Code < pop[j].Code })
	rng := rand.New(rand.NewPCG(seed, seed))
	rng.Shuffle(len(pop), func(i, j int) { pop[i], pop[j] = pop[j], pop[i] })
	if n > len(pop) {
		n = len(pop)
	}
	var b strings.Builder
	for _, r := range pop[:n] {
		line, _ := json.Marshal(map[string]string{"ma_thu_tuc": r.Code, "ten_thu_tuc": r.Name, "thanh_phan_ho_so": r.Text})
		p, err := ParseNational(line)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "\n======== %s %s\n--- raw:\n%s\n--- parsed:\n", r.Code, r.Name, r.Text)
		writeParsed(&b, p)
	}
	t.Log(b.String())
}

// TestStructureDumpNonGold writes, to the file named by HOSO_DUMP, one line
// per parsed requirement of every procedure OUTSIDE the gold set (dev and
// test codes removed), so that two parser versions can be diffed over the
// whole corpus and the procedures a rule changes read one by one.
func TestStructureDumpNonGold(t *testing.T) {
	out, ok := os.LookupEnv("HOSO_DUMP")
	if !ok || testing.Short() {
		t.Skip("set HOSO_DUMP=file")
	}
	_, gold := goldLabels(t) // every labelled code, dev and test
	// A batch drawn but not labelled yet is held out too: its parse is not
	// printed while its annotator works, nor read before its first figure.
	drawn, err := filepath.Glob(filepath.Join("..", "..", "evals", "catalog", "gold", "sample-dev*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range drawn {
		s, err := LoadStructGold(f, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range s {
			gold[g.Code] = "drawn"
		}
	}
	got, err := ParseNationalFile(nationalFile(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	codes := make([]string, 0, len(got))
	for c := range got {
		if gold[c] == "" {
			codes = append(codes, c)
		}
	}
	sort.Strings(codes)
	var b strings.Builder
	for _, c := range codes {
		p := got[c]
		for _, r := range p.Requirements {
			fmt.Fprintf(&b, "%s\t%s\t{%s}", c, r.Name, r.Case)
			if r.Kind == KindPresent {
				b.WriteString(" (present)")
			}
			for _, a := range r.Alternatives {
				fmt.Fprintf(&b, " | %s", a)
			}
			if r.Condition != nil {
				fmt.Fprintf(&b, " (if %s)", *r.Condition)
			}
			b.WriteString("\n")
		}
		for _, u := range p.Uncertain {
			fmt.Fprintf(&b, "%s\t? %s\n", c, u)
		}
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLabelledProcedureAgreesWithItself: a reader scored against their own
// labels agrees fully, so any disagreement ReaderAgreement reports comes
// from the labels, not from the conversion.
func TestLabelledProcedureAgreesWithItself(t *testing.T) {
	all, _ := goldLabels(t)
	rep := ReaderAgreement(all, all)
	if rep.Precision != 1 || rep.Recall != 1 || rep.CaseAccuracy != 1 || rep.CaseCountAccuracy != 1 || rep.KindAccuracy != 1 {
		t.Fatalf("self-agreement is not 1:\n%s\nmissing %v\nspurious %v\nwrong case %v", rep, rep.Missing, rep.Spurious, rep.WrongCase)
	}
	if rep.AltGold > 0 && rep.AltAccuracy != 1 {
		t.Fatalf("self-agreement of groups %.3f: %v", rep.AltAccuracy, rep.WrongAlt)
	}
}

// TestReaderAgreement prints how far each reader's own labels of the test
// half (first-reader-test.jsonl, second-reader-test.jsonl) agree with
// labels.jsonl, which holds the adjudicated reading once the two readers'
// disagreements have been settled: figures only, as for the test split.
func TestReaderAgreement(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "evals", "catalog", "gold", "*-reader-*.jsonl"))
	if len(files) == 0 {
		t.Skip("no second reader's labels")
	}
	first, _ := goldLabels(t)
	for _, f := range files {
		second, err := LoadStructGold(f, "")
		if err != nil {
			t.Fatal(err)
		}
		rep := ReaderAgreement(first, second)
		t.Logf("%s against labels.jsonl:\n%s", filepath.Base(f), rep)
		// HOSO_AGREEMENT_LIST=1 lists the disagreements, for the adjudicator
		// (who reads both readers' labels and the source text, never the
		// parser's output). Whoever tunes the parser does not read them.
		if os.Getenv("HOSO_AGREEMENT_LIST") != "" {
			for _, s := range [][]string{rep.Missing, rep.Spurious, rep.WrongCase, rep.WrongAlt, rep.InNote} {
				for _, m := range s {
					t.Log(m)
				}
				t.Log("--")
			}
		}
	}
}
