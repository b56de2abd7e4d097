package fields_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/fields"
)

// Every field's span must point at its value in that page's text.
func TestSpansPointAtValues(t *testing.T) {
	t.Parallel()
	for _, ex := range labelled(t) {
		for _, f := range fields.Extract(ex.DocType, ex.Pages) {
			if f.Page < 1 || f.Page > len(ex.Pages) {
				t.Fatalf("%s: page %d of %d", ex.ID, f.Page, len(ex.Pages))
			}
			p := ex.Pages[f.Page-1]
			if f.Start < 0 || f.End > len(p) || f.Start >= f.End {
				t.Fatalf("%s: span %d-%d", ex.ID, f.Start, f.End)
			}
			if got := p[f.Start:f.End]; collapse(got) != f.Value {
				t.Fatalf("%s: span text %q, value %q", ex.ID, got, f.Value)
			}
		}
	}
}

func collapse(s string) string {
	out, space := []rune{}, false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' {
			space = true
			continue
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
		}
		space = false
		out = append(out, r)
	}
	return string(out)
}

func TestExtract(t *testing.T) {
	t.Parallel()
	type want struct{ name, subject, norm string }
	cases := []struct {
		name    string
		docType string
		page    string
		want    []want
	}{
		{"DottedFillIn", "to_khai_khai_sinh",
			"TỜ KHAI ĐĂNG KÝ KHAI SINH\nHọ, chữ đệm, tên người yêu cầu:..........NGUYỄN VĂN AN.......\nĐề nghị cơ quan đăng ký khai sinh cho người dưới đây:\nHọ, chữ đệm, tên:.....Nguyễn Minh Khôi.....\nNgày, tháng, năm sinh: ngày 05 tháng 01 năm 2026 ghi bằng chữ: …\nHọ, chữ đệm, tên người mẹ: Lê Thị Hoa\nNăm sinh: (5)......1995......Dân tộc: Kinh\n",
			[]want{{"full_name", "applicant", "Nguyễn Văn An"}, {"full_name", "child", "Nguyễn Minh Khôi"}, {"date_of_birth", "child", "2026-01-05"}, {"full_name", "mother", "Lê Thị Hoa"}, {"year_of_birth", "mother", "1995"}}},
		{"CardValueOnNextLine", "cccd",
			"CĂN CƯỚC CÔNG DÂN\nSố / No.: 001090012345\nHọ và tên / Full name:\nNGUYỄN VĂN AN\nNgày sinh / Date of birth: 10/05/1990\nCó giá trị đến: 10/05/2030\n",
			[]want{{"id_number", "holder", "001090012345"}, {"full_name", "holder", "Nguyễn Văn An"}, {"date_of_birth", "holder", "1990-05-10"}, {"expiry_date", "holder", "2030-05-10"}}},
		{"AccentlessOCRLabels", "ct01_to_khai_cu_tru",
			"T0 KHAI THAY D0I TH0NG TIN CU TRU\n1. Ho, chu đệrn va ten: Trần Thị Mai\n2. Ngay, thang, nam slnh: 01/02/2000\n4. So dinh danh ca nhan: 001300012345\n",
			[]want{{"full_name", "applicant", "Trần Thị Mai"}, {"date_of_birth", "applicant", "2000-02-01"}, {"id_number", "applicant", "001300012345"}}},
		{"AuthorisationSections", "giay_uy_quyen",
			"GIẤY ỦY QUYỀN\nI. Người ủy quyền:\nHọ và tên: Phạm Văn Bình, sinh ngày 01/01/1970\nII. Người được ủy quyền:\nHọ và tên: Phạm Thị Cúc\n",
			[]want{{"full_name", "authoriser", "Phạm Văn Bình"}, {"date_of_birth", "authoriser", "1970-01-01"}, {"full_name", "authorised", "Phạm Thị Cúc"}}},
		{"ImpossibleDateRejected", "cccd", "Ngày sinh / Date of birth: 31/02/1990\n", nil},
		{"UnknownType", "other", "Họ và tên: Nguyễn Văn An\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := fields.Extract(c.docType, []string{c.page})
			if len(got) != len(c.want) {
				t.Fatalf("got %d fields %+v, want %d", len(got), got, len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Name != w.name || g.Subject != w.subject || g.Normalized != w.norm {
					t.Errorf("field %d = %s/%s/%q, want %s/%s/%q", i, g.Name, g.Subject, g.Normalized, w.name, w.subject, w.norm)
				}
			}
		})
	}
}

func TestParseID(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		id    string
		valid bool
		year  int
		male  bool
	}{
		{"Male1990Hanoi", "001090012345", true, 1990, true},
		{"Female2003HCM", "079303012345", true, 2003, false},
		{"BadProvince", "003090012345", false, 1990, true},
		{"TooShort", "00109001234", false, 0, false},
		{"Letters", "00109001234A", false, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			i := fields.ParseID(c.id)
			if i.Valid() != c.valid || i.BirthYear != c.year || (c.year > 0 && i.Male != c.male) {
				t.Errorf("ParseID(%s) = %+v", c.id, i)
			}
		})
	}
	male := true
	if p := fields.CheckIDAgainst("001090012345", 1991, &male); len(p) != 1 {
		t.Errorf("year mismatch not reported: %v", p)
	}
	female := false
	if p := fields.CheckIDAgainst("001090012345", 1990, &female); len(p) != 1 {
		t.Errorf("sex mismatch not reported: %v", p)
	}
}

// BenchmarkExtract measures field extraction per document of a supported type.
func BenchmarkExtract(b *testing.B) {
	var ex []fields.Example
	for _, e := range labelled(b) {
		if len(fields.Extract(e.DocType, e.Pages)) > 0 {
			ex = append(ex, e)
		}
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		e := ex[i%len(ex)]
		fields.Extract(e.DocType, e.Pages)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s/core")
	// On a shared machine wall time overstates the cost; CPU time per
	// document is the figure to plan capacity with.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/doc")
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
