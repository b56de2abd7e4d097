package catalog

import (
	"encoding/json"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// national is one line of the national procedure scrape (procedures.jsonl,
// see shared/data/SOURCES.md). Only the fields hoso reads are listed.
type national struct {
	Ministry   string `json:"ministry_folder"`
	Code       string `json:"ma_thu_tuc"`
	URL        string `json:"detail_url"`
	Name       string `json:"ten_thu_tuc"`
	Decision   string `json:"so_quyet_dinh"`
	Level      string `json:"cap_thuc_hien"`
	Kind       string `json:"loai_thu_tuc"`
	Field      string `json:"linh_vuc"`
	Applicants string `json:"doi_tuong_thuc_hien"`
	Competent  string `json:"co_quan_co_tham_quyen"`
	Agency     string `json:"co_quan_thuc_hien"`
	Linked     string `json:"thu_tuc_lien_quan"`
	Methods    string `json:"cach_thuc_thuc_hien"`
	Components string `json:"thanh_phan_ho_so"`
	Legal      string `json:"can_cu_phap_ly"`
	Conditions string `json:"yeu_cau_dieu_kien"`
	Result     string `json:"ket_qua_xu_ly"`
}

// noInfo is the portal's "no information" placeholder.
const noInfo = "Không có thông tin"

// Ministry names for the scrape's folder names.
var ministries = map[string]string{
	"bo-tai-chinh":       "Bộ Tài chính",
	"bo-nong-nghiep-mt":  "Bộ Nông nghiệp và Môi trường",
	"bo-xay-dung":        "Bộ Xây dựng",
	"bo-cong-an":         "Bộ Công an",
	"bo-tu-phap":         "Bộ Tư pháp",
	"ngan-hang-nha-nuoc": "Ngân hàng Nhà nước Việt Nam",
	"toa-an-nhan-dan":    "Tòa án nhân dân",
	"bo-quoc-phong":      "Bộ Quốc phòng",
}

// MinistryName returns the Vietnamese name of a ministry folder, or folder.
func MinistryName(folder string) string {
	if n, ok := ministries[folder]; ok {
		return n
	}
	return folder
}

// ParseNational turns one JSON line of the national scrape into a Procedure
// with parsed requirements and legal basis. It fails only on malformed JSON
// or a missing code; a component text it cannot split yields low-confidence
// requirements and NeedsReview, never an error.
func ParseNational(line []byte) (Procedure, error) {
	var n national
	if err := json.Unmarshal(line, &n); err != nil {
		return Procedure{}, fmt.Errorf("decode procedure: %w", err)
	}
	n.Code = strings.TrimSpace(n.Code)
	if n.Code == "" {
		return Procedure{}, fmt.Errorf("decode procedure: empty ma_thu_tuc")
	}
	p := Procedure{
		Code:           n.Code,
		Name:           clean(n.Name),
		Field:          clean(n.Field),
		Level:          clean(n.Level),
		Agency:         firstInfo(n.Agency, n.Competent),
		Ministry:       MinistryName(n.Ministry),
		ApplicantTypes: splitList(n.Applicants),
		Result:         parseResult(n.Result),
		Linked:         parseLinked(n.Linked, n.Code),
		LegalBasis:     ParseLegalBasis(n.Legal),
		Source:         SourceImport,
		SourceURL:      n.URL,
		Requirements:   []Requirement{},
	}
	p.ProcessingTime, p.ProcessingDays, p.Fees = parseMethods(n.Methods)
	text := clean(n.Components)
	p.ComponentText = text
	if isEmptyComponents(text) {
		p.NeedsReview = true
		p.ReviewReasons = append(p.ReviewReasons, "không có thành phần hồ sơ (empty component text)")
		return p, nil
	}
	if stepsOnly(text) {
		p.NeedsReview = true
		p.ReviewReasons = append(p.ReviewReasons, "thành phần hồ sơ chỉ chứa phần cuối trình tự thực hiện, không liệt kê giấy tờ (the component field holds the end of the steps text, no papers)")
		return p, nil
	}
	reqs, reasons := ParseComponents(ownTitleCut(text, p.Name))
	p.Requirements = reqs
	p.Cases, p.Groups, p.Uncertain = structure(reqs)
	p.ReviewReasons = append(p.ReviewReasons, reasons...)
	p.NeedsReview = len(p.ReviewReasons) > 0
	return p, nil
}

// ownTitleCut drops the procedure's own name where the portal printed it
// as the title of the component table ("Thủ tục hải quan đối với hàng hóa
// quá cảnh …Tên giấy tờMẫu đơn, tờ khaiSố lượnga) Tờ khai …"): read as a
// heading, it made every paper conditional on the procedure itself, and so
// optional (24 papers in 12 national procedures).
func ownTitleCut(text, name string) string {
	if len(name) < 10 || len(text) < len(name) || !strings.EqualFold(text[:len(name)], name) {
		return text
	}
	rest := strings.TrimLeft(text[len(name):], " :.-")
	if !strings.HasPrefix(rest, tableHeader) {
		return text
	}
	return rest
}

// listsPapers: a row that introduces a list of papers ("Tuỳ từng trường
// hợp cụ thể dưới đây, người khai hải quan nộp thêm, xuất trình các chứng
// từ sau: • Bản kê …; • Giấy đăng ký kiểm tra …"), two of them at least,
// is no note, whatever the quantity its column shows.
func listsPapers(name string) bool {
	_, list, ok := cutIntro(name)
	if !ok {
		return false
	}
	n := 0
	for _, it := range listItems(list) {
		if f := vntext.Fold(it); startsWithDocHead(f) || startsWithDocNoun(f) {
			n++
		}
	}
	return n >= 2
}

// stepsOnly reports a component field that holds the end of the
// procedure's steps, not its papers: no table, and steps numbered "Bước 2.
// Cơ quan BHXH tiếp nhận …" (24 national procedures, most of them social
// insurance, where the portal's field starts mid-sentence: "); nộp hồ sơ
// cho cơ quan BHXH."). Read as papers, its sentences became requirements a
// check would report missing.
func stepsOnly(text string) bool {
	return !strings.Contains(text, tableHeader) && stepMark.MatchString(text)
}

var stepMark = regexp.MustCompile(`(?:^|\s)Bước\s*\d`)

// isEmptyComponents reports a component text with nothing in it: empty, the
// placeholder, or only the table's separators ("--"; 20 such records).
func isEmptyComponents(text string) bool {
	t := strings.ReplaceAll(text, tableHeader, "")
	t = strings.Trim(t, " -*:\n\t")
	if t == "" || t == noInfo {
		return true
	}
	// "Thành phần hồ sơ … không quy định0 bản chính": one row that says no
	// paper is asked for.
	t = quantity.ReplaceAllString(t, "")
	t = strings.TrimPrefix(strings.TrimSpace(t), "Thành phần hồ sơ")
	if noneRow(vntext.Fold(strings.Trim(t, " -*:.\n\t"))) {
		return true
	}
	// "Thủ tục huỷ tờ khai hải quan" + the table + "Không có.1 bản chính":
	// a titled table whose every row says no paper is asked for.
	cells, trailing := splitCells(text)
	if len(cells) == 0 || strings.TrimSpace(trailing) != "" {
		return false
	}
	for _, c := range cells {
		if !noneRow(vntext.Fold(strings.Trim(dropBullets(c.text), " -*:.\n\t"))) {
			return false
		}
	}
	return true
}

// noneRow: a component text that says no paper is asked for ("không quy
// định", "Không có").
func noneRow(f string) bool {
	switch f {
	case "khong", "khong co", "khong quy dinh", "khong yeu cau", "khong co thanh phan ho so", "khong phai nop ho so", "khong co giay to":
		return true
	}
	return false
}

// Sources of a procedure version.
const (
	SourceImport   = "import"
	SourceOverride = "override"
	SourceManual   = "manual"
)

// Methods of producing a requirement.
const (
	MethodRule       = "rule"
	MethodLLM        = "llm"
	MethodManual     = "manual"
	MethodStructured = "structured"
)

// ReviewThreshold is the confidence under which a requirement flags its
// procedure for operator review.
const ReviewThreshold = 0.6

func clean(s string) string {
	s = vntext.NFC(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u200e', '\u200f', '\u200b', '\ufeff':
			return -1
		case '\u00a0':
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

func firstInfo(ss ...string) string {
	for _, s := range ss {
		s = vntext.CollapseSpace(clean(s))
		if s != "" && s != noInfo {
			return s
		}
	}
	return ""
}

func splitList(s string) []string {
	s = clean(s)
	out := []string{}
	if s == "" || s == noInfo {
		return out
	}
	// Split on commas outside parentheses: "Tổ chức (không bao gồm doanh nghiệp, HTX), Doanh nghiệp".
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				if t := strings.TrimSpace(s[start:i]); t != "" {
					out = append(out, t)
				}
				start = i + 1
			}
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}

var (
	resultCode     = regexp.MustCompile(`Mã: KQ\.`)
	resultCodeRest = regexp.MustCompile(`^[A-Z]\d+\.\d+`)
)

// parseResult keeps the result documents, dropping the portal's page chrome
// that the crawler glued after them ("Mã: KQ…Từ khóa…Chọn cơ quan…").
func parseResult(s string) string {
	s = clean(s)
	if s == noInfo {
		return ""
	}
	var parts []string
	for _, seg := range resultCode.Split(s, -1) {
		// Each segment after the first starts with the code's remainder and
		// "Từ khóa…Mô tả…"; the next result name follows the description.
		if i := strings.Index(seg, "Chọn cơ quan thực hiện"); i >= 0 {
			seg = seg[:i]
		}
		if i := strings.LastIndex(seg, "Mô tả"); i >= 0 {
			seg = seg[i+len("Mô tả"):]
			seg = strings.TrimPrefix(seg, noInfo)
		}
		seg = strings.TrimSpace(resultCodeRest.ReplaceAllString(seg, ""))
		if seg != "" && seg != noInfo {
			parts = append(parts, seg)
		}
	}
	return vntext.CollapseSpace(strings.Join(parts, "; "))
}

var procCode = regexp.MustCompile(`\b[1-3]\.\d{6}\b`)

func parseLinked(s, self string) []string {
	var out []string
	seen := map[string]bool{self: true}
	for _, c := range procCode.FindAllString(s, -1) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

var methodRe = regexp.MustCompile(`(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)\s*([\d.,]+)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm)?`)
var feeRe = regexp.MustCompile(`(?:Lệ phí|Phí)\s*:?\s*[\d.,]+\s*(?:Đồng|VNĐ|đồng)[^A-ZĐ]*`)

// parseMethods reads the glued "Hình thức nộp | Thời gian | Phí, lệ phí | Mô
// tả" table: a readable processing time per channel, the processing days
// (direct submission first, in working days when the unit says so; hours are
// counted as 8 per day) and the fees as written.
func parseMethods(s string) (text string, days float64, fees string) {
	s = clean(s)
	ms := methodRe.FindAllStringSubmatch(s, -1)
	var parts []string
	best, bestRank := 0.0, -1
	for _, m := range ms {
		unit := m[3]
		if unit == "" {
			unit = "Ngày"
		}
		parts = append(parts, m[1]+": "+m[2]+" "+unit)
		v, err := strconv.ParseFloat(strings.ReplaceAll(m[2], ",", "."), 64)
		if err != nil {
			continue
		}
		switch {
		case strings.HasPrefix(unit, "Giờ"):
			v /= 8
		case unit == "Tháng":
			v *= 22
		case unit == "Năm":
			v *= 250
		}
		rank := 0
		if m[1] == "Trực tiếp" {
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = v, rank
		}
	}
	if bestRank >= 0 {
		days = best
	}
	var fs []string
	seen := map[string]bool{}
	for _, f := range feeRe.FindAllString(s, -1) {
		f = strings.TrimSpace(f)
		if !seen[f] {
			seen[f] = true
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 && strings.Contains(s, "Miễn phí") {
		fs = append(fs, "Miễn phí")
	}
	return strings.Join(parts, "; "), days, strings.Join(fs, "; ")
}

// --- legal basis -----------------------------------------------------------

const legalHeader = "Tên văn bản pháp lýMã văn bản"

// docNumber matches a Vietnamese document number: "123/2015/NĐ-CP",
// "66.7/2025/NQ-CP", "60/2014/QH13", "83/NĐ-CP", "01/VBHN-BTP".
var docNumber = regexp.MustCompile(`(\d+(?:\.\d+)?[a-z]?)\s*/\s*(?:(\d{4})\s*/\s*)?((?:[A-ZĐ]+\s*-\s*)*(?:TTg|[A-ZĐ]+))(\d{2})?`)

// ParseLegalBasis splits the glued "title + number" pairs of can_cu_phap_ly
// into normalised document numbers with their titles, deduplicated.
func ParseLegalBasis(s string) []LegalDoc {
	s = strings.TrimSpace(strings.TrimPrefix(clean(s), legalHeader))
	out := []LegalDoc{}
	if s == "" || s == noInfo {
		return out
	}
	seen := map[string]bool{}
	start := 0
	locs := docNumber.FindAllStringSubmatchIndex(s, -1)
	for i, m := range locs {
		end := m[1]
		issuer := s[m[6]:m[7]]
		// "…TT-BTCNghị định" glues the next title's capital to the issuer.
		if m[8] < 0 && end < len(s) {
			if r, _ := utf8.DecodeRuneInString(s[end:]); unicode.IsLower(r) {
				_, sz := utf8.DecodeLastRuneInString(issuer)
				issuer = issuer[:len(issuer)-sz]
				end -= sz
			}
		}
		if issuer == "" || m[4] < 0 && !strings.Contains(issuer, "-") {
			continue
		}
		// A number ends an entry when the next entry's title follows it
		// directly (a capital letter, possibly after a space) or the text ends.
		// Numbers inside a title are followed by " ngày", ")", "," or a digit.
		rest := s[end:]
		isEnd := rest == ""
		if !isEnd {
			r, _ := utf8.DecodeRuneInString(strings.TrimLeft(rest, " "))
			isEnd = unicode.IsUpper(r)
			if unicode.IsDigit(r) && i+1 < len(locs) && locs[i+1][0] == end {
				isEnd = false
			}
		}
		if !isEnd {
			continue
		}
		num := s[m[2]:m[3]] + "/" + issuer + s[max(m[8], 0):max(m[9], 0)]
		if m[4] >= 0 {
			num = s[m[2]:m[3]] + "/" + s[m[4]:m[5]] + "/" + issuer + s[max(m[8], 0):max(m[9], 0)]
		}
		num = legalnum.Normalize(num)
		title := strings.TrimSpace(s[start:m[0]])
		start = end
		title = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(title, "số"), "Luật"))
		for _, p := range []string{"Thông tư số", "Nghị định số", "Quyết định số", "Nghị quyết số", "Luật số", "Thông tư", "Nghị định", "Quyết định"} {
			if t := strings.TrimSpace(strings.TrimSuffix(title, p)); t != title && t != "" {
				title = t
				break
			}
		}
		title = vntext.CollapseSpace(title)
		if title == "" {
			title = num
		}
		if seen[num] {
			continue
		}
		seen[num] = true
		out = append(out, LegalDoc{Number: num, Title: title})
	}
	return out
}

// --- components --------------------------------------------------------------

const tableHeader = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"

// quantity matches the "Số lượng" column: "1 bản chính", "0 bản chính,1 bản
// sao" or "2 bản sao".
var quantity = regexp.MustCompile(`(\d+) bản chính(?:\s*,\s*(\d+) bản sao)?|(\d+) bản sao`)

// cell is one table row of the flattened component text.
type cell struct {
	text      string // the name column, with the form column glued at its end
	originals int
	copies    int
	header    string // the section header before the table the row is in
}

// splitCells cuts the flattened text into table rows at the quantity column.
func splitCells(text string) (cells []cell, trailing string) {
	sections := strings.Split(text, tableHeader)
	header := ""
	for si, sec := range sections {
		if si == 0 {
			header = sec
			continue
		}
		pos := 0
		ms := quantity.FindAllStringSubmatchIndex(sec, -1)
		for _, m := range ms {
			if m[0] < pos || !isColumn(sec, m) {
				continue
			}
			numStart, numEnd := m[2], m[3]
			if numStart < 0 {
				numStart, numEnd = m[6], m[7]
			}
			num := sec[numStart:numEnd]
			nameEnd := m[0]
			val := num
			if len(num) > 1 {
				before, _ := utf8.DecodeLastRuneInString(sec[:numStart])
				if len(num) == 2 && num[0] == '0' && (numStart == 0 || !isAlnum(before)) {
					val = num[1:]
				} else {
					// "…TT-BTC1 bản chính", "…năm 20251 bản chính": the column
					// holds one digit; the rest belongs to the name.
					val = num[len(num)-1:]
					nameEnd = numEnd - 1
				}
			}
			c := cell{text: sec[pos:nameEnd], header: header}
			v, _ := strconv.Atoi(val)
			if m[2] >= 0 {
				c.originals = v
				if m[4] >= 0 {
					c.copies, _ = strconv.Atoi(sec[m[4]:m[5]])
				}
			} else {
				c.copies = v
			}
			cells = append(cells, c)
			pos = m[1]
			if strayBracketRow(sec[pos:]) {
				pos += len(") ")
			}
		}
		rest := sec[pos:]
		if si+1 < len(sections) {
			header = rest
		} else {
			trailing = rest
		}
	}
	return cells, trailing
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// strayBracketRow: after a quantity, ") " and a capital open the next row.
func strayBracketRow(rest string) bool {
	t, ok := strings.CutPrefix(rest, ") ")
	r, _ := utf8.DecodeRuneInString(t)
	return ok && unicode.IsUpper(r)
}

// isColumn tells the quantity column from a quantity written inside a name
// ("Tờ khai hải quan: 02 bản chính. Tại ô…", "(01 bản chính)"). The column is
// glued to the next row, so a space, a clause punctuation or another quantity
// after it means it is text.
func isColumn(s string, m []int) bool {
	if m[0] > 0 && s[m[0]-1] == '(' {
		return false
	}
	rest := s[m[1]:]
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	// The portal's own column separator ("1 bản chính\tBản sao …").
	if r == '\t' {
		return true
	}
	if unicode.IsSpace(r) {
		// "1 bản chính - Tờ khai…" still starts a row with a bullet.
		t := strings.TrimLeft(rest, " ")
		if t == "" {
			return true
		}
		r2, _ := utf8.DecodeRuneInString(t)
		return r2 == '-' || r2 == '+' || r2 == '*'
	}
	// "(nếu có).0 bản chính,1 bản sao) Bản sao giấy chứng nhận …": the
	// next row's "b)" lost its letter (1.003712, 1.003727, 3.000048).
	if strayBracketRow(rest) {
		return true
	}
	t := strings.TrimLeft(rest, ";,.)")
	if len(t) != len(rest) {
		if t == "" {
			return true
		}
		r2, _ := utf8.DecodeRuneInString(t)
		if unicode.IsSpace(r2) || unicode.IsDigit(r2) {
			return false
		}
	}
	return true
}

var (
	fileExt     = regexp.MustCompile(`(?i)\.(docx?|pdf|xlsx?|rar|zip|odt)$`)
	anyFileExt  = regexp.MustCompile(`(?i)\.(docx?|pdf|xlsx?|rar|zip|odt)`)
	gluedForm   = regexp.MustCompile(`(?:Mẫu|Mau|MAU|Phụ lục|Phu luc|Phụ Lục|PL|Phlc|Don|Đơn|TK|Tờ khai|To khai)`)
	bullet      = regexp.MustCompile(`^(?:\*\)\s*|[-+•*\x{f0fc}\x{f0d8}\x{f0a7}–]+\s*|[a-zđ](?:\.\d{1,2})*\)\s*|\(?[ivx]+\)\s*|\(?\d+(?:\.\d+)*[.)]\s*|\(\d+(?:\.\d+)*\)\s*)`)
	formCodeRe  = regexp.MustCompile(`((?:[Mm]ẫu|MẪU)(?:\s+số)?|[Mm]ẫu đơn số|[Bb]iểu mẫu số)\s*([0-9A-ZĐ][0-9A-Za-zĐđ./\-_]*[0-9A-Za-zĐđ]|[0-9A-ZĐ])`)
	sentenceEnd = regexp.MustCompile(`[.;]\s+`)
	romanMarker = regexp.MustCompile(`(?:^|[\s;.])\([ivx]{1,5}\)$`)
)

// splitFormFile removes the form column (template file names such as
// "Mẫu số 05.docx" or several glued ones) from the end of a row's name.
func splitFormFile(s string) (name string, files []string) {
	s = strings.TrimSpace(s)
	for fileExt.MatchString(s) {
		ext := fileExt.FindStringIndex(s)
		body := s[:ext[0]]
		start := -1
		// Another file just before: "A.docxB.docx".
		if locs := anyFileExt.FindAllStringIndex(body, -1); len(locs) > 0 {
			start = locs[len(locs)-1][1]
		}
		if start < 0 {
			start = fileStart(body)
		}
		if start < 0 {
			break
		}
		files = append([]string{strings.TrimSpace(s[start:])}, files...)
		s = strings.TrimSpace(s[:start])
	}
	return s, files
}

// fileStart finds where a file name glued after a row's name begins: after
// the last sentence punctuation not followed by a space ("…đại diện.Mẫu số
// 65.docx"), or at a glued "Mẫu"/"Mau" ("…nhóm IVMau 35…").
func fileStart(body string) int {
	// "… theo mẫu1.000312.docx", "… hàng không chung1.000423.docx": a
	// file named after the procedure's code, glued to the last word (a
	// word of the name, not "Don_TT1.000672", which is all file).
	if m := codeFile.FindStringSubmatchIndex(body); m != nil {
		return m[2]
	}
	// "… theo mẫu quy định1.2. Don de nghi gia han ket noi ray.docx": a
	// file numbered as a section, glued to the last word (1.004681).
	if m := numberedFile.FindStringSubmatchIndex(body); m != nil {
		return m[2]
	}
	win := 0
	if locs := sentenceEnd.FindAllStringIndex(body, -1); len(locs) > 0 {
		win = locs[len(locs)-1][1]
	}
	// A glued ";" is the clearest boundary ("…theo mẫu;Mauon (1).docx").
	for i := len(body) - 2; i >= win; i-- {
		if body[i] == ';' && body[i+1] != ' ' {
			return i + 1
		}
	}
	for i := win; i < len(body); i++ {
		c := body[i]
		if (c == '.' || c == ';' || c == ')' || c == ':') && i+1 < len(body) {
			r, _ := utf8.DecodeRuneInString(body[i+1:])
			if !unicode.IsSpace(r) && !strings.ContainsRune(".;:)(,", r) {
				// Skip dotted numbers inside names ("24/5/2018", "1.2"):
				// a dot between digits is not a boundary.
				if c == '.' && i > 0 && isDigitByte(body[i-1]) {
					continue
				}
				// "…; (ii)Cam kết …": an enumeration marker, not a file's end.
				if c == ')' && romanMarker.MatchString(body[:i+1]) {
					continue
				}
				// "…nguồn genĐơn Dăng ký gia han.TCNG.docx": the capital
				// glued to the name comes first; the dot is in the file.
				if g := gluedCamel(body, win); g > 0 && g < i {
					return g
				}
				return i + 1
			}
		}
	}
	for _, loc := range gluedForm.FindAllStringIndex(body[win:], -1) {
		i := win + loc[0]
		// A form word after nothing but the row's bullet ("*Đơn đề nghị
		// …") starts the row's name, not a file.
		if i > 0 && strings.Trim(body[:i], "-+*•– \t") != "" {
			r, _ := utf8.DecodeLastRuneInString(body[:i])
			if !unicode.IsSpace(r) && r != '(' {
				return i
			}
		}
	}
	if i := gluedCamel(body, win); i > 0 {
		return i
	}
	if i := gluedLowerForm(body, win); i > 0 {
		return i
	}
	if i := gluedEcho(body); i > 0 {
		return i
	}
	// No boundary: the whole last token is the file name when it is long and
	// space-free ("Phlcs08Thngt01.docx"), with the copy number a download
	// adds ("…quy địnhon_de_nghi_cong_nhan (1).docx").
	last := copyNumber.ReplaceAllString(body, "")
	if i := strings.LastIndexAny(last, " "); i >= 0 && len(last)-i > 6 {
		return i + 1
	}
	return -1
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// gluedCamel finds a file name glued to the row's last word by its
// capital: "… tiếp cận nguồn genBao cao tinh hinh TCNG.docx", "theo
// MẫuTPHS 1.002847 (PA).docx". The first word of two lower-case letters or
// more followed by a capital and a letter (the file's own "PhuLuc01" comes
// later); not "VNeID" or "eKYC" (one lower-case letter before a capital).
func gluedCamel(body string, from int) int {
	rs := []rune(body)
	pos := 0
	for i, r := range rs {
		if pos >= from && i >= 2 && i+1 < len(rs) && unicode.IsUpper(r) && unicode.IsLetter(rs[i+1]) &&
			unicode.IsLower(rs[i-1]) && unicode.IsLower(rs[i-2]) {
			return pos
		}
		pos += utf8.RuneLen(r)
	}
	return -1
}

// copyNumber is the " (1)" a second download of a file adds to its name.
var copyNumber = regexp.MustCompile(`\s\(\d{1,2}\)$`)

var numberedFile = regexp.MustCompile(`\p{Ll}(\d{1,2}(?:\.\d{1,2})+\.\s[^.;]*)$`)

var codeFile = regexp.MustCompile(`(?:^|\s)\pL\p{Ll}*(\d\.\d{6}(?:\s*\(\d+\))?)$`)

var lowerForm = regexp.MustCompile(`mẫu|mau|văn bản`)

// gluedLowerForm finds a file name that starts with a lower-case form word
// glued to the row's last word or to its full stop: "… kinh doanhmẫu số 1
// nđ 88.docx", "… theo quy địnhvăn bản đề nghị.docx", "… theo
// mẫumaudondenghi_BCC (1).doc", "… theo mẫu số 3.mẫu số 3 nđ 88.docx".
// Words are spaced in a name, so a letter right before the form word is
// the seam.
func gluedLowerForm(body string, from int) int {
	for _, loc := range lowerForm.FindAllStringIndex(body[from:], -1) {
		i := from + loc[0]
		if i == 0 {
			continue
		}
		r, _ := utf8.DecodeLastRuneInString(body[:i])
		if unicode.IsLetter(r) || r == '.' {
			return i
		}
	}
	return -1
}

// gluedEcho finds a file name named after the paper and glued to the row's
// last word: "Văn bản đề nghị … theo quy địnhvăn bản đề nghị.docx". The
// row's first two words come again right after a letter.
func gluedEcho(body string) int {
	w := strings.Fields(body)
	if len(w) < 4 {
		return -1
	}
	lower := strings.ToLower(body)
	if len(lower) != len(body) {
		return -1
	}
	head := strings.ToLower(w[0] + " " + w[1])
	i := strings.LastIndex(lower, head)
	if i <= 0 {
		return -1
	}
	if r, _ := utf8.DecodeLastRuneInString(body[:i]); !unicode.IsLetter(r) {
		return -1
	}
	return i
}

// Section kinds derived from a table's header.
type section struct {
	kind      string
	notes     bool    // "Lưu ý": rows are notes, not requirements
	condition *string // a case group ("Đăng ký thường trú vào chỗ ở … do thuê")
}

// addresseeLabel: a row's label that names the office a paper goes to
// ("Nộp cho Biên phòng cửa khẩu", "Trình Kiểm dịch y tế", "Gửi Sở Tài
// chính") and says nothing of when it is needed.
func addresseeLabel(label string) bool {
	f := vntext.Fold(label)
	for _, p := range []string{"nop cho ", "trinh ", "gui cho ", "gui ", "xuat trinh cho "} {
		if strings.HasPrefix(f, p) {
			// statesCondition reads the label itself: folded, "nếu" is
			// "nêu".
			return !statesCondition(label)
		}
	}
	return false
}

// presentHeading: a heading over papers that are shown, not handed in
// ("Các giấy tờ phải xuất trình", "Xuất trình hoặc gửi bản chính …",
// "Giấy tờ xuất trình", "Giấy tờ cần xuất trình"), folded.
func presentHeading(f string) bool {
	if strings.Contains(f, "phai xuat trinh") || strings.HasPrefix(f, "xuat trinh ") || strings.Contains(f, "giay to can xuat trinh") {
		return true
	}
	for _, p := range []string{"giay to xuat trinh", "cac giay to xuat trinh", "tai lieu xuat trinh"} {
		if f == p || strings.HasPrefix(f, p+" ") {
			return !strings.Contains(f, "doi voi") && !strings.Contains(f, "truong hop")
		}
	}
	return false
}

// actionTitle: a table's title that names one action of the procedure,
// ended with a full stop ("Cấp giấy phép đặt văn phòng đại diện nước ngoài
// tại Việt Nam.", "Cấp lại giấy phép … ."): short, one sentence, opening
// with the action's verb. A title, not a sentence of notes.
func actionTitle(h string) bool {
	t := strings.TrimRight(strings.TrimSpace(h), ". ")
	if strings.ContainsAny(t, ".;:") || len(strings.Fields(t)) > 16 {
		return false
	}
	f := vntext.Fold(t)
	for _, v := range []string{"cap ", "cap lai ", "cap doi ", "sua doi", "dieu chinh ", "gia han ", "thu hoi ", "dang ky ", "cong nhan ", "chap thuan "} {
		if strings.HasPrefix(f, v) {
			return true
		}
	}
	return false
}

func parseHeader(h string) section {
	h = strings.TrimSpace(h)
	h = dropHeaderNote(h)
	h = strings.Trim(h, "-* :\t\n")
	f := vntext.Fold(h)
	sec := section{kind: KindSubmit}
	switch {
	case f == "":
	case headerNote(f):
	case presentHeading(f):
		// "Xuất trình hoặc gửi bản chính … các loại giấy tờ sau đây để cơ
		// quan đăng ký kiểm tra": shown, not a case.
		sec.kind = KindPresent
	case (strings.HasPrefix(f, "giay to phai nop") || strings.HasPrefix(f, "cac giay to phai nop")) && !strings.Contains(f, "doi voi") && !strings.Contains(f, "truong hop"):
		// "Giấy tờ phải nộp để lưu giữ tại cơ quan đăng ký": the papers
		// handed in, not a case ("… phải nộp đối với tàu biển" is one).
	case strings.Contains(f, "phai nop") && len(f) < 40 && !strings.Contains(f, "doi voi") && !strings.Contains(f, "truong hop"):
		// "Giấy tờ phải nộp:", not "Các giấy tờ phải nộp đối với tàu biển"
		// (a case however short).
	case strings.HasPrefix(f, "luu y") || strings.HasPrefix(f, "ghi chu"), rulesHeading(f):
		sec.notes = true
	case channelHeading.MatchString(f):
		// "Trường hợp nộp trực tiếp và qua hệ thống bưu chính công ích":
		// how the dossier is sent, which asks the same papers; no case
		// (1.000381).
	case strings.HasSuffix(strings.TrimSpace(h), ".") && !bareCaseHeading(strings.TrimSpace(bullet.ReplaceAllString(strings.TrimRight(h, ". "), ""))) &&
		!numberedCase.MatchString(f) && !actionTitle(h):
		// A sentence ("Hồ sơ nộp qua bưu chính."), not "a) Trường hợp cấp
		// lại." (a case heading ended with a full stop).
	case strings.HasPrefix(f, "ho so") && (strings.HasSuffix(f, "gom") || strings.HasSuffix(f, "bao gom")):
	case genericComponents(h):
	case strings.HasPrefix(f, "ho so gom ") || strings.HasPrefix(f, "ho so bao gom ") ||
		// "Thành phần hồ sơ ban hành kèm theo Phụ lục 1 …, gồm", not
		// "Thành phần hồ sơ đề nghị cấp X gồm" (a case).
		(strings.HasPrefix(f, "thanh phan ho so ban hanh") || strings.HasPrefix(f, "thanh phan ho so theo ") || strings.HasPrefix(f, "thanh phan ho so quy dinh")) && !strings.Contains(f, "doi voi") && !strings.Contains(f, "truong hop"):
		// "Hồ sơ gồm bản sao và xuất trình bản chính … của các giấy tờ
		// sau": how the papers are given, not a case.
	case f == "thanh phan ho so" || f == "ho so gom" || f == "ho so bao gom" || strings.HasPrefix(f, "so luong ho so"):
	case partyHeading(vntext.Fold(bullet.ReplaceAllString(h, ""))):
		// "Hồ sơ của người nhận con nuôi": one party's part of the
		// dossier, not a case.
	default:
		c := vntext.CollapseSpace(strings.TrimRight(h, ". "))
		sec.condition = &c
	}
	return sec
}

// legalisationRule: "Giấy tờ do cơ quan, tổ chức nước ngoài cấp … phải
// được hợp pháp hóa lãnh sự …" states what foreign papers must be, not a
// paper of its own (folded).
func legalisationRule(f string) bool {
	// Papers named only by who issued them ("Giấy tờ do …"), not "Văn bản
	// phê duyệt phải được hợp pháp hóa …" (a paper the dossier holds).
	f = strings.TrimPrefix(strings.TrimPrefix(f, "cac "), "nhung ")
	if !strings.HasPrefix(f, "giay to do ") && !strings.HasPrefix(f, "van ban do ") && !strings.HasPrefix(f, "tai lieu do ") && !strings.HasPrefix(f, "giay to, tai lieu do ") {
		return false
	}
	i := strings.Index(f, " phai duoc ")
	return i > 0 && strings.Contains(f[i:], "hop phap hoa lanh su")
}

// photoChannels is the channel a photo is sent by and the file that
// stands in for it online.
var photoChannels = regexp.MustCompile(`\s*\(?đối với trường hợp nộp hồ sơ (?:trực tiếp|qua)[^(),]*?\)?,\s*0?1 tệp \(file\) ảnh\s*\(?đối với trường hợp nộp hồ sơ [^()]*?(?:điện tử|trực tuyến)\)?`)

// photoChannelsBracket is the same in a bracket after the photo: "(02
// ảnh đối với trường hợp nộp hồ sơ trực tiếp …, 01 tệp (file) ảnh đối với
// trường hợp nộp hồ sơ trên môi trường điện tử)" (1.002408).
var photoChannelsBracket = regexp.MustCompile(`\s*\(0?\d+ ảnh đối với trường hợp nộp hồ sơ [^()]*?,\s*0?1 tệp \(file\) ảnh[^()]*\)`)

// onePaperPairs are comma pairs that name one kind of paper: "văn bằng,
// chứng chỉ" (the qualifications) and "hoá đơn, chứng từ" (the vouchers),
// as every dev label reads them, never two papers to split.
var onePaperPairs = regexp.MustCompile(`([Vv]ăn bằng|[Hh]o[áa] đơn), (chứng chỉ|chứng từ)`)

// protectPairs hides the comma of onePaperPairs from the splits (a
// no-break space after it); unprotectPairs gives it back.
func protectPairs(s string) string { return onePaperPairs.ReplaceAllString(s, "$1,\u00a0$2") }

func unprotectPairs(ps []piece) []piece {
	fix := func(s string) string { return strings.ReplaceAll(s, ",\u00a0", ", ") }
	for i := range ps {
		ps[i].name, ps[i].heading, ps[i].cond, ps[i].uncertain = fix(ps[i].name), fix(ps[i].heading), fix(ps[i].cond), fix(ps[i].uncertain)
		for j := range ps[i].alts {
			ps[i].alts[j] = fix(ps[i].alts[j])
		}
	}
	return ps
}

// caseExempts: "Đối với trường hợp hộ gia đình … từ 50.000 VNĐ trở xuống
// thì không phải nộp hồ sơ miễn thuế …" (1.007695) says who need not
// give a paper (folded).
func caseExempts(f string) bool {
	// In its first sentence: not "Đối với …, phải có thêm …. Trường hợp …
	// thì không phải có văn bản này …" (1.007663), which asks first.
	f, _, _ = strings.Cut(f, ". ")
	return isCaseLead(f) && (strings.Contains(f, " thi khong phai ") || strings.Contains(f, " thi khong can "))
}

// rulesHeading: "2.3.1.2. Quy định về miễn, giảm tài liệu; loại tài liệu;
// thời điểm nộp tài liệu" heads rows that say when and in what form the
// papers of the table above are given ("Tài liệu quy định tại điểm b, đ
// Mục 2.3.1.1 phải được nộp …"), not a case of papers of its own
// (1.013327, 1.013328, 1.013331; folded).
func rulesHeading(f string) bool {
	f = strings.TrimLeft(f, "0123456789. ")
	if !strings.HasPrefix(f, "quy dinh ve ") {
		return false
	}
	return strings.Contains(f, "mien, giam tai lieu") || strings.Contains(f, "thoi diem nop tai lieu")
}

// exemptionNote: a sentence that exempts the papers it refers back to ("…
// thì đối tượng thực hiện thủ tục hành chính không cần nộp thành phần hồ
// sơ này.", "… thì không yêu cầu nộp thành phần hồ sơ này."): as a
// table's header, the note of the row above it; in a row, a note.
func exemptionNote(h string) bool {
	f := " " + vntext.Fold(h) + " "
	if !strings.Contains(f, " thanh phan ho so nay") && !strings.Contains(f, " giay to nay") && !strings.Contains(f, " tai lieu nay") {
		return false
	}
	for _, m := range []string{" khong can ", " khong phai ", " khong yeu cau ", " duoc mien "} {
		if strings.Contains(f, m) {
			return true
		}
	}
	return false
}

// genericComponents: "Thành phần hồ sơ:", "b) Các thành phần hồ sơ gồm:"
// says that the papers follow, not in which case.
func genericComponents(h string) bool {
	f := strings.TrimRight(vntext.Fold(bullet.ReplaceAllString(h, "")), " :")
	f = strings.TrimPrefix(f, "cac ")
	for _, e := range []string{" bao gom", " gom"} {
		f = strings.TrimSuffix(f, e)
	}
	return f == "thanh phan ho so"
}

// contentsEnd is a heading's folded end that introduces what one paper
// must contain ("… gồm các nội dung sau", "… bao gồm các thông tin sau").
var contentsEnd = regexp.MustCompile(`(?:bao )?gom (?:cac|nhung) (?:noi dung|thong tin)(?: chu yeu)?(?: nhu)? sau$`)

// contentsSection reads a table heading that names one paper and then
// lists what it must contain ("a) Đối với trình tự đề xuất … - Văn bản chấp
// thuận việc nhà đầu tư đề xuất dự án gồm các nội dung sau:", "a) Hồ sơ đề
// xuất dự án đầu tư kinh doanh của nhà đầu tư gồm các thông tin sau:"): the
// table's rows are that paper's contents ("+ Tên nhà đầu tư …", "- Thời
// hạn, tiến độ thực hiện dự án …"), not papers. It returns the paper and
// the case the heading opens with, if any.
func contentsSection(h string) (paper, cond string, ok bool) {
	h = strings.Trim(strings.TrimSpace(dropHeaderNote(strings.TrimSpace(h))), "-* :\t\n")
	m := contentsEnd.FindString(vntext.Fold(h))
	if m == "" {
		return "", "", false
	}
	head := strings.TrimRight(strings.TrimSpace(strings.TrimSuffix(h, lastWords(h, len(strings.Fields(m))))), " ,:")
	paper = head
	if i := strings.LastIndex(head, " - "); i > 0 {
		cond, paper = strings.TrimSpace(head[:i]), strings.TrimSpace(head[i+3:])
		if !isCaseLead(vntext.Fold(bullet.ReplaceAllString(cond, ""))) {
			return "", "", false
		}
	}
	paper = capitalise(strings.TrimSpace(bullet.ReplaceAllString(paper, "")))
	f := vntext.Fold(paper)
	if len(strings.Fields(paper)) < 3 || !startsWithDocNoun(f) && !startsWithDocHead(f) {
		return "", "", false
	}
	return paper, cond, true
}

// contentRows reports whether the rows under header read as a paper's
// contents rather than papers: at most a third of them names a paper
// ("Hồ sơ gồm các nội dung sau:" over "Đơn đề nghị …", "Bản sao …" is a
// list of papers however it is introduced).
func contentRows(cells []cell, header string) bool {
	rows, papers := 0, 0
	for _, c := range cells {
		if c.header != header {
			continue
		}
		rows++
		if f := vntext.Fold(dropBullets(c.text)); startsWithDocNoun(f) || startsWithDocHead(f) {
			papers++
		}
	}
	return rows > 0 && 3*papers <= rows
}

// numberedCase is a heading that numbers its case: "Trường hợp 1: Xác nhận
// điều kiện … (trường hợp chưa có nhà ở thuộc sở hữu của mình)." ends like
// a sentence but is the first of several cases (folded text).
var numberedCase = regexp.MustCompile(`^truong hop (?:thu )?(?:\d+|[ivx]+)\s*[:.)]`)

// headerNoteTail is a parenthesised sentence that closes a table's header:
// "1. Đối với trường hợp hưởng trợ cấp hàng tháng …: (Trường hợp không quy
// định là bản chính thì có thể nộp bản sao hợp lệ. …)."
var headerNoteTail = regexp.MustCompile(`\s*\(([^()]*)\)[\s.:;]*$`)

// dropHeaderNote removes such a note, which says how the papers below are
// given, so that the heading before it is read as what it is (a case, a
// list title). A short parenthesis stays: it qualifies the heading
// ("Đối với công trình cấp I (trừ nhà ở riêng lẻ)"), as does one in lower
// case.
func dropHeaderNote(h string) string {
	m := headerNoteTail.FindStringSubmatchIndex(h)
	if m == nil || m[0] == 0 {
		return h
	}
	note := strings.TrimSpace(h[m[2]:m[3]])
	f := vntext.Fold(note)
	first, _ := utf8.DecodeRuneInString(note)
	switch {
	case strings.HasPrefix(f, "luu y") || strings.HasPrefix(f, "ghi chu"):
	case unicode.IsUpper(first) && len(strings.Fields(note)) >= 8:
		// A sentence of its own. One in lower case qualifies the heading
		// ("(của các đợt thi …)", "(trường hợp chưa có nhà ở …)") and may
		// be all that tells two cases apart.
	default:
		return h
	}
	if rest := strings.TrimSpace(h[:m[0]]); len(strings.Fields(rest)) >= 3 {
		return rest
	}
	return h
}

// dossierNumber is the numbering before a dossier heading that the bullet
// pattern leaves: "A. Hồ sơ …", "II. Hồ sơ …", "c1) Hồ sơ …".
var dossierNumber = regexp.MustCompile(`^(?:[A-Z]|[IVX]+|[a-zđ]\d{1,2})[.)]\s*`)

// dossierList is the list phrase that closes a dossier heading: ", gồm:",
// " bao gồm các tài liệu sau đây:", " gồm các tài liệu chủ yếu sau đây".
var dossierList = regexp.MustCompile(`(?i)[\s,:]*(?:bao\s+)?gồm(?:\s+có)?(?:\s+(?:các|những)\s+(?:tài liệu|giấy tờ|văn bản|thành phần)(?:\s+chủ yếu)?(?:\s+(?:sau đây|sau|như sau))?)?[\s:.]*$`)

// dossierHeading reads a table's header that names one dossier of the
// procedure ("* Hồ sơ đề nghị hưởng trợ cấp tai nạn, gồm:", "a) Hồ sơ
// trình thẩm định quy hoạch gồm các tài liệu chủ yếu sau đây:") and returns
// it without its bullet and list phrase. Not the bare "Hồ sơ gồm:" (the only
// dossier there is), "Hồ sơ khác", nor "Hồ sơ của <party>" (one party's
// share of a dossier both parties hand in: partyHeading).
func dossierHeading(h string) (string, bool) {
	h = strings.Trim(h, "-*+• \t\n")
	// The list phrase goes once, before folding (its pattern is written
	// with the marks); the numbering stays in the name: it is the case's
	// label ("a)", "1.").
	name := vntext.CollapseSpace(strings.TrimRight(dossierList.ReplaceAllString(h, ""), " ,:;."))
	f := vntext.Fold(dossierNumber.ReplaceAllString(dropBullets(name), ""))
	if !strings.HasPrefix(f, "ho so ") || partyHeading(f) {
		return "", false
	}
	if rest := strings.Fields(f)[2:]; len(rest) < 2 || rest[0] == "khac" || rest[0] == "gom" {
		return "", false
	}
	return name, true
}

// partyHeading: "Hồ sơ của người nhận con nuôi" / "Hồ sơ của người được
// nhận làm con nuôi", "(1) Các giấy tờ của chủ đầu tư chuyển nhượng" divide
// one dossier by the party whose papers they are; both parts are handed in,
// so the headings are not cases (rule 1).
func partyHeading(f string) bool {
	for _, p := range []string{"ho so cua ", "giay to cua ", "cac giay to cua ", "tai lieu cua ", "cac tai lieu cua "} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// dossierCases decides which table headers of a sectioned text are cases
// by the dossier they name. A procedure whose tables each open with "Hồ sơ
// <what> gồm:" offers several dossiers (by stage, benefit or licence type:
// "Hồ sơ trình thẩm định …" / "Hồ sơ trình phê duyệt …"), one of which is
// handed in: each is a case. A lone "Hồ sơ đề nghị cấp X gồm:" is only the
// title of the one dossier, so its header is a case only when another table
// has a case heading of its own (or a dossier heading).
func dossierCases(cells []cell) map[string]string {
	out := map[string]string{}
	others := 0
	seen := map[string]bool{}
	names := map[string]bool{}
	for _, c := range cells {
		if seen[c.header] {
			continue
		}
		seen[c.header] = true
		name, ok := dossierHeading(c.header)
		if sec := parseHeader(c.header); sec.condition != nil && !ok {
			if !addOnHeading(*sec.condition) {
				others++
			}
			continue
		}
		if ok {
			out[c.header] = name
			names[vntext.Fold(name)] = true
		}
	}
	if len(names)+others < 2 {
		return nil
	}
	return out
}

// headerNote: a table's header that states how papers are exchanged or
// where the list comes from, not a case ("Trường hợp áp dụng cơ chế một
// cửa quốc gia, … người khai hải quan không phải nộp …", "Theo quy định
// tại Điều 41 Luật …, cụ thể:").
func headerNote(f string) bool {
	if strings.HasPrefix(f, "theo quy dinh") || strings.HasPrefix(f, "can cu ") {
		return true
	}
	for _, w := range []string{"khong phai nop", "khong phai xuat trinh", "co the thuc hien thong qua", "khong phai tai len"} {
		if i := strings.Index(f, w); i >= 0 && !taxNotPaid(f[i+len(w):]) {
			return true
		}
	}
	return false
}

// taxNotPaid: "… không phải nộp thuế thu nhập cá nhân" names who owes no
// tax (a case of a tax declaration, 1.011022), not papers that need not be
// handed in (folded, the text after "không phải nộp").
func taxNotPaid(after string) bool {
	for _, w := range []string{" thue", " phi", " le phi", " tien"} {
		if strings.HasPrefix(after, w+" ") || after == w {
			return true
		}
	}
	return false
}

// docNouns start the names of documents (folded): a zero-quantity row is a
// requirement only when it names a document.
var docNouns = []string{
	"giay", "van ban", "to khai", "to trinh", "don", "ban ", "bien ban", "quyet dinh", "hop dong",
	"ho chieu", "the ", "so ", "phieu", "chung chi", "chung nhan", "bao cao", "danh sach", "de an",
	"phuong an", "ho so", "ke hoach", "tai lieu", "anh", "cong van", "thong bao", "bang", "trich luc",
	"hoa don", "chung tu", "nghi quyet", "dieu le", "thuyet minh", "sao ke", "cam ket", "ly lich",
	"hinh", "du thao", "quy che", "quy trinh", "chuong trinh", "mau", "02 ", "01 ", "bo ", "cac giay",
	"cac van ban", "tep", "du lieu", "thong tin", "chung thu", "xac nhan", "tham dinh", "de nghi",
	"ban ve", "ban do", "phu luc", "sach", "chung minh", "hop dong", "so do", "ket qua", "de xuat ", "du an ", "y kien ", "dieu uoc ", "ket luan ", "nhat ky ",
	"thu bao lanh", "thu gioi thieu", "thu xac nhan",
	"van don", "van tai don", // a bill of lading: "Vận đơn hoặc các chứng từ vận tải khác …"
}

// countWord: "Một (01) bản sao Giấy chứng nhận …" counts the copies
// before it names the paper.
var countWord = regexp.MustCompile(`^(?:mot|hai|ba)\s*\(0?\d\)\s+`)

func startsWithDocNoun(f string) bool {
	if strings.HasPrefix(f, "so luong") { // "Số lượng hồ sơ: 01 bộ", a quantity
		return false
	}
	f = countWord.ReplaceAllString(f, "")
	if strings.HasPrefix(f, "the hien") { // "Thể hiện …" (shows), not "Thẻ" (a card)
		return false
	}
	for _, n := range docNouns {
		if strings.HasPrefix(f, n) {
			return true
		}
	}
	return false
}

// madeWhen: "Phiếu được tạo lập khi trích xuất thông tin … để người đó
// kiểm tra và ký xác nhận" with no quantity tells how a paper of another
// row is made (the dev10 and dev43 calls on 1.014067 and 1.014068;
// folded); so does "Phiếu này là biểu mẫu điện tử, công dân kê khai đối
// với trường hợp nộp hồ sơ trực tuyến" (1.014064).
var madeWhen = regexp.MustCompile(`^\S+ duoc (?:tao lap|lap|in) khi |^\S+ nay la `)

// notePrefixes start rows that are instructions to the official or the
// applicant rather than documents (folded).
var notePrefixes = []string{
	"nguoi tiep nhan", "co quan", "ca nhan co quyen", "viec ", "luu y", "doi voi giay to",
	"so luong ho so", "so bo ho so", "sl ho so", "nguoi co yeu cau", "can bo", "cong chuc", "he thong", "khong yeu cau",
	"khong phai", "nguoi yeu cau dang ky ho tich co the", "thanh phan ho so trong", "thu tuc ve ", "thuc hien theo cac ho so",
	// "Thực hiện nộp các hồ sơ theo quy định ở phần nộp trực tiếp …"
	// (2.000239): the online channel asks the same papers.
	"thuc hien nop cac ho so",
	// "Không áp dụng thủ tục khai báo hải quan đối với hành lý …" (1.004004):
	// where a rule does not apply, no paper.
	"khong ap dung ",
}

// bareForm is a row that names only a form of the procedure ("Phụ lục số
// 06", "Mẫu số 02"): with no copy asked (0 bản chính), the template listed
// beside the papers (1.007954), not a paper of its own.
var bareForm = regexp.MustCompile(`^(?:Phụ lục|Mẫu|Biểu mẫu)(?: số)? [0-9A-Za-zĐđ./\-_]+$`)

// ParseComponents splits a flattened thanh_phan_ho_so text into
// requirements. It returns the reasons the result needs an operator's review
// (empty when the parse is confident).
func ParseComponents(text string) ([]Requirement, []string) {
	text = clean(text)
	cells, trailing := splitCells(text)
	var reasons []string
	var reqs []Requirement
	var substitutes []string // once-only clauses in rows of their own
	var notes []cell

	var sub *string // sub-header condition ("Trường hợp … hồ sơ gồm:")
	// The bullets of the sub-header's row and of its first paper: a later
	// row with the sub-header's own bullet, where its papers carry another,
	// is its sibling and ends the case ("- Đối với X, phải bổ sung:" "+ A"
	// "+ B" "- C": C is asked of every dossier).
	subMark, childMark := "", ""
	lastHeader := "\x00"
	var sec section
	contents := -1 // the requirement whose contents the current table lists
	dossiers := dossierCases(cells)
	tableCases := map[string]bool{} // the case headings of whole tables
	for _, c := range cells {
		if c.header != lastHeader {
			lastHeader = c.header
			prev := sec
			sec = parseHeader(c.header)
			// "Trường hợp cơ quan thụ lý … khai thác được thông tin … thì
			// … không cần nộp thành phần hồ sơ này." before the next
			// table's header is the note of the row above it, not a
			// heading: the rows after it stay in that row's case
			// (1.011500's "2.3.1. Hồ sơ đề nghị cấp …" rows c and d).
			if sec.condition == nil && prev.condition != nil && exemptionNote(c.header) {
				sec.condition = prev.condition
			}
			if d, ok := dossiers[c.header]; ok {
				sec.condition = &d
			}
			contents = -1
			if paper, cond, ok := contentsSection(c.header); ok && contentRows(cells, c.header) {
				// One paper whose contents the table lists (rule 6): the
				// paper is the requirement, in the case its heading opens
				// with, and its rows are its note.
				sec.condition = nil
				if cond != "" {
					sec.condition = &cond
				}
				r := buildRequirement(paper, cell{text: paper, originals: c.originals, copies: c.copies, header: c.header}, sec, nil, nil, false)
				if sec.condition != nil {
					r.heading = *sec.condition
				}
				reqs = append(reqs, r)
				contents = len(reqs) - 1
			}
			if sec.condition != nil {
				tableCases[cleanHeading(*sec.condition)] = true
			}
			sub = nil
		}
		if contents >= 0 {
			reqs[contents].Note = strings.TrimSpace(reqs[contents].Note + " " + vntext.CollapseSpace(dropBullets(c.text)))
			continue
		}
		if sub != nil && subMark != "" {
			m := bulletMark(c.text)
			switch {
			case childMark == "\x00":
				childMark = m
			case m == subMark && childMark != subMark:
				sub = nil
			}
		}
		// "+ Nộp cho Biên phòng cửa khẩu:Bản khai chung …" (2.001655): the
		// label's colon glued to the papers would read as a file name's
		// start.
		name, files := splitFormFile(gluedColon.ReplaceAllString(c.text, "$1: $2"))
		name = dropBullets(name)
		name = unglueRepeat(vntext.CollapseSpace(strings.TrimRight(name, " .;,/")))
		// "Giấy ra viện.Thông tin …", "Trình Biên phòng cửa khẩu:Hộ chiếu
		// …": a sentence or a label glued to what follows it.
		name = gluedStop.ReplaceAllString(name, "$1$2 $3")
		// "Bản sao từ sổ gốc hoặc … (trường hợp nộp hồ sơ trực tiếp); nộp
		// bản sao có chứng thực (trường hợp nộp hồ sơ qua đường bưu chính)
		// Giấy phép …": the copy forms by channel, then the paper.
		// So does "các loại tài liệu sau: Giấy phép, chứng chỉ …" of one
		// paper; a list of several stays a list.
		if m := channelCopies.FindStringIndex(name); m != nil && m[1] < len(name) {
			name = name[m[1]:]
			if m := listOfPapers.FindStringIndex(name); m != nil && !strings.Contains(name[m[1]:], ";") {
				name = name[m[1]:]
			}
			name = capitalise(name)
		}
		// "Mẫu số 03: Mẫu phiếu yêu cầu …", "Mẫu tờ khai: Giấy đề nghị …":
		// the form's label before the paper it is the form of.
		if m := formLabel.FindStringSubmatch(name); m != nil && startsWithDocHead(vntext.Fold(m[3])) {
			name = capitalise(m[3])
			if m[2] != "" {
				name += " (Mẫu số " + m[2] + ")"
			}
		}
		if name == "" {
			continue
		}
		f := vntext.Fold(name)
		// "Lưu ý: Trường hợp … thì … bổ sung một trong các giấy tờ sau
		// đây: A, B, C": the note asks for papers, one of a list (the dev5
		// call on 1.003201); read as the case sentence it holds.
		if rest, ok := strings.CutPrefix(name, "Lưu ý:"); ok && oneOfList.MatchString(rest) {
			name = strings.TrimSpace(rest)
			f = vntext.Fold(name)
		}
		zero := c.originals == 0 && c.copies == 0
		// A note row whose later sentence asks for an add-on paper ("… chịu
		// trách nhiệm …. Trường hợp chưa có tài khoản định danh điện tử …
		// thì hồ sơ … phải kèm theo bản sao thẻ Căn cước …"): that sentence
		// is a row of its own, in the common case (rule 1's add-ons).
		if zero && !startsWithDocNoun(f) {
			if s, ok := addOnSentence(name); ok {
				name, f, zero = s, vntext.Fold(s), false
			}
		}
		// "Xuất trình Hộ chiếu, thẻ thường trú ….0 bản chính": a paper
		// shown has nothing to hand in, so its count is 0 (3.000353).
		if _, ok := presentRow(name); ok && zero {
			zero = false
		}
		// "Giấy báo tử hoặc giấy tờ thay Giấy báo tử …. Trường hợp người
		// yêu cầu đã nộp bản điện tử Giấy báo tử … thì không phải nộp bản
		// giấy." (1.000419): a paper first, then its electronic stand-in,
		// which is attached to it as a row of its own would be.
		paperFirst := false
		if isSubstitute(f) && startsWithDocNoun(f) {
			if i := firstSentenceBreak(name); i > 0 && !isSubstitute(vntext.Fold(name[:i])) {
				substitutes = append(substitutes, strings.TrimSpace(name[i:]))
				paperFirst = true
			}
		}
		switch {
		case isSubstitute(f) && !paperFirst:
			substitutes = append(substitutes, name)
			continue
		case zero && (strings.HasSuffix(name, ":") || strings.HasSuffix(f, "ho so gom") || strings.HasSuffix(f, "bao gom")) && !listsPapers(strings.TrimRight(name, ": ")),
			// "(2) Các giấy tờ của bên nhận chuyển nhượng gồm" with a
			// quantity in its column: a name cannot end in "gồm", so the
			// row opens the list of the rows after it.
			// So is "2. Văn bản chứng minh mục đích mở tài khoản … bao
			// gồm:" (1.000199), its colon kept; not "Báo cáo tổng quan …,
			// trong đó bao gồm:" (1.000806), a paper and what it holds.
			strings.HasSuffix(strings.TrimRight(f, ": "), " gom") && !strings.HasSuffix(strings.TrimRight(f, ": "), "trong do bao gom"),
			strings.HasSuffix(f, " gom co"),
			// "- Đối với các dự án …, hồ sơ đề nghị cấp phép phải bổ sung:"
			// with a quantity in its column is still a heading: it ends
			// where its papers start.
			isCaseLead(f) && strings.HasSuffix(name, ":"),
			// "- Đăng ký cập nhật, bổ sung thông tin …:" with a quantity:
			// a row that names no paper and ends in a colon introduces
			// the rows after it.
			strings.HasSuffix(name, ":") && !startsWithDocNoun(f) && !startsWithDocHead(f) && !listsPapers(strings.TrimRight(name, ": ")),
			// "2. Hồ sơ đề nghị thay đổi nội dung hoạt động (trường hợp
			// …):" with a quantity: the dossier the rows after it make up.
			strings.HasSuffix(name, ":") && strings.HasPrefix(strings.TrimLeft(f, "0123456789.() "), "ho so "),
			zero && bareCaseHeading(name),
			listHeading(f):
			h := strings.TrimRight(name, ": ")
			hf := vntext.Fold(h)
			switch {
			case presentHeading(hf) && len(hf) < 40:
				sec.kind, sub = KindPresent, nil
			case strings.Contains(hf, "phai nop") && len(hf) < 40:
				sec.kind, sub = KindSubmit, nil
			case strings.HasPrefix(hf, "truong hop") || strings.HasPrefix(hf, "doi voi"):
				sub = &h
				subMark, childMark = bulletMark(c.text), "\x00"
			}
			notes = append(notes, c)
			continue
		case sec.notes && (zero || !startsWithDocNoun(f)):
			notes = append(notes, c)
			continue
		case zero && (!startsWithDocNoun(f) || hasNotePrefix(f) || madeWhen.MatchString(f) || bareForm.MatchString(name)) && !listsPapers(name) &&
			// "Trường hợp thực hiện trên tờ khai hải quan giấy …, người khai
			// hải quan khai và nộp 02 bản chính tờ khai … theo mẫu
			// HQ/2015/XK …" with 0 bản chính (1.007855): the paper form of
			// the declaration, which mergePaperDeclarations offers beside
			// the electronic one.
			!(mentionsPaperDeclaration(f) && paperDeclaration.MatchString(name)):
			notes = append(notes, c)
			continue
		case !zero && hasNotePrefix(f) && !startsWithDocNoun(f):
			notes = append(notes, c)
			continue
		}
		// "02 ảnh màu (đối với trường hợp nộp hồ sơ trực tiếp …), 01 tệp
		// (file) ảnh (đối với trường hợp nộp hồ sơ qua hệ thống dịch vụ
		// công trực tuyến), cỡ 4cm x 6cm …": the photo, whichever way it
		// is sent (the dev45 calls on 1.002448, 1.002460 and 1.002788).
		name = photoChannels.ReplaceAllString(photoChannelsBracket.ReplaceAllString(name, ""), "")
		pieces := unprotectPairs(expandCell(protectPairs(name)))
		for i, pc := range pieces {
			if strings.HasPrefix(vntext.Fold(pc.name), "so luong") {
				continue // "Số lượng hồ sơ: 01 bộ" split off a row: a note
			}
			fs := files
			if i > 0 {
				fs = nil
			}
			psub := sub
			if psub == nil && pc.heading != "" {
				h := pc.heading
				psub = &h
			}
			r := buildRequirement(pc.name, c, sec, psub, fs, len(pc.alts) > 0)
			if rf := vntext.Fold(r.Name); proseNote(vntext.Fold(dropBrackets(r.Name))) || (len(pieces) == 1 && (strings.HasPrefix(rf, "truong hop") || strings.HasPrefix(rf, "neu ")) && strings.Contains(rf, " thi ")) || caseExempts(rf) || caseExempts(vntext.Fold(pc.name)) || channelNote(rf) || anaphoricNote(r.Name) || exemptionNote(r.Name) || legalisationRule(rf) {
				// An instruction ("Trường hợp nộp trực tuyến thì … phải được
				// chứng thực điện tử"), not a document.
				notes = append(notes, c)
				continue
			}
			switch {
			case sec.condition != nil:
				r.heading = *sec.condition
				if sub != nil {
					r.sub = *sub
				} else if rc := r.Condition; rc != nil && *rc != *sec.condition && rowCase(name, *rc) && !strings.Contains(vntext.Fold(*sec.condition), "mot trong") {
					// "b) Đối với tổ chức sự nghiệp: - A; - B" under the
					// table's "Hồ sơ đối với cơ quan, tổ chức …:" (2.001403):
					// the row's own case, which subCases makes the case when
					// every row of the table has one.
					r.sub = *rc
				}
			case sub != nil:
				r.heading = *sub
			default:
				r.heading = pc.heading
			}
			if len(pc.alts) > 0 {
				r.Alternatives = append(append([]string{}, pc.alts...), r.Alternatives...)
				r.groupKind = pc.groupKind
				r.typed = pc.typed
			}
			if pc.cond != "" {
				// Its own case sentence, narrower than the row's heading
				// (which still places it in its case).
				c := pc.cond
				r.Condition, r.Optional, r.group = &c, true, false
			}
			cutCitations(&r)
			// "Nghị quyết số 05/2025/NQ-CP" left alone by a split is the law
			// a paper cites, not a paper: it goes to the note of the paper
			// before it.
			if lawRefOnly.MatchString(r.Name) {
				if len(reqs) > 0 {
					reqs[len(reqs)-1].Note = strings.TrimSpace(reqs[len(reqs)-1].Note + " " + r.Name)
				}
				continue
			}
			r.Uncertain = pc.uncertain
			if pc.shown {
				r.Kind = KindPresent
			}
			if shown, ok := presentRow(r.Name); ok {
				// "Xuất trình giấy tờ hợp lệ chứng minh …": a paper shown,
				// not handed in (rule 5), named without the verb.
				r.Name, r.Kind = shown, KindPresent
			}
			if head, shown, ok := presentTail(r.Name); ok && len(r.Alternatives) == 0 {
				// "Giấy ủy quyền … và xuất trình tài khoản định danh điện
				// tử": the second paper is shown, not handed in (rules 2, 5).
				q := r
				r.Name, q.Name, q.Kind = head, shown, KindPresent
				reqs = append(reqs, r, q)
				continue
			}
			reqs = append(reqs, r)
		}
	}

	// Attach once-only clauses to the requirement they name.
	for _, s := range substitutes {
		if !attachSubstitute(reqs, s) {
			reasons = append(reasons, fmt.Sprintf("điều khoản bản điện tử không gắn được với giấy tờ nào (unattached once-only clause): %.80s", s))
		}
	}

	caseAliases(reqs, tableCases)
	subCases(reqs)
	reqs = oneOfCaseTable(reqs)
	reqs = hoistApplicationForm(reqs)
	reqs = mergeElectronicForms(reqs)
	reqs = mergePaperDeclarations(reqs)
	noteOptions(reqs)
	reqs = attachedPapers(reqs)
	reqs = notePapers(reqs)
	reqs = papersAfterLaw(reqs)
	slashGroups(reqs)
	reqs = shareAcrossCases(reqs)
	titleNotCondition(reqs)
	reqs = translationPaper(reqs, text)

	if len(reqs) == 0 {
		// Never drop a procedure: fall back to every row, flagged.
		for _, c := range notes {
			name, files := splitFormFile(c.text)
			name = vntext.CollapseSpace(strings.TrimRight(bullet.ReplaceAllString(strings.TrimSpace(name), ""), " .;,:"))
			if name == "" {
				continue
			}
			r := buildRequirement(name, c, parseHeader(c.header), nil, files, false)
			r.Confidence = 0.3
			r.Uncertain = "không nhận ra dòng giấy tờ nào; dùng nguyên dòng (no document row recognised; whole row kept)"
			reqs = append(reqs, r)
		}
		if len(reqs) == 0 {
			t := vntext.CollapseSpace(strings.ReplaceAll(strings.ReplaceAll(text, tableHeader, " "), "--", " "))
			if t = strings.Trim(t, " *-:"); t != "" {
				r := buildRequirement(t, cell{text: t, originals: 1}, section{kind: KindSubmit}, nil, nil, false)
				r.Confidence = 0.2
				r.Uncertain = "không có bảng thành phần; dùng toàn bộ văn bản (no component table; whole text kept)"
				reqs = append(reqs, r)
			}
		}
		reasons = append(reasons, "không tách được giấy tờ theo cột số lượng; dùng toàn bộ dòng (no document rows recognised; fell back to all rows)")
	}
	if t := strings.Trim(strings.TrimSpace(trailing), "-* "); len(t) > 40 {
		reasons = append(reasons, fmt.Sprintf("phần văn bản cuối không có số lượng (trailing text without a quantity): %.80s", t))
	}

	// Every name, the fallback rows' too: what the row before left at its
	// start goes; what still cannot be a paper's name is flagged.
	for i := range reqs {
		reqs[i].Name = trimLead(reqs[i].Name)
		if reqs[i].Uncertain == "" {
			reqs[i].Uncertain = nameDefect(reqs[i].Name)
		}
	}
	assignKeys(reqs)
	low := 0
	for _, r := range reqs {
		if r.Confidence < ReviewThreshold {
			low++
		}
	}
	if low > 0 {
		reasons = append(reasons, fmt.Sprintf("%d giấy tờ có độ tin cậy thấp (%d low-confidence requirements)", low, low))
	}
	if len(reqs) > 30 {
		reasons = append(reasons, fmt.Sprintf("nhiều giấy tờ bất thường: %d (unusually many requirements)", len(reqs)))
	}
	return reqs, reasons
}

// subCases reads a case table whose rows fall under two or more row-level
// case headings ("(b) Đối với cấp lại …" then "Đối với trường hợp Giấy
// chứng nhận … bị mất:" and "Đối với trường hợp doanh nghiệp … tổ chức
// lại:", each over its own papers): the row-level headings are the cases,
// the table's title what they have in common. Only when every row of the
// table sits under one of them.
func subCases(reqs []Requirement) {
	subs := map[string]map[string]bool{}
	bare := map[string]bool{}
	for _, r := range reqs {
		if r.heading == "" {
			continue
		}
		if r.sub == "" || !isCaseLead(vntext.Fold(r.sub)) || addOnHeading(r.sub) {
			bare[r.heading] = true
			continue
		}
		if subs[r.heading] == nil {
			subs[r.heading] = map[string]bool{}
		}
		subs[r.heading][r.sub] = true
	}
	for i := range reqs {
		r := &reqs[i]
		if r.sub == "" || bare[r.heading] || len(subs[r.heading]) < 2 {
			continue
		}
		c := r.sub
		r.heading, r.Condition, r.group = c, &c, true
	}
}

// rowCase: cond is the case heading that opens the row's name ("Đối với
// X: …", "Trường hợp X: …"), not a case said after its paper.
func rowCase(name, cond string) bool {
	f, c := vntext.Fold(name), vntext.Fold(cond)
	return isCaseLead(c) && strings.HasPrefix(f, c)
}

// caseAliases puts a paper whose inline heading names a case in short
// under that case's table heading: in "Các giấy tờ phải nộp đối với tàu
// biển" [table] … "Các giấy tờ phải xuất trình:" [table] "Đối với tàu
// biển: A, B", the shown papers belong to the tàu biển case (the dev6
// 1.005040 call). The short heading, a row's, must be the end of exactly
// one table's heading (tables), and open with "Đối với"/"Trường hợp"; not
// after "trừ" ("Trường hợp A trừ trường hợp B" names another case than B).
func caseAliases(reqs []Requirement, tables map[string]bool) {
	var heads []string
	seen := map[string]bool{}
	for _, r := range reqs {
		if h := cleanHeading(r.heading); h != "" && !seen[h] {
			seen[h] = true
			heads = append(heads, h)
		}
	}
	alias := map[string]string{}
	for _, h := range heads {
		f := vntext.Fold(strings.TrimSpace(bullet.ReplaceAllString(h, "")))
		if !isCaseLead(f) || tables[h] {
			continue
		}
		var long []string
		for _, o := range heads {
			if fo := vntext.Fold(o); tables[o] && strings.HasSuffix(fo, " "+f) && !strings.HasSuffix(strings.TrimSuffix(fo, " "+f), " tru") {
				long = append(long, o)
			}
		}
		if len(long) == 1 {
			alias[h] = long[0]
		}
	}
	for i := range reqs {
		if a, ok := alias[cleanHeading(reqs[i].heading)]; ok {
			reqs[i].heading = a
		}
	}
}

// listHeading: a row that only announces the papers of the rows after it
// ("(2) Các giấy tờ của bên nhận chuyển nhượng dự án gồm", "Hồ sơ gồm
// các giấy tờ sau:"), even with a quantity in its column: a heading, not
// a paper.
func listHeading(f string) bool {
	f = strings.TrimRight(f, " :")
	set := false
	for _, p := range []string{"cac giay to", "cac tai lieu", "cac van ban", "giay to", "tai lieu", "ho so", "thanh phan ho so"} {
		set = set || strings.HasPrefix(f, p+" ")
	}
	if !set || strings.Contains(f, ":") || len(strings.Fields(f)) > 25 {
		return false
	}
	for _, e := range []string{" gom", " bao gom", " nhu sau", " sau day", " cac giay to sau", " cac tai lieu sau"} {
		if strings.HasSuffix(f, e) {
			return true
		}
	}
	return false
}

// bareCaseHeading: a row with no quantity that only names a case, without
// a colon ("a) Trường hợp cấp lại do bị mất.", "+ Đối với tổ chức"): a
// heading whose papers follow, as with the colon. Not a sentence that says
// what to do in the case ("Trường hợp … thì …"), nor one that names its
// paper after a colon.
func bareCaseHeading(name string) bool {
	f := vntext.Fold(name)
	return isCaseLead(f) && !strings.Contains(name, ":") && !strings.Contains(f, " thi ") &&
		!strings.Contains(f, " phai ") && len(strings.Fields(name)) <= 30
}

// bulletMark is the kind of bullet a row starts with ("-", "+", "a)", "1."
// …), empty when it has none.
func bulletMark(s string) string {
	m := bullet.FindString(strings.TrimSpace(s))
	if m == "" {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(m)
	switch {
	case r == '-' || r == '–':
		return "-"
	case r == '(':
		// "(" and the first letter or digit inside: "(i", "(1", "(đ".
		in, _ := utf8.DecodeRuneInString(strings.TrimLeft(strings.TrimSpace(m), "("))
		return "(" + string(in)
	case unicode.IsDigit(r):
		return "1"
	case unicode.IsLetter(r):
		return "a"
	}
	return string(r)
}

// channelNote: a case sentence whose subject is the dossier's components,
// not a paper ("Trường hợp nộp hồ sơ trực tiếp …: các thành phần hồ sơ phải
// là bản chính hoặc …", "… qua môi trường điện tử: các thành phần hồ sơ thực
// hiện theo Nghị định 45/2020") says how papers are given in a channel.
func channelNote(f string) bool {
	if !isCaseLead(f) && !strings.HasPrefix(f, "neu ") {
		return false
	}
	_, after, ok := strings.Cut(f, ": ")
	return ok && (strings.HasPrefix(after, "cac thanh phan ho so") || strings.HasPrefix(after, "thanh phan ho so"))
}

func hasNotePrefix(f string) bool {
	for _, p := range notePrefixes {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// isSubstitute recognises the once-only clause as a row of its own:
// "Trường hợp người yêu cầu đã nộp bản điện tử Giấy chứng sinh … thì không
// phải nộp bản giấy".
func isSubstitute(f string) bool {
	return (strings.Contains(f, "ban dien tu") || strings.Contains(f, "du lieu dien tu")) &&
		(strings.Contains(f, "khong phai nop ban giay") || strings.Contains(f, "khong phai nop ban chinh") ||
			strings.Contains(f, "khong phai nop giay") || strings.Contains(f, "khong phai xuat trinh ban giay"))
}

var substituteTarget = regexp.MustCompile(`bản điện tử (?:của )?(.+?)(?: hoặc| thì|,|$)`)

func attachSubstitute(reqs []Requirement, clause string) bool {
	m := substituteTarget.FindStringSubmatch(clause)
	if m == nil {
		return false
	}
	target := vntext.Fold(strings.TrimSpace(m[1]))
	if target == "" {
		return false
	}
	for i := range reqs {
		if strings.Contains(vntext.Fold(reqs[i].Name), target) || strings.Contains(target, vntext.Fold(reqs[i].Name)) {
			c := clause
			reqs[i].ElectronicSubstitute = &c
			return true
		}
	}
	return false
}

// contentsEnds end a name whose closing colon opens its contents or a
// list ("… các nội dung sau:", "…, trong đó:"), kept for the cuts that read
// them.
var contentsEnds = append([]string{"trong do"}, introEnds...)

// inlineCopyAlt is a copy offered in a name instead of the paper itself:
// "… hoặc bản sao và xuất trình bản chính để đối chiếu", "… hoặc bản sao
// kèm bản chính để đối chiếu".
var inlineCopyAlt = regexp.MustCompile(`,?\s+hoặc\s+bản sao(?:\s+(?:có chứng thực|chứng thực))?(?:\s+(?:và|kèm theo|kèm|có))?(?:\s+xuất trình)?\s+bản chính(?:\s+để đối chiếu)?`)

var (
	leadCases = []*regexp.Regexp{
		// "Trường hợp thiệt hại về hàng hóa: người nộp thuế cung cấp Biên
		// bản giám định …": who gives the paper, then the paper.
		regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s[^:]+?):\s*(?:người nộp thuế|người đề nghị|người yêu cầu|người nộp hồ sơ|tổ chức|cá nhân|doanh nghiệp|chủ đầu tư|nhà đầu tư|chủ sở hữu)\s+(?:(?:phải|cần)\s+)?(?:nộp thêm|nộp kèm|cung cấp thêm|cung cấp|gửi kèm|nộp|gửi|bổ sung|xuất trình)\s+(.+)$`),
		// "Trường hợp đề nghị cấp lại Giấy phép …, doanh nghiệp có Đơn đề
		// nghị cấp lại Giấy phép …": the case, who, and the paper.
		regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s[^:]+?),\s+(?:người nộp thuế|người đề nghị|người yêu cầu|người nộp hồ sơ|tổ chức|cá nhân|doanh nghiệp|chủ đầu tư|nhà đầu tư|chủ sở hữu|chủ tàu|chủ xe|chủ phương tiện|cơ sở|đơn vị)\s+(?:(?:phải|cần)\s+)?(?:có|nộp thêm|nộp kèm|cung cấp thêm|cung cấp|gửi kèm|nộp|gửi|bổ sung)\s+(\p{Lu}.+|(?:văn bản|giấy|bản|quyết định|hợp đồng|tài liệu) .+)$`),
		regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s[^:]+?):\s*(?:(?:phải|cần|còn)\s+)?(?:(?:có thêm|nộp thêm|nộp kèm|bổ sung thêm|xuất trình thêm|có|nộp|kèm theo|bổ sung|cung cấp|gửi kèm|xuất trình)\s+)?(.+)$`),
		regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s.+?)\s+thì\s+(?:(?:phải|cần|còn)\s+)?(?:(?:có thêm|nộp thêm|nộp kèm|bổ sung thêm|xuất trình thêm|có|nộp|kèm theo|bổ sung|cung cấp|gửi kèm|xuất trình)\s+)?(.+)$`),
		regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s.+?)\s+(?:phải|cần)\s+(?:(?:phải|cần|còn)\s+)?(?:(?:có thêm|nộp thêm|nộp kèm|bổ sung thêm|xuất trình thêm|có|nộp|kèm theo|bổ sung|cung cấp|gửi kèm|xuất trình)\s+)?(.+)$`),
		regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s.+?),\s+(?:(?:phải|cần|còn)\s+)?(?:(?:có thêm|nộp thêm|nộp kèm|bổ sung thêm|xuất trình thêm|có|nộp|kèm theo|bổ sung|cung cấp|gửi kèm|xuất trình)\s+)?(.+)$`),
	}
	// replacesAfterBracket: "… (bản sao …) thay Giấy chứng nhận …", what a
	// paper stands in for, after the bracket that closes its copy forms.
	replacesAfterBracket = regexp.MustCompile(`\)\s+thay (?:thế )?(?:cho )?(?:\p{Lu}|giấy |văn bản |quyết định )`)
	// lawRefOnly is a name that is nothing but a legal instrument's
	// number: "Nghị quyết số 05/2025/NQ-CP", "Thông tư 62/2024/TT-NHNN".
	// "Nghị quyết số 17/2026/NQ-CP ngày 29/4/2026 của Chính phủ" too.
	lawRefOnly = regexp.MustCompile(`^(?i:nghị quyết|nghị định|thông tư(?: liên tịch)?|luật|quyết định|pháp lệnh)(?:(?:\s+số)?\s+\d+/\d{4}/[\p{L}\d-]+(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?(?:\s+của\s+(?i:chính phủ|thủ tướng chính phủ|bộ [\p{L} ]{2,40}|ngân hàng nhà nước(?: việt nam)?|quốc hội))?|\s+này)\.?$`)
	leadPrefix = regexp.MustCompile(`^(?:[Kk]èm theo|[Nn]ộp kèm|[Nn]ộp|[Bb]ổ sung)\s+|^0\d\s+(?:\((?:một|hai|ba|bốn|năm|sáu)\)\s+)?`)
	tailCase   = regexp.MustCompile(`^(.+?)\s*[,(]?\s*((?:trong|đối với|áp dụng cho|áp dụng đối với)\s+(?:các\s+|một số\s+)?trường hợp\s[^()]+|trường hợp\s[^()]+)\)?$`)
	// ifAnyInName is "(nếu có)" left in a name, after its first word.
	ifAnyInName = regexp.MustCompile(`(?i)\S\s*\(nếu có\)`)
	ifAny       = regexp.MustCompile(`(?i)^(.+?)\s*[,(]\s*(nếu có|nếu thuộc trường hợp[^()]*|nếu[^()]{0,240})\)?$`)
	altClause   = regexp.MustCompile(`(?i)^(?:trường hợp|nếu|trong trường hợp)\s+không\s+(?:có|thể|cung cấp được|xuất trình được)\s.+?\s+thì\s+(?:phải\s+)?(?:(?:nộp|có|xuất trình|thay bằng|thay thế bằng|sử dụng|dùng)\s+)?(.+)$`)
	// "nếu … thì giấy chứng sinh được thay bằng văn bản xác nhận …",
	// "Đối với trường hợp … thì nộp biên bản … thay cho giấy chứng sinh":
	// the law names a paper that stands in for this one.
	replacedBy = regexp.MustCompile(`(?i)^(?:nếu|trường hợp|trong trường hợp|đối với trường hợp)\s.+?\s+thì\s+(?:.+?\s+)?(?:được thay bằng|được thay thế bằng)\s+(.+)$`)
	insteadOf  = regexp.MustCompile(`(?i)^(?:nếu|trường hợp|trong trường hợp|đối với trường hợp)\s.+?\s+thì\s+(?:phải\s+)?nộp\s+(.+?)\s+thay (?:cho|thế cho)\s+.+$`)
	// "Trường hợp pháp luật nước ngoài không quy định việc cấp loại giấy
	// tờ này thì phải có bản cam đoan …": the condition says this paper
	// cannot be had (a negation and a back-reference to it), so the paper
	// the sentence asks for stands in.
	noSuchPaper   = regexp.MustCompile(`(?i)^(?:nếu|trường hợp|trong trường hợp)\s(?:.+?\s)?không\s.+?\s(?:giấy tờ|giấy|văn bản|tài liệu|chứng từ)\s+(?:này|đó|trên)\s+thì\s+(?:phải\s+)?(?:(?:nộp|có|xuất trình)\s+)?(.+)$`)
	personMust    = regexp.MustCompile(`^người\s[^,;]{1,60}?\s+(?:phải|cần)\s+(?:làm|lập|nộp|có)\s+`)
	dossierMust   = regexp.MustCompile(`^(?:[Hh]ồ sơ[^,;:]{0,60}?|[Tt]hì)\s+(?:phải\s+|cần\s+)?(?:có|kèm theo|bao gồm|gồm|nộp|nộp kèm|là)\s+(?:thêm\s+)?`)
	channelCopies = regexp.MustCompile(`^[Bb]ản sao[^;]{0,200}\(trường hợp nộp (?:hồ sơ )?trực tiếp\);\s*(?:nộp\s+)?bản sao[^;()]{0,60}\(trường hợp nộp (?:hồ sơ )?qua (?:đường )?bưu chính\)\s*`)
	// listOfPapers opens a list of papers: "các loại tài liệu sau: ".
	listOfPapers = regexp.MustCompile(`^(?i:các (?:loại )?(?:tài liệu|giấy tờ)(?: sau(?: đây)?)?):\s*`)
	// channelHeading is a table heading that names only the channel the
	// dossier is sent by (folded); not "Nộp trực tiếp" over the vouchers of
	// a tax paid in person (3.000115), where "nộp" is to pay.
	channelHeading = regexp.MustCompile(`^(?:truong hop |doi voi truong hop |doi voi ho so )nop (?:ho so )?(?:truc tiep|qua (?:he thong )?buu chinh(?: cong ich)?|truc tuyen|qua mang)(?:(?:,| va| hoac) (?:nop )?(?:ho so )?(?:truc tiep|qua (?:he thong )?buu chinh(?: cong ich)?|truc tuyen|qua mang))*$`)
	personHas      = regexp.MustCompile(`(?i)\s(?:người|cá nhân|tổ chức|doanh nghiệp)\s+(?:có|nộp)\s+$`)
	orDoc          = regexp.MustCompile(`\s+hoặc\s+`)
	eFormPrefix    = regexp.MustCompile(`^(?:0\d\s+)?(?:\(?[0-9\p{Ll} ]+\)\s*)?(?i:bản chính|bản gốc|bản sao)\s+hoặc\s+(biểu mẫu điện tử(?:\s+ký số)?|bản điện tử theo biểu mẫu)\s+(.+)$`)
	eFormSuffix    = regexp.MustCompile(`(?i)\s+(?:bản chính|bản giấy)\s+hoặc\s+biểu mẫu điện tử\.?$`)
	quantityColon  = regexp.MustCompile(`\s*:\s*0?\d+\s+bản\s+(?:chính|sao|chụp|gốc)`)
	orVariants     = regexp.MustCompile(`\s*[,;]\s+hoặc\s+|\s+Hoặc\s+`)
	nameQuantity   = regexp.MustCompile(`\s*:\s*0?\d+\s+bản\s+(?:chính|sao|chụp)\s*[;.]?$`)
	eSubInRow      = regexp.MustCompile(`(?i)(đã có trong|khai thác được|đã được khai thác|đã nộp bản điện tử|bản sao điện tử|được thay thế bằng dữ liệu)`)
)

// lacksPaper: the fallback sentence of altClause lacks the paper (or a
// person who would give it: "… không có người làm chứng thì …"), not a
// means of filing ("Trường hợp không có chữ ký số thì xuất trình … khi mở
// tài khoản"): only then is what it asks for a stand-in for the row's
// paper.
func lacksPaper(s string) bool {
	f := vntext.Fold(s)
	i := strings.Index(f, "khong co ")
	if i < 0 {
		return true // "không thể / không cung cấp được …": the paper itself
	}
	x := f[i+len("khong co "):]
	for _, m := range []string{"chu ky", "tai khoan", "thiet bi", "phuong tien dien tu", "ket noi", "dieu kien"} {
		if strings.HasPrefix(x, m) {
			return false
		}
	}
	return true
}

// standIn reads a sentence in which the law names a paper that stands in
// for this one ("… thì giấy chứng sinh được thay bằng văn bản xác nhận của
// người làm chứng", "… thì nộp biên bản … thay cho giấy chứng sinh"): that
// paper is an alternative; the sentence, with its condition, stays in the
// note for the official.
func standIn(s string) (string, bool) {
	s = strings.TrimRight(strings.TrimSpace(s), " .;")
	for _, re := range []*regexp.Regexp{replacedBy, insteadOf, noSuchPaper} {
		if m := re.FindStringSubmatch(s); m != nil {
			if alt := altName(m[1]); startsWithDocNoun(vntext.Fold(alt)) {
				return alt, true
			}
		}
	}
	return "", false
}

// altName is an alternative's name without who must make it ("người đi
// khai sinh phải làm giấy cam đoan …" → "Giấy cam đoan …").
func altName(s string) string {
	s = personMust.ReplaceAllString(strings.TrimSpace(s), "")
	return capitalise(strings.TrimRight(s, " ."))
}

// buildRequirement reads one paper's row. heading marks the name of a
// one-of group introduced by a heading ("Văn bản thông báo hoặc văn bản đề
// nghị …, cụ thể:"): its "hoặc" names the group, its members are the
// options, so it is not split into alternatives.
func buildRequirement(name string, c cell, sec section, sub *string, files []string, heading bool) Requirement {
	raw := vntext.CollapseSpace(c.text)
	r := Requirement{
		Kind:         sec.kind,
		Originals:    c.originals,
		Copies:       c.copies,
		Alternatives: []string{},
		Method:       MethodRule,
		Confidence:   0.9,
		Raw:          raw,
		FormFiles:    files,
	}
	// "Quy trình sản xuất sản phẩm: 01 bản chính hoặc bản chụp …; (Trường
	// hợp …)": what follows the quantity says how many and in which form,
	// not which paper.
	qtail := ""
	if loc := quantityColon.FindStringIndex(name); loc != nil && loc[0] > 8 && balanced(name[:loc[0]]) {
		name, qtail = strings.TrimSpace(name[:loc[0]]), strings.TrimSpace(name[loc[0]+1:])
	}
	// "A, hoặc B", "A; hoặc B", "A Hoặc B": the same "hoặc".
	name = orVariants.ReplaceAllString(name, " hoặc ")
	// The first sentence is the component; later sentences are notes, a
	// once-only clause or an exception.
	main, rest := name, ""
	if loc := firstSentenceBreak(name); loc > 0 {
		main, rest = strings.TrimSpace(name[:loc]), strings.TrimSpace(name[loc:])
	}
	main = strings.TrimRight(main, " .;,")
	// "Quyết định thành lập … (bản sao có chứng thực …) thay Giấy chứng
	// nhận đăng ký kinh doanh hoặc …" (1.002656): the papers it replaces
	// are none of the dossier's; what it replaces is its note.
	if loc := replacesAfterBracket.FindStringIndex(main); loc != nil {
		rest = strings.TrimSpace(strings.TrimSpace(main[loc[0]+1:]) + ". " + rest)
		main = strings.TrimSpace(main[:loc[0]+1])
	}

	// Alternatives: "; trường hợp không có … thì nộp …".
	segs := strings.Split(main, ";")
	var keep []string
	for i, s := range segs {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if i > 0 {
			if alt, ok := standIn(s); ok {
				r.Alternatives = append(r.Alternatives, alt)
				r.Note = strings.TrimSpace(r.Note + " " + s)
				continue
			}
			if m := altClause.FindStringSubmatch(s); m != nil && lacksPaper(s) {
				r.Alternatives = append(r.Alternatives, altName(m[1]))
				continue
			}
			if f := vntext.Fold(s); strings.HasPrefix(f, "doi voi") || strings.HasPrefix(f, "truong hop") || strings.HasPrefix(f, "trong truong hop") || strings.HasPrefix(f, "neu ") || hasNotePrefix(f) {
				r.Note = strings.TrimSpace(r.Note + " " + s)
				continue
			}
		}
		keep = append(keep, s)
	}
	main = strings.Join(keep, "; ")
	// A closing bracket that only says in which copy forms the paper is
	// given, before the condition is read ("… nếu có thay đổi (bản chính
	// hoặc bản sao có chứng thực …)").
	var copyForms string
	main, copyForms = cutCopyForms(main)
	// "… bến thủy nội địa hoặc bản sao và xuất trình bản chính để đối
	// chiếu, trừ …": the copy offered instead is a form of this paper.
	if copyForms == "" {
		// Not inside a run of copy forms that opens the name ("Bản sao có
		// chứng thực hoặc bản sao và xuất trình bản chính … Giấy …").
		if loc := inlineCopyAlt.FindStringIndex(main); loc != nil && loc[0] > 0 && !strings.HasPrefix(vntext.Fold(main), "ban ") && balanced(main[:loc[0]]) {
			copyForms = strings.TrimSpace(strings.TrimLeft(main[loc[0]:loc[1]], " ,"))
			main = strings.TrimSpace(main[:loc[0]] + main[loc[1]:])
		}
	}

	var cond *string
	leadOK := false
	for _, re := range leadCases {
		if m := re.FindStringSubmatch(main); m != nil && len(m[2]) > 8 && balanced(m[2]) && startsWithDocNoun(vntext.Fold(strings.TrimLeft(m[2], "-+01 "))) {
			c := strings.TrimSpace(m[1])
			cond = &c
			main = capitalise(strings.TrimLeft(m[2], "-+ "))
			leadOK = true
			break
		}
	}
	label, after, hasLabel := strings.Cut(main, ": ")
	if leadOK {
	} else if fa := vntext.Fold(after); hasLabel && len(strings.Fields(label)) >= 2 && startsWithDocNoun(vntext.Fold(label)) && balanced(label) &&
		(isCaseLead(fa) || strings.HasPrefix(fa, "neu ") || strings.HasPrefix(fa, "ap dung doi voi ")) && !strings.Contains(after, ":") && !caseSays(fa) &&
		!strings.HasSuffix(vntext.Fold(label), " trong do") && !strings.HasSuffix(vntext.Fold(label), " gom") {
		// "Bản khai an ninh tàu biển: đối với tàu biển chở hàng có tổng dung
		// tích từ 500 trở lên …": the case the paper is asked in.
		c := strings.TrimSpace(after)
		cond, main = &c, strings.TrimSpace(label)
	} else if hasLabel && len(label) < 160 && !startsWithDocNoun(vntext.Fold(label)) && startsWithDocNoun(vntext.Fold(strings.TrimLeft(after, "-+ "))) && balanced(label) {
		// "Đăng ký ngừng sử dụng dịch vụ T-VAN: Tờ khai …": a case label.
		// "Nộp cho Hải quan cửa khẩu: …", "Trình Cảng vụ hàng hải: …" name
		// to whom the paper goes, no condition: a note, the paper needed.
		c := strings.TrimSpace(label)
		if addresseeLabel(c) {
			r.Note = strings.TrimSpace(c + ". " + r.Note)
		} else {
			cond = &c
		}
		main = capitalise(strings.TrimLeft(after, "-+ "))
	} else if m := lostStandIn.FindStringSubmatch(main); m != nil && len(strings.Fields(m[1])) >= 2 && startsWithDocNoun(vntext.Fold(m[1])) && startsWithDocHead(vntext.Fold(m[3])) {
		// "Thẻ thường trú, trường hợp thẻ thường trú bị mất phải có đơn báo
		// mất": the report of the loss stands in for the card.
		main = strings.TrimSpace(m[1])
		r.Alternatives = append(r.Alternatives, capitalise(strings.TrimSpace(m[3]))+" ("+strings.TrimSpace(m[2])+")")
	} else if m := tailCase.FindStringSubmatch(main); m != nil && len(m[1]) > 8 && balanced(strings.TrimRight(m[1], " ,(")) && !strings.HasSuffix(strings.TrimRight(m[1], " ,("), "trừ") {
		c := strings.TrimSpace(m[2])
		cond = &c
		main = strings.TrimRight(m[1], " ,(")
	} else if m := ifAny.FindStringSubmatch(main); m != nil && len(m[1]) > 8 && balanced(strings.TrimRight(m[1], " ,(")) {
		c := strings.TrimSpace(m[2])
		cond = &c
		main = strings.TrimRight(m[1], " ,(")
	}

	// "A hoặc B" where both sides name documents: B is an alternative.
	main = stripCopyPrefix(main)
	// "Bản chính hoặc biểu mẫu điện tử Đơn đề nghị …": the e-form is offered
	// instead of the paper one, an alternative of it.
	// eform and eformAfter are the offer's words before or after the name.
	eform, eformAfter := "", ""
	if m := eFormPrefix.FindStringSubmatch(main); m != nil && startsWithDocNoun(vntext.Fold(m[2])) {
		eform, main = m[0][:len(m[0])-len(m[2])], m[2]
	} else if loc := eFormSuffix.FindStringIndex(main); loc != nil && startsWithDocNoun(vntext.Fold(main[:loc[0]])) {
		// "Đơn đề nghị theo quy định bản chính hoặc biểu mẫu điện tử": the
		// same offer after the name.
		eformAfter, main = main[loc[0]:], main[:loc[0]]
	}
	if copyForms == "" {
		main, copyForms = cutCopyForms(main)
	}
	if copyForms == "" {
		main, copyForms = copyFormsFor(main)
	}
	orSplit := false
	// Only a "hoặc" in the paper's name, not in the contents it must state
	// ("Văn bản đề nghị, trong đó ghi rõ … số định danh hoặc số hộ chiếu").
	// A law cited between the options ("Bảng kê … theo Mẫu số 05 Phụ lục I
	// ban hành kèm theo Nghị định số 120/2024/NĐ-CP hoặc Bảng kê … theo Mẫu
	// số 06 …") is no tail that ends the name.
	head, _ := trimNameTail(dropBrackets(citationBeforeOr.ReplaceAllString(main, "$1")))
	if opts, tail := commaOrList(main); len(opts) > 2 && len(splitTop(head, " hoặc ")) > 1 && !heading && !strings.Contains(main, ";") {
		// "Quyết định phê duyệt …, giấy phép môi trường hoặc đăng ký môi
		// trường": a list closed by "hoặc" offers each of its papers.
		main, orSplit = opts[0], true
		if tail != "" {
			r.Note = strings.TrimSpace(tail + " " + r.Note)
		}
		for _, o := range opts[1:] {
			r.Alternatives = append(r.Alternatives, capitalise(o))
		}
	} else if parts := orParts(main); len(parts) > 1 && len(splitTop(head, " hoặc ")) > 1 && !heading && len(splitTop(main, ";")) == 1 {
		// "Đăng ký môi trường hoặc văn bản đánh giá môi trường …": a short
		// name the parser does not know as a paper's, offered against one
		// it does, is an option too.
		shortFirst := len(parts) == 2 && len(strings.Fields(parts[0])) <= 5 && alternativeDoc(parts[1]) && len(strings.Fields(parts[1])) >= 3
		// … or one of the same kind as the second (orParts).
		if t0, t1 := vntext.FoldedTokens(parts[0]), vntext.FoldedTokens(parts[len(parts)-1]); len(parts) == 2 && len(t0) >= 4 && len(t1) >= 4 && slices.Equal(t0[:3], t1[:3]) {
			shortFirst = true
		}
		if f0 := vntext.Fold(parts[0]); len(strings.Fields(parts[0])) >= 2 && (startsWithDocNoun(f0) || strings.HasPrefix(f0, "thoa thuan ") || oneOfPapers(f0) && strings.HasPrefix(f0, "mot trong") ||
			shortFirst && !isCaseLead(f0) && !strings.HasPrefix(f0, "neu ")) && !copyWordsOnly(f0) && !bareDocType(f0) {
			main, orSplit = parts[0], true
			if n, last, ok := sharedOwner(parts); ok {
				main, parts[len(parts)-1] = n, last
			}
			parts = jointLast(parts)
			// "quyết định giao A, quyết định giao B hoặc Hợp đồng C": the
			// first option's comma list of papers of its own kind are
			// options too (2.001804).
			if ks := sameKindFirst(main); len(ks) > 1 {
				main = ks[0]
				for _, k := range ks[1:] {
					r.Alternatives = append(r.Alternatives, capitalise(k))
				}
			}
			for _, p := range parts[1:] {
				// "… hoặc quyết định giao đất, quyết định cho thuê đất, …":
				// each paper of the last option's list is an option.
				for _, q := range sameKindList(strings.TrimRight(p, " .")) {
					r.Alternatives = append(r.Alternatives, capitalise(q))
				}
			}
		}
	}

	if copyForms != "" {
		r.Note = strings.TrimSpace(copyForms + " " + r.Note)
	}
	if qtail != "" {
		r.Note = strings.TrimSpace(r.Note + " " + qtail)
	}
	if rest != "" {
		for _, s := range splitSentences(rest) {
			if alt, ok := standIn(s); ok && !eSubInRow.MatchString(s) {
				r.Alternatives = append(r.Alternatives, alt)
				r.Note = strings.TrimSpace(r.Note + " " + s)
				continue
			}
			if m := altClause.FindStringSubmatch(s); m != nil && len(r.Alternatives) == 0 && !eSubInRow.MatchString(s) && lacksPaper(s) {
				r.Alternatives = append(r.Alternatives, altName(m[1]))
				continue
			}
			if eSubInRow.MatchString(s) && (strings.Contains(s, "không phải") || strings.Contains(s, "thay thế") || strings.Contains(s, "không cần")) && r.ElectronicSubstitute == nil {
				e := s
				r.ElectronicSubstitute = &e
				continue
			}
			if r.Note != "" {
				r.Note += " "
			}
			r.Note += s
		}
	}

	if cond == nil && sub != nil {
		cond = sub
	}
	if cond == nil && sec.condition != nil {
		cond = sec.condition
		r.group = true
	}
	// "Đối với trường hợp … thì doanh nghiệp": the case ends at its "thì";
	// who then hands the paper in is no part of it.
	if cond != nil {
		if c, who, ok := strings.Cut(*cond, " thì "); ok && len(strings.Fields(c)) >= 3 && len(strings.Fields(who)) <= 8 && !strings.Contains(" "+vntext.Fold(who)+" ", " phai ") {
			c = strings.TrimRight(c, " ,")
			cond = &c
		}
	}
	r.Condition = cond
	r.Optional = cond != nil
	main = strings.TrimSpace(main)
	// "Hồ sơ phải có X": X. Not "Hồ sơ đăng ký hành nghề của 05 người có
	// thẻ thẩm định viên" (1.011500), where "có" is what the people hold,
	// nor "… của người nộp thuế …", the taxpayer (personHas). Nor "Hồ sơ
	// khai thuế của kỳ tính thuế có sai sót …" (1.008327): after "có", what
	// follows must name a paper.
	if m := dossierMust.FindStringIndex(main); m != nil && !personHas.MatchString(main[:m[1]]) {
		after := vntext.Fold(main[m[1]:])
		if !strings.HasSuffix(vntext.Fold(main[:m[1]]), " co ") || startsWithDocNoun(after) || startsWithDocHead(after) {
			main = main[m[1]:]
		}
	}
	main = leadPrefix.ReplaceAllString(main, "")
	// The key derives from the name as it was read before the cuts below,
	// so that the keys classifiers and eval sets know stay as they were.
	keyBase := capitalise(strings.TrimSpace(eform + main + eformAfter))
	main = leadPrefix.ReplaceAllString(main, "") // "Nộp 01 bản chụp …"
	// "Hóa đơn thương mại: 01 bản chụp": the quantity, not the name.
	if loc := nameQuantity.FindStringIndex(main); loc != nil && loc[0] > 8 {
		main = main[:loc[0]]
	}
	r.Name = capitalise(strings.TrimSpace(main))
	// "… theo quy định của pháp luật:" opens nothing; "… có tối thiểu các
	// nội dung sau:" opens its contents, which later cuts read.
	if n := strings.TrimRight(r.Name, " :"); n != r.Name && !slices.ContainsFunc(contentsEnds, func(e string) bool { return strings.HasSuffix(vntext.Fold(n), " "+e) }) {
		r.Name = n
	}

	if m := formCodeRe.FindStringSubmatch(r.Name); m != nil && strings.ContainsAny(m[2], "0123456789") {
		f := "Mẫu " + m[2]
		if strings.HasPrefix(vntext.Fold(m[1]), "mau so") {
			f = "Mẫu số " + m[2]
		}
		r.Form = &f
	} else if strings.Contains(vntext.Fold(r.Name), "theo mau") {
		f := "theo mẫu"
		r.Form = &f
	} else if len(files) > 0 {
		if m := formCodeRe.FindStringSubmatch(files[0]); m != nil && strings.ContainsAny(m[2], "0123456789") {
			f := "Mẫu " + m[2]
			r.Form = &f
		}
	}

	// The key derives from the name before its tail is cut, so that the
	// keys classifiers and eval sets know stay as they were.
	r.keyName = keyBase
	if copyForms != "" && !orSplit {
		r.keyName += " " + copyForms
	}
	if n, tail := trimNameTail(r.Name); tail != "" {
		r.Name = n
		r.Note = strings.TrimSpace(tail + " " + r.Note)
		// "Văn bản đề nghị ghi rõ tên, …; chủng loại, số lượng pháo hoa; …
		// theo mẫu quy định tại Phụ lục VII …": the form the contents end
		// with is the paper's own, which a document is matched against.
		if m := formAtEnd.FindStringSubmatch(tail); m != nil && !nameHasForm.MatchString(vntext.Fold(n)) {
			r.Name = n + " " + m[1]
		}
	}
	// "Văn bản đề nghị cấp lại giấy phép và [nêu rõ lý do …]": the cut left
	// the conjunction that joined the name to its contents.
	for _, w := range []string{" và", " hoặc", ","} {
		if t := strings.TrimSuffix(r.Name, w); t != r.Name && len(strings.Fields(t)) >= 3 {
			r.Name = strings.TrimSpace(t)
		}
	}
	for i, a := range r.Alternatives {
		r.Alternatives[i], _ = trimNameTail(a)
	}
	if eform != "" || eformAfter != "" {
		r.Alternatives = append(r.Alternatives, "Biểu mẫu điện tử "+r.Name)
		if len(r.Alternatives) == 1 {
			r.groupKind = GroupElectronicForm
		}
	}

	if loc := ifAnyInName.FindStringIndex(r.Name); r.Condition == nil && loc != nil && len(strings.Fields(r.Name[:loc[0]])) <= 12 && !strings.Contains(r.Name[:loc[0]], ":") {
		// "Danh sách hành khách (nếu có) theo mẫu": "(nếu có)" left in
		// the name, close after the paper's own words, makes the paper
		// conditional, as one cut from its end does: a check must not
		// report it missing. Not further on, where it qualifies what the
		// paper shows ("…, công trình liền kề (nếu có) trên hệ tọa độ").
		c := "nếu có"
		r.Condition, r.Optional = &c, true
	}

	// Confidence: how much the row looked like a clean table row.
	f := vntext.Fold(r.Name)
	switch {
	case c.originals == 0 && c.copies == 0:
		r.Confidence = 0.6
	case !startsWithDocNoun(f):
		r.Confidence = 0.7
	}
	if utf8.RuneCountInString(r.Name) > 600 {
		r.Confidence = min(r.Confidence, 0.5)
	}
	return r
}

// presentRow reads a row that opens with "Xuất trình" and names the paper
// shown ("Xuất trình giấy tờ hợp lệ chứng minh thông tin người đến nộp hồ
// sơ"); not the copy to compare with ("Xuất trình bản chính để đối
// chiếu"), nor "xuất trình đủ các giấy tờ".
// originalWords open a paper's name with "the original of": "Bản chính ".
var originalWords = regexp.MustCompile(`^(?i:bản\s+chính)\s+`)

func presentRow(name string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(name), "Xuất trình ")
	if !ok {
		return "", false
	}
	f := vntext.Fold(rest)
	// "Xuất trình Bản chính giấy phép lái xe …": the original of a named
	// paper, shown.
	if loc := originalWords.FindStringIndex(rest); loc != nil {
		if after := vntext.Fold(rest[loc[1]:]); (startsWithDocNoun(after) || startsWithDocHead(after)) && shownPaper(after) {
			rest, f = rest[loc[1]:], after
		}
	}
	if len(strings.Fields(rest)) < 2 || !startsWithDocNoun(f) && !startsWithDocHead(f) || !shownPaper(f) {
		return "", false
	}
	// "… thẻ căn cước của công dân để cơ quan Công an kiểm tra …": what it
	// is shown for is no part of its name.
	if i := strings.Index(rest, " để "); i > 0 && len(strings.Fields(rest[:i])) >= 2 && balanced(rest[:i]) {
		rest = rest[:i]
	}
	return capitalise(rest), true
}

// presentTail splits "A và xuất trình B": B is a paper shown, A one handed
// in. Not "… và xuất trình bản chính để đối chiếu" (how A is given) nor
// "xuất trình đủ các giấy tờ" (no paper named).
func presentTail(name string) (head, shown string, ok bool) {
	ps := splitTop(name, " và xuất trình ")
	if len(ps) != 2 {
		return "", "", false
	}
	head, shown = strings.TrimRight(strings.TrimSpace(ps[0]), " ,"), strings.TrimSpace(ps[1])
	fh, fs := vntext.Fold(head), vntext.Fold(shown)
	if len(strings.Fields(head)) < 2 || len(strings.Fields(shown)) < 2 || !startsWithDocNoun(fh) || !balanced(head) || !balanced(shown) {
		return "", "", false
	}
	if !shownPaper(fs) {
		return "", "", false
	}
	return head, capitalise(shown), true
}

// shownPaper: what follows "xuất trình" (folded) names a paper shown, not
// the original a copy is checked against ("bản chính để đối chiếu"), a
// paper sent with another ("kèm theo"), nor every paper ("đủ các giấy tờ",
// "hồ sơ").
func shownPaper(f string) bool {
	for _, p := range []string{"ban chinh", "ban sao", "ban goc", "kem theo", "du ", "day du", "cac giay to", "giay to theo", "ho so"} {
		if strings.HasPrefix(f, p) {
			return false
		}
	}
	return true
}

// copyFormsFor reads "Bản sao từ sổ gốc hoặc bản sao và xuất trình bản
// chính để đối chiếu hoặc bản sao có chứng thực (trường hợp nộp hồ sơ trực
// tiếp), bản sao có chứng thực (trường hợp …) đối với văn bản bổ nhiệm
// người đứng đầu …" and "Bản sao hoặc bản sao điện tử được cấp từ sổ gốc
// của giấy phép lái xe quân sự …": the forms a copy may take, then the
// paper after "đối với" or "của", which is the name; the forms go to the
// note.
func copyFormsFor(s string) (name, forms string) {
	f := vntext.Fold(s)
	if !strings.HasPrefix(f, "ban sao") && !strings.HasPrefix(f, "ban chinh") {
		return s, ""
	}
	for i := range topLevel(s) {
		sep := " đối với "
		if !strings.HasPrefix(s[i:], sep) {
			if sep = " của "; !strings.HasPrefix(s[i:], sep) {
				continue
			}
		}
		after := strings.TrimSpace(s[i+len(sep):])
		fa := vntext.Fold(after)
		if !startsWithDocHead(fa) || strings.HasPrefix(fa, "ban ") || len(strings.Fields(after)) < 3 {
			return s, ""
		}
		for _, w := range strings.Fields(vntext.Fold(dropBrackets(s[:i]))) {
			if !copyFormWord[strings.Trim(w, ",;")] {
				return s, ""
			}
		}
		return capitalise(after), strings.TrimSpace(s[:i])
	}
	return s, ""
}

// copyFormWord: the words that say which form a copy takes ("bản sao có
// chứng thực", "bản sao và xuất trình bản chính để đối chiếu", "bản sao từ
// sổ gốc", "bản sao điện tử").
var copyFormWord = map[string]bool{
	"ban": true, "sao": true, "chinh": true, "goc": true, "chup": true, "tu": true, "so": true, "hoac": true, "va": true,
	"xuat": true, "trinh": true, "de": true, "doi": true, "chieu": true, "co": true, "chung": true, "thuc": true,
	"dien": true, "hop": true, "le": true, "kem": true, "theo": true, "duoc": true, "cap": true, "": true,
}

// cutCopyForms takes off a closing bracket that only says in which copy
// forms the row's papers are given ("… xe ô tô (Bản sao hoặc bản sao có
// chứng thực hoặc bản sao điện tử …)"): it applies to every option, and
// left in place it lengthens the last one.
func cutCopyForms(s string) (string, string) {
	t := strings.TrimSpace(s)
	i, ok := closingBracket(t)
	if !ok {
		return s, ""
	}
	in := vntext.Fold(t[i+1:])
	head := strings.TrimSpace(t[:i])
	// … or a note on when it is needed ("(Việc nộp bản chính …
	// chỉ thực hiện trong trường hợp …)", "(Không yêu cầu …)").
	if len(strings.Fields(head)) >= 2 && (strings.HasPrefix(in, "ban sao") || strings.HasPrefix(in, "ban chinh") || strings.HasPrefix(in, "ban chup") || strings.HasPrefix(in, "viec nop") || strings.HasPrefix(in, "khong yeu cau")) {
		return head, t[i:]
	}
	return s, ""
}

func balanced(s string) bool { return strings.Count(s, "(") == strings.Count(s, ")") }

// orParts splits "A hoặc B hoặc C" into the papers it offers. A part that
// names no paper of its own continues the one before it: in "Nghị quyết
// của Hội đồng quản trị hoặc Hội đồng thành viên … hoặc văn bản của cấp có
// thẩm quyền khác" the boards are two issuers of one paper, the văn bản a
// second paper.
//
// A "hoặc" after the paper's list intro ("…, bao gồm: Hợp đồng lao động,
// … hoặc Bản kê …") offers forms of its contents, not another paper.
// caseSays: a folded case clause that goes on to say what is done in it
// ("Đối với Chứng minh nhân dân, …, người yêu cầu bồi thường chỉ nộp
// …"), an instruction rather than only the case.
func caseSays(f string) bool {
	for _, w := range []string{" thi ", " nop ", " nop.", " xuat trinh", " phai ", " chi ", " duoc ", " khong "} {
		if strings.Contains(f+" ", w) {
			return true
		}
	}
	return false
}

// lostStandIn is a paper followed by what stands in for it when it is lost:
// "Thẻ thường trú, trường hợp thẻ thường trú bị mất phải có đơn báo mất".
var lostStandIn = regexp.MustCompile(`^(.+?),?\s+((?:trường hợp|trong trường hợp|nếu)\s+[^,;()]*?\bmất\b[^,;()]*?)\s+(?:thì\s+)?phải\s+(?:có|nộp|kèm theo)\s+([^;()]+)$`)

// formLabel is a form's label that opens a row: "Mẫu số 03: Mẫu …",
// "Mẫu tờ khai: …".
var formLabel = regexp.MustCompile(`^Mẫu (số (\S{1,12})|tờ khai|đơn): (?:Mẫu )?(.+)$`)

// gluedStop is a full stop or colon with no space before a capital
// ("viện.Thông", "khẩu:Hộ"); not "TP.Hồ", not "10:30".
var (
	gluedStop  = regexp.MustCompile(`(\p{Ll})([.:])(\p{Lu}\p{Ll})`)
	gluedColon = regexp.MustCompile(`(\p{Ll}):(\p{Lu}\p{Ll})`)
)

// formAtEnd is a form reference that ends a paper's contents: "… theo mẫu
// quy định tại Phụ lục VII", "… theo Mẫu số 02".
var formAtEnd = regexp.MustCompile(`(?i)\b(theo mẫu(?: số)?(?: [^\s,;:()]+){0,6}?)(?:$| (?:ban hành|được ban hành|của|kèm theo) [^;:()]*$)`)

var nameHasForm = regexp.MustCompile(`\bmau\b`)

// citationBeforeOr is a law cited just before a "hoặc" that offers another
// paper.
var citationBeforeOr = regexp.MustCompile(` (?:được )?ban hành kèm theo (?:Nghị định|Thông tư|Quyết định|Nghị quyết)[^;()]{0,40}? (?:số )?[0-9][^\s;()]*(?: ngày [0-9/]+)?(?: của [^;()]{0,60}?)?( hoặc )`)

// sameKindFirst splits "Bản sao quyết định giao A, quyết định giao B" at
// each comma after which the first paper's own noun ("quyết định") comes
// again; otherwise it returns nil.
func sameKindFirst(name string) []string {
	ps := splitTop(name, ", ")
	if len(ps) < 2 {
		return nil
	}
	// The paper's own words, after the copy words before them ("Bản sao
	// chụp quyết định …" → "quyết định …").
	own := func(s string) []string {
		t := vntext.FoldedTokens(s)
		for len(t) > 0 && (slices.Contains([]string{"ban", "sao", "chup", "chinh", "goc", "co", "chung", "thuc"}, t[0]) || strings.Trim(t[0], "0123456789") == "") {
			t = t[1:]
		}
		return t
	}
	t0 := own(ps[0])
	out := []string{ps[0]}
	for _, p := range ps[1:] {
		t := own(p)
		same := len(t0) >= 4 && len(t) >= 4 && t0[0] == t[0] && t0[1] == t[1] && startsWithDocNoun(strings.Join(t, " ")) && startsWithDocNoun(vntext.Fold(p))
		if !same {
			out[len(out)-1] += ", " + p
			continue
		}
		out = append(out, p)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

func orParts(main string) []string {
	var out []string
	colon := len(main)
	if ps := splitTop(main, ":"); len(ps) > 1 {
		colon = len(ps[0])
	}
	cond := conditionAt(main)
	at := 0
	for i, p := range splitTop(main, " hoặc ") {
		start := at
		at += len(p) + len(" hoặc ")
		p = strings.TrimRight(p, " ,")
		// "… hoặc có tài liệu chứng minh …": the verb before the paper.
		if i > 0 {
			if q := hasVerb.ReplaceAllString(p, ""); q != p && alternativeDoc(q) {
				p = q
			}
		}
		// "Văn bản hoặc biên bản xác nhận tai nạn …": a bare type before
		// the "hoặc" shares the name after it, one paper (rule 4); a later
		// "hoặc" may still offer another.
		if i == 1 && (bareDocType(vntext.Fold(out[0])) || bareOrType(vntext.Fold(out[0])) && len(strings.Fields(p)) >= 4) {
			out[0] += " hoặc " + p
			continue
		}
		// "Biên bản nghiệm thu giai đoạn hoặc nghiệm thu hoàn thành công
		// trình …": the second option leaves out the paper's word it shares
		// with the first (2.001621).
		if i > 0 {
			if q, ok := elidedHead(out[len(out)-1], p); ok {
				p = q
			}
		}
		// "… có xác nhận của cơ quan … hoặc xác nhận của chính quyền xã
		// …": another who may confirm the same paper, not another paper.
		confirmer := i > 0 && strings.HasPrefix(vntext.Fold(strings.TrimSpace(p)), "xac nhan cua ") && strings.Contains(vntext.Fold(out[len(out)-1]), " co xac nhan ")
		// "Dự thảo quyết định A hoặc dự thảo quyết định B": an option that
		// opens with the same words as the one before is one of its kind.
		sameKind := false
		if i > 0 {
			t0, t1 := vntext.FoldedTokens(out[len(out)-1]), vntext.FoldedTokens(p)
			sameKind = len(t0) >= 4 && len(t1) >= 4 && slices.Equal(t0[:3], t1[:3])
		}
		// "… chỉ được giải tỏa sau khi Bộ Tài chính cấp Giấy phép … hoặc có
		// văn bản từ chối …" (1.012340): the "hoặc" closes a clause of
		// time, not a paper's options.
		afterWhen := i > 0 && strings.Contains(vntext.Fold(out[len(out)-1]), " sau khi ")
		// "… do cơ quan có thẩm quyền cấp hoặc xác nhận" (1.004884 and two
		// more birth-registration procedures): who confirms, not a paper.
		bareVerb := i > 0 && vntext.Fold(strings.Trim(p, " .;,")) == "xac nhan"
		if i > 0 && (len(strings.Fields(p)) < 2 || bareVerb || !alternativeDoc(p) && !sameKind || confirmer || afterWhen || start > colon || start > cond && !hasCondition(p) || copyOfEarlier(p, out)) {
			out[len(out)-1] += " hoặc " + p
			continue
		}
		out = append(out, p)
	}
	return out
}

// elidedHeads are the paper words an option after "hoặc" may leave out
// (folded, with their number of words).
var elidedHeads = []struct {
	f string
	n int
}{{"bien ban ", 2}, {"giay chung nhan ", 3}, {"quyet dinh ", 2}, {"bao cao ", 2}, {"giay phep ", 2}, {"hop dong ", 2}}

// elidedHead gives the option p its paper's word back when it opens with
// the two words that follow that word in the option before it.
func elidedHead(prev, p string) (string, bool) {
	fp := vntext.Fold(strings.TrimSpace(prev))
	t1 := vntext.FoldedTokens(p)
	if len(t1) < 3 || startsWithDocNoun(vntext.Fold(strings.TrimSpace(p))) {
		return "", false
	}
	for _, h := range elidedHeads {
		if !strings.HasPrefix(fp, h.f) {
			continue
		}
		t0 := vntext.FoldedTokens(prev)
		w := strings.Fields(strings.TrimSpace(prev))
		if len(t0) < h.n+3 || len(w) < h.n || !slices.Equal(t0[h.n:h.n+2], t1[:2]) {
			return "", false
		}
		return strings.Join(w[:h.n], " ") + " " + strings.TrimSpace(p), true
	}
	return "", false
}

// addOnSentence finds, after a row's first sentence, one that asks for a
// paper on an add-on condition: "Trường hợp <add-on> thì … phải kèm theo
// <paper>".
func addOnSentence(name string) (string, bool) {
	ss := splitSentences(name)
	for _, s := range ss[min(1, len(ss)):] {
		f := vntext.Fold(s)
		if !strings.HasPrefix(f, "truong hop ") {
			continue
		}
		cond, _, ok := strings.Cut(s, " thì ")
		if ok && addOnHeading(cond) && len(proseDocs(s)) > 0 {
			return strings.TrimRight(s, " ."), true
		}
	}
	return "", false
}

// oneOfList introduces a list of papers, one of which is asked for.
var oneOfList = regexp.MustCompile(`một trong (?:các|những) (?:loại )?giấy tờ(?:, tài liệu)? sau(?: đây)?\s*:`)

// hasVerb is the verb "(phải) có" before an option's paper.
var hasVerb = regexp.MustCompile(`^(?:phải\s+)?có\s+`)

// conditionAt is where the paper's condition clause begins ("Quyết định
// miễn thuế … trong trường hợp điều ước quốc tế hoặc thỏa thuận … không
// quy định …"), outside brackets; len(s) when there is none. A "hoặc"
// after it joins two things of the condition, not two papers, unless the
// part after the "hoặc" has a condition of its own (one paper per case:
// "A trong trường hợp X hoặc B trong trường hợp Y").
func conditionAt(s string) int {
	at := len(s)
	for _, m := range []string{" trong trường hợp ", " trong các trường hợp ", " nếu "} {
		if ps := splitTop(s, m); len(ps) > 1 && len(ps[0]) < at {
			at = len(ps[0])
		}
	}
	return at
}

// hasCondition: p states a condition of its own.
func hasCondition(p string) bool {
	return conditionAt(" "+p) < len(p)+1 || strings.Contains(vntext.Fold(p), "truong hop")
}

// copyOfEarlier: "… hoặc bản sao giấy phép kinh doanh" after "Giấy phép
// kinh doanh" offers another form of the same paper, not another paper
// (rule 4).
func copyOfEarlier(p string, earlier []string) bool {
	core := func(s string) []string {
		t := vntext.FoldedTokens(s)
		for len(t) >= 2 && t[0] == "ban" && (t[1] == "sao" || t[1] == "chinh" || t[1] == "chup" || t[1] == "goc" || t[1] == "dich") {
			t = t[2:]
			if len(t) >= 2 && t[0] == "co" && t[1] == "chung" {
				t = t[min(len(t), 3):] // "có chứng thực"
			}
		}
		return t
	}
	c := core(p)
	if len(c) == len(vntext.FoldedTokens(p)) {
		return false // no copy word: a paper of its own
	}
	for _, e := range earlier {
		if len(c) > 0 && NameSimilarity(c, core(e)) >= 0.8 {
			return true
		}
	}
	return false
}

// sharedOwner reads "Quyết định chủ trương đầu tư hoặc chấp thuận chủ
// trương đầu tư hoặc chấp thuận đầu tư của dự án … của cơ quan nhà nước có
// thẩm quyền": short options with no owner of their own, the last one
// followed by "của …", which then qualifies them all. The qualifier moves
// to the first option, the group's name (rule 4), and leaves the last.
func sharedOwner(parts []string) (first, last string, ok bool) {
	n := len(parts)
	if n < 3 {
		return "", "", false
	}
	for _, p := range parts[:n-1] {
		if len(strings.Fields(p)) > 6 || strings.Contains(p, " của ") || strings.Contains(p, "(") {
			return "", "", false
		}
	}
	ps := splitTop(parts[n-1], " của ")
	if len(ps) < 2 || len(strings.Fields(ps[0])) > 6 || len(strings.Fields(ps[0])) < 2 {
		return "", "", false
	}
	tail := strings.TrimSpace(parts[n-1][len(ps[0]):])
	return strings.TrimSpace(parts[0]) + " " + tail, strings.TrimSpace(ps[0]), true
}

// jointLast reads "Chứng chỉ … hoặc Quyết định tuyển dụng hoặc hợp đồng
// lao động và tài liệu khác chứng minh …": the paper joined by "và" to
// the last option goes with each of the options after the first, which
// together are one way to meet the group (the first alone is the other).
func jointLast(parts []string) []string {
	n := len(parts)
	if n < 3 {
		return parts
	}
	ps := splitTop(parts[n-1], " và ")
	if len(ps) < 2 {
		return parts
	}
	if f := vntext.Fold(strings.TrimSpace(ps[len(ps)-1])); !startsWithDocHead(f) || len(strings.Fields(f)) < 3 {
		return parts
	}
	return []string{parts[0], strings.Join(parts[1:], " hoặc ")}
}

// commaOrList reads "A, B hoặc C" — a list of papers closed by "hoặc" —
// as the options A, B, C. B (and any comma part before it that is taken as
// an option) must start with a paper's own noun; A, what is left before
// them, must name a paper; C only continues the list, so it need not
// (" … giấy phép môi trường hoặc đăng ký môi trường"). A comma that only
// lists who issues or what a paper is about ("của tổ chức, cá nhân hoặc
// …") is no list of papers. nil when the text is not such a list. What
// follows the last option and qualifies them all ("… đã được cơ quan có
// thẩm quyền ban hành", "… theo quy định của pháp luật") is returned apart.
func commaOrList(main string) (opts []string, tail string) {
	ors := splitTop(main, " hoặc ")
	if len(ors) != 2 {
		return nil, ""
	}
	left, last := strings.TrimSpace(ors[0]), strings.TrimSpace(ors[1])
	cs := splitTop(left, ", ")
	if len(cs) < 2 {
		return nil, ""
	}
	k := len(cs)
	for k > 1 {
		c := strings.TrimSpace(cs[k-1])
		if len(strings.Fields(c)) < 2 || !alternativeDoc(c) || copyWordsOnly(vntext.Fold(c)) {
			break
		}
		k--
	}
	if k == len(cs) {
		return nil, ""
	}
	first := strings.TrimSpace(strings.Join(cs[:k], ", "))
	ff, fl := vntext.Fold(first), vntext.Fold(last)
	// "Giấy tờ …: Đối với …", "Giấy tờ chứng minh … là bản sao A, B hoặc
	// C": a heading with its own list, read elsewhere; "… hoặc người đại
	// diện …": the last part names a person, not a paper.
	if len(splitTop(main, ":")) > 1 || strings.Contains(ff, " la ") {
		return nil, ""
	}
	for _, w := range []string{"nguoi ", "to chuc", "ca nhan", "co quan", "don vi", "doanh nghiep", "chu ", "ben ", "cha ", "me "} {
		if strings.HasPrefix(fl, w) {
			return nil, ""
		}
	}
	if len(strings.Fields(first)) < 2 || !(startsWithDocNoun(ff) || startsWithDocHead(ff)) || bareDocType(ff) ||
		len(strings.Fields(last)) < 2 || strings.HasPrefix(fl, "ban sao") || strings.HasPrefix(fl, "ban chinh") || strings.HasPrefix(fl, "ban chup") || strings.HasPrefix(fl, "cac ") ||
		!balanced(first) || !balanced(last) {
		return nil, ""
	}
	for _, q := range []string{" đã được ", " theo quy định ", " do cơ quan "} {
		if i := strings.Index(last, q); i > 0 && len(strings.Fields(last[:i])) >= 2 {
			last, tail = last[:i], strings.TrimSpace(last[i:])
			break
		}
	}
	opts = []string{first}
	for _, c := range cs[k:] {
		opts = append(opts, strings.TrimSpace(c))
	}
	return append(opts, strings.TrimRight(last, " .")), tail
}

// sameKindList splits "quyết định giao đất, quyết định cho thuê đất,
// quyết định cho phép chuyển mục đích …" — papers of one kind, each named
// with its kind — and keeps any other comma text whole ("thông báo thẩm
// định thiết kế, bản vẽ thiết kế của dự án" is one paper's contents). The
// first option's list is read the same way (sameKindFirst, which this is).
func sameKindList(s string) []string {
	if ks := sameKindFirst(s); len(ks) > 1 {
		return ks
	}
	return []string{s}
}

// bareDocType: a legal form with nothing of its own ("Nghị quyết hoặc
// quyết định của Hội đồng quản trị …"), whose qualifier the next part
// carries for both: one paper in either form, not two papers.
func bareDocType(f string) bool {
	switch strings.TrimSpace(f) {
	case "nghi quyet", "quyet dinh", "van ban", "bien ban", "cong van", "bao cao", "to trinh", "thong bao", "giay to", "tai lieu":
		return true
	}
	return false
}

// bareOrType: an agreement named bare before "hoặc", which shares the
// qualifier after it when there is one ("Hợp đồng hoặc thỏa thuận về tài
// khoản đã ký với bên nước ngoài", 1.000199; "Hợp đồng hoặc thỏa thuận
// chuyển nhượng phân bón"), but in a list of papers ("hóa đơn, chứng từ")
// or of options ("Hợp đồng hoặc thỏa thuận hoặc xác nhận …") stands alone.
func bareOrType(f string) bool {
	switch strings.TrimSpace(f) {
	case "hop dong", "thoa thuan", "cam ket":
		return true
	}
	return false
}

// alternativeDoc reports whether one side of "A hoặc B" names a paper of its
// own, not another form of the same paper ("bản chính hoặc bản sao …").
func alternativeDoc(s string) bool {
	// "… của Sở Xây dựng hoặc Sở Giao thông …": a department (sở), not a
	// book (sổ), which folding would confuse.
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "Sở ") || strings.HasPrefix(t, "sở ") {
		return false
	}
	// "… số định danh cá nhân hoặc số hộ chiếu": a number (số) the paper
	// states, not a book (sổ).
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "Số ") || strings.HasPrefix(t, "số ") {
		return false
	}
	f := vntext.Fold(strings.TrimSpace(s))
	for _, p := range []string{"ban sao ", "ban chinh ", "ban chup ", "ban goc ", "co chung thuc "} {
		f = strings.TrimPrefix(f, p)
	}
	// "… hoặc một trong các loại giấy tờ quy định tại Điều 137 …": a paper
	// of a named set.
	if strings.HasPrefix(f, "mot trong") && oneOfPapers(f) {
		return true
	}
	return startsWithAlternativeDoc(f)
}

func startsWithAlternativeDoc(f string) bool {
	if strings.HasPrefix(f, "don vi") { // "đơn vị", a unit
		return false
	}
	// "… hoặc các văn bản tương đương do cơ quan … cấp", "… hoặc các hợp
	// đồng liên quan …": the plural of a paper is a paper too.
	for _, p := range []string{"cac ", "nhung "} {
		if rest, ok := strings.CutPrefix(f, p); ok && !strings.HasPrefix(rest, "cac ") && !strings.HasPrefix(rest, "nhung ") {
			return startsWithAlternativeDoc(rest)
		}
	}
	for _, n := range []string{"giay", "van ban", "to khai", "don ", "bien ban", "quyet dinh", "hop dong", "ho chieu", "the ", "so ", "phieu", "chung chi", "trich luc", "trich sao", "ban sao giay", "ban chinh giay", "ban sao van ban", "bang ", "bien lai", "cong van", "nghi quyet", "xac nhan", "bao cao", "ban ke", "bang ke", "chung nhan",
		"thong bao", "ban khai", "phuong an", "de an", "de xuat", "y kien", "chung tu", "hoa don", "to trinh", "cam ket", "ban cam ket", "du an", "ly lich", "cac giay to", "thoa thuan", "dieu uoc", "chap thuan ", "tai lieu chung minh", "tai lieu tuong duong", "tai lieu the hien", "tai lieu khac", "nhat ky ", "phu luc hop dong",
		"chung minh nhan dan", "chung minh thu", "can cuoc ", // "… hoặc chứng minh nhân dân hoặc hộ chiếu"
		"chung thu ", "ban ghi ", // "… hoặc Chứng thư giám định chất lượng lô hàng …"
		"thi thuc "} { // "Thẻ thường trú hoặc Thẻ tạm trú hoặc Thị thực còn thời hạn …", a visa
		if strings.HasPrefix(f, n) {
			return true
		}
	}
	return false
}

// topLevel yields the byte offsets of s outside parentheses (the
// parentheses themselves excluded), in order.
func topLevel(s string) iter.Seq[int] {
	return func(yield func(int) bool) {
		depth := 0
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '(':
				depth++
				continue
			case ')':
				if depth > 0 {
					depth--
					continue
				}
			}
			if depth == 0 && !yield(i) {
				return
			}
		}
	}
}

// firstSentenceBreak returns the byte offset where the second sentence
// starts: after ". " followed by a capital, outside parentheses.
func firstSentenceBreak(s string) int {
	for i := range topLevel(s) {
		if s[i] == '.' && i+2 < len(s) && s[i+1] == ' ' {
			next := s[i+2:]
			// ". * Trường hợp …": a row glued with its own bullet.
			if len(next) > 2 && strings.IndexByte("*+", next[0]) >= 0 && next[1] == ' ' {
				next = next[2:]
			}
			if r, _ := utf8.DecodeRuneInString(next); unicode.IsUpper(r) {
				return i + 1
			}
		}
	}
	return -1
}

// unglueRepeat parts a name from a sentence glued to it that starts by
// saying the name again ("Văn bản chấp thuận khai thác loài thủy sản nguy
// cấp, quý, hiếm.Văn bản chấp thuận … có hiệu lực theo thời gian …",
// 1.004656), so that the sentence is read as the paper's note.
func unglueRepeat(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] != '.' || i+1 >= len(s) || s[i+1] == ' ' {
			continue
		}
		name, rest := s[:i], s[i+1:]
		if w := strings.Fields(name); len(w) >= 3 && strings.HasPrefix(rest, name) {
			return name + ". " + rest
		}
	}
	return s
}

func splitSentences(s string) []string {
	var out []string
	for {
		i := firstSentenceBreak(s)
		if i < 0 {
			if t := strings.TrimSpace(s); t != "" {
				out = append(out, t)
			}
			return out
		}
		out = append(out, strings.TrimSpace(s[:i]))
		s = s[i:]
	}
}

func capitalise(s string) string {
	s = strings.TrimSpace(s)
	r, sz := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[sz:]
}

// isApplicationForm reports whether a requirement is the procedure's
// application (tờ khai, đơn đề nghị…), which applies in every case.
func isApplicationForm(name string) bool {
	f := vntext.Fold(name)
	for _, p := range []string{"to khai", "don de nghi", "giay de nghi", "phieu de nghi", "don dang ky", "ban khai"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// hoistApplicationForm: when the portal lists the requirements by case
// (thường trú: "do thuê, mượn, ở nhờ", "thuộc quyền sở hữu"…) but only one
// case carries the application form, the form is common to every case.
func hoistApplicationForm(reqs []Requirement) []Requirement {
	groups := map[string]bool{}
	forms := map[string][]int{}
	for i, r := range reqs {
		if r.group && r.Condition != nil {
			groups[*r.Condition] = true
			if isApplicationForm(r.Name) {
				k := Slug(r.Name)
				forms[k] = append(forms[k], i)
			}
		}
	}
	if len(groups) < 2 || len(forms) != 1 || distinctActions(groups) {
		return reqs
	}
	var idx []int
	for _, v := range forms {
		idx = v
	}
	// "Tờ khai bổ sung mẫu số 01/KHBS (trừ trường hợp khai bổ sung không
	// làm thay đổi nghĩa vụ thuế)" (1.008327): the form says which case
	// goes without it.
	for _, i := range idx {
		if strings.Contains(vntext.Fold(reqs[i].Raw), "tru truong hop") {
			return reqs
		}
	}
	// When every case that does not list the form names a form of its
	// own (2.002041: "Giấy đề nghị" for a move or a new name, a "Thông báo
	// thay đổi …" for the other changes), each case has its own: none is
	// missing, so none is shared.
	own := map[string]bool{}
	for _, r := range reqs {
		if r.group && r.Condition != nil && strings.HasPrefix(strings.TrimLeft(vntext.Fold(r.Name), ". "), "thong bao ") {
			own[*r.Condition] = true
		}
	}
	for _, i := range idx {
		own[*reqs[i].Condition] = true
	}
	mine := true
	for g := range groups {
		if !own[g] && !addOnHeading(cleanHeading(g)) {
			mine = false
			break
		}
	}
	if mine {
		return reqs
	}
	reqs[idx[0]].Condition = nil
	reqs[idx[0]].Optional = false
	reqs[idx[0]].heading = ""
	for g := range groups {
		reqs[idx[0]].everyCase = append(reqs[idx[0]].everyCase, g)
	}
	sort.Strings(reqs[idx[0]].everyCase)
	drop := map[int]bool{}
	for _, i := range idx[1:] {
		drop[i] = true
		if len(reqs[i].Alternatives) > len(reqs[idx[0]].Alternatives) {
			reqs[idx[0]].Alternatives = reqs[i].Alternatives
		}
	}
	return withoutDropped(reqs, drop)
}

// distinctActions: case headings that each name another action ("a) Đăng
// ký mới nhà tạo lập thị trường", "b) Duy trì …", "c) Thủ tục loại bỏ
// …"), not situations ("Đối với …", "Trường hợp …") nor one action in
// several situations ("Đăng ký thường trú vào chỗ ở …", "Đăng ký thường
// trú tại cơ sở tín ngưỡng …"). Each such case is its own application:
// the form one of them lists is that case's, not every case's.
func distinctActions(headings map[string]bool) bool {
	seen := map[string]bool{}
	for h := range headings {
		f := vntext.Fold(strings.TrimSpace(bullet.ReplaceAllString(strings.TrimSpace(h), "")))
		if isCaseLead(f) || strings.HasPrefix(f, "ho so") || strings.HasPrefix(f, "thanh phan") {
			return false
		}
		w := strings.Fields(f)
		if len(w) < 2 {
			return false
		}
		k := w[0] + " " + w[1]
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

// Slug returns the folded, hyphenated start of a name: the stable key of a
// requirement within its procedure.
func Slug(name string) string {
	toks := vntext.FoldedTokens(name)
	var b strings.Builder
	for _, t := range toks {
		if b.Len()+len(t)+1 > 48 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(t)
	}
	if b.Len() == 0 {
		return "giay-to"
	}
	return b.String()
}

func assignKeys(reqs []Requirement) {
	seen := map[string]int{}
	for i := range reqs {
		k := Slug(reqs[i].Name)
		if reqs[i].keyName != "" {
			k = Slug(reqs[i].keyName)
		}
		seen[k]++
		if n := seen[k]; n > 1 {
			k = fmt.Sprintf("%s-%d", k, n)
		}
		reqs[i].Key = k
	}
}

// trimLead drops what the row before left at the start of a name: the full
// stop that ended it (".Tên, địa điểm …", "..Hồ sơ điều chỉnh") or the
// bracket that closed its quantity or note (") Tờ khai …", "); nộp hồ sơ
// …"): a name never starts with a closing bracket.
func trimLead(name string) string {
	n := strings.TrimLeft(name, ".,;:+) ")
	if n == name || n == "" {
		return name
	}
	return capitalise(n)
}

// dropBullets removes a row's bullets ("- ", "a) ", "(i)") and the
// punctuation a bullet carries ("+.. Nghiên cứu khả thi", "(i). Thông
// báo", "- .Đề án"), which would otherwise leave the row's name empty.
func dropBullets(s string) string {
	b := strings.TrimSpace(s)
	// "b. Bản tóm tắt …": a letter closed by a full stop, before a capital
	// (1.012339), which would otherwise be read as a sentence "b".
	// Not "b. Các chứng từ phải nộp … b.1) Giấy …" (2.000020), whose
	// letter numbers the items that the row's sentences then read.
	if m := letterDot.FindStringIndex(b); m != nil && !subLettered.MatchString(b) {
		if r, _ := utf8.DecodeRuneInString(b[m[1]:]); unicode.IsUpper(r) {
			b = b[m[1]:]
		}
	}
	s = strings.TrimSpace(bullet.ReplaceAllString(b, ""))
	s = strings.TrimSpace(bullet.ReplaceAllString(s, ""))
	if t := strings.TrimLeft(s, ".;:, "); s != b && t != s {
		if r, _ := utf8.DecodeRuneInString(t); unicode.IsUpper(r) {
			return t
		}
	}
	return s
}

// letterDot is a lettered bullet written "a. "; subLettered is an item
// numbered under a letter ("b.1) ").
var (
	letterDot   = regexp.MustCompile(`^[a-zđ]\.\s+`)
	subLettered = regexp.MustCompile(`[a-zđ]\.\d{1,2}\)`)
)

// maxNameRunes: a paper's name longer than this holds several papers or
// notes merged into one row.
const maxNameRunes = 250

// danglingEnd: a name does not end on a preposition, a conjunction or a
// case word ("… của", "Đối với", "… theo"). "kèm theo", "tiếp theo" and
// "sở tại" end a phrase ("Các tài liệu liên quan khác kèm theo").
var (
	danglingEnd  = regexp.MustCompile(`(?i)(?:^|\s)(?:của|đối với|theo|và|hoặc|về|gồm|các|tại|để|trường hợp|nếu|thì)$`)
	completeTail = regexp.MustCompile(`(?i)(?:kèm theo|tiếp theo|sở tại)$`)
)

// nameDefect tells why a requirement's name cannot be a paper's name as it
// stands (a template file left glued, a bare letter, a dangling last word,
// an unclosed bracket, several rows merged), or "" when none applies. The
// name is kept; the reason flags it for review (hoso catalog validate).
func nameDefect(name string) string {
	n := strings.TrimRight(name, " .,;:")
	switch {
	case anyFileExt.MatchString(n) && fileExt.MatchString(strings.TrimRight(n, " )(0123456789")):
		return "tên còn dính tên tệp mẫu (template file name left in the name)"
	case !strings.Contains(n, " "):
		return "tên chỉ có một từ (a one-word name)"
	case danglingEnd.MatchString(n) && !completeTail.MatchString(n):
		return "tên kết thúc dở dang (name ends on a dangling word)"
	case !balanced(n):
		return "ngoặc không cân (unbalanced brackets: a quantity or the next row may be glued in)"
	case utf8.RuneCountInString(n) > maxNameRunes:
		return "tên quá dài, có thể gộp nhiều giấy tờ hoặc ghi chú (name over 250 characters: several papers or notes merged)"
	}
	return ""
}
