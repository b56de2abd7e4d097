package dossiergen

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
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

func TestExpect(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	p := &catalog.Procedure{Requirements: []catalog.Requirement{
		{Key: "form", Kind: catalog.KindSubmit},
		{Key: "id", Kind: catalog.KindPresent},
		{Key: "proxy", Kind: catalog.KindSubmit, Optional: true, Condition: s("ủy quyền")},
		{Key: "abandoned", Kind: catalog.KindSubmit, Optional: true, Condition: s("bỏ rơi")},
		{Key: "group-a", Kind: catalog.KindSubmit, Optional: true, Condition: s("(1.1)")},
		{Key: "group-b", Kind: catalog.KindSubmit, Optional: true, Condition: s("(1.1)")},
	}}
	tests := []struct {
		name string
		d    Dossier
		want map[string]string
	}{
		{"Complete", Dossier{Files: []File{{Requirement: "form"}}},
			map[string]string{"form": Present, "id": NotApplicable, "proxy": NotApplicable, "abandoned": NotApplicable, "group-a": NotApplicable, "group-b": NotApplicable}},
		{"Omission", Dossier{Files: []File{{Requirement: "other"}}},
			map[string]string{"form": Missing, "id": NotApplicable, "proxy": NotApplicable, "abandoned": NotApplicable, "group-a": NotApplicable, "group-b": NotApplicable}},
		{"DeclaredCaseMissing", Dossier{Cases: []string{"proxy"}, Files: []File{{Requirement: "form"}}},
			map[string]string{"form": Present, "id": NotApplicable, "proxy": Missing, "abandoned": NotApplicable, "group-a": NotApplicable, "group-b": NotApplicable}},
		{"ShownDocumentUploaded", Dossier{Files: []File{{Requirement: "form"}, {Requirement: "id"}}},
			map[string]string{"form": Present, "id": Present, "proxy": NotApplicable, "abandoned": NotApplicable, "group-a": NotApplicable, "group-b": NotApplicable}},
		{"CaseActivatedByGroup", Dossier{Files: []File{{Requirement: "form"}, {Requirement: "group-a"}}},
			map[string]string{"form": Present, "id": NotApplicable, "proxy": NotApplicable, "abandoned": NotApplicable, "group-a": Present, "group-b": NeedsReview}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Expect(p, tc.d); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
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
