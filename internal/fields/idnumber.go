package fields

import (
	"fmt"
	"strconv"
)

// provinceCodes are the 63 province codes that open a 12-digit personal ID
// number (số định danh cá nhân), as assigned by Thông tư 07/2016/TT-BCA
// (the pre-2025 provinces; numbers issued before the 2025 merger keep them).
var provinceCodes = map[string]string{
	"001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
	"010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
	"017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
	"025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
	"033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
	"038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
	"046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
	"054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
	"064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
	"072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh",
	"080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
	"087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
	"094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

// IDInfo is what a 12-digit personal ID number encodes.
type IDInfo struct {
	Number    string   `json:"number"`
	Province  string   `json:"province"` // name of the province of birth registration
	Male      bool     `json:"male"`
	BirthYear int      `json:"birth_year_from_id"` // century from the 4th digit + 2 digits; 0 if unknown
	Problems  []string `json:"problems,omitempty"` // Vietnamese, empty when the number is well formed
}

// Valid reports whether the number is well formed.
func (i IDInfo) Valid() bool { return len(i.Problems) == 0 }

// ParseID decodes a 12-digit personal ID number: digits 1–3 the province
// code, digit 4 century and sex (0/1: 1900s male/female, 2/3: 2000s, 4/5:
// 2100s…), digits 5–6 the last two digits of the year of birth.
func ParseID(s string) IDInfo {
	info := IDInfo{Number: s}
	if len(s) != 12 {
		info.Problems = append(info.Problems, fmt.Sprintf("số định danh phải có 12 chữ số, có %d", len(s)))
		return info
	}
	if _, err := strconv.ParseUint(s, 10, 64); err != nil {
		info.Problems = append(info.Problems, "số định danh chỉ gồm chữ số")
		return info
	}
	p, ok := provinceCodes[s[:3]]
	if !ok {
		info.Problems = append(info.Problems, fmt.Sprintf("mã tỉnh %s không hợp lệ", s[:3]))
	}
	info.Province = p
	g := int(s[3] - '0')
	info.Male = g%2 == 0
	yy, _ := strconv.Atoi(s[4:6])
	info.BirthYear = 1900 + (g/2)*100 + yy
	return info
}

// CheckIDAgainst returns problems (in Vietnamese) when the ID number
// disagrees with a known year of birth or sex (male nil when unknown).
func CheckIDAgainst(id string, birthYear int, male *bool) []string {
	info := ParseID(id)
	probs := append([]string(nil), info.Problems...)
	if len(id) != 12 || info.BirthYear == 0 {
		return probs
	}
	if birthYear > 0 && info.BirthYear != birthYear {
		probs = append(probs, fmt.Sprintf("số định danh %s mã hóa năm sinh %d, giấy tờ ghi năm sinh %d", id, info.BirthYear, birthYear))
	}
	if male != nil && *male != info.Male {
		want := "nữ"
		if info.Male {
			want = "nam"
		}
		probs = append(probs, fmt.Sprintf("số định danh %s mã hóa giới tính %s, khác với giới tính trên giấy tờ", id, want))
	}
	return probs
}
