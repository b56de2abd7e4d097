package docgen

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// AsOf is the reference date of the set: every generated dossier is treated
// as submitted on it, so generated documents are valid on it.
var AsOf = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

type seg struct {
	s       string
	protect bool // a labelled value: noise never touches it
	field   int  // index into builder.fields, or -1
}

type style struct {
	dotted     bool // template fill-in layout: "Họ, chữ đệm, tên:.....Nguyễn Văn A....."
	upperNames bool
	ocr        bool
}

type builder struct {
	g      *gen
	st     style
	pages  [][]seg
	fields []Field
}

func newBuilder(g *gen, st style) *builder { return &builder{g: g, st: st, pages: [][]seg{nil}} }

func (b *builder) w(s string) {
	b.pages[len(b.pages)-1] = append(b.pages[len(b.pages)-1], seg{s: s, field: -1})
}
func (b *builder) ln(lines ...string) {
	for _, l := range lines {
		b.w(l + "\n")
	}
}
func (b *builder) page() { b.pages = append(b.pages, nil) }

// v writes a labelled value and records its gold label.
func (b *builder) v(name, subject, shown, norm string) {
	idx := -1
	if name != "" {
		idx = len(b.fields)
		b.fields = append(b.fields, Field{Name: name, Subject: subject, Value: shown, Normalized: norm})
	}
	b.pages[len(b.pages)-1] = append(b.pages[len(b.pages)-1], seg{s: shown, protect: true, field: idx})
}

func (b *builder) sep() string {
	if b.st.dotted {
		return ":" + strings.Repeat(".", 2+b.g.r.IntN(8))
	}
	return ": "
}
func (b *builder) trail() string {
	if b.st.dotted {
		return strings.Repeat(".", 3+b.g.r.IntN(20))
	}
	return ""
}

// kv writes "label: value" on its own line.
func (b *builder) kv(label, name, subject, shown, norm string) {
	b.w(label + b.sep())
	b.v(name, subject, shown, norm)
	b.w(b.trail() + "\n")
}

func (b *builder) nameShown(n string) string {
	if b.st.upperNames {
		return strings.ToUpper(n)
	}
	return n
}

func (b *builder) name(label, subject, n string) {
	b.kv(label, "full_name", subject, b.nameShown(n), NormalizeName(n))
}
func (b *builder) dob(label, subject string, t time.Time) {
	b.kv(label, "date_of_birth", subject, b.g.date(t), iso(t))
}
func (b *builder) id(label, subject, id string) {
	shown := id
	if b.g.chance(0.15) {
		shown = id[:3] + " " + id[3:6] + " " + id[6:9] + " " + id[9:]
	}
	b.kv(label, "id_number", subject, shown, id)
}
func (b *builder) addr(label, subject, a string) {
	b.kv(label, "address", subject, a, a)
}

func (b *builder) header() {
	b.ln("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
	if b.g.chance(0.5) {
		b.ln("---------------")
	}
}

func (b *builder) place(t time.Time, p province) {
	city := strings.TrimPrefix(strings.TrimPrefix(p.name, "Thành phố "), "Tỉnh ")
	b.ln(fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", city, t.Day(), int(t.Month()), t.Year()))
}

// text renders the pages, applying OCR-like noise to unprotected text.
func (b *builder) text() []string {
	out := make([]string, len(b.pages))
	for i, p := range b.pages {
		var sb strings.Builder
		for _, s := range p {
			if b.st.ocr && !s.protect {
				sb.WriteString(b.noise(s.s))
			} else {
				sb.WriteString(s.s)
			}
		}
		out[i] = vntext.NFC(sb.String())
	}
	return out
}

// noise imitates OCR of a scan: dropped tone marks, confused glyphs, broken
// dot leaders. Line structure is kept.
func (b *builder) noise(s string) string {
	var sb strings.Builder
	for i, w := range strings.SplitAfter(s, " ") {
		_ = i
		switch x := b.g.r.Float64(); {
		case x < 0.25:
			w = stripMarks(w)
		case x < 0.30:
			w = strings.NewReplacer("i", "l", "O", "0", "m", "rn", "ư", "u", "ơ", "o").Replace(w)
		case x < 0.33:
			w = strings.ReplaceAll(w, ".....", "…. ..")
		}
		sb.WriteString(w)
	}
	return sb.String()
}

// stripMarks removes diacritics but keeps case ("Họ" → "Ho", "Đ" → "D").
func stripMarks(s string) string {
	f := vntext.Fold(s)
	fr := []rune(f)
	sr := []rune(vntext.NFC(s))
	if len(fr) != len(sr) {
		return f
	}
	for i, r := range sr {
		if unicode.IsUpper(r) {
			fr[i] = unicode.ToUpper(fr[i])
		}
	}
	return string(fr)
}

// ---- renderers, one per document type. Wording follows the real templates
// in data/forms where one exists (named in each comment).

type docCtx struct {
	proc string
	// memberAuth asks giấy ủy quyền to be the household members' authorisation
	// of the hộ kinh doanh owner rather than an agent's.
	memberAuth bool
}

// data/forms/11_dang_ky_khai_sinh.txt
func renderToKhaiKhaiSinh(b *builder, c *docCtx) {
	g := b.g
	father := g.person(true, "", 1980, 2000)
	mother := g.person(false, "", 1982, 2002)
	mother.Address = father.Address
	childMale := g.chance(0.5)
	child := g.person(childMale, strings.Fields(father.Name)[0], 2025, 2025)
	child.DOB = AsOf.AddDate(0, 0, -10-g.r.IntN(300))
	applicant, rel := mother, "Mẹ"
	if g.chance(0.4) {
		applicant, rel = father, "Cha"
	}
	b.header()
	b.ln("TỜ KHAI ĐĂNG KÝ KHAI SINH")
	b.ln("Kính gửi: (1) Ủy ban nhân dân " + g.pick(applicant.Province.ward) + ", " + applicant.Province.name)
	b.name("Họ, chữ đệm, tên người yêu cầu", "applicant", applicant.Name)
	b.addr("Nơi cư trú: (2)", "applicant", applicant.Address)
	b.w("Giấy tờ tùy thân: (3)" + b.sep() + "Căn cước công dân số ")
	b.v("id_number", "applicant", applicant.ID, applicant.ID)
	b.w(b.trail() + "\n")
	b.ln("Quan hệ với người được khai sinh: " + rel)
	b.ln("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:")
	b.name("Họ, chữ đệm, tên", "child", child.Name)
	b.w("Ngày, tháng, năm sinh" + b.sep())
	b.v("date_of_birth", "child", child.DOB.Format("02/01/2006"), iso(child.DOB))
	b.ln(" ghi bằng chữ: ngày " + fmt.Sprint(child.DOB.Day()) + " tháng " + fmt.Sprint(int(child.DOB.Month())) + " năm " + fmt.Sprint(child.DOB.Year()))
	b.ln("Giới tính: " + sexWord(childMale) + "   Dân tộc: Kinh   Quốc tịch: Việt Nam")
	b.ln("Nơi sinh: (4) " + g.pick(hospitals) + ", " + applicant.Province.name)
	b.ln("Quê quán: " + father.Province.name)
	b.name("Họ, chữ đệm, tên người mẹ", "mother", mother.Name)
	b.kv("Năm sinh: (5)", "year_of_birth", "mother", fmt.Sprint(mother.DOB.Year()), fmt.Sprint(mother.DOB.Year()))
	b.ln("Dân tộc: Kinh  Quốc tịch: Việt Nam")
	b.addr("Nơi cư trú: (2)", "mother", mother.Address)
	b.name("Họ, chữ đệm, tên người cha", "father", father.Name)
	b.kv("Năm sinh: (5)", "year_of_birth", "father", fmt.Sprint(father.DOB.Year()), fmt.Sprint(father.DOB.Year()))
	b.ln("Dân tộc: Kinh  Quốc tịch: Việt Nam")
	b.addr("Nơi cư trú: (2)", "father", father.Address)
	b.ln("Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, được sự thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.",
		"Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.")
	b.place(AsOf.AddDate(0, 0, -g.r.IntN(5)), applicant.Province)
	b.ln("Người yêu cầu", "(Ký, ghi rõ họ, chữ đệm, tên)", strings.ToUpper(applicant.Name))
}

// Giấy chứng sinh (mẫu của Bộ Y tế).
func renderGiayChungSinh(b *builder, c *docCtx) {
	g := b.g
	mother := g.person(false, "", 1982, 2004)
	dob := AsOf.AddDate(0, 0, -10-g.r.IntN(300))
	male := g.chance(0.5)
	hosp := g.pick(hospitals)
	b.ln("BỘ Y TẾ", strings.ToUpper(hosp))
	b.header()
	b.ln("GIẤY CHỨNG SINH", fmt.Sprintf("Số: %d/GCS", 100+g.r.IntN(9000)), "Quyển số: "+fmt.Sprint(1+g.r.IntN(20)))
	b.name("Họ và tên mẹ/Người nuôi dưỡng", "mother", mother.Name)
	b.kv("Năm sinh", "year_of_birth", "mother", fmt.Sprint(mother.DOB.Year()), fmt.Sprint(mother.DOB.Year()))
	b.addr("Nơi đăng ký thường trú", "mother", mother.Address)
	b.id("Số CCCD/Số định danh cá nhân", "mother", mother.ID)
	b.ln("Dân tộc: Kinh")
	b.w("Đã sinh con vào lúc: " + fmt.Sprintf("%02d giờ %02d phút, ", g.r.IntN(24), g.r.IntN(60)))
	b.v("date_of_birth", "child", fmt.Sprintf("ngày %02d tháng %02d năm %d", dob.Day(), int(dob.Month()), dob.Year()), iso(dob))
	b.ln("")
	b.ln("Tại: "+hosp, "Số con trong lần sinh: 01", "Giới tính của con: "+sexWord(male), fmt.Sprintf("Cân nặng: %d gam", 2600+g.r.IntN(1500)))
	if g.chance(0.7) {
		name := g.name(male, strings.Fields(mother.Name)[0])
		b.name("Dự định đặt tên con", "child", name)
	}
	b.ln("Ghi chú: Trẻ sinh đủ tháng, khỏe mạnh")
	b.place(dob.AddDate(0, 0, 2), mother.Province)
	b.ln("Người đỡ đẻ", "(Ký, ghi rõ họ tên)", "THỦ TRƯỞNG CƠ SỞ Y TẾ", "(Ký, ghi rõ họ tên, đóng dấu)")
}

// Văn bản của người làm chứng xác nhận về việc sinh.
func renderVanBanLamChung(b *builder, c *docCtx) {
	g := b.g
	w := g.person(g.chance(0.5), "", 1950, 1990)
	mother := g.person(false, "", 1985, 2003)
	dob := AsOf.AddDate(0, 0, -30-g.r.IntN(300))
	b.header()
	b.ln("VĂN BẢN XÁC NHẬN VỀ VIỆC SINH", "(Dành cho người làm chứng)")
	b.ln("Kính gửi: Ủy ban nhân dân " + g.pick(w.Province.ward))
	b.name("Tôi là", "witness", w.Name)
	b.dob("Ngày, tháng, năm sinh", "witness", w.DOB)
	b.id("Số định danh cá nhân", "witness", w.ID)
	b.addr("Nơi cư trú", "witness", w.Address)
	b.ln("Tôi là người làm chứng, xin xác nhận việc sinh như sau:")
	b.name("Bà", "mother", mother.Name)
	b.w("đã sinh một cháu " + map[bool]string{true: "trai", false: "gái"}[g.chance(0.5)] + " vào ")
	b.v("date_of_birth", "child", fmt.Sprintf("ngày %02d tháng %02d năm %d", dob.Day(), int(dob.Month()), dob.Year()), iso(dob))
	b.ln(" tại nhà riêng ở " + mother.Address + ".")
	b.ln("Tôi xin cam đoan những nội dung xác nhận trên là đúng sự thật và chịu trách nhiệm trước pháp luật về lời làm chứng của mình.")
	b.place(AsOf.AddDate(0, 0, -g.r.IntN(20)), w.Province)
	b.ln("NGƯỜI LÀM CHỨNG", "(Ký, ghi rõ họ tên)")
}

// Giấy cam đoan về việc sinh.
func renderGiayCamDoan(b *builder, c *docCtx) {
	g := b.g
	a := g.person(false, "", 1985, 2003)
	male := g.chance(0.5)
	child := g.name(male, "")
	dob := AsOf.AddDate(0, 0, -30-g.r.IntN(300))
	b.header()
	b.ln("GIẤY CAM ĐOAN", "Về việc sinh")
	b.ln("Kính gửi: Ủy ban nhân dân " + g.pick(a.Province.ward) + ", " + a.Province.name)
	b.name("Tôi tên là", "applicant", a.Name)
	b.dob("Sinh ngày", "applicant", a.DOB)
	b.id("Số CCCD", "applicant", a.ID)
	b.addr("Nơi cư trú", "applicant", a.Address)
	b.ln("Do không có giấy chứng sinh và không có người làm chứng, tôi xin cam đoan về việc sinh như sau:")
	b.name("Cháu", "child", child)
	b.dob("Sinh ngày", "child", dob)
	b.ln("Giới tính: "+sexWord(male), "Nơi sinh: "+a.Address)
	b.ln("Tôi xin cam đoan nội dung trên là đúng sự thật, nếu sai tôi xin hoàn toàn chịu trách nhiệm trước pháp luật.")
	b.place(AsOf.AddDate(0, 0, -g.r.IntN(20)), a.Province)
	b.ln("Người cam đoan", "(Ký, ghi rõ họ tên)")
}

// Biên bản về việc trẻ bị bỏ rơi.
func renderBienBanBoRoi(b *builder, c *docCtx) {
	g := b.g
	p := provinces[g.r.IntN(len(provinces))]
	found := AsOf.AddDate(0, 0, -5-g.r.IntN(100))
	carer := g.person(false, "", 1960, 1990)
	b.ln("ỦY BAN NHÂN DÂN", strings.ToUpper(g.pick(p.ward)))
	b.header()
	b.ln("BIÊN BẢN", "Về việc trẻ bị bỏ rơi")
	b.ln(fmt.Sprintf("Hồi %02d giờ %02d phút, ngày %02d tháng %02d năm %d, tại %s, chúng tôi gồm:", g.r.IntN(24), g.r.IntN(60), found.Day(), int(found.Month()), found.Year(), g.address(p)))
	b.ln("1. Ông "+g.name(true, "")+", Chủ tịch Ủy ban nhân dân", "2. Ông "+g.name(true, "")+", Công an xã", "3. Bà "+g.name(false, "")+", người phát hiện")
	b.ln("Đã lập biên bản về việc phát hiện một trẻ sơ sinh bị bỏ rơi với những đặc điểm sau:")
	b.ln("Giới tính: "+sexWord(g.chance(0.5)), fmt.Sprintf("Cân nặng khoảng: %d kg", 2+g.r.IntN(3)), "Tình trạng sức khỏe: bình thường", "Đồ vật, tư trang kèm theo: một chiếc khăn, một bình sữa")
	b.ln("Trẻ được giao cho bà " + carer.Name + ", cư trú tại " + carer.Address + " tạm thời nuôi dưỡng.")
	b.ln("Biên bản được lập thành 03 bản, có giá trị như nhau; Ủy ban nhân dân cấp xã có trách nhiệm niêm yết thông báo tìm cha, mẹ đẻ của trẻ.")
	b.ln("NGƯỜI PHÁT HIỆN          ĐẠI DIỆN CÔNG AN          CHỦ TỊCH UBND")
}

// Thẻ căn cước công dân (mặt trước, mặt sau) or the newer thẻ căn cước.
func renderCCCD(b *builder, c *docCtx) {
	g := b.g
	p := g.person(g.chance(0.5), "", 1955, 2006)
	issue, exp := g.cardDates(p.DOB, AsOf)
	nameShown := strings.ToUpper(p.Name)
	if g.chance(0.5) { // chip card 2021
		b.ln("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness")
		b.ln("CĂN CƯỚC CÔNG DÂN", "Citizen Identity Card")
		b.w("Số / No.: ")
		b.v("id_number", "holder", p.ID, p.ID)
		b.ln("", "Họ và tên / Full name:")
		b.v("full_name", "holder", nameShown, NormalizeName(p.Name))
		b.ln("")
		b.w("Ngày sinh / Date of birth: ")
		b.v("date_of_birth", "holder", p.DOB.Format("02/01/2006"), iso(p.DOB))
		b.ln("", "Giới tính / Sex: "+sexWord(p.Male)+"   Quốc tịch / Nationality: Việt Nam")
		b.ln("Quê quán / Place of origin:", g.pick(p.Province.ward)+", "+p.Province.name)
		b.ln("Nơi thường trú / Place of residence:")
		b.v("address", "holder", p.Address, p.Address)
		b.ln("")
		b.w("Có giá trị đến: ")
		if exp.IsZero() {
			b.v("", "", "Không thời hạn", "")
		} else {
			b.v("expiry_date", "holder", exp.Format("02/01/2006"), iso(exp))
		}
		b.ln("", "Date of expiry")
		b.page()
		b.ln("Đặc điểm nhân dạng / Personal identification:", "Nốt ruồi C:1cm dưới trước mép phải")
		b.w("Ngày, tháng, năm / Date, month, year: ")
		b.v("issue_date", "holder", issue.Format("02/01/2006"), iso(issue))
		b.ln("", "CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", "DIRECTOR GENERAL OF THE POLICE DEPARTMENT", "FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER")
		b.ln(fmt.Sprintf("IDVNM%s%s<<%d", p.DOB.Format("060102"), p.ID[3:], g.r.IntN(10)))
		return
	}
	b.ln("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM", "CĂN CƯỚC", "IDENTITY CARD")
	b.ln("Số định danh cá nhân / Personal identification number")
	b.v("id_number", "holder", p.ID, p.ID)
	b.ln("", "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name")
	b.v("full_name", "holder", nameShown, NormalizeName(p.Name))
	b.ln("", "Ngày, tháng, năm sinh / Date of birth")
	b.v("date_of_birth", "holder", p.DOB.Format("02/01/2006"), iso(p.DOB))
	b.ln("", "Giới tính / Sex: "+sexWord(p.Male)+"  Quốc tịch / Nationality: Việt Nam")
	b.page()
	b.ln("Nơi cư trú / Place of residence")
	b.v("address", "holder", p.Address, p.Address)
	b.ln("", "Nơi đăng ký khai sinh / Place of birth", p.Province.name)
	b.ln("Ngày, tháng, năm cấp / Date of issue")
	b.v("issue_date", "holder", issue.Format("02/01/2006"), iso(issue))
	b.ln("", "Ngày, tháng, năm hết hạn / Date of expiry")
	if exp.IsZero() {
		b.v("", "", "Không thời hạn", "")
	} else {
		b.v("expiry_date", "holder", exp.Format("02/01/2006"), iso(exp))
	}
	b.ln("", "BỘ CÔNG AN", "MINISTRY OF PUBLIC SECURITY")
}

// data/forms/38_giay_uy_quyen.txt and the civil-law form.
func renderGiayUyQuyen(b *builder, c *docCtx) {
	g := b.g
	a := g.person(g.chance(0.5), "", 1960, 2000)
	d := g.person(g.chance(0.5), "", 1965, 2004)
	aIssue, _ := g.cardDates(a.DOB, AsOf)
	b.header()
	if c.memberAuth {
		b.ln("VĂN BẢN ỦY QUYỀN", "(Của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh)")
	} else {
		b.ln("GIẤY ỦY QUYỀN")
	}
	if g.chance(0.5) {
		b.ln("Căn cứ Bộ luật Dân sự nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2015;")
		b.ln(fmt.Sprintf("Hôm nay, ngày %02d tháng %02d năm %d, chúng tôi gồm:", AsOf.Day(), int(AsOf.Month()), AsOf.Year()))
	}
	b.ln("I. Người ủy quyền (Bên A):")
	b.name("Họ và tên", "authoriser", a.Name)
	b.dob("Sinh ngày", "authoriser", a.DOB)
	b.id("Số CCCD/số định danh cá nhân", "authoriser", a.ID)
	b.kv("Cấp ngày", "issue_date", "authoriser", issue(g, aIssue), iso(aIssue))
	b.addr("Nơi cư trú", "authoriser", a.Address)
	b.ln("II. Người được ủy quyền (Bên B):")
	b.name("Họ và tên", "authorised", d.Name)
	b.dob("Sinh ngày", "authorised", d.DOB)
	b.id("Số CCCD/số định danh cá nhân", "authorised", d.ID)
	b.addr("Nơi cư trú", "authorised", d.Address)
	b.ln("III. Nội dung ủy quyền:")
	switch {
	case c.memberAuth:
		b.ln("Các thành viên hộ gia đình thống nhất ủy quyền cho Bên B làm chủ hộ kinh doanh, đại diện hộ gia đình thực hiện việc đăng ký thành lập hộ kinh doanh và quản lý hoạt động kinh doanh của hộ.")
	case c.proc == ProcHoKinhDoanh:
		b.ln("Bên A ủy quyền cho Bên B thay mặt Bên A nộp hồ sơ, thực hiện thủ tục đăng ký hộ kinh doanh và nhận kết quả tại cơ quan đăng ký kinh doanh cấp xã.")
	case c.proc == ProcKhaiSinh:
		b.ln("Bên A ủy quyền cho Bên B thay mặt Bên A thực hiện thủ tục đăng ký khai sinh cho con của Bên A tại Ủy ban nhân dân cấp xã và nhận Giấy khai sinh.")
	default:
		b.ln("Bên A ủy quyền cho Bên B thay mặt Bên A nộp hồ sơ, nhận kết quả giải quyết thủ tục hành chính tại cơ quan nhà nước có thẩm quyền.")
	}
	b.ln(fmt.Sprintf("IV. Thời hạn ủy quyền: %d tháng kể từ ngày ký.", 3+g.r.IntN(10)))
	b.ln("Chúng tôi cam kết chấp hành đúng nội dung ủy quyền như đã nêu ở trên và chịu trách nhiệm trước pháp luật.")
	b.place(AsOf.AddDate(0, 0, -g.r.IntN(20)), a.Province)
	b.ln("NGƯỜI ỦY QUYỀN             NGƯỜI ĐƯỢC ỦY QUYỀN", "(Ký, ghi rõ họ tên)          (Ký, ghi rõ họ tên)")
	if g.chance(0.5) {
		b.ln("Chứng thực chữ ký của người ủy quyền", "Số chứng thực: "+fmt.Sprint(100+g.r.IntN(900))+", quyển số 01/2026-SCT/CK,ĐC")
	}
}

func issue(g *gen, t time.Time) string { return g.date(t) }

// data/forms/58_TK_thay_doi_thong_tin_cu_tru.txt (mẫu CT01).
func renderCT01(b *builder, c *docCtx) {
	g := b.g
	a := g.person(g.chance(0.5), "", 1960, 2006)
	h := g.person(g.chance(0.6), "", 1950, 1990)
	if g.chance(0.3) {
		b.ln("Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA")
	}
	b.header()
	b.ln("TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ")
	b.ln("Kính gửi(1): Công an " + g.pick(a.Province.ward) + ", " + a.Province.name)
	b.name("1. Họ, chữ đệm và tên", "applicant", a.Name)
	b.w("2. Ngày, tháng, năm sinh" + b.sep())
	b.v("date_of_birth", "applicant", a.DOB.Format("02/01/2006"), iso(a.DOB))
	b.ln("       3. Giới tính: " + sexWord(a.Male))
	b.id("4. Số định danh cá nhân", "applicant", a.ID)
	b.ln(fmt.Sprintf("5. Số điện thoại liên hệ: 09%08d   6. Email: ", g.r.IntN(100000000)))
	b.w("7. Họ, chữ đệm và tên chủ hộ" + b.sep())
	b.v("full_name", "household_head", b.nameShown(h.Name), NormalizeName(h.Name))
	b.ln("   8. Mối quan hệ với chủ hộ: " + g.pick([]string{"Con", "Vợ", "Chồng", "Cháu", "Ở nhờ", "Người thuê nhà"}))
	b.id("9. Số định danh cá nhân của chủ hộ", "household_head", h.ID)
	b.ln("10. Nội dung đề nghị(2): Đăng ký thường trú vào chỗ ở hợp pháp tại " + h.Address)
	b.ln("11. Những thành viên trong hộ gia đình cùng thay đổi: Không")
	b.ln("Ý KIẾN CỦA CHỦ HỘ   Ý KIẾN CỦA CHỦ SỞ HỮU CHỖ Ở HỢP PHÁP   NGƯỜI KÊ KHAI")
	b.place(AsOf.AddDate(0, 0, -g.r.IntN(10)), a.Province)
}

// Giấy đề nghị đăng ký hộ kinh doanh (Phụ lục III-1).
func renderHKD(b *builder, c *docCtx) {
	g := b.g
	o := g.person(g.chance(0.5), "", 1960, 2004)
	b.header()
	b.ln(fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", o.Province.name, AsOf.Day(), int(AsOf.Month()), AsOf.Year()))
	b.ln("GIẤY ĐỀ NGHỊ", "ĐĂNG KÝ HỘ KINH DOANH")
	b.ln("Kính gửi: Phòng Kinh tế " + g.pick(o.Province.ward))
	b.w("Tôi là (ghi họ tên bằng chữ in hoa)" + b.sep())
	b.v("full_name", "owner", strings.ToUpper(o.Name), NormalizeName(o.Name))
	b.ln(b.trail())
	b.ln("Giới tính: " + sexWord(o.Male))
	b.w("Sinh ngày" + b.sep())
	b.v("date_of_birth", "owner", o.DOB.Format("02/01/2006"), iso(o.DOB))
	b.ln("   Dân tộc: Kinh   Quốc tịch: Việt Nam")
	b.id("Số định danh cá nhân", "owner", o.ID)
	b.addr("Địa chỉ thường trú", "owner", o.Address)
	b.ln("Địa chỉ liên lạc: " + o.Address)
	b.ln(fmt.Sprintf("Điện thoại: 09%08d   Email: ", g.r.IntN(100000000)))
	b.ln("Đăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:")
	bn := "HỘ KINH DOANH " + g.pick(businesses) + " " + strings.ToUpper(strings.Fields(o.Name)[2])
	b.w("1. Tên hộ kinh doanh (ghi bằng chữ in hoa)" + b.sep())
	b.v("business_name", "owner", bn, bn)
	b.ln(b.trail())
	b.ln("2. Địa chỉ trụ sở hộ kinh doanh: " + g.address(o.Province))
	b.ln("3. Ngành, nghề kinh doanh: " + g.pick(trades))
	b.ln(fmt.Sprintf("4. Vốn kinh doanh: %d.000.000 đồng", 20+g.r.IntN(500)))
	b.ln(fmt.Sprintf("5. Số lượng lao động (dự kiến): %d người", 1+g.r.IntN(9)))
	b.ln("6. Thông tin về các thành viên hộ gia đình tham gia thành lập hộ kinh doanh (nếu có): Không")
	b.ln("Tôi cam kết bản thân không thuộc diện quy định tại khoản 2 Điều 80 Nghị định số 168/2025/NĐ-CP; chịu trách nhiệm trước pháp luật về tính hợp pháp, chính xác và trung thực của nội dung đề nghị đăng ký trên.")
	b.ln("CHỦ HỘ KINH DOANH", "(Ký và ghi họ tên)")
}

// Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 1 Phụ lục II NĐ 175/2024).
func renderDonGPXD(b *builder, c *docCtx) {
	g := b.g
	o := g.person(g.chance(0.6), "", 1955, 2000)
	site := g.address(o.Province)
	b.header()
	b.ln("ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG")
	b.ln("(Sử dụng cho công trình: Không theo tuyến/Theo tuyến trong đô thị/Tín ngưỡng, tôn giáo/Tượng đài, tranh hoành tráng/Nhà ở riêng lẻ/Sửa chữa, cải tạo/Theo giai đoạn cho công trình không theo tuyến/Dự án/Di dời công trình)")
	b.ln("Kính gửi: Ủy ban nhân dân " + g.pick(o.Province.ward))
	b.ln("1. Thông tin về chủ đầu tư:")
	b.name("- Tên chủ đầu tư (tên chủ hộ)", "owner", o.Name)
	if g.chance(0.6) {
		b.id("- Số định danh cá nhân", "owner", o.ID)
	}
	b.ln("- Người đại diện: Không   Chức vụ (nếu có):")
	b.addr("- Địa chỉ liên hệ", "owner", o.Address)
	b.ln(fmt.Sprintf("- Số điện thoại: 09%08d", g.r.IntN(100000000)))
	b.ln("2. Thông tin công trình:", "- Địa điểm xây dựng:", fmt.Sprintf("Lô đất số: %d   Diện tích: %d m2", 1+g.r.IntN(500), 60+g.r.IntN(200)))
	b.w("Tại" + b.sep())
	b.v("construction_address", "owner", site, site)
	b.ln(b.trail())
	b.ln("3. Tổ chức/cá nhân lập, thẩm tra thiết kế xây dựng: Công ty TNHH Tư vấn thiết kế " + g.pick([]string{"An Phát", "Hưng Thịnh", "Kiến Việt", "Nhà Đẹp"}))
	b.ln(fmt.Sprintf("- Loại công trình: Nhà ở riêng lẻ   Cấp công trình: III"), fmt.Sprintf("- Diện tích xây dựng tầng 1: %d m2; Tổng diện tích sàn: %d m2; Chiều cao công trình: %d m; Số tầng: %d", 50+g.r.IntN(100), 150+g.r.IntN(300), 8+g.r.IntN(12), 2+g.r.IntN(4)))
	b.ln("4. Phương án phá dỡ, di dời (nếu có): Không")
	b.ln(fmt.Sprintf("5. Dự kiến thời gian hoàn thành công trình: %d tháng.", 6+g.r.IntN(12)))
	b.ln("6. Cam kết: Tôi xin cam đoan làm theo đúng giấy phép được cấp, nếu sai tôi xin hoàn toàn chịu trách nhiệm và bị xử lý theo quy định của pháp luật.")
	b.place(AsOf.AddDate(0, 0, -g.r.IntN(10)), o.Province)
	b.ln("NGƯỜI LÀM ĐƠN/ĐẠI DIỆN CHỦ ĐẦU TƯ", "(Ký, ghi rõ họ tên, đóng dấu (nếu có))")
}

// Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở…
func renderGCN(b *builder, c *docCtx) {
	g := b.g
	o := g.person(g.chance(0.6), "", 1945, 1995)
	b.header()
	b.ln("GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT")
	b.ln(fmt.Sprintf("%s %06d", g.pick([]string{"CS", "CT", "BĐ", "DA"}), g.r.IntN(1000000)))
	b.ln("I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất")
	b.w(map[bool]string{true: "Ông", false: "Bà"}[o.Male] + ": ")
	b.v("full_name", "owner", strings.ToUpper(o.Name), NormalizeName(o.Name))
	b.w("   Năm sinh: ")
	b.v("year_of_birth", "owner", fmt.Sprint(o.DOB.Year()), fmt.Sprint(o.DOB.Year()))
	b.ln("")
	b.id("CCCD số", "owner", o.ID)
	b.addr("Địa chỉ thường trú", "owner", o.Address)
	b.ln("II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", "1. Thửa đất:")
	b.ln(fmt.Sprintf("a) Thửa đất số: %d,   tờ bản đồ số: %d;", 1+g.r.IntN(900), 1+g.r.IntN(80)))
	b.ln("b) Địa chỉ: "+g.address(o.Province)+";", fmt.Sprintf("c) Diện tích: %d,%d m2 (Bằng chữ: ...)", 50+g.r.IntN(300), g.r.IntN(10)),
		"d) Hình thức sử dụng: Sử dụng riêng", "đ) Mục đích sử dụng: Đất ở tại đô thị", "e) Thời hạn sử dụng: Lâu dài", "g) Nguồn gốc sử dụng: Nhà nước công nhận quyền sử dụng đất như giao đất có thu tiền sử dụng đất")
	if g.chance(0.5) {
		b.page()
	}
	b.ln("2. Nhà ở: a) Loại nhà ở: Nhà ở riêng lẻ; b) Diện tích xây dựng: 80 m2; c) Kết cấu: Bê tông cốt thép; d) Số tầng: 3", "3. Công trình xây dựng khác: -/-", "4. Rừng sản xuất là rừng trồng: -/-", "5. Cây lâu năm: -/-", "6. Ghi chú: -/-")
	b.ln("III. Sơ đồ thửa đất, nhà ở và tài sản khác gắn liền với đất")
	b.place(AsOf.AddDate(-g.r.IntN(20), 0, 0), o.Province)
	b.ln("TM. ỦY BAN NHÂN DÂN", "Số vào sổ cấp GCN: CH"+fmt.Sprintf("%05d", g.r.IntN(99999)))
}

// Hợp đồng thuê / mượn / cho ở nhờ nhà ở.
func renderHopDongThue(b *builder, c *docCtx) {
	g := b.g
	o := g.person(g.chance(0.5), "", 1950, 1990)
	t := g.person(g.chance(0.5), "", 1970, 2005)
	kind := g.pick([]string{"THUÊ NHÀ Ở", "CHO MƯỢN NHÀ Ở", "CHO Ở NHỜ"})
	b.header()
	b.ln("HỢP ĐỒNG " + kind)
	b.ln("Căn cứ Bộ luật Dân sự năm 2015; Căn cứ Luật Nhà ở năm 2023;")
	b.ln(fmt.Sprintf("Hôm nay, ngày %02d tháng %02d năm %d, tại %s, chúng tôi gồm:", AsOf.Day(), int(AsOf.Month()), AsOf.Year()-g.r.IntN(2), o.Province.name))
	b.ln("BÊN A (Bên cho thuê/chủ sở hữu):")
	b.name("Ông/Bà", "owner", o.Name)
	b.dob("Sinh ngày", "owner", o.DOB)
	b.id("Số CCCD", "owner", o.ID)
	b.addr("Thường trú tại", "owner", o.Address)
	b.ln("BÊN B (Bên thuê/bên ở):")
	b.name("Ông/Bà", "tenant", t.Name)
	b.dob("Sinh ngày", "tenant", t.DOB)
	b.id("Số CCCD", "tenant", t.ID)
	b.ln("Hai bên thỏa thuận ký kết hợp đồng với các điều khoản sau:")
	b.ln("Điều 1. Bên A đồng ý cho Bên B " + strings.ToLower(kind) + " tại địa chỉ: " + o.Address + ", diện tích sử dụng " + fmt.Sprint(20+g.r.IntN(80)) + " m2.")
	b.ln(fmt.Sprintf("Điều 2. Giá thuê: %d.000.000 đồng/tháng. Phương thức thanh toán: tiền mặt.", 1+g.r.IntN(15)))
	b.ln(fmt.Sprintf("Điều 3. Thời hạn: %d tháng kể từ ngày ký.", 12+g.r.IntN(36)))
	b.ln("Điều 4. Bên A đồng ý để Bên B đăng ký thường trú/tạm trú tại địa chỉ trên.", "Điều 5. Hợp đồng được lập thành 02 bản, mỗi bên giữ 01 bản và được công chứng/chứng thực theo quy định.")
	b.ln("BÊN A                               BÊN B", "(Ký, ghi rõ họ tên)                 (Ký, ghi rõ họ tên)")
}

// Bản vẽ thiết kế xây dựng (title block text of drawing sheets).
func renderBanVe(b *builder, c *docCtx) {
	g := b.g
	o := g.person(g.chance(0.6), "", 1955, 2000)
	site := g.address(o.Province)
	sheets := []string{"MẶT BẰNG TỔNG THỂ", "MẶT BẰNG TẦNG 1", "MẶT ĐỨNG TRỤC 1-5", "MẶT CẮT A-A", "MẶT BẰNG MÓNG", "MẶT CẮT MÓNG M1"}
	n := 1 + g.r.IntN(3)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.page()
		}
		b.ln("CÔNG TY TNHH TƯ VẤN THIẾT KẾ XÂY DỰNG " + strings.ToUpper(g.pick([]string{"An Phát", "Hưng Thịnh", "Kiến Việt", "Nhà Đẹp"})))
		b.ln("HỒ SƠ THIẾT KẾ XÂY DỰNG - BẢN VẼ THI CÔNG")
		b.ln("CÔNG TRÌNH: NHÀ Ở RIÊNG LẺ " + fmt.Sprint(2+g.r.IntN(4)) + " TẦNG")
		if i == 0 {
			b.w("CHỦ ĐẦU TƯ: " + map[bool]string{true: "ÔNG ", false: "BÀ "}[o.Male])
			b.v("full_name", "owner", strings.ToUpper(o.Name), NormalizeName(o.Name))
			b.ln("")
		} else {
			b.ln("CHỦ ĐẦU TƯ: " + strings.ToUpper(o.Name))
		}
		b.ln("ĐỊA ĐIỂM: " + strings.ToUpper(site))
		b.ln("HẠNG MỤC: " + g.pick([]string{"KIẾN TRÚC", "KẾT CẤU"}))
		b.ln("TÊN BẢN VẼ: " + g.pick(sheets))
		b.ln(fmt.Sprintf("KÝ HIỆU: KT-%02d   TỶ LỆ: 1/%d", i+1, []int{50, 100, 200}[g.r.IntN(3)]))
		b.ln("CHỦ NHIỆM THIẾT KẾ: KTS. "+strings.ToUpper(g.name(true, "")), "THIẾT KẾ: KS. "+strings.ToUpper(g.name(g.chance(0.5), "")), "KIỂM TRA: KS. "+strings.ToUpper(g.name(true, "")))
		b.ln("GHI CHÚ: Cốt ±0.000 lấy theo cốt nền tầng 1; kích thước ghi theo mm; cao độ ghi theo m.")
		b.ln(fmt.Sprintf("Trục 1   Trục 2   Trục 3   %d   %d   %d", 3300+g.r.IntN(900), 4000+g.r.IntN(800), 3600))
	}
}

// data/forms/37_giay_phep_xay_dung.txt filled in: the permit itself.
func renderGPXD(b *builder, c *docCtx) {
	g := b.g
	o := g.person(g.chance(0.6), "", 1955, 2000)
	b.ln("ỦY BAN NHÂN DÂN "+strings.ToUpper(g.pick(o.Province.ward)), "-------")
	b.header()
	b.ln("GIẤY PHÉP XÂY DỰNG", fmt.Sprintf("Số: %d/GPXD", 1+g.r.IntN(900)), "(Sử dụng cho nhà ở riêng lẻ)")
	b.w("1. Cấp cho: " + map[bool]string{true: "Ông ", false: "Bà "}[o.Male])
	b.v("full_name", "owner", b.nameShown(o.Name), NormalizeName(o.Name))
	b.ln("")
	b.ln("Địa chỉ: " + o.Address)
	b.ln("2. Được phép xây dựng công trình: Nhà ở riêng lẻ", "- Theo thiết kế: Bản vẽ thiết kế do Công ty TNHH Tư vấn thiết kế lập", "- Gồm các nội dung sau:", "+ Vị trí xây dựng (ghi rõ lô đất, địa chỉ): "+g.address(o.Province))
	b.ln(fmt.Sprintf("+ Mật độ xây dựng: %d%%  hệ số sử dụng đất: %d", 60+g.r.IntN(30), 2+g.r.IntN(4)), fmt.Sprintf("+ Chiều cao công trình: %d m;", 8+g.r.IntN(12)), fmt.Sprintf("+ Số tầng: %d", 2+g.r.IntN(4)))
	b.ln("3. Giấy tờ về đất đai: Giấy chứng nhận quyền sử dụng đất số CS " + fmt.Sprintf("%06d", g.r.IntN(999999)))
	b.ln("4. Giấy phép này có hiệu lực khởi công xây dựng trong thời hạn 12 tháng kể từ ngày cấp; quá thời hạn trên thì phải đề nghị gia hạn giấy phép xây dựng.")
	b.ln("Nơi nhận:", "- Chủ đầu tư;", "- Lưu: VT", "THỦ TRƯỞNG CƠ QUAN CẤP GIẤY PHÉP XÂY DỰNG", "(Ký tên, đóng dấu)")
}

// Giấy chứng nhận kết hôn.
func renderKetHon(b *builder, c *docCtx) {
	g := b.g
	h := g.person(true, "", 1975, 2002)
	w := g.person(false, "", 1978, 2004)
	reg := AsOf.AddDate(-1-g.r.IntN(10), -g.r.IntN(12), 0)
	b.header()
	b.ln("GIẤY CHỨNG NHẬN KẾT HÔN", fmt.Sprintf("Số: %d   Quyển số: %02d/%d", 1+g.r.IntN(300), 1+g.r.IntN(9), reg.Year()))
	b.name("Họ, chữ đệm, tên chồng", "husband", h.Name)
	b.dob("Ngày, tháng, năm sinh", "husband", h.DOB)
	b.ln("Dân tộc: Kinh   Quốc tịch: Việt Nam")
	b.addr("Nơi cư trú", "husband", h.Address)
	b.id("Giấy tờ tùy thân: CCCD số", "husband", h.ID)
	b.name("Họ, chữ đệm, tên vợ", "wife", w.Name)
	b.dob("Ngày, tháng, năm sinh", "wife", w.DOB)
	b.ln("Dân tộc: Kinh   Quốc tịch: Việt Nam")
	b.addr("Nơi cư trú", "wife", w.Address)
	b.id("Giấy tờ tùy thân: CCCD số", "wife", w.ID)
	b.ln("Nơi đăng ký kết hôn: Ủy ban nhân dân " + g.pick(h.Province.ward) + ", " + h.Province.name)
	b.ln(fmt.Sprintf("Ngày, tháng, năm đăng ký: %02d/%02d/%d", reg.Day(), int(reg.Month()), reg.Year()))
	b.ln("Chồng                 Vợ", "(Ký, ghi rõ họ tên)    (Ký, ghi rõ họ tên)", "NGƯỜI KÝ GIẤY CHỨNG NHẬN KẾT HÔN")
}

// Trích lục khai sinh (bản sao).
func renderTrichLuc(b *builder, c *docCtx) {
	g := b.g
	father := g.person(true, "", 1955, 1990)
	mother := g.person(false, "", 1958, 1992)
	p := g.person(g.chance(0.5), strings.Fields(father.Name)[0], 1980, 2018)
	b.ln("ỦY BAN NHÂN DÂN", strings.ToUpper(g.pick(p.Province.ward)))
	b.header()
	b.ln("TRÍCH LỤC KHAI SINH", "(BẢN SAO)", fmt.Sprintf("Số: %d/TLKS-BS", 1+g.r.IntN(900)))
	b.name("Họ, chữ đệm, tên", "child", p.Name)
	b.dob("Ngày, tháng, năm sinh", "child", p.DOB)
	b.ln("Giới tính: " + sexWord(p.Male) + "   Dân tộc: Kinh   Quốc tịch: Việt Nam")
	b.ln("Nơi sinh: " + g.pick(hospitals) + ", " + p.Province.name)
	b.ln("Quê quán: " + father.Province.name)
	b.id("Số định danh cá nhân", "child", p.ID)
	b.name("Họ, chữ đệm, tên người mẹ", "mother", mother.Name)
	b.kv("Năm sinh", "year_of_birth", "mother", fmt.Sprint(mother.DOB.Year()), fmt.Sprint(mother.DOB.Year()))
	b.name("Họ, chữ đệm, tên người cha", "father", father.Name)
	b.kv("Năm sinh", "year_of_birth", "father", fmt.Sprint(father.DOB.Year()), fmt.Sprint(father.DOB.Year()))
	b.ln("Nơi đăng ký khai sinh: Ủy ban nhân dân "+g.pick(p.Province.ward), fmt.Sprintf("Ngày, tháng, năm đăng ký: %02d/%02d/%d", p.DOB.Day(), int(p.DOB.Month()), p.DOB.Year()))
	b.ln("Sao từ Sổ đăng ký khai sinh", "NGƯỜI KÝ TRÍCH LỤC")
}

// data/forms/08_cccd.txt (Tờ khai căn cước công dân, mẫu CC01).
func renderToKhaiCC(b *builder, c *docCtx) {
	g := b.g
	p := g.person(g.chance(0.5), "", 1960, 2010)
	b.ln("Mẫu CC01 ban hành kèm theo Thông tư số 66/2015/TT-BCA")
	b.header()
	b.ln("TỜ KHAI CĂN CƯỚC CÔNG DÂN")
	b.name("1. Họ, chữ đệm và tên(1)", "applicant", p.Name)
	b.ln("2. Họ, chữ đệm và tên gọi khác (nếu có)(1): Không")
	b.w("3. Ngày, tháng, năm sinh: ")
	b.v("date_of_birth", "applicant", p.DOB.Format("02/01/2006"), iso(p.DOB))
	b.ln("; 4. Giới tính (Nam/nữ): " + sexWord(p.Male))
	b.id("5. Số CMND/CCCD", "applicant", p.ID)
	b.ln("6. Dân tộc: Kinh; 7. Tôn giáo: Không 8. Quốc tịch: Việt Nam", "9. Tình trạng hôn nhân: "+g.pick([]string{"Độc thân", "Đã kết hôn"})+" 10. Nhóm máu (nếu có): O")
	b.ln("11. Nơi đăng ký khai sinh: "+p.Province.name, "12. Quê quán: "+p.Province.name)
	b.addr("13. Nơi thường trú", "applicant", p.Address)
	b.ln("14. Nơi ở hiện tại: "+p.Address, "15. Nghề nghiệp: "+g.pick([]string{"Kỹ sư", "Giáo viên", "Nông dân", "Học sinh", "Kinh doanh"})+" 16. Trình độ học vấn: 12/12")
}
