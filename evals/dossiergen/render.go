package dossiergen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// person is a synthetic person: no name, ID number or address belongs to
// anyone real. ID numbers follow the real format (province code, century
// and sex digit, year of birth, six digits).
type person struct {
	Name    string
	Male    bool
	DOB     time.Time
	ID      string
	Address string
	Issue   time.Time
	Expiry  time.Time
}

var (
	surnames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middlesM = []string{"Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Xuân", "Công"}
	middlesF = []string{"Thị", "Thu", "Ngọc", "Thanh", "Mai", "Kim", "Bích", "Hồng"}
	givenM   = []string{"Anh", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quân", "Sơn", "Thắng", "Tuấn", "Việt"}
	givenF   = []string{"Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Phương", "Thảo", "Trang", "Yến"}
	places   = []struct{ code, ward, city string }{
		{"001", "phường Ba Đình", "thành phố Hà Nội"}, {"001", "phường Cầu Giấy", "thành phố Hà Nội"}, {"031", "phường Lê Chân", "thành phố Hải Phòng"},
		{"048", "phường Hải Châu", "thành phố Đà Nẵng"}, {"079", "phường Sài Gòn", "Thành phố Hồ Chí Minh"}, {"038", "phường Hạc Thành", "tỉnh Thanh Hóa"},
		{"040", "phường Vinh Phú", "tỉnh Nghệ An"}, {"092", "phường Ninh Kiều", "thành phố Cần Thơ"},
	}
	streets   = []string{"Kim Mã", "Trần Phú", "Lê Lợi", "Nguyễn Trãi", "Hoàng Hoa Thám", "Lạc Long Quân", "Điện Biên Phủ", "Hai Bà Trưng"}
	hospitals = []string{"Bệnh viện Phụ sản Hà Nội", "Bệnh viện Từ Dũ", "Bệnh viện Đa khoa tỉnh Thanh Hóa", "Bệnh viện Phụ sản Hải Phòng", "Bệnh viện Hùng Vương"}
)

// gen carries one dossier's people and state while its files are rendered.
type gen struct {
	r    *rand.Rand
	tpls map[string]string
	asOf time.Time

	applicant, spouse, child, other person
	place                           int
	expired                         bool
	mismatch                        int // index of the file that misspells the applicant (0: none)
	fileIndex                       int
	mismatchDrawn                   bool
	mismatchNames                   []string // the misspellings handed out for the current file
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) person(male bool, surname string, minYear, maxYear int) person {
	p := person{Male: male}
	if surname == "" {
		surname = g.pick(surnames)
	}
	if male {
		p.Name = surname + " " + g.pick(middlesM) + " " + g.pick(givenM)
	} else {
		p.Name = surname + " " + g.pick(middlesF) + " " + g.pick(givenF)
	}
	y := minYear + g.r.IntN(maxYear-minYear+1)
	p.DOB = time.Date(y, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
	pl := places[g.place]
	sexDigit := 2 // born 2000-2099: 2 male, 3 female; 1900s: 0/1
	if y < 2000 {
		sexDigit = 0
	}
	if !male {
		sexDigit++
	}
	p.ID = fmt.Sprintf("%s%d%02d%06d", pl.code, sexDigit, y%100, g.r.IntN(1000000))
	p.Address = fmt.Sprintf("Số %d, phố %s, %s, %s", 1+g.r.IntN(200), g.pick(streets), pl.ward, pl.city)
	// Cards issued in the last ten years, valid to the next age milestone.
	p.Issue = g.asOf.AddDate(-1-g.r.IntN(8), -g.r.IntN(12), -g.r.IntN(28))
	if p.Issue.Before(p.DOB.AddDate(14, 0, 0)) {
		p.Issue = p.DOB.AddDate(14, 1, 0)
	}
	p.Expiry = cardExpiry(p.DOB, p.Issue)
	// A card that reached its age milestone before the dossier was renewed
	// three months before it (valid to the next milestone): only the
	// expired_id fault makes an expired card.
	for !p.Expiry.IsZero() && p.Expiry.Before(g.asOf) {
		p.Issue = p.Expiry.AddDate(0, -3, 0)
		p.Expiry = cardExpiry(p.DOB, p.Issue)
	}
	return p
}

// cardExpiry: an identity card is valid until the holder turns 25, 40 or
// 60 (whichever comes next after issue), for life after 60.
func cardExpiry(dob, issue time.Time) time.Time {
	for _, age := range []int{25, 40, 60} {
		m := dob.AddDate(age, 0, 0)
		if issue.Before(m.AddDate(-2, 0, 0)) {
			return m
		}
	}
	return time.Time{}
}

func (g *gen) people() {
	g.place = g.r.IntN(len(places))
	g.expired, g.mismatch, g.mismatchDrawn, g.mismatchNames = false, 0, false, nil
	fem := g.r.IntN(3) > 0
	g.applicant = g.person(!fem, "", 1970, 2002)
	g.spouse = g.person(fem, "", 1970, 2002)
	g.spouse.Address = g.applicant.Address
	father := g.spouse
	if !fem {
		father = g.applicant
	}
	g.child = g.person(g.r.IntN(2) == 0, strings.Fields(father.Name)[0], 2026, 2026)
	g.child.DOB = g.asOf.AddDate(0, 0, -3-g.r.IntN(50))
	g.other = g.person(g.r.IntN(2) == 0, "", 1940, 1960)
}

func date(t time.Time) string { return t.Format("02/01/2006") }

// applicantName is the applicant's name as this file writes it: a
// different middle name on the file chosen for a mismatched-name fault.
func (g *gen) applicantName() string {
	if g.mismatch > 0 && g.fileIndex == g.mismatch {
		f := strings.Fields(g.applicant.Name)
		mids := middlesF
		if g.applicant.Male {
			mids = middlesM
		}
		for {
			m := g.pick(mids)
			if m != f[1] {
				f[1] = m
				n := strings.Join(f, " ")
				g.mismatchNames = append(g.mismatchNames, n)
				return n
			}
		}
	}
	return g.applicant.Name
}

func (g *gen) mother() (person, string) {
	if !g.applicant.Male {
		return g.applicant, g.applicantName()
	}
	return g.spouse, g.spouse.Name
}

func (g *gen) father() (person, string) {
	if g.applicant.Male {
		return g.applicant, g.applicantName()
	}
	return g.spouse, g.spouse.Name
}

func sex(male bool) string {
	if male {
		return "Nam"
	}
	return "Nữ"
}

const header = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"

func (g *gen) placeLine() string {
	pl := places[g.place]
	return fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", strings.TrimPrefix(strings.TrimPrefix(pl.city, "thành phố "), "tỉnh "), g.asOf.Day(), int(g.asOf.Month()), g.asOf.Year())
}

// render returns the pages of one document of type doc.
func (g *gen) render(doc string) []string {
	a := g.applicant
	name := g.applicantName()
	pl := places[g.place]
	var s string
	switch doc {
	case "giay_chung_sinh":
		m, mn := g.mother()
		s = header + "GIẤY CHỨNG SINH\n" + fmt.Sprintf("Số: %d/GCS\nCơ sở khám bệnh, chữa bệnh: %s\n", 1000+g.r.IntN(9000), g.pick(hospitals)) +
			"Họ và tên mẹ: " + mn + "\nNăm sinh: " + fmt.Sprint(m.DOB.Year()) + "\nSố định danh cá nhân: " + m.ID + "\nNơi cư trú: " + m.Address +
			"\nDân tộc: Kinh\nĐã sinh con vào lúc: " + fmt.Sprintf("%02d giờ %02d phút, ngày %s", g.r.IntN(24), g.r.IntN(60), date(g.child.DOB)) +
			"\nTại: " + g.pick(hospitals) + "\nSố lần sinh: 1   Số con trong lần sinh này: 1\nGiới tính của con: " + sex(g.child.Male) +
			fmt.Sprintf("\nCân nặng: %d gram\n", 2600+g.r.IntN(1400)) + "Dự định đặt tên con: " + g.child.Name + "\nNgười đỡ đẻ: Hộ sinh " + g.person(false, "", 1975, 1995).Name +
			"\n" + g.placeLine() + "\nTHỦ TRƯỞNG CƠ SỞ KHÁM BỆNH, CHỮA BỆNH\n(Ký, ghi rõ họ tên, đóng dấu)"
	case "van_ban_lam_chung":
		w := g.other
		m, mn := g.mother()
		s = header + "VĂN BẢN XÁC NHẬN CỦA NGƯỜI LÀM CHỨNG\n(về việc sinh)\nKính gửi: Ủy ban nhân dân " + pl.ward + "\n" +
			"Họ, chữ đệm, tên người làm chứng: " + w.Name + "\nNgày, tháng, năm sinh: " + date(w.DOB) + "\nSố định danh cá nhân: " + w.ID + "\nNơi cư trú: " + w.Address +
			"\nTôi xác nhận bà " + mn + ", sinh năm " + fmt.Sprint(m.DOB.Year()) + ", đã sinh một cháu " + strings.ToLower(sex(g.child.Male)) + " vào ngày " + date(g.child.DOB) +
			" tại nhà riêng, " + m.Address + ". Việc sinh không có Giấy chứng sinh vì sinh ngoài cơ sở y tế.\nTôi cam đoan lời làm chứng trên là đúng sự thật.\n" + g.placeLine() + "\nNGƯỜI LÀM CHỨNG\n(Ký, ghi rõ họ tên)\n" + w.Name
	case "giay_cam_doan":
		m, mn := g.mother()
		s = header + "GIẤY CAM ĐOAN VỀ VIỆC SINH\nKính gửi: Ủy ban nhân dân " + pl.ward + "\nHọ, chữ đệm, tên người cam đoan: " + mn + "\nNgày, tháng, năm sinh: " + date(m.DOB) +
			"\nSố định danh cá nhân: " + m.ID + "\nNơi cư trú: " + m.Address + "\nTôi xin cam đoan đã sinh cháu " + g.child.Name + " vào ngày " + date(g.child.DOB) +
			" tại nhà. Do không có người làm chứng, tôi làm giấy cam đoan này và chịu trách nhiệm trước pháp luật về nội dung cam đoan.\n" + g.placeLine() + "\nNGƯỜI CAM ĐOAN\n" + mn
	case "to_khai_khai_sinh":
		m, mn := g.mother()
		f, fn := g.father()
		s = g.fill("11_dang_ky_khai_sinh.txt", map[string]string{
			"kinh gui": "Ủy ban nhân dân " + pl.ward, "ho, chu dem, ten nguoi yeu cau": name, "giay to tuy than": "Thẻ căn cước số " + a.ID,
			"quan he voi nguoi duoc khai sinh": map[bool]string{true: "Cha", false: "Mẹ"}[a.Male],
			"ho, chu dem, ten:":                g.child.Name, "ngay, thang, nam sinh": date(g.child.DOB), "gioi tinh": sex(g.child.Male), "dan toc": "Kinh", "quoc tich": "Việt Nam",
			"noi sinh": g.pick(hospitals), "que quan": pl.city, "ho, chu dem, ten nguoi me": mn, "ho, chu dem, ten nguoi cha": fn,
			"nam sinh#1": fmt.Sprint(m.DOB.Year()), "nam sinh#2": fmt.Sprint(f.DOB.Year()), "noi cu tru": a.Address,
		})
	case "to_khai_khai_tu":
		dd := g.other
		s = g.fill("56_TK_DK_khai_tu.txt", map[string]string{
			"kinh gui": "Ủy ban nhân dân " + pl.ward, "ho, chu dem, ten nguoi yeu cau": name, "ngay, thang, nam sinh#1": date(a.DOB), "noi cu tru": a.Address,
			"giay to tuy than#1": "Thẻ căn cước số " + a.ID, "quan he voi nguoi da chet": "Con", "ho, chu dem, ten:": dd.Name, "ngay, thang, nam sinh#2": date(dd.DOB),
			"gioi tinh": sex(dd.Male), "dan toc": "Kinh", "quoc tich": "Việt Nam", "noi cu tru cuoi cung": a.Address, "giay to tuy than#2": "Thẻ căn cước số " + dd.ID,
			"noi chet": "Tại nhà riêng, " + a.Address, "nguyen nhan chet": "Bệnh già",
		})
	case "ct01":
		s = g.fill("58_TK_thay_doi_thong_tin_cu_tru.txt", map[string]string{
			"kinh gui": "Công an " + pl.ward, "ho, chu dem va ten:": name, "ngay, thang, nam sinh": date(a.DOB), "gioi tinh": sex(a.Male),
			"so dinh danh ca nhan:": a.ID, "so dien thoai": fmt.Sprintf("09%08d", g.r.IntN(100000000)), "ho, chu dem va ten chu ho": name,
			"moi quan he voi chu ho": "Chủ hộ", "so dinh danh ca nhan cua chu ho": a.ID, "noi dung de nghi": "Đăng ký cư trú tại " + a.Address,
		})
	case "giay_uy_quyen":
		s = g.fill("38_giay_uy_quyen.txt", map[string]string{
			"ho va ten#1": name, "ngay sinh#1": date(a.DOB), "so cccd#1": a.ID, "dia chi#1": a.Address,
			"ho va ten#2": g.other.Name, "ngay sinh#2": date(g.other.DOB), "so cccd#2": g.other.ID, "dia chi#2": g.other.Address,
		})
	case "cccd":
		exp := a.Expiry
		if g.expired {
			exp = g.asOf.AddDate(0, -1-g.r.IntN(30), -g.r.IntN(28))
		}
		expS := "Không thời hạn"
		if !exp.IsZero() {
			expS = date(exp)
		}
		s = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSOCIALIST REPUBLIC OF VIET NAM\nCĂN CƯỚC CÔNG DÂN\nCitizen Identity Card\nSố / No.: " + a.ID +
			"\nHọ và tên / Full name:\n" + strings.ToUpper(name) + "\nNgày sinh / Date of birth: " + date(a.DOB) + "\nGiới tính / Sex: " + sex(a.Male) +
			"   Quốc tịch / Nationality: Việt Nam\nQuê quán / Place of origin: " + pl.city + "\nNơi thường trú / Place of residence: " + a.Address +
			"\nCó giá trị đến / Date of expiry: " + expS + "\fĐặc điểm nhân dạng / Personal identification: Nốt ruồi cách 2 cm trên đuôi mắt trái\nNgày, tháng, năm / Date, month, year: " +
			date(a.Issue) + "\nCỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI\nDIRECTOR GENERAL OF THE POLICE DEPARTMENT FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER"
	case "hop_dong_thue_nha":
		o := g.other
		s = header + fmt.Sprintf("HỢP ĐỒNG THUÊ NHÀ Ở\nSố: %d/HĐTN\n", 10+g.r.IntN(90)) + "Hôm nay, " + g.placeLine() + ", chúng tôi gồm:\nBÊN CHO THUÊ (Bên A):\nÔng/Bà: " + o.Name +
			"\nSố định danh cá nhân: " + o.ID + "\nĐịa chỉ: " + o.Address + "\nBÊN THUÊ (Bên B):\nÔng/Bà: " + name + "\nSố định danh cá nhân: " + a.ID +
			"\nHai bên thỏa thuận ký hợp đồng cho thuê nhà ở với các điều khoản sau:\nĐiều 1. Bên A cho Bên B thuê căn nhà tại " + a.Address +
			fmt.Sprintf(", diện tích sử dụng %d m2, để ở.\nĐiều 2. Thời hạn thuê %d tháng; giá thuê %d.000.000 đồng/tháng.\n", 30+g.r.IntN(60), 12+12*g.r.IntN(3), 3+g.r.IntN(9)) +
			"Điều 3. Bên A đồng ý để Bên B đăng ký cư trú tại địa chỉ nhà cho thuê.\nHợp đồng được công chứng tại Văn phòng công chứng " + g.pick(streets) + ".\nBÊN CHO THUÊ          BÊN THUÊ"
	case "gcn_qsdd":
		s = header + "GIẤY CHỨNG NHẬN\nQUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT\n" +
			fmt.Sprintf("Số vào sổ cấp GCN: CS %05d\n", g.r.IntN(100000)) + "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất\nÔng/Bà: " + name +
			", sinh năm " + fmt.Sprint(a.DOB.Year()) + "\nSố định danh cá nhân: " + a.ID + "\nĐịa chỉ thường trú: " + a.Address +
			fmt.Sprintf("\nII. Thửa đất, nhà ở và tài sản khác gắn liền với đất\n1. Thửa đất số: %d, tờ bản đồ số: %d\n", 10+g.r.IntN(500), 1+g.r.IntN(60)) +
			"Địa chỉ: " + a.Address + fmt.Sprintf("\nDiện tích: %d m2; Hình thức sử dụng: riêng\nMục đích sử dụng: Đất ở tại đô thị\nThời hạn sử dụng: Lâu dài\n2. Nhà ở: Diện tích xây dựng %d m2; số tầng: %d\n", 40+g.r.IntN(100), 35+g.r.IntN(60), 1+g.r.IntN(5)) +
			"Sở Nông nghiệp và Môi trường " + pl.city + "\n" + g.placeLine()
	case "giay_de_nghi_hkd":
		biz := "Hộ kinh doanh " + g.pick([]string{"Tạp hóa", "Cà phê", "Phở", "Sửa xe", "May đo", "Bánh mì"}) + " " + strings.Fields(name)[2]
		s = header + "GIẤY ĐỀ NGHỊ ĐĂNG KÝ HỘ KINH DOANH\nKính gửi: Phòng Tài chính - Kế hoạch, Ủy ban nhân dân " + pl.ward + "\nTôi là (ghi họ tên bằng chữ in hoa): " + strings.ToUpper(name) +
			"\nNgày, tháng, năm sinh: " + date(a.DOB) + "   Giới tính: " + sex(a.Male) + "\nSố định danh cá nhân: " + a.ID + "\nĐịa chỉ thường trú: " + a.Address +
			"\nĐăng ký hộ kinh doanh do tôi là chủ hộ với các nội dung sau:\n1. Tên hộ kinh doanh: " + biz + "\n2. Địa chỉ trụ sở hộ kinh doanh: " + a.Address +
			"\n3. Ngành, nghề kinh doanh: Bán lẻ lương thực, thực phẩm, đồ uống\n" + fmt.Sprintf("4. Vốn kinh doanh: %d.000.000 đồng\n5. Số lượng lao động: %d\n", 50+g.r.IntN(500), 1+g.r.IntN(9)) +
			"Tôi cam kết chịu trách nhiệm trước pháp luật về tính hợp pháp, chính xác và trung thực của nội dung Giấy đề nghị này.\n" + g.placeLine() + "\nCHỦ HỘ KINH DOANH\n" + name
	case "don_gpxd", "don_cap_lai_gpxd":
		title := "ĐƠN ĐỀ NGHỊ CẤP GIẤY PHÉP XÂY DỰNG\n(Sử dụng cho công trình không theo tuyến, nhà ở riêng lẻ)"
		reason := ""
		if doc == "don_cap_lai_gpxd" {
			title = "ĐƠN ĐỀ NGHỊ ĐIỀU CHỈNH/GIA HẠN/CẤP LẠI GIẤY PHÉP XÂY DỰNG\n(Mẫu số 02 Phụ lục II Nghị định số 175/2024/NĐ-CP)"
			reason = fmt.Sprintf("\n6. Nội dung đề nghị: Cấp lại giấy phép xây dựng số %d/GPXD đã cấp ngày %s.\nLý do đề nghị cấp lại: giấy phép bị %s.", 100+g.r.IntN(900), date(g.asOf.AddDate(-1, -g.r.IntN(12), 0)), g.pick([]string{"rách, nát", "mất", "hư hỏng do ngập nước"}))
		}
		s = header + title + "\nKính gửi: Ủy ban nhân dân " + pl.ward + "\n1. Thông tin về chủ đầu tư:\n- Tên chủ đầu tư (tên chủ hộ): " + name + "\n- Người đại diện: " + name +
			"\n- Số định danh cá nhân: " + a.ID + "\n- Địa chỉ liên hệ: " + a.Address + fmt.Sprintf("\n- Số điện thoại: 09%08d", g.r.IntN(100000000)) +
			"\n2. Thông tin công trình:\n- Địa điểm xây dựng: " + a.Address + fmt.Sprintf("\n- Lô đất số: %d   Diện tích: %d m2\n3. Nội dung đề nghị cấp phép: nhà ở riêng lẻ, cấp III, %d tầng, tổng diện tích sàn %d m2.", 1+g.r.IntN(300), 50+g.r.IntN(150), 2+g.r.IntN(4), 120+g.r.IntN(400)) +
			"\n4. Đơn vị hoặc người chủ nhiệm thiết kế: Công ty Tư vấn thiết kế " + g.pick(streets) + "\n5. Dự kiến thời gian hoàn thành công trình: 12 tháng" + reason +
			"\nTôi xin cam kết làm theo đúng giấy phép được cấp, nếu sai tôi xin hoàn toàn chịu trách nhiệm và bị xử lý theo quy định của pháp luật.\n" + g.placeLine() + "\nNGƯỜI LÀM ĐƠN\n" + name
	case "giay_phep_xay_dung":
		s = g.fill("37_giay_phep_xay_dung.txt", map[string]string{"cap cho": name, "ong (ba)": name, "dia chi": a.Address, "dia diem xay dung": a.Address})
	case "to_khai_bhyt":
		s = g.fill("49_TK1-TS.txt", map[string]string{"ho va ten": g.child.Name, "ho, chu dem, ten": g.child.Name, "ngay, thang, nam sinh": date(g.child.DOB),
			"ngay thang nam sinh": date(g.child.DOB), "gioi tinh": sex(g.child.Male), "quoc tich": "Việt Nam", "dan toc": "Kinh", "dia chi": a.Address, "noi cu tru": a.Address,
			"ho ten cha/me": name, "so dien thoai": fmt.Sprintf("09%08d", g.r.IntN(100000000))})
	case "to_khai_ket_hon":
		b := g.spouse
		s = header + "TỜ KHAI ĐĂNG KÝ KẾT HÔN\nKính gửi: Ủy ban nhân dân " + pl.ward + "\nThông tin | Bên nữ | Bên nam\n"
		wife, wn, hus, hn := a, name, b, b.Name
		if a.Male {
			wife, wn, hus, hn = b, b.Name, a, name
		}
		s += "Họ, chữ đệm, tên bên nữ: " + wn + "\nNgày, tháng, năm sinh: " + date(wife.DOB) + "\nDân tộc: Kinh   Quốc tịch: Việt Nam\nNơi cư trú: " + wife.Address +
			"\nGiấy tờ tùy thân: Thẻ căn cước số " + wife.ID + "\nKết hôn lần thứ mấy: Lần thứ nhất\nHọ, chữ đệm, tên bên nam: " + hn + "\nNgày, tháng, năm sinh: " + date(hus.DOB) +
			"\nDân tộc: Kinh   Quốc tịch: Việt Nam\nNơi cư trú: " + hus.Address + "\nGiấy tờ tùy thân: Thẻ căn cước số " + hus.ID +
			"\nKết hôn lần thứ mấy: Lần thứ nhất\nChúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam.\n" +
			g.placeLine() + "\nBên nữ          Bên nam\n" + wn + "          " + hn
	case "giay_ket_hon":
		s = header + "GIẤY CHỨNG NHẬN KẾT HÔN\n" + fmt.Sprintf("Số: %d\n", 10+g.r.IntN(300)) + "Họ, chữ đệm, tên vợ: " + g.person(false, "", 1960, 1990).Name + "\nHọ, chữ đệm, tên chồng: " + g.person(true, "", 1960, 1990).Name +
			"\nNgày đăng ký: " + date(g.asOf.AddDate(-5-g.r.IntN(20), 0, 0)) + "\nNơi đăng ký: Ủy ban nhân dân " + pl.ward
	case "hoa_don":
		s = fmt.Sprintf("HÓA ĐƠN GIÁ TRỊ GIA TĂNG\nKý hiệu: 1C26TAA   Số: %07d\nĐơn vị bán hàng: Công ty TNHH Thương mại %s\nMã số thuế: 01%08d\n", g.r.IntN(10000000), g.pick(streets), g.r.IntN(100000000)) +
			"Họ tên người mua hàng: " + name + fmt.Sprintf("\nSTT | Tên hàng hóa, dịch vụ | Số lượng | Đơn giá\n1 | Giấy in A4 | %d | 75.000\n2 | Mực in | 1 | 320.000\nTổng cộng tiền thanh toán: %d.000 đồng", 1+g.r.IntN(9), 400+g.r.IntN(900))
	case "giay_kham_suc_khoe":
		s = "GIẤY KHÁM SỨC KHỎE\n" + g.pick(hospitals) + "\nHọ và tên: " + name + "\nGiới tính: " + sex(a.Male) + "   Năm sinh: " + fmt.Sprint(a.DOB.Year()) +
			"\nSố định danh cá nhân: " + a.ID + "\nLý do khám: Khám sức khỏe định kỳ\nI. TIỀN SỬ BỆNH: không\nII. KHÁM THỂ LỰC: Chiều cao 162 cm; Cân nặng 55 kg; Mạch 76 lần/phút\nKẾT LUẬN: Đủ sức khỏe học tập, làm việc"
	default:
		s = "Tài liệu " + doc
	}
	s = vntext.NFC(s)
	return strings.Split(s, "\f")
}

var dots = regexp.MustCompile(`(?:\.{3,}|…+|_{3,})`)

// fill writes values into the dotted blanks of a real template: a blank
// takes the value whose key (accent-folded, "key#n" for the n-th
// occurrence of that label) the text before it on the line ends with or
// contains; blanks with no matching label stay dotted, as on a real form
// that the citizen left partly empty.
func (g *gen) fill(tpl string, values map[string]string) string {
	t, ok := g.tpls[tpl]
	if !ok {
		return "Thiếu mẫu " + tpl
	}
	seen := map[string]int{}
	var out []string
	for _, line := range strings.Split(t, "\n") {
		locs := dots.FindAllStringIndex(line, -1)
		if len(locs) == 0 {
			out = append(out, line)
			continue
		}
		var b strings.Builder
		prev := 0
		for _, l := range locs {
			before := line[prev:l[0]]
			b.WriteString(before)
			label := strings.Join(vntext.FoldedTokens(before), " ")
			if c := strings.IndexAny(before, ":"); c >= 0 {
				label = strings.Join(vntext.FoldedTokens(before[:c]), " ") + ":"
			}
			v, key := "", ""
			best := 0
			for k := range values {
				base, _, _ := strings.Cut(k, "#")
				kk := strings.Join(vntext.FoldedTokens(strings.TrimSuffix(base, ":")), " ")
				if strings.Contains(label, kk) && len(kk) > best {
					if strings.HasSuffix(base, ":") && !strings.HasSuffix(strings.TrimSpace(label), kk+":") {
						continue
					}
					best, key = len(kk), base
				}
			}
			if key != "" {
				seen[key]++
				if vv, ok := values[fmt.Sprintf("%s#%d", key, seen[key])]; ok {
					v = vv
				} else if vv, ok := values[key]; ok {
					v = vv
				}
			}
			if v == "" {
				b.WriteString(line[l[0]:l[1]])
			} else {
				b.WriteString(" " + v + " ")
			}
			prev = l[1]
		}
		b.WriteString(line[prev:])
		out = append(out, strings.TrimRight(b.String(), " \t"))
	}
	return strings.Join(out, "\n")
}

// loadTemplates reads the real blank forms the renderers fill.
func loadTemplates(dir string) (map[string]string, error) {
	out := map[string]string{}
	for _, f := range []string{"11_dang_ky_khai_sinh.txt", "56_TK_DK_khai_tu.txt", "58_TK_thay_doi_thong_tin_cu_tru.txt",
		"38_giay_uy_quyen.txt", "37_giay_phep_xay_dung.txt", "49_TK1-TS.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, fmt.Errorf("form template: %w", err)
		}
		out[f] = vntext.NFC(strings.ReplaceAll(string(b), "\r\n", "\n"))
	}
	return out, nil
}
