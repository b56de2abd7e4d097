package dossiergen

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/vnid"
)

func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func TestGenerateIsReproducibleAndCoversFaults(t *testing.T) {
	t.Parallel()
	a, err := Generate(Options{Seed: 1, N: 500, Root: root()})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(Options{Seed: 1, N: 500, Root: root()})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different dossiers")
	}
	procs, faults := map[string]int{}, map[string]int{}
	for _, d := range a {
		procs[d.Procedure]++
		for _, f := range d.Faults {
			faults[f]++
		}
		if len(d.Files) == 0 || len(d.Expect) == 0 {
			t.Fatalf("%s: no files or no expectations", d.ID)
		}
		for _, f := range d.Files {
			for _, p := range f.Pages {
				if strings.Contains(p, "Thiếu mẫu") {
					t.Fatalf("%s/%s: template missing", d.ID, f.Name)
				}
			}
		}
	}
	if len(procs) < 8 {
		t.Errorf("%d procedures, want ≥ 8", len(procs))
	}
	for _, f := range []string{FaultOmission, FaultExpiredID, FaultMismatchedName, FaultWrongDocument, FaultAlternative, FaultScan} {
		if faults[f] == 0 {
			t.Errorf("no dossier with fault %s", f)
		}
	}
	t.Logf("procedures %v faults %v", procs, faults)
	if testing.Verbose() {
		for _, f := range a[0].Files {
			t.Logf("%s (%s → %s):\n%s", f.Name, f.DocType, f.Requirement, strings.Join(f.Pages, "\n---page---\n"))
		}
		t.Logf("expect %v", a[0].Expect)
	}
}

// TestExpectScenario: labels come from the recipe — what the generator put
// in and what its case needs — with no catalog in sight.
func TestExpectScenario(t *testing.T) {
	t.Parallel()
	rc := recipe{code: "x", known: map[string]string{"e-form": NotApplicable}, components: []component{
		{req: "form", doc: "f", need: "required"},
		{req: "id", doc: "cccd", need: "present"},
		{req: "proxy", doc: "p", need: "case", caseKey: "case-2", with: []string{"proxy-id"}},
		{req: "land", doc: "gcn", need: "required", group: "land-group"},
	}}
	tests := []struct {
		name string
		d    Dossier
		want map[string]string
	}{
		{"Complete", Dossier{Files: []File{{Requirement: "form"}, {Requirement: "land"}}},
			map[string]string{"form": Present, "id": NotApplicable, "proxy": NotApplicable, "proxy-id": NotApplicable, "land": Present, "land-group": Present, "e-form": NotApplicable}},
		{"Omission", Dossier{Files: []File{{Requirement: "other"}}},
			map[string]string{"form": Missing, "id": NotApplicable, "proxy": NotApplicable, "proxy-id": NotApplicable, "land-group": Missing, "e-form": NotApplicable}},
		{"DeclaredCaseNeedsItsOtherPapers", Dossier{Cases: []string{"proxy"}, Files: []File{{Requirement: "form"}, {Requirement: "land"}, {Requirement: "proxy"}}},
			map[string]string{"form": Present, "id": NotApplicable, "proxy": Present, "proxy-id": Missing, "land": Present, "land-group": Present, "e-form": NotApplicable}},
		{"DeclaredCaseOmitted", Dossier{Cases: []string{"case-2"}, Files: []File{{Requirement: "form"}, {Requirement: "land"}}},
			map[string]string{"form": Present, "id": NotApplicable, "proxy": Missing, "proxy-id": Missing, "land": Present, "land-group": Present, "e-form": NotApplicable}},
		{"ShownDocumentUploaded", Dossier{Files: []File{{Requirement: "form"}, {Requirement: "id"}, {Requirement: "land"}}},
			map[string]string{"form": Present, "id": Present, "proxy": NotApplicable, "proxy-id": NotApplicable, "land": Present, "land-group": Present, "e-form": NotApplicable}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExpectScenario(rc, tc.d); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestHardScenarios: every hard scenario is generated, with its labels and
// the text that makes it hard (the form's stated case, or none; a title-only
// or empty "birth certificate").
func TestHardScenarios(t *testing.T) {
	t.Parallel()
	ds, err := Hard(Options{Seed: 1, Root: root()}, 2)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	byID := map[string]Dossier{}
	for _, d := range ds {
		byID[d.ID] = d
		if d.Hard == HardPrerequisite {
			continue
		}
		seen[d.Hard]++
		if d.HardExpect == nil || len(d.Files) == 0 || d.Procedure == "" {
			t.Fatalf("%s: incomplete %+v", d.ID, d)
		}
		text := ""
		for _, f := range d.Files {
			text += strings.Join(f.Pages, "\n")
		}
		switch d.Hard {
		case HardPermitInferred:
			if !strings.Contains(text, "Loại công trình: Nhà ở riêng lẻ") || len(d.Cases) > 0 {
				t.Errorf("%s: the form must state the case and nothing be declared", d.ID)
			}
		case HardPermitUndetermined:
			if strings.Contains(strings.ToLower(text), "nhà ở riêng lẻ") || len(d.Cases) > 0 || !slices.Contains(d.HardExpect.Raise, "case_undetermined") {
				t.Errorf("%s: nothing may tell the case, and case_undetermined is expected", d.ID)
			}
		case HardPermitDeclared:
			if !slices.Equal(d.Cases, []string{"case-7"}) || d.HardExpect.Status[permitDesign][0] != Missing {
				t.Errorf("%s: case 1.7 declared, drawings missing", d.ID)
			}
		case HardReuseOtherChild, HardReuseSameChild:
			first, ok := byID[d.After]
			if !ok || first.Applicant != d.Applicant {
				t.Fatalf("%s: the first child's dossier must come before, from the same mother", d.ID)
			}
			same := childName(first) == childName(d)
			if same != (d.Hard == HardReuseSameChild) {
				t.Errorf("%s: same child = %v", d.ID, same)
			}
		case HardForgedTitleOnly, HardEmptyDocument:
			if slices.Contains(d.HardExpect.Status[birthCert], Present) {
				t.Errorf("%s: a forged or empty birth certificate must not be present", d.ID)
			}
		}
	}
	for _, sc := range HardScenarios {
		if seen[sc] != 2 {
			t.Errorf("scenario %s: %d dossiers, want 2", sc, seen[sc])
		}
	}
}

func TestRenderPDFAndScan(t *testing.T) {
	if _, err := os.Stat(FontPath); err != nil {
		t.Skip("fonts-dejavu-core not installed")
	}
	t.Parallel()
	var r Renderer
	b, err := r.PDF([]string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGiấy chứng sinh — Nguyễn Thị Hương", "trang 2"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatal("not a PDF")
	}
	if testing.Short() {
		return
	}
	png, err := r.Scan(context.Background(), []string{"Họ và tên: Trần Văn Bình"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if string(png[1:4]) != "PNG" {
		t.Fatal("not a PNG")
	}
}

// TestApplicantsAreValidIDs: submission refuses an applicant that is no
// personal ID or tax code (#15.7), so every generated one must be valid.
func TestApplicantsAreValidIDs(t *testing.T) {
	t.Parallel()
	ds, err := Generate(Options{Seed: 7, N: 300, Root: root()})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if _, ok := vnid.Applicant(d.Applicant, time.Now()); !ok {
			t.Errorf("%s: applicant %q is not a valid personal ID or tax code", d.ID, d.Applicant)
		}
	}
}

// childName reads the child's name from a birth-registration form.
func childName(d Dossier) string {
	for _, l := range strings.Split(strings.Join(d.Files[0].Pages, "\n"), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.Contains(strings.ToLower(k), "họ, chữ đệm, tên") && !strings.Contains(strings.ToLower(k), "người") {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// TestPermitLabelsFollowTheForm: the building-permit form asks for a "nhà
// ở riêng lẻ", so the label is case 1.7 with its design drawings missing —
// not what the parser or the check would say (the old labels, computed from
// the catalog, called such dossiers complete).
func TestPermitLabelsFollowTheForm(t *testing.T) {
	t.Parallel()
	ds, err := Generate(Options{Seed: 1, N: 90, Root: root()})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range ds {
		if d.Procedure != "1.013225" {
			continue
		}
		n++
		if slices.Contains(d.Cases, "case-7") && d.Expect[permitDesign] != Missing {
			t.Errorf("%s: case 1.7 declared, drawings labelled %q", d.ID, d.Expect[permitDesign])
		}
		if _, ok := d.Expect["don-de-nghi-cap-giay-phep-xay-dung-theo-mau-so-1"]; ok {
			t.Errorf("%s: labelled with case (1.1)'s form", d.ID)
		}
	}
	if n == 0 {
		t.Fatal("no 1.013225 dossier")
	}
}
