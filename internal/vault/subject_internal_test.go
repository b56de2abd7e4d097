package vault

import (
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// The subject rules: an ID number decides when both sides have one; a
// differing name or date of birth is another person (twins share a date of
// birth, never a name); a date of birth alone, or nothing, is unclear.
func TestSameSubjectRules(t *testing.T) {
	t.Parallel()
	an := Subject{Role: RoleChild, Name: "TRẦN MINH AN", BirthDate: "2026-11-02"}
	for _, tc := range []struct {
		name      string
		want, rec Subject
		ok        bool
		why       string
	}{
		{"SameChild", an, Subject{Role: RoleChild, Name: "Trần Minh An", BirthDate: "2026-11-02"}, true, ""},
		{"SameNameNoDateOnRecord", an, Subject{Role: RoleChild, Name: "Tran Minh An"}, true, ""},
		{"Twin", an, Subject{Role: RoleChild, Name: "Trần Minh Anh", BirthDate: "2026-11-02"}, false, "another child"},
		{"SiblingSameNameOtherBirth", an, Subject{Role: RoleChild, Name: "Trần Minh An", BirthDate: "2024-01-05"}, false, "another child"},
		{"DateOnly", Subject{Role: RoleChild, BirthDate: "2026-11-02"}, Subject{Role: RoleChild, BirthDate: "2026-11-02"}, false, "cannot tell"},
		{"DossierSaysNothing", Subject{}, Subject{Role: RoleChild, Name: "Trần Minh An"}, false, "does not establish"},
		{"RecordSaysNothing", an, Subject{Role: RoleChild}, false, "does not say whom"},
		{"HolderByID", Subject{Role: RoleHolder, IDNumber: "001195012345"}, Subject{Role: RoleHolder, IDNumber: "001195012345", Name: "X Y"}, true, ""},
		{"OtherHolder", Subject{Role: RoleHolder, IDNumber: "001195012345"}, Subject{Role: RoleHolder, IDNumber: "001195099999"}, false, "another holder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, why := sameSubject(tc.want, tc.rec, "Giấy chứng sinh")
			if ok != tc.ok || !strings.Contains(why, tc.why) {
				t.Fatalf("ok=%v why=%q, want ok=%v with %q", ok, why, tc.ok, tc.why)
			}
		})
	}
}

// The spouse of a marriage certificate is the spouse who is not the owner;
// the child of a tờ khai comes from the form, not from a paper about
// someone else.
func TestSubjectsFromFields(t *testing.T) {
	t.Parallel()
	marriage := []dossier.Field{
		{Name: "full_name", Value: "LÊ VĂN NAM", Subject: "husband"}, {Name: "id_number", Normalized: "001090011111", Subject: "husband"},
		{Name: "full_name", Value: "ĐỖ THỊ HOA", Subject: "wife"}, {Name: "id_number", Normalized: "001192022222", Subject: "wife"},
	}
	if s := subjectFromFields(RoleSpouse, marriage, "001090011111"); s.Name != "ĐỖ THỊ HOA" || s.IDNumber != "001192022222" {
		t.Fatalf("spouse of the husband: %+v", s)
	}
	if s := subjectFromFields(RoleSpouse, marriage, ""); s.Known() {
		t.Fatalf("spouse with no owner is unclear: %+v", s)
	}
	form := [][]dossier.Field{{{Name: "full_name", Value: "TRẦN BẢO NGỌC", Subject: "child"}, {Name: "date_of_birth", Normalized: "2026-11-20", Subject: "child"}}}
	other := [][]dossier.Field{{{Name: "full_name", Value: "Trần Minh An", Subject: "child"}}}
	got := DossierSubjects("001195012345", form, other)
	if got[RoleChild].Name != "TRẦN BẢO NGỌC" || got[RoleChild].BirthDate != "2026-11-20" || got[RoleHolder].IDNumber != "001195012345" {
		t.Fatalf("subjects %+v", got)
	}
}
