package consistency_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/consistency"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/fields"
)

var submitted = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// docs extracts fields from real-looking texts, as the pipeline does.
func doc(id, file, typ, text string) consistency.Doc {
	return consistency.Doc{ID: id, Filename: file, DocType: typ, Fields: fields.Extract(typ, strings.Split(text, "\f"))}
}

const toKhai = `TỜ KHAI ĐĂNG KÝ KHAI SINH
Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Hoà
Giấy tờ tùy thân: Căn cước công dân số 001195012345
Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:
Họ, chữ đệm, tên: Trần Minh An
Ngày, tháng, năm sinh: 10/01/2026
Họ, chữ đệm, tên người mẹ: Nguyễn Thị Hoà
Năm sinh: 1995
Họ, chữ đệm, tên người cha: Trần Văn Bình
Năm sinh: 1993
`

func card(name, id, dob, expiry string) string {
	return "CĂN CƯỚC CÔNG DÂN\nSố / No.: " + id + "\nHọ và tên / Full name:\n" + name + "\nNgày sinh / Date of birth: " + dob + "\nCó giá trị đến: " + expiry + "\f" +
		"Ngày, tháng, năm / Date, month, year: 15/06/2021\n"
}

func byKey(fs []dossier.Finding) map[string]dossier.Finding {
	m := map[string]dossier.Finding{}
	for _, f := range fs {
		m[f.Key] = f
	}
	return m
}

func TestCheck(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		docs   []consistency.Doc
		key    string
		status string
		want   []string // substrings of the evidence
	}{
		{"AgreeingNameIDAndBirth", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai),
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOÀ", "001195012345", "03/04/1995", "03/04/2035")),
		}, "consistency/name/id:001195012345", dossier.FindingPresent, []string{"thống nhất", "Nguyễn Thị Hoà", "NGUYỄN THỊ HOÀ"}},
		{"NameDiffers", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai),
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HẠNH", "001195012345", "03/04/1995", "03/04/2035")),
		}, "consistency/name/id:001195012345", dossier.FindingInvalid, []string{"không khớp", "Nguyễn Thị Hoà", "NGUYỄN THỊ HẠNH", "to-khai.pdf", "cccd.jpg"}},
		{"AccentsDiffer", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai),
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOA", "001195012345", "03/04/1995", "03/04/2035")),
		}, "consistency/name/id:001195012345", dossier.FindingPresent, []string{"khác dấu", "Nguyễn Thị Hoà", "NGUYỄN THỊ HOA"}},
		{"ToneMarkPlacementIsTheSameName", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai),
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HÒA", "001195012345", "03/04/1995", "03/04/2035")),
		}, "consistency/name/id:001195012345", dossier.FindingPresent, []string{"thống nhất", "Nguyễn Thị Hoà", "NGUYỄN THỊ HÒA"}},
		{"IDNumberDiffers", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai),
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOÀ", "001195099999", "03/04/1995", "03/04/2035")),
		}, "consistency/id_number/id:001195012345", dossier.FindingInvalid, []string{"001195012345", "001195099999"}},
		{"BirthYearDiffers", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai),
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOÀ", "001195012345", "03/04/1996", "03/04/2036")),
		}, "consistency/date_of_birth/id:001195012345", dossier.FindingInvalid, []string{"1995", "03/04/1996"}},
		{"ExpiredCard", []consistency.Doc{
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOÀ", "001195012345", "03/04/1995", "03/04/2020")),
		}, "validity/expiry/d2", dossier.FindingInvalid, []string{"hết hạn ngày 03/04/2020", "02/03/2026"}},
		{"ValidCard", []consistency.Doc{
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOÀ", "001195012345", "03/04/1995", "03/04/2035")),
		}, "validity/expiry/d2", dossier.FindingPresent, []string{"còn giá trị đến ngày 03/04/2035"}},
		{"PrintedExpiryAgainstAgeRule", []consistency.Doc{
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOÀ", "001195012345", "03/04/1995", "03/04/2040")),
		}, "validity/expiry_rule/d2", dossier.FindingInvalid, []string{"03/04/2035"}},
		{"DateInTheFuture", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", strings.Replace(toKhai, "10/01/2026", "10/05/2026", 1)),
		}, "validity/future_date_of_birth/d1/child", dossier.FindingInvalid, []string{"10/05/2026", "sau ngày nộp"}},
		{"ParentYoungerThanChild", []consistency.Doc{
			doc("d1", "to-khai.pdf", "to_khai_khai_sinh", strings.Replace(toKhai, "Năm sinh: 1993", "Năm sinh: 2019", 1)),
		}, "validity/parent_age/d1/father", dossier.FindingInvalid, []string{"2019", "2026"}},
		{"IDNumberAgainstBirthYear", []consistency.Doc{
			doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HOÀ", "001195012345", "03/04/1997", "03/04/2037")),
		}, "validity/id_number/d2/holder", dossier.FindingInvalid, []string{"năm sinh 1995", "năm sinh 1997"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := byKey(consistency.Check(c.docs, submitted))
			f, ok := got[c.key]
			if !ok {
				keys := []string{}
				for k := range got {
					keys = append(keys, k)
				}
				t.Fatalf("no finding %s; got %v", c.key, keys)
			}
			if f.Status != c.status {
				t.Errorf("status %s, want %s: %s", f.Status, c.status, f.Evidence)
			}
			for _, w := range c.want {
				if !strings.Contains(f.Evidence, w) {
					t.Errorf("evidence %q lacks %q", f.Evidence, w)
				}
			}
		})
	}
}

// Re-running the check, in any document order, yields the same keys: the
// check stage can upsert findings idempotently.
func TestStableKeys(t *testing.T) {
	t.Parallel()
	a := doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai)
	b := doc("d2", "cccd.jpg", "cccd", card("NGUYỄN THỊ HẠNH", "001195012345", "03/04/1995", "03/04/2020"))
	x := consistency.Check([]consistency.Doc{a, b}, submitted)
	y := consistency.Check([]consistency.Doc{b, a}, submitted)
	if len(x) != len(y) || len(x) == 0 {
		t.Fatalf("%d and %d findings", len(x), len(y))
	}
	seen := map[string]bool{}
	for i := range x {
		if x[i].Key != y[i].Key || x[i].Status != y[i].Status {
			t.Errorf("finding %d: %s/%s vs %s/%s", i, x[i].Key, x[i].Status, y[i].Key, y[i].Status)
		}
		if seen[x[i].Key] {
			t.Errorf("duplicate key %s", x[i].Key)
		}
		seen[x[i].Key] = true
		if x[i].Kind != consistency.KindConsistency && x[i].Kind != consistency.KindValidity {
			t.Errorf("kind %s", x[i].Kind)
		}
	}
}

// Father and child with the same name in one document are two people.
func TestSameDocumentPeopleStayApart(t *testing.T) {
	t.Parallel()
	text := strings.NewReplacer("Trần Minh An", "Trần Văn Bình").Replace(toKhai)
	fs := consistency.Check([]consistency.Doc{doc("d1", "to-khai.pdf", "to_khai_khai_sinh", text)}, submitted)
	for _, f := range fs {
		if strings.HasPrefix(f.Key, "consistency/") {
			t.Errorf("unexpected cross-document finding %s: %s", f.Key, f.Evidence)
		}
	}
}

func TestCardExpiry(t *testing.T) {
	t.Parallel()
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	cases := []struct{ dob, issue, want string }{
		{"1995-04-03", "2021-06-15", "2035-04-03"},
		{"1995-04-03", "2018-06-15", "2035-04-03"}, // within 2 years of 25
		{"1995-04-03", "2012-06-15", "2020-04-03"},
		{"1960-01-01", "2019-01-01", "0001-01-01"}, // issued at 59: no expiry
	}
	for _, c := range cases {
		if got := consistency.CardExpiry(d(c.dob), d(c.issue)).Format("2006-01-02"); got != c.want {
			t.Errorf("CardExpiry(%s, %s) = %s, want %s", c.dob, c.issue, got, c.want)
		}
	}
}

func TestMisspeltMiddleNameSameBirthDate(t *testing.T) {
	t.Parallel()
	f := func(name, value, norm string) dossier.Field {
		return dossier.Field{Name: name, Value: value, Normalized: norm, Page: 1, Subject: "applicant"}
	}
	docs := []consistency.Doc{
		{ID: "d1", Filename: "to-khai.pdf", DocType: "to_khai_khai_sinh", Fields: []dossier.Field{
			f("full_name", "Nguyễn Thị Lan", "Nguyễn Thị Lan"), f("date_of_birth", "12/03/1995", "1995-03-12")}},
		{ID: "d2", Filename: "giay-uy-quyen.pdf", DocType: "giay_uy_quyen", Fields: []dossier.Field{
			f("full_name", "Nguyễn Ngọc Lan", "Nguyễn Ngọc Lan"), f("date_of_birth", "12/03/1995", "1995-03-12")}},
		// A sister: same family and given name pattern, another birth date.
		{ID: "d3", Filename: "cccd-chi.pdf", DocType: "cccd", Fields: []dossier.Field{
			f("full_name", "Nguyễn Thu Lan", "Nguyễn Thu Lan"), f("date_of_birth", "01/01/1990", "1990-01-01")}},
	}
	var names int
	for _, fd := range consistency.Check(docs, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)) {
		if fd.Status == dossier.FindingInvalid && strings.Contains(fd.Evidence, "Lan") {
			names++
			if strings.Contains(fd.Evidence, "Thu Lan") {
				t.Errorf("a sister with another birth date was merged: %s", fd.Evidence)
			}
		}
	}
	if names == 0 {
		t.Error("the misspelt middle name was not reported")
	}
}

// TestSameRoleMisspeltMiddleName: the permit's holder and the applicant
// for its re-issue are one role held once; a middle name that differs is
// reported even though the permit carries no ID number or birth date. Two
// mothers with different years of birth stay two people.
func TestSameRoleMisspeltMiddleName(t *testing.T) {
	t.Parallel()
	f := func(subject, name, value string) dossier.Field {
		return dossier.Field{Name: name, Value: value, Normalized: value, Page: 1, Subject: subject}
	}
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	permit := []consistency.Doc{
		{ID: "d1", Filename: "don-cap-lai.pdf", DocType: "don_de_nghi_cap_gpxd", Fields: []dossier.Field{
			f("owner", "full_name", "Nguyễn Xuân Sơn"), f("owner", "id_number", "040200679384")}},
		{ID: "d2", Filename: "giay-phep.pdf", DocType: "giay_phep_xay_dung", Fields: []dossier.Field{
			f("owner", "full_name", "Nguyễn Quang Sơn")}},
	}
	found := false
	for _, fd := range consistency.Check(permit, at) {
		if strings.HasPrefix(fd.Key, "consistency/name/") && fd.Status == dossier.FindingInvalid {
			found = true
		}
	}
	if !found {
		t.Error("the permit holder's differing middle name was not reported")
	}
	mothers := []consistency.Doc{
		{ID: "d1", Filename: "a.pdf", DocType: "giay_chung_sinh", Fields: []dossier.Field{
			f("mother", "full_name", "Lê Thị Hoa"), f("mother", "year_of_birth", "1990")}},
		{ID: "d2", Filename: "b.pdf", DocType: "giay_chung_sinh", Fields: []dossier.Field{
			f("mother", "full_name", "Lê Ngọc Hoa"), f("mother", "year_of_birth", "1994")}},
	}
	for _, fd := range consistency.Check(mothers, at) {
		if strings.HasPrefix(fd.Key, "consistency/name/") {
			t.Errorf("two mothers with different years were merged: %s", fd.Evidence)
		}
	}
}

// TestParentOnAnUntypedForm: a form hoso has no label table for (the
// health-insurance declaration TK1-TS) still names a parent by role
// ("Họ tên cha/mẹ/giám hộ"); a name one syllable apart from the mother's
// on the declaration is reported, one that is the father's is not, and the
// form's bare "Họ và tên" (whose person it does not say) is not read.
func TestParentOnAnUntypedForm(t *testing.T) {
	t.Parallel()
	bhyt := func(parent string) consistency.Doc {
		text := "TỜ KHAI THAM GIA, ĐIỀU CHỈNH THÔNG TIN BẢO HIỂM XÃ HỘI, BẢO HIỂM Y TẾ\n" +
			"[01]. Họ và tên (viết chữ in hoa):  Trần Văn Minh\t[02]. Giới tính:  Nam\n" +
			"[10]. Họ tên cha/mẹ/giám hộ (đối với trẻ em dưới 6 tuổi):  " + parent + "\n"
		return consistency.Doc{ID: "d2", Filename: "to-khai-bhyt.pdf", DocType: "other", Fields: fields.ExtractPeople([]string{text})}
	}
	declaration := doc("d1", "to-khai.pdf", "to_khai_khai_sinh", toKhai)
	if got := invalidNames([]consistency.Doc{declaration, bhyt("Nguyễn Ngọc Hoà")}); len(got) != 1 || !strings.Contains(got[0], "Nguyễn Ngọc Hoà") {
		t.Errorf("the mother's name misspelt on the insurance form: got %q, want one finding naming it", got)
	}
	for _, parent := range []string{"Trần Văn Bình", "Nguyễn Thị Hoà"} {
		if got := invalidNames([]consistency.Doc{declaration, bhyt(parent)}); len(got) != 0 {
			t.Errorf("parent %q written as on the declaration: got %q", parent, got)
		}
	}
	for _, f := range bhyt("Trần Văn Bình").Fields {
		if f.Subject != "parent" {
			t.Errorf("the form's bare name was read: %+v", f)
		}
	}
}

// TestPrincipalOfAPowerOfAttorney: the person who signs a power of
// attorney in the dossier is the one who files it, so a principal's name
// one syllable apart from the application's is one person written two
// ways; the same name, or another person's, is no finding.
func TestPrincipalOfAPowerOfAttorney(t *testing.T) {
	t.Parallel()
	hkd := doc("d1", "giay-de-nghi.pdf", "giay_de_nghi_dang_ky_ho_kinh_doanh",
		"GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH\nTôi là (ghi họ tên bằng chữ in hoa): NGÔ THANH GIANG\nNgày, tháng, năm sinh: 07/02/2000   Giới tính: Nữ\nSố định danh cá nhân: 040300396190\n")
	power := func(principal string) consistency.Doc {
		return doc("d2", "giay-uy-quyen.pdf", "giay_uy_quyen",
			"GIẤY ỦY QUYỀN\nI. Người ủy quyền:\nHọ và tên:  "+principal+" , sinh ngày ....... /...... /.............\nII. Người được ủy quyền:\nHọ và tên:  Phạm Thanh Hà , sinh ngày ......... /........ /.........\n")
	}
	if got := invalidNames([]consistency.Doc{hkd, power("Ngô Kim Giang")}); len(got) != 1 || !strings.Contains(got[0], "Ngô Kim Giang") {
		t.Errorf("the principal's name misspelt: got %q, want one finding naming it", got)
	}
	for _, principal := range []string{"Ngô Thanh Giang", "Lê Văn Hùng", "Ngô Thanh Hà"} {
		if got := invalidNames([]consistency.Doc{hkd, power(principal)}); len(got) != 0 {
			t.Errorf("principal %q: got %q, want no finding", principal, got)
		}
	}
}

// invalidNames is the evidence of the name mismatches Check finds in ds.
func invalidNames(ds []consistency.Doc) []string {
	var out []string
	for _, f := range consistency.Check(ds, submitted) {
		if strings.HasPrefix(f.Key, "consistency/name/") && f.Status == dossier.FindingInvalid {
			out = append(out, f.Evidence)
		}
	}
	return out
}

// TestFilerOnAnUntypedCivilStatusForm: the death-registration and marriage
// forms have no label table, but their filer and spouses are read by role
// with the ID number under the name (fields.ExtractPeople), so a middle
// name misspelt on the form is caught against the identity card that
// carries the same number, and the same name is no finding.
func TestFilerOnAnUntypedCivilStatusForm(t *testing.T) {
	t.Parallel()
	untyped := func(file, text string) consistency.Doc {
		return consistency.Doc{ID: "d1", Filename: file, DocType: "other", Fields: fields.ExtractPeople([]string{text})}
	}
	khaiTu := func(filer string) consistency.Doc {
		// As the PDF's text layer reads the real template: the values it
		// indents with tabs stand on a line of their own.
		return untyped("to-khai-khai-tu.pdf", "TỜ KHAI ĐĂNG KÝ KHAI TỬ\nHọ, chữ đệm, tên người yêu cầu: "+filer+"\nNgày, tháng, năm sinh:\n\n07/06/1991\n\n"+
			"Giấy tờ tùy thân: (3)\n\nThẻ căn cước số 040091689718\n\nQuan hệ với người đã chết: Con\nĐề nghị cơ quan đăng ký khai tử cho người có tên dưới đây:\n"+
			"Họ, chữ đệm, tên:\n\nPhạm Công Bình\n\nNgày, tháng, năm sinh:\n\n19/10/1940\n\nGiấy tờ tùy thân: (3) Thẻ căn cước số 040040028730\n")
	}
	ketHon := func(husband string) consistency.Doc {
		return untyped("to-khai-dang-ky-ket-hon.pdf", "TỜ KHAI ĐĂNG KÝ KẾT HÔN\nHọ, chữ đệm, tên bên nữ: Phan Mai Hương\nNgày, tháng, năm sinh: 03/05/1999\n"+
			"Giấy tờ tùy thân: Thẻ căn cước số 092199753692\nHọ, chữ đệm, tên bên nam: "+husband+"\nNgày, tháng, năm sinh: 21/09/1972\n"+
			"Giấy tờ tùy thân: Thẻ căn cước số 092072861156\n")
	}
	filerCard := doc("d2", "the-can-cuoc.pdf", "cccd", card("NGÔ MINH TUẤN", "040091689718", "07/06/1991", "07/06/2031"))
	husbandCard := doc("d2", "the-can-cuoc.pdf", "cccd", card("LÝ ĐỨC DŨNG", "092072861156", "21/09/1972", "21/09/2032"))
	for _, c := range []struct {
		name string
		ds   []consistency.Doc
		want string // the misspelt name the finding shows; "" for none
	}{
		{"DeathFilerMisspelt", []consistency.Doc{khaiTu("Ngô Văn Tuấn"), filerCard}, "Ngô Văn Tuấn"},
		{"DeathFilerAgrees", []consistency.Doc{khaiTu("Ngô Minh Tuấn"), filerCard}, ""},
		{"HusbandMisspelt", []consistency.Doc{ketHon("Lý Xuân Dũng"), husbandCard}, "Lý Xuân Dũng"},
		{"HusbandAgrees", []consistency.Doc{ketHon("Lý Đức Dũng"), husbandCard}, ""},
	} {
		got := invalidNames(c.ds)
		switch {
		case c.want == "" && len(got) != 0:
			t.Errorf("%s: got %q, want no finding", c.name, got)
		case c.want != "" && (len(got) != 1 || !strings.Contains(got[0], c.want)):
			t.Errorf("%s: got %q, want one finding naming %q", c.name, got, c.want)
		}
	}
}
