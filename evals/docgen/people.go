package docgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Synthetic Vietnamese personal data. Every name, number and address here is
// generated; none belongs to a real person. ID numbers follow the real format
// (Thông tư 07/2016/TT-BCA): 3-digit province code, century/gender digit,
// two digits of the birth year, six random digits.

type province struct {
	code string
	name string
	ward []string
}

var provinces = []province{
	{"001", "Thành phố Hà Nội", []string{"Phường Hoàn Kiếm", "Phường Ba Đình", "Phường Cầu Giấy", "Xã Sóc Sơn", "Phường Long Biên"}},
	{"079", "Thành phố Hồ Chí Minh", []string{"Phường Sài Gòn", "Phường Bến Thành", "Phường Tân Định", "Xã Củ Chi", "Phường Thủ Đức"}},
	{"048", "Thành phố Đà Nẵng", []string{"Phường Hải Châu", "Phường Thanh Khê", "Xã Hòa Vang", "Phường Sơn Trà"}},
	{"031", "Thành phố Hải Phòng", []string{"Phường Hồng Bàng", "Phường Lê Chân", "Xã An Lão"}},
	{"092", "Thành phố Cần Thơ", []string{"Phường Ninh Kiều", "Phường Cái Răng", "Xã Phong Điền"}},
	{"040", "Tỉnh Nghệ An", []string{"Phường Vinh Phú", "Xã Diễn Châu", "Xã Nghi Lộc"}},
	{"038", "Tỉnh Thanh Hóa", []string{"Phường Hạc Thành", "Xã Hoằng Hóa", "Xã Thọ Xuân"}},
	{"046", "Thành phố Huế", []string{"Phường Thuận Hóa", "Phường Phú Xuân", "Xã Phú Vang"}},
	{"022", "Tỉnh Quảng Ninh", []string{"Phường Hạ Long", "Phường Cẩm Phả", "Xã Vân Đồn"}},
	{"056", "Tỉnh Khánh Hòa", []string{"Phường Nha Trang", "Phường Cam Ranh", "Xã Diên Khánh"}},
	{"068", "Tỉnh Lâm Đồng", []string{"Phường Xuân Hương - Đà Lạt", "Phường Bảo Lộc", "Xã Đức Trọng"}},
	{"075", "Tỉnh Đồng Nai", []string{"Phường Trấn Biên", "Phường Long Khánh", "Xã Nhơn Trạch"}},
}

var (
	surnames   = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trịnh", "Đinh"}
	maleMid    = []string{"Văn", "Minh", "Hữu", "Đức", "Quốc", "Gia", "Thành", "Công", "Xuân", "Anh"}
	femaleMid  = []string{"Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bảo", "Minh", "Khánh", "Mỹ", "Hồng"}
	maleGiven  = []string{"An", "Bình", "Cường", "Dũng", "Đạt", "Hùng", "Huy", "Khôi", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn", "Việt", "Hải", "Trung", "Tùng", "Lộc", "Thắng"}
	femaleGiv  = []string{"Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Thảo", "Trang", "Vy", "Yến", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Uyên", "Diệp", "Ánh", "Châu"}
	streets    = []string{"Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Phan Chu Trinh", "Hùng Vương", "Quang Trung", "Bà Triệu", "Nguyễn Du", "Điện Biên Phủ", "Võ Thị Sáu"}
	hamlets    = []string{"Thôn Đông", "Thôn Hạ", "Ấp 3", "Xóm Mới", "Thôn Trung Hòa", "Tổ dân phố 5", "Tổ 12"}
	businesses = []string{"BÁNH MÌ", "TẠP HÓA", "CÀ PHÊ", "SỬA XE", "PHỞ", "IN ẤN", "THỜI TRANG", "VẬT LIỆU XÂY DỰNG"}
	trades     = []string{"Bán lẻ lương thực, thực phẩm", "Dịch vụ ăn uống", "Sửa chữa mô tô, xe máy", "Bán lẻ hàng may mặc", "In ấn, photocopy", "Bán buôn vật liệu xây dựng"}
	hospitals  = []string{"Bệnh viện Phụ sản Hà Nội", "Bệnh viện Từ Dũ", "Bệnh viện Hùng Vương", "Trung tâm Y tế khu vực", "Bệnh viện Đa khoa tỉnh", "Trạm Y tế xã"}
)

// Person is one synthetic individual.
type Person struct {
	Name     string
	Male     bool
	DOB      time.Time
	ID       string
	Province province
	Address  string
}

type gen struct {
	r *rand.Rand
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) chance(p float64) bool   { return g.r.Float64() < p }

func (g *gen) address(p province) string {
	ward := g.pick(p.ward)
	if g.chance(0.5) {
		return fmt.Sprintf("Số %d đường %s, %s, %s", 1+g.r.IntN(250), g.pick(streets), ward, p.name)
	}
	return fmt.Sprintf("%s, %s, %s", g.pick(hamlets), ward, p.name)
}

func (g *gen) name(male bool, surname string) string {
	if surname == "" {
		surname = g.pick(surnames)
	}
	if male {
		return surname + " " + g.pick(maleMid) + " " + g.pick(maleGiven)
	}
	return surname + " " + g.pick(femaleMid) + " " + g.pick(femaleGiv)
}

// idNumber builds a 12-digit personal ID consistent with sex and birth year.
func idNumber(g *gen, p province, male bool, dob time.Time) string {
	century := (dob.Year() - 1900) / 100 // 0 for 19xx, 1 for 20xx
	d := century * 2
	if !male {
		d++
	}
	return fmt.Sprintf("%s%d%02d%06d", p.code, d, dob.Year()%100, g.r.IntN(1000000))
}

// person returns a person born between minYear and maxYear.
func (g *gen) person(male bool, surname string, minYear, maxYear int) Person {
	y := minYear + g.r.IntN(maxYear-minYear+1)
	dob := time.Date(y, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	p := provinces[g.r.IntN(len(provinces))]
	return Person{Name: g.name(male, surname), Male: male, DOB: dob, ID: idNumber(g, p, male, dob), Province: p, Address: g.address(p)}
}

// cardDates returns a CCCD issue date and its expiry under Luật Căn cước:
// cards are renewed at 25, 40 and 60; one issued within two years before such
// an age stays valid until the next one; from 60 it has no expiry (zero).
func (g *gen) cardDates(dob time.Time, asOf time.Time) (issue, expiry time.Time) {
	earliest := dob.AddDate(14, 0, 0)
	if e := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC); earliest.Before(e) {
		earliest = e
	}
	span := int(asOf.Sub(earliest).Hours() / 24)
	if span < 30 {
		span = 30
	}
	// Citizens renew expired cards: resample until the card is valid on asOf.
	for try := 0; try < 20; try++ {
		issue = earliest.AddDate(0, 0, g.r.IntN(span))
		expiry = CardExpiry(dob, issue)
		if expiry.IsZero() || expiry.After(asOf) {
			break
		}
	}
	return issue, expiry
}

// CardExpiry is the expiry rule of the thẻ căn cước (Điều 21 Luật Căn cước
// 2023, same milestones as Luật Căn cước công dân 2014): the zero time means
// the card does not expire.
func CardExpiry(dob, issue time.Time) time.Time {
	for _, age := range []int{25, 40, 60} {
		m := dob.AddDate(age, 0, 0)
		if issue.Before(m.AddDate(-2, 0, 0)) {
			return m
		}
	}
	return time.Time{}
}

// dateStyle renders a date in one of the ways Vietnamese documents write it.
func (g *gen) date(t time.Time) string {
	switch g.r.IntN(5) {
	case 0:
		return fmt.Sprintf("ngày %02d tháng %02d năm %d", t.Day(), int(t.Month()), t.Year())
	case 1:
		return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year())
	case 2:
		return fmt.Sprintf("%02d-%02d-%d", t.Day(), int(t.Month()), t.Year())
	default:
		return fmt.Sprintf("%02d/%02d/%d", t.Day(), int(t.Month()), t.Year())
	}
}

func iso(t time.Time) string { return t.Format("2006-01-02") }

// NormalizeName is the canonical form of a personal name in the labels:
// NFC, single spaces, each syllable capitalised.
func NormalizeName(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		rs := []rune(strings.ToLower(w))
		if len(rs) > 0 {
			rs[0] = []rune(strings.ToUpper(string(rs[0])))[0]
		}
		ws[i] = string(rs)
	}
	return strings.Join(ws, " ")
}

func sexWord(male bool) string {
	if male {
		return "Nam"
	}
	return "Nữ"
}

func dateOf(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func parseISO(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }
