package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// This file keeps the structure of the law in a parsed component text:
// a table row that lists several papers becomes one requirement per paper,
// "one of the following" lists become alternative groups, headings such as
// "(1.1) Đối với công trình không theo tuyến" or "Trường hợp … :" become
// cases, and what cannot be split with confidence is flagged with a reason.

// piece is one paper found in a table row.
type piece struct {
	name      string
	heading   string   // the row's own case heading ("Đối với … :"), if any
	alts      []string // one-of options, when the row is a group
	groupKind string
	uncertain string
	cond      string // the condition of a group found in a later sentence
	typed     bool   // a group whose members are told apart by "(đối với …)"
	shown     bool   // listed after "Các giấy tờ phải xuất trình …, bao gồm:" (rule 5)
}

// docHeads start the names of papers (folded), strictly enough to cut a
// row at ";" or "," without cutting a name that merely mentions data.
var docHeads = []string{
	"giay", "van ban", "to khai", "to trinh", "don ", "ban sao", "ban chinh", "ban ke", "ban khai",
	"ban ve", "ban do", "ban thong tin", "ban thuyet minh", "ban tom tat", "ban dich", "ban cam ket", "ban danh gia", "ban mo ta",
	"ban luoc khai", "bien ban", "bien lai", "quyet dinh", "hop dong", "ho chieu", "phieu", "chung chi",
	"chung thu", "chung tu", "bao cao", "danh sach", "danh muc", "de an", "phuong an", "ke hoach",
	"cong van", "thong bao", "nghi quyet", "dieu le", "thuyet minh", "du thao", "trich luc", "trich sao",
	"so ", "the ", "anh ", "bang ", "tep tin", "cam ket", "ly lich", "du an", "hoa don", "xac nhan",
	"thoa thuan", "cac giay", "cac van ban", "cac tai lieu", "cac bien ban", "tai lieu", "ho so",
	"chung minh nhan dan", "can cuoc", "so ho khau", "mau ", "01 ", "02 ", "03 ", "quy dinh noi bo", "quy che", "ke khai ",
	"ket luan ",                                      // "Kết luận nội dung tố cáo", "Kết luận thanh tra"
	"nhat ky ",                                       // "Nhật ký khai thác thủy sản", "Nhật ký thi công"
	"thu bao lanh", "thu gioi thieu", "thu xac nhan", // letters: "Thư bảo lãnh hoặc chứng từ đặt cọc …"
	"van kien ", // "văn kiện chương trình, dự án"
	// Results handed in as papers: "kết quả thủ tục hành chính về phòng
	// cháy …", "kết quả thẩm định …", "kết quả kiểm tra …".
	"ket qua thu tuc", "ket qua thuc hien thu tuc", "ket qua tham dinh", "ket qua tham tra", "ket qua kiem tra", "ket qua kiem dinh",
	"ket qua giam dinh", "ket qua xet nghiem", "ket qua danh gia", "ket qua quan trac", "ket qua phan tich", "ket qua dau gia",
	"ban goc ",                                  // "bản gốc quyết định công nhận …", the original of a paper
	"bieu bao cao", "bieu mau", "bieu tong hop", // "Biểu báo cáo kinh nghiệm … theo Mẫu số 02"
	// A design handed in: "thiết kế cơ sở hoặc thiết kế khác …", not the
	// verb ("thiết kế công trình").
	"thiet ke co so", "thiet ke ky thuat", "thiet ke ban ve thi cong", "thiet ke xay dung",
	"du toan ",    // "Dự toán kinh phí"
	"van tai don", // a bill of lading
	"van don ",    // "Vận đơn", the same
	"chung nhan ", // "Chứng nhận nguồn gốc xe", "Chứng nhận đăng ký xe"
}

func startsWithDocHead(f string) bool {
	if strings.HasPrefix(f, "don vi") || strings.HasPrefix(f, "the hien") { // "đơn vị" (a unit), "thể hiện" (shows)
		return false
	}
	// "số lượng", "số định danh", "số tiền" …: a number (số) a paper
	// states, not a book (sổ), which folding would confuse.
	for _, n := range []string{"so luong", "so tien", "so dinh danh", "so dien thoai", "so hieu", "so ho chieu", "so lieu", "so von", "so thue", "so nha", "so can cuoc", "so chung minh"} {
		if strings.HasPrefix(f, n) {
			return false
		}
	}
	for _, h := range docHeads {
		if strings.HasPrefix(f, h) {
			return true
		}
	}
	// "Các phụ lục, bản vẽ …", "những tài liệu …": the plural of papers.
	for _, p := range []string{"cac ", "nhung "} {
		if rest := strings.TrimPrefix(f, p); rest != f && (strings.HasPrefix(rest, "phu luc") || startsWithDocHead(rest)) {
			return true
		}
	}
	return false
}

// introEnds end the phrase that introduces a list of papers ("… bao gồm:",
// "… các giấy tờ sau:", "… cụ thể:").
var introEnds = []string{"gom", "bao gom", "sau", "sau day", "nhu sau", "cu the", "phai co", "kem theo", "gom co", "gom cac", "bao gom cac"}

// cutIntro finds "intro: list" at the top parenthesis level when the intro
// announces papers or a case.
func cutIntro(s string) (intro, list string, ok bool) {
	for i := range topLevel(s) {
		if s[i] != ':' || i+1 >= len(s) {
			continue
		}
		intro = strings.TrimSpace(s[:i])
		list = strings.TrimSpace(s[i+1:])
		if intro == "" || list == "" {
			return "", "", false
		}
		fi := strings.TrimRight(vntext.Fold(intro), " .")
		if utf8.RuneCountInString(intro) > 400 && !longCaseIntro(intro, fi, list) && !longBulletIntro(intro, fi, list) {
			return "", "", false
		}
		// "Giấy tờ: A, B" (what is left of "Bản sao … có giá trị pháp
		// lý giấy tờ: A, B"): the bare collective noun introduces papers.
		if isCaseLead(fi) || strings.Contains(fi, "mot trong") || copyFormsOnly(intro) || collectiveNoun(fi) {
			return intro, list, true
		}
		for _, e := range introEnds {
			if strings.HasSuffix(fi, " "+e) {
				return intro, list, true
			}
		}
		// "Văn bản xác nhận tình trạng hôn nhân: + Trường hợp … là cặp vợ
		// chồng …: Giấy chứng nhận kết hôn. + Trường hợp … độc thân …: Giấy
		// xác nhận tình trạng hôn nhân" (seven adoption procedures): a
		// paper whose form depends on the case, each case a bullet.
		if startsWithDocHead(fi) && caseBullets(list) {
			return intro, list, true
		}
		// "7. Tài liệu chứng minh năng lực của Trưởng Văn phòng đại diện
		// nước ngoài dự kiến: a) Sơ yếu lý lịch …; b) …; c) Các văn bằng
		// …" (2.000827): the proofs, lettered, each a paper.
		if proofsIntro(fi) && strings.HasPrefix(list, "a) ") && strings.Contains(list, " b) ") {
			return intro, list, true
		}
		return "", "", false
	}
	return "", "", false
}

// proofsIntro: an intro that names the proofs of something, not one paper
// ("Tài liệu chứng minh năng lực của …", "Các giấy tờ chứng minh …").
func proofsIntro(fi string) bool {
	fi = strings.TrimLeft(fi, "0123456789. ")
	for _, p := range []string{"tai lieu chung minh ", "cac tai lieu chung minh ", "giay to chung minh ", "cac giay to chung minh "} {
		if strings.HasPrefix(fi, p) {
			return true
		}
	}
	return false
}

// caseBullets: a list that opens with a bulleted case and holds another.
func caseBullets(list string) bool {
	locs := caseBullet.FindAllStringIndex(list, -1)
	return len(locs) >= 2 && locs[0][0] == 0
}

// caseBullet is a bulleted case that opens a list item: "+ Trường hợp …",
// "- Đối với …".
var caseBullet = regexp.MustCompile(`(?:^|\s)[+-]\s*(?:Trường hợp|Đối với|Trong trường hợp) `)

// longCaseIntro: an intro of over 400 characters is a paper's own text
// with a colon late in it, unless it opens a case, whose description may
// run on (1.000199's e) lists the contracts its case covers: 437
// characters). Not a note that starts like one and runs over a sentence's
// end ("Đối với hồ sơ … của tổ chức nước ngoài, mỗi bộ gồm …. Các tài liệu
// … trừ các tài liệu sau đây:"), nor one after which no paper follows
// ("…, phải có thêm thông báo … hoặc văn bản …: 01 bản chụp").
func longCaseIntro(intro, folded, list string) bool {
	r, _ := utf8.DecodeRuneInString(list)
	return utf8.RuneCountInString(intro) <= 800 && isCaseLead(folded) && !strings.Contains(intro, ". ") &&
		(strings.HasPrefix(list, "(") || startsWithDocNoun(vntext.Fold(list))) && !unicode.IsDigit(r)
}

// statesContents: an intro that says the paper holds the contents that
// follow ("…, trong đó tối thiểu bao gồm các nội dung sau").
func statesContents(fi string) bool {
	return strings.Contains(fi, "trong do") && contentsSuffix.MatchString(strings.TrimRight(fi, " :"))
}

var contentsSuffix = regexp.MustCompile(`(?:noi dung|thong tin)(?: chinh| chu yeu| co ban)? sau(?: day)?$`)

// caseDocs counts the items that name a case and then its paper ("Đối với
// …: Tài liệu …").
func caseDocs(items []string) int {
	n := 0
	for _, it := range items {
		if _, _, ok := caseDoc(it); ok {
			n++
		}
	}
	return n
}

// longBulletIntro: an intro of over 400 characters that says what its
// papers prove and ends "…, bao gồm:", then bullets ("+ Giấy phép thành
// lập …; + Điều lệ …", 1.000763 and its family): a list, however long the
// conditions it restates.
func longBulletIntro(intro, folded, list string) bool {
	return utf8.RuneCountInString(intro) <= 800 && (strings.HasSuffix(folded, ", bao gom") || strings.HasSuffix(folded, ", gom")) &&
		(strings.HasPrefix(list, "+ ") || strings.HasPrefix(list, "- ")) && !strings.Contains(intro, ". ")
}

// papersIntro: an intro that names no paper of its own, only the copy forms
// or the collective word for the papers it lists.
func papersIntro(intro string) bool {
	fi := strings.TrimRight(vntext.Fold(intro), " .")
	return collectiveNoun(fi) || copyFormsOnly(intro) || mustPapers(fi)
}

// mustPapers: "Các giấy tờ phải xuất trình Cảng vụ (bản chính), bao gồm"
// — the papers that must be shown or handed in, named only by what is
// done with them.
func mustPapers(fi string) bool {
	for _, p := range []string{"cac giay to phai xuat trinh", "cac giay to phai nop", "giay to phai xuat trinh", "giay to phai nop"} {
		if strings.HasPrefix(fi, p) && (strings.HasSuffix(fi, " bao gom") || strings.HasSuffix(fi, " gom")) {
			return true
		}
	}
	return false
}

// collectiveNoun: a folded phrase that only says "papers" without naming one.
func collectiveNoun(f string) bool {
	switch f {
	case "giay to", "cac giay to", "tai lieu", "cac tai lieu", "giay to gom", "cac giay to gom", "thanh phan ho so", "thanh phan ho so gom":
		return true
	}
	// "Bản sao các loại bản đồ: + Bản đồ hiện trạng rừng …; + …" (3.000250):
	// the kinds of a paper that follow, each a paper.
	g := f
	for _, p := range []string{"ban sao co chung thuc ", "ban sao ", "ban chinh "} {
		g = strings.TrimPrefix(g, p)
	}
	if rest, ok := strings.CutPrefix(g, "cac loai "); ok && len(strings.Fields(rest)) <= 3 && startsWithDocNoun(rest) {
		return true
	}
	// "Bản sao có chứng thực các giấy tờ sau: Giấy chứng nhận đầu tư, Giấy
	// chứng nhận đăng ký kinh doanh, …": the copy form of the papers that
	// follow, each a paper.
	for _, e := range []string{" sau day", " sau"} {
		if h, ok := strings.CutSuffix(g, e); ok {
			switch h {
			case "cac giay to", "cac tai lieu", "cac van ban", "cac giay to, tai lieu":
				return true
			}
		}
	}
	// "Giấy tờ của xe: Chứng nhận nguồn gốc xe; …": whose papers follow.
	for _, p := range []string{"giay to cua ", "cac giay to cua "} {
		if rest, ok := strings.CutPrefix(f, p); ok && len(strings.Fields(rest)) <= 3 {
			return true
		}
	}
	return false
}

func isCaseLead(f string) bool {
	return strings.HasPrefix(f, "doi voi ") || strings.HasPrefix(f, "truong hop ") || strings.HasPrefix(f, "trong truong hop ")
}

// splitTop cuts s at sep outside parentheses.
func splitTop(s string, seps ...string) []string {
	var out []string
	start := 0
	for i := range topLevel(s) {
		if i < start {
			continue // inside the separator just cut
		}
		for _, sep := range seps {
			if strings.HasPrefix(s[i:], sep) {
				out = append(out, s[start:i])
				start = i + len(sep)
				break
			}
		}
	}
	return append(out, s[start:])
}

// enumMarker finds the markers of an enumeration inside one cell: "(i)",
// "(ii)", "(3)" before a capital, and "b)", "c)", "b.2)" after the end of
// the item before ("…; b) Danh mục …", "…. c) Tài liệu …").
var enumMarker = regexp.MustCompile(`(?:^|\s|[;.])\((?:[ivx]{1,5}|\d{1,2})\)\s*(\p{Lu})|(?:^|[;.]\s*)[a-zđ](?:\.\d{1,2})*\)\s+(\p{Lu})`)

// listAndEach reads "Danh sách, bản thông tin cá nhân của người điều hành
// quỹ …" as two papers: the list of those people and each one's own paper
// ("Danh sách người điều hành quỹ …", "Bản thông tin cá nhân của người
// điều hành quỹ …").
func listAndEach(name string) (list, each string, ok bool) {
	f := vntext.Fold(name)
	if !strings.HasPrefix(f, "danh sach, ban ") {
		return "", "", false
	}
	rest := strings.TrimSpace(name[len("Danh sách,"):])
	_, owner, found := strings.Cut(rest, " của ")
	if !found || len(strings.Fields(owner)) < 2 || strings.Contains(rest, ";") {
		return "", "", false
	}
	return name[:len("Danh sách")] + " " + owner, capitalise(rest), true
}

// sameHead: every name starts with the same two words ("Phương án chữa
// cháy", "Phương án phòng cháy"), the same paper's noun said again.
func sameHead(names []string) bool {
	var head string
	for _, n := range names {
		w := strings.Fields(vntext.Fold(n))
		if len(w) < 3 {
			return false
		}
		if h := w[0] + " " + w[1]; head == "" {
			head = h
		} else if h != head {
			return false
		}
	}
	return true
}

// letteredInOrder: every part after the first opens with the next letter
// of the Vietnamese alphabet from "b)" (b, c, d, đ, e, …), three parts or
// more.
func letteredInOrder(parts []string) bool {
	const letters = "abcdđeghiklmnopqrstuvxy"
	if len(parts) < 3 {
		return false
	}
	seq := []rune(letters)
	for i, p := range parts {
		if i == 0 {
			continue // the row's own "a)" is cut before the cell is read
		}
		if i >= len(seq) || !strings.HasPrefix(strings.TrimSpace(p), string(seq[i])+") ") {
			return false
		}
	}
	return true
}

// letteredItems cuts a cell whose row was lettered "a)" where the later
// letters, in order from "b)", open papers after a ";" or a sentence's end:
// "Văn bản đề nghị, trong đó tối thiểu bao gồm các nội dung sau: (i) …;
// (v) …; b) Văn bản của ngân hàng mẹ …; c) Văn bản, tài liệu chứng minh
// …". What the first paper holds ((i) … (v)) stays with it. Every item
// must name a paper; nil when the cell is not such a list.
func letteredItems(name string) []string {
	const letters = "bcdđeghiklmnopqrstuvxy"
	if !strings.Contains(name, "b) ") || !strings.Contains(name, "c) ") {
		return nil // most cells, before any folding
	}
	f0 := vntext.Fold(name)
	if !startsWithDocNoun(f0) && !startsWithDocHead(f0) {
		return nil
	}
	var cuts []int
	from := 0
	for _, l := range letters {
		at := -1
		for _, sep := range []string{"; ", ". ", ";", ".  "} {
			if i := strings.Index(name[from:], sep+string(l)+") "); i >= 0 && (at < 0 || from+i+len(sep) < at) {
				at = from + i + len(sep)
			}
		}
		if at < 0 || !openParens(name[:at]) {
			break
		}
		cuts = append(cuts, at)
		from = at
	}
	// "…: a) Dự án …; b) Dự án …": letters of a list inside the first
	// item.
	if len(cuts) < 2 || strings.Contains(name[:cuts[0]], "a) ") {
		return nil
	}
	segs := []string{strings.TrimSpace(strings.TrimRight(strings.TrimSpace(name[:cuts[0]]), ";."))}
	for k, c := range cuts {
		end := len(name)
		if k+1 < len(cuts) {
			end = cuts[k+1]
		}
		seg := strings.TrimSpace(name[c:end])
		_, seg, _ = strings.Cut(seg, ") ")
		seg = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(seg), ";."))
		if f := vntext.Fold(seg); len(strings.Fields(seg)) < 2 || !startsWithDocHead(f) {
			return nil
		}
		segs = append(segs, capitalise(seg))
	}
	return segs
}

// letterMark is a lettered item's marker after ";" or a sentence's end
// ("; b) "), whose ")" closes no bracket.
var letterMark = regexp.MustCompile(`[;.]\s*[a-zđ]\) `)

// openParens reports whether every bracket in s is closed, the markers of
// lettered items aside.
func openParens(s string) bool { return balanced(letterMark.ReplaceAllString(s, ";")) }

// splitEnum puts each enumerated item of a list on a line of its own.
func splitEnum(list string) string {
	if len(enumMarker.FindAllStringIndex(list, 3)) < 2 {
		return list
	}
	return enumMarker.ReplaceAllString(list, "\n$1$2")
}

// letteredAfter is a lettered item ("; d) Phương án …") among numbered
// ones.
var letteredAfter = regexp.MustCompile(`[;.]\s*([a-zđ]\)\s+\p{Lu})`)

// numberedItem is "1. Đơn …", "2. Các giấy tờ …" in a list written on
// one line, after the list's start or a full stop.
var numberedItem = regexp.MustCompile(`(?:^|[.;]\s+)(\d{1,2})\.\s+\p{Lu}`)

// splitNumbered puts each item of "1. A. 2. B. 3. C" on a line of its own
// when the list starts at 1 and counts up by one (1.003338's "Đối với
// trường hợp …: 1. Đơn đề nghị … . 2. Các giấy tờ …"), not at a stray
// "Điều 5. " inside an item.
func splitNumbered(list string) string {
	locs := numberedItem.FindAllStringSubmatchIndex(list, -1)
	if len(locs) < 2 || locs[0][0] != 0 {
		return list
	}
	for k, l := range locs {
		if n, _ := strconv.Atoi(list[l[2]:l[3]]); n != k+1 {
			return list
		}
	}
	var b strings.Builder
	at := 0
	for _, l := range locs {
		b.WriteString(list[at:l[0]])
		b.WriteString("\n")
		at = l[3] + 1 // past the number and its full stop
	}
	b.WriteString(list[at:])
	return strings.TrimLeft(b.String(), "\n")
}

// listItems splits the list after an intro at ";", at bullets and at the
// markers of an enumeration ("(i) … (ii) …").
func listItems(list string) []string {
	var out []string
	// "1. Đơn …. 2. Bản sao …, bao gồm những nội dung chính sau: (i) …; (ii)
	// …; d) Phương án …": each numbered item (and each lettered one after
	// them) is a paper, and what it lists after its colon is its contents,
	// not more items.
	if nl := splitNumbered(list); nl != list {
		for _, p := range strings.Split(letteredAfter.ReplaceAllString(nl, "\n$1"), "\n") {
			p = strings.TrimSpace(bullet.ReplaceAllString(strings.TrimSpace(p), ""))
			if p = strings.TrimSpace(strings.TrimRight(p, " .;,")); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	for _, p := range splitTop(splitEnum(list), ";", " - ", " + ", " * ", "\n", "- ", "+ ") {
		for _, p := range paperSentences(p) {
			p = strings.TrimSpace(bullet.ReplaceAllString(strings.TrimSpace(p), ""))
			p = strings.TrimSpace(strings.TrimRight(p, " .;,"))
			if p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// paperSentences cuts a list item where a later sentence names a paper of
// its own ("… Quyết định giao đất … theo quy định của pháp luật về đất
// đai. Biên bản bàn giao đất …"); any other later sentence stays with the
// item before it, as its note.
func paperSentences(item string) []string {
	ss := splitSentences(item)
	if len(ss) < 2 {
		return []string{item}
	}
	out := []string{ss[0]}
	for _, s := range ss[1:] {
		if f := vntext.Fold(s); len(strings.Fields(s)) >= 3 && startsWithDocHead(f) && commaPaperNoun(f) {
			out = append(out, s)
			continue
		}
		out[len(out)-1] += " " + s
	}
	return out
}

// notAForm: a part whose first word folds to a paper's noun but is
// another word ("đón" folds as "đơn" does: "phương tiện đưa, đón hoa
// tiêu").
func notAForm(p string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(p)), "đón ")
}

// commaDocs splits "Quyết định thụ lý, Quyết định thành lập Tổ xác minh"
// when every later part starts with a capitalised paper name.
func commaDocs(s string) []string { return splitCommaDocs(s, true) }

func splitCommaDocs(s string, upper bool) []string {
	parts := splitTop(s, ", ")
	if len(parts) < 2 || grantedList(parts) {
		return []string{s}
	}
	all := true
	for _, p := range parts {
		if f := vntext.Fold(strings.TrimSpace(p)); len(strings.Fields(p)) < 2 || !startsWithDocHead(f) || notAForm(p) {
			all = false
		}
	}
	if !upper && !all {
		// In a sentence ("phải có bản sao hợp đồng …, giấy giới thiệu hoặc
		// văn bản … của hợp tác xã, liên hiệp hợp tác xã"), a part that
		// names no paper continues the one before it.
		// Only trailing parts may continue, and a later paper must start
		// with a paper's own noun ("giấy", "văn bản", "nghị quyết"…, not
		// "dự án" in "công trình, dự án hoặc hoạt động") and say more than
		// the noun ("bản án, quyết định, cơ quan thi hành án" lists issuers).
		var merged []string
		tail := false
		for i, p := range parts {
			f := vntext.Fold(strings.TrimSpace(p))
			switch {
			case i == 0:
			case !startsWithDocHead(f):
				merged[len(merged)-1] += ", " + p
				tail = true
				continue
			case tail && !capitalised(p) || !alternativeDoc(p) || len(strings.Fields(p)) < 3:
				// A capitalised paper after a continued part starts again
				// ("Giấy chứng nhận đủ điều kiện sản xuất, kinh doanh …,
				// Giấy chứng nhận đủ điều kiện nhập khẩu").
				return []string{s}
			}
			merged = append(merged, p)
		}
		if len(merged) < 2 {
			return []string{s}
		}
		parts = merged
	}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		r, _ := utf8.DecodeRuneInString(p)
		if len(strings.Fields(p)) < 2 || !startsWithDocHead(vntext.Fold(p)) || (upper && i > 0 && !unicode.IsUpper(r)) {
			return []string{s}
		}
	}
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = strings.TrimSpace(p)
	}
	return out
}

// grantedList: "Kết quả kiểm tra … của các tổ chức đã được cấp Giấy
// chứng nhận A, Giấy chứng nhận B, …" (1.014316) lists what the holders
// were granted, inside the first paper's name, not papers: the parts after
// the first start as the paper named after "được cấp" does.
func grantedList(parts []string) bool {
	_, obj, ok := strings.Cut(parts[0], " được cấp ")
	if !ok || !startsWithDocHead(vntext.Fold(obj)) {
		return false
	}
	head := strings.Fields(obj)
	if len(head) < 2 {
		return false
	}
	for _, p := range parts[1:] {
		if f := strings.Fields(p); len(f) < 2 || f[0] != head[0] || f[1] != head[1] {
			return false
		}
	}
	return true
}

// labelledPapers reads a row that names to whom or for what its papers go
// before a colon, then lists them by comma, each capitalised ("Nộp cho Hải
// quan cửa khẩu: Bản khai chung theo mẫu, Danh sách thuyền viên theo mẫu,
// Bản khai hành lý phải nộp thuế, bị cấm hoặc hạn chế của hành khách, …").
// The label is no paper's name; the caller has found no intro cutIntro
// knows.
func labelledPapers(name string) (label string, papers []string, ok bool) {
	label, list, found := strings.Cut(name, ": ")
	fl := vntext.Fold(label)
	if !found || utf8.RuneCountInString(label) > 160 || !balanced(label) || startsWithDocNoun(fl) || startsWithDocHead(fl) || strings.Contains(list, ":") {
		return "", nil, false
	}
	// The papers may be listed by ";" too ("Nộp cho Biên phòng cửa khẩu:
	// Bản khai chung theo mẫu; Danh sách thuyền viên …; …").
	parts := splitTop(list, ";")
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		// "…; Bản khai dự trữ của tàu theo mẫu; Không áp dụng thủ tục khai
		// báo hải quan đối với hành lý …" (1.004004): a closing note, kept
		// as the last paper's later sentence.
		if i == len(parts)-1 && len(papers) >= 2 && hasNotePrefix(vntext.Fold(part)) {
			papers[len(papers)-1] += ". " + part
			continue
		}
		if cp := capitalCommaPapers(part); len(cp) >= 2 {
			papers = append(papers, cp...)
			continue
		}
		r, _ := utf8.DecodeRuneInString(part)
		if f := vntext.Fold(part); !strings.Contains(list, ";") || len(strings.Fields(part)) < 2 || !unicode.IsUpper(r) || !startsWithDocHead(f) {
			return "", nil, false
		}
		papers = append(papers, part)
	}
	return strings.TrimSpace(label), papers, len(papers) >= 2
}

// capitalCommaPapers splits a comma list in which each paper opens with a
// capitalised paper's noun, or with "các" and one ("các giấy chứng nhận về
// an toàn kỹ thuật"); a part in lower case that names no paper continues
// the one before ("Giấy khai báo y tế, thi thể, hài cốt, tro cốt"). Any
// other part, or a first part that is no paper, reads as no list (nil).
func capitalCommaPapers(s string) []string {
	parts := splitTop(s, ", ")
	if len(parts) < 2 || grantedList(parts) {
		return nil
	}
	var out []string
	for i, p := range parts {
		p = strings.TrimSpace(p)
		f := vntext.Fold(p)
		r, _ := utf8.DecodeRuneInString(p)
		named := len(strings.Fields(p)) >= 2 && startsWithDocHead(f) && !strings.HasPrefix(f, "ban sao") && !strings.HasPrefix(f, "ban chinh")
		switch {
		case named && unicode.IsUpper(r):
			out = append(out, p)
		case i > 0 && named && (strings.HasPrefix(f, "cac ") || commaPaperNoun(f)) && len(strings.Fields(p)) >= 3:
			// "…, các giấy chứng nhận về an toàn …", "…, chứng chỉ chuyên
			// môn của thuyền viên …": a paper in lower case.
			out = append(out, capitalise(p))
		case i > 0 && !unicode.IsUpper(r) && !startsWithDocHead(f):
			out[len(out)-1] += ", " + p
		default:
			return nil
		}
	}
	return out
}

// caseDoc reads "Đối với trường hợp …: Thông báo theo mẫu NA-01".
func caseDoc(s string) (heading, doc string, ok bool) {
	intro, list, ok := cutIntro(s)
	if !ok || !isCaseLead(vntext.Fold(intro)) || !startsWithDocNoun(vntext.Fold(list)) {
		return "", "", false
	}
	return intro, list, true
}

// caseThenDoc reads "Trường hợp là người khuyết tật thì phải có giấy xác
// nhận của cơ quan có thẩm quyền theo quy định của pháp luật về …" as the
// paper with its case: "Giấy xác nhận của cơ quan có thẩm quyền (trường
// hợp là người khuyết tật)".
func caseThenDoc(s string) (string, bool) {
	f := vntext.Fold(s)
	if !isCaseLead(f) && !strings.HasPrefix(f, "neu ") {
		return "", false
	}
	cond, doc, ok := strings.Cut(s, " thì ")
	if !ok || strings.Contains(doc, " thì ") {
		return "", false
	}
	m := thenDoc.FindStringSubmatch(" thì " + doc)
	if m == nil {
		return "", false
	}
	d := strings.TrimSpace(strings.TrimRight(m[1], " .;"))
	if fd := vntext.Fold(d); len(strings.Fields(d)) < 2 || !(startsWithDocNoun(fd) || startsWithDocHead(fd)) || !balanced(d) {
		return "", false
	}
	c := strings.TrimSpace(cond)
	for _, p := range []string{"Trong trường hợp ", "Trường hợp ", "Nếu ", "Đối với "} {
		if strings.HasPrefix(c, p) {
			c = strings.ToLower(p[:1]) + p[1:] + c[len(p):]
			break
		}
	}
	return capitalise(cutLawRef(dropDefinitions(d))) + " (" + c + ")", true
}

// definitionBracket: "(sau đây gọi chung là Ủy ban nhân dân cấp xã)", a
// definition for the law's later text, no part of a paper's name.
var definitionBracket = regexp.MustCompile(`\s*\((?:sau đây|dưới đây) (?:gọi|viết)[^()]*\)`)

func dropDefinitions(s string) string {
	return vntext.CollapseSpace(definitionBracket.ReplaceAllString(s, ""))
}

// oneOfLater finds, after a row's first paper, a sentence that asks for
// one of several further papers in a case: "… (Bản sao …). Trường hợp
// phương tiện không thuộc quyền sở hữu của đơn vị phải xuất trình thêm …
// một trong các giấy tờ sau: Hợp đồng thuê … hoặc hợp đồng dịch vụ …". It
// returns where that sentence starts and the group it names.
func oneOfLater(name string) (int, piece, bool) {
	off := 0
	for {
		i := firstSentenceBreak(name[off:])
		if i < 0 {
			return 0, piece{}, false
		}
		off += i
		sent := unbullet(strings.TrimSpace(name[off:]))
		if j := firstSentenceBreak(sent); j > 0 {
			sent = strings.TrimSpace(sent[:j])
		}
		f := vntext.Fold(sent)
		if !isCaseLead(f) && !strings.HasPrefix(f, "neu ") {
			continue
		}
		k := strings.Index(f, "mot trong cac ")
		if k < 0 {
			k = strings.Index(f, "mot trong nhung ")
		}
		colon := strings.Index(sent, ":")
		if k < 0 || colon < 0 || colon < k {
			continue
		}
		// Folding keeps byte offsets only for ASCII: find "một trong" in
		// the original text instead.
		start := strings.Index(strings.ToLower(sent), "một trong")
		if start < 0 || start > colon {
			continue
		}
		items := listItems(sent[colon+1:])
		if len(items) == 1 {
			items = nil
			for _, x := range splitTop(sent[colon+1:], " hoặc ") {
				if x = strings.TrimSpace(strings.TrimRight(x, " .;,")); x != "" {
					items = append(items, capitalise(x))
				}
			}
		}
		docs := 0
		for _, it := range items {
			if startsWithDocNoun(vntext.Fold(it)) || startsWithDocHead(vntext.Fold(it)) {
				docs++
			}
		}
		if len(items) < 2 || docs < len(items)-1 {
			continue
		}
		return off, piece{name: introName(sent[start:colon]), alts: items, groupKind: GroupOneOf, cond: caseOf(sent[:start])}, true
	}
}

// addsToDossier is "… thì hồ sơ còn có / còn bao gồm / còn gồm …" (folded),
// the words after which laterDocs read the papers a case adds, and which
// lift the stand-in guards of laterCaseDoc (1.014061–1.014068, 1.012363).
var addsToDossier = regexp.MustCompile(` ho so con (?:co|bao gom|gom)\b`)

// laterDocs read a later sentence that adds a paper in a case: the case
// and a colon ("Trường hợp giảm vốn: Giấy xác nhận …"), or a verb that asks
// for the paper ("… thì phải có thêm văn bản …"), never a bare "thì X …"
// (which says something about X).
var laterDocs = []*regexp.Regexp{
	regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s[^:]+?):\s*(?:(?:phải|cần)\s+)?(?:(?:có thêm|nộp thêm|bổ sung thêm|có|nộp|kèm theo|bổ sung|cung cấp|gửi kèm)\s+)?(.+)$`),
	regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s.+?)(?:,?\s+(?:thì\s+)?hồ sơ)?\s+(?:thì\s+)?(?:(?:phải|cần|còn phải)\s+(?:có thêm|nộp thêm|bổ sung thêm|có|nộp|kèm theo|bổ sung|cung cấp|gửi kèm|gửi|xuất trình thêm|xuất trình)|còn có|còn bao gồm|còn gồm)\s*:?\s+(?:cả\s+(?:bản chính\s+|bản sao\s+)?)?(.+)$`),
	// "Trường hợp văn bản … bằng tiếng nước ngoài thì gửi kèm bản dịch …":
	// after "thì", a verb that adds a paper needs no "phải".
	regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu|Đối với)\s.+?),?\s+thì\s+(?:gửi kèm|nộp kèm|nộp thêm|bổ sung thêm|kèm theo|cung cấp thêm|có thêm|gửi thêm)\s+(.+)$`),
	// "Trường hợp khai hải quan trên tờ khai hải quan giấy, nộp thêm 01 bản
	// chính tờ khai hải quan nhập khẩu …" (1.011665): a comma for the
	// "thì", before a verb that adds.
	regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu)\s[^,;]+?),\s+(?:phải\s+)?(?:nộp thêm|bổ sung thêm|gửi kèm thêm|nộp kèm thêm)\s+(.+)$`),
}

// addsAPaper: a clause in lower case after "; " that opens a case and
// asks for a paper on top ("…; trường hợp chuyển quyền sở hữu tàu bay phải
// có thêm giấy tờ chứng minh quyền sở hữu của chủ sở hữu cũ", 1.003541).
func addsAPaper(clause string) bool {
	if i := strings.Index(clause, ";"); i >= 0 {
		clause = clause[:i]
	}
	f := vntext.Fold(clause)
	if !strings.HasPrefix(f, "truong hop ") {
		return false
	}
	for _, v := range []string{" phai co them ", " phai nop them ", " phai nop ca ", " thi nop them ", " thi phai nop them ", " phai bo sung "} {
		if strings.Contains(f, v) {
			return true
		}
	}
	// "…; trường hợp thay đổi chủ cơ sở phải có giấy tờ chứng minh sự
	// thay đổi": "phải có" and a paper.
	_, after, ok := strings.Cut(f, " phai co ")
	return ok && startsWithDocHead(after)
}

// laterSentenceBreak is firstSentenceBreak, also at "; " before a capital
// that opens a case ("… (bản sao); Trường hợp văn bản thông báo này bằng
// tiếng nước ngoài thì gửi kèm bản dịch …"): the sentence after it may
// ask for a paper of its own.
func laterSentenceBreak(s string) int {
	best := firstSentenceBreak(s)
	for i := range topLevel(s) {
		if best >= 0 && i >= best || i+2 >= len(s) {
			break
		}
		if s[i] != ';' || s[i+1] != ' ' {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(s[i+2:]); !unicode.IsUpper(r) && !addsAPaper(s[i+2:]) {
			continue
		}
		// The clause's first words are enough to tell a case.
		next := s[i+2:]
		if len(next) > 64 {
			cut := 64
			for cut > 0 && !utf8.RuneStart(next[cut]) {
				cut--
			}
			next = next[:cut]
		}
		if f := vntext.Fold(next); isCaseLead(f) || strings.HasPrefix(f, "neu ") {
			return i + 1
		}
	}
	return best
}

// unbullet drops the bullet a later sentence of a row was glued with
// (". * Trường hợp …": a row of its own).
func unbullet(sent string) string {
	if b := strings.TrimLeft(sent, "*+- \t"); b != sent && len(sent)-len(b) <= 3 {
		return b
	}
	return sent
}

// laterCaseDoc finds, after a row's first sentence, a sentence that asks
// for a further paper in a case: "Giấy chứng nhận … . Trường hợp giảm vốn:
// Giấy xác nhận của công ty …", "… . Trường hợp X thì phải có thêm văn bản
// …". That paper is a requirement of its own on the case's condition. Not
// a paper that stands in for the row's ("Trường hợp không có … thì …",
// "… thay cho …"), nor a once-only clause or a note on what need not be
// given. It returns the sentence's bounds in name, its papers and its case.
func laterCaseDoc(name string) (start, end int, docs []string, cond string, ok bool) {
	off := 0
	for {
		i := laterSentenceBreak(name[off:])
		if i < 0 {
			return 0, 0, nil, "", false
		}
		off += i
		sent := unbullet(strings.TrimSpace(name[off:]))
		lead := len(name[off:]) - len(strings.TrimLeft(name[off:], " "))
		stop := len(name)
		if j := laterSentenceBreak(sent); j > 0 {
			sent = strings.TrimSpace(sent[:j])
			stop = off + lead + j
		}
		// "… giấy chứng nhận kết hôn . (Thành phần hồ sơ có quy định về
		// các thông tin đã có trong cơ sở dữ liệu …)": the bracketed note
		// after the stop is not the sentence's (1.012893).
		if k := strings.Index(sent, " . ("); k > 0 {
			sent = sent[:k]
			stop = off + lead + k
		}
		f := vntext.Fold(sent)
		if !isCaseLead(f) && !strings.HasPrefix(f, "neu ") {
			continue
		}
		// "… thì hồ sơ còn có: Phiếu thu thập thông tin dân cư (…). Giấy
		// tờ, tài liệu chứng minh thông tin công dân.": the list goes on
		// in the sentences after it that name papers (1.014062, 1.014064).
		if adds := addsToDossier.FindStringIndex(f); adds != nil && strings.HasPrefix(f[adds[1]:], ":") {
			for stop < len(name) {
				next := strings.TrimLeft(name[stop:], " .")
				r, _ := utf8.DecodeRuneInString(next)
				if next == "" || !unicode.IsUpper(r) || !startsWithDocHead(vntext.Fold(next)) {
					break
				}
				n := len(next)
				if j := laterSentenceBreak(next); j > 0 {
					n = j
				}
				sent = strings.TrimRight(sent, " .;") + "; " + strings.TrimSpace(next[:n])
				stop = len(name) - len(next) + n
			}
			f = vntext.Fold(sent)
		}
		skip := false
		for _, w := range []string{"khong phai", "khong can", "khong yeu cau", "thay the", "thay cho", "thay bang", "mot trong",
			// "…, trong đơn cần cam kết …": what the form must state.
			" trong don ", " trong to khai ", " trong van ban ", " trong bao cao "} {
			skip = skip || strings.Contains(f, w)
		}
		// A paper that stands in for the row's, or data a register holds;
		// not "… chưa có thông tin trong cơ sở dữ liệu quốc gia về dân cư
		// thì hồ sơ còn có: Phiếu thu thập thông tin dân cư", which adds
		// papers to the dossier (1.014061–1.014068).
		if !addsToDossier.MatchString(f) {
			for _, w := range []string{"ban dien tu", "du lieu dien tu", "co so du lieu", "truong hop khong co", "neu khong co", "truong hop chua co", "neu chua co"} {
				skip = skip || strings.Contains(f, w)
			}
		}
		// "không thể" (cannot), not "không thể hiện" (does not show).
		if skip || strings.Contains(strings.ReplaceAll(f, "khong the hien", ""), "khong the") {
			continue
		}
		text := capitalise(strings.TrimRight(sent, " .;"))
		for _, re := range laterDocs {
			m := re.FindStringSubmatch(text)
			if m == nil || utf8.RuneCountInString(m[1]) > 200 {
				continue
			}
			// "… thì đơn đề nghị … phải có xác nhận …": what that paper must
			// carry, not a further paper.
			// ("… thì hồ sơ còn có: A" adds A.)
			if _, subj, ok := strings.Cut(m[1], " thì "); ok {
				if fs := vntext.Fold(strings.TrimSpace(subj)); startsWithDocHead(fs) && !addsToDossier.MatchString(" "+fs) {
					break
				}
			}
			var docs []string
			for _, doc := range listItems(m[2]) {
				// "… thì phải có bản sao có chứng thực hoặc bản sao kèm bản
				// chính để đối chiếu giấy chứng nhận kết hôn": the paper
				// after its copy forms (1.012893).
				// Only at the row's end, before at most a bracketed note:
				// before further sentences (1.013803's list of what proves
				// the years of practice) the row reads as a whole.
				if c := stripCopyPrefix(doc); c != doc && startsWithDocHead(vntext.Fold(c)) {
					if rest := strings.TrimLeft(name[stop:], " .;"); rest == "" || strings.HasPrefix(rest, "(") {
						doc = c
					}
				}
				fd := vntext.Fold(doc)
				// "Nếu nhập khẩu nhiều lần: 01 bản chính khi nhập khẩu lần
				// đầu": the form the paper is given in, not a paper.
				if w := strings.Fields(strings.TrimLeft(fd, "0123456789 ")); len(w) >= 2 && copyWordsOnly(w[0]+" "+w[1]) && !startsWithDocHead(strings.Join(w[2:], " ")) {
					docs = nil
					break
				}
				// "… thì bản sao … phải được hợp pháp hóa": how the paper
				// is given, not a further paper.
				// "… được kiểm toán" names the paper; "… phải được hợp pháp
				// hóa", "được chứng thực" say how it is given.
				if len(strings.Fields(doc)) < 3 || !startsWithDocHead(fd) || !balanced(doc) || strings.HasPrefix(fd, "ho so") || strings.HasPrefix(fd, "cac giay to") ||
					strings.Contains(fd, " phai ") || strings.Contains(fd, " duoc hop phap hoa") || strings.Contains(fd, " duoc chung thuc") || strings.Contains(fd, " duoc dich") {
					docs = nil
					break
				}
				docs = append(docs, capitalise(doc))
			}
			if len(docs) == 0 {
				break
			}
			// "Trường hợp … có tái bảo hiểm thì chủ tàu": the case, not who
			// gives the paper.
			c, _, _ := strings.Cut(m[1], " thì ")
			return off, stop, docs, strings.TrimSpace(c), true
		}
	}
}

// laterShown finds, after a row's first sentence, a sentence that shows a
// paper ("Xuất trình Sổ theo dõi … để đối chiếu"): its byte offset, or -1.
func laterShown(name string) int {
	for off := 0; ; {
		i := firstSentenceBreak(name[off:])
		if i <= 0 {
			return -1
		}
		off += i
		sent := strings.TrimSpace(name[off:])
		if _, ok := presentRow(sent); ok {
			return off + len(name[off:]) - len(strings.TrimLeft(name[off:], " "))
		}
	}
}

// contentsThenPapers reads a paper whose contents, listed without
// bullets after its colon, are followed by bulleted papers: "Tờ trình …
// bao gồm các nội dung: sự cần thiết …; kiến nghị …; - Quyết định chủ
// trương đầu tư …; - Báo cáo nghiên cứu khả thi dự án". It returns the
// first paper with its contents and the later papers.
func contentsThenPapers(name string) (head string, rest []string, ok bool) {
	c := contentsColon(name)
	if f := vntext.Fold(name); c < 0 || !startsWithDocHead(f) || isCaseLead(f) {
		return "", nil, false
	}
	after := name[c:]
	if i := strings.Index(after, ":"); i >= 0 {
		after = after[i+1:]
	}
	if t := strings.TrimSpace(after); t == "" || strings.ContainsAny(t[:1], "-+*•") {
		return "", nil, false
	}
	at := -1
	for _, sep := range []string{"; - ", "; + "} {
		for off := 0; ; {
			i := strings.Index(name[off:], sep)
			if i < 0 {
				break
			}
			p := off + i
			off = p + len(sep)
			if p > c && startsWithDocHead(vntext.Fold(name[off:])) && (at < 0 || p < at) {
				at = p
				break
			}
		}
	}
	if at < 0 {
		return "", nil, false
	}
	head = strings.TrimSpace(name[:at])
	for _, r := range splitTop(name[at+2:], "; - ", "; + ") {
		if r = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(r), "-+ ")); r != "" {
			rest = append(rest, strings.TrimRight(r, " .;"))
		}
	}
	return head, rest, len(rest) > 0
}

// submitCount is the verb and count that open a list item before its
// paper: "Nộp 01 bản gốc ", "Nộp 02 bản sao ".
var submitCount = regexp.MustCompile(`^(?:[Nn]ộp|[Xx]uất trình)\s+0?\d\s+(?:bản\s+(?:gốc|chính|sao(?:\s+có chứng thực)?|chụp)\s+)?`)

// expandCell turns a row's name into the papers it holds.
func expandCell(name string) []piece {
	if head, rest, ok := contentsThenPapers(name); ok {
		out := expandCell(head)
		for _, r := range rest {
			out = append(out, expandCell(r)...)
		}
		return out
	}
	var out []piece
	for _, p := range expandCell1(name) {
		for _, q := range splitAttached(p) {
			if len(q.alts) == 0 && q.uncertain == "" {
				if name, alts, ok := bracketOptions(q.name); ok {
					q.name, q.alts, q.groupKind = name, alts, GroupOr
				}
			}
			out = append(out, q)
			// "Tờ trình đề nghị xét tặng … (kèm danh sách)": the list it
			// comes with is a paper too (the dev calls on 6.005709 and
			// 1.000239).
			if m := withList.FindStringSubmatchIndex(q.name); m != nil && len(q.alts) == 0 && m[0] > 0 {
				head := strings.TrimSpace(q.name[:m[0]])
				out[len(out)-1].name = head
				out = append(out, piece{name: "Danh sách kèm " + lowerFirst(head), heading: q.heading, cond: q.cond})
			}
		}
	}
	return out
}

// slashGroups makes a paper named as a slash list of papers a group of
// them (see slashOptions), before the options its row offers with "hoặc".
func slashGroups(reqs []Requirement) {
	for i := range reqs {
		r := &reqs[i]
		parts, ok := slashOptions(r.Name)
		if !ok || r.groupKind == GroupOneOf {
			continue
		}
		r.Name, r.Alternatives = parts[0], append(parts[1:], r.Alternatives...)
		if r.groupKind == "" {
			r.groupKind = GroupOr
		}
	}
}

// slashOptions reads "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn
// cước điện tử/Giấy chứng nhận căn cước", papers any one of which will do
// (the dev calls on 2.000497, 2.002363 and 1.005461). Two papers joined
// by a slash are often one form's title ("Giấy đề nghị điều chỉnh Giấy
// chứng nhận …/Giấy phép …"), so it takes three or more, each short and
// each a paper.
func slashOptions(name string) ([]string, bool) {
	parts := strings.Split(name, "/")
	if len(parts) < 3 {
		return nil, false
	}
	for i, p := range parts {
		p = strings.TrimSpace(p)
		first, _ := utf8.DecodeRuneInString(p)
		f := vntext.Fold(p)
		if n := len(strings.Fields(p)); n == 0 || n > 7 || strings.ContainsAny(p, "0123456789") || !unicode.IsUpper(first) ||
			!(startsWithDocNoun(f) || strings.HasPrefix(f, "can cuoc") || strings.HasPrefix(f, "chung minh")) {
			return nil, false
		}
		parts[i] = p
	}
	return parts, true
}

// attachedAfterLaw is a form issued with a law, then "kèm theo" a paper.
var attachedAfterLaw = regexp.MustCompile(`^(.+? ban hành kèm theo (?:Nghị quyết|Nghị định|Thông tư|Quyết định)(?: liên tịch)? (?:số \d+/\d{4}/[\p{Lu}Đ-]+|\d+)(?: ngày [\d/]+)?),? kèm(?: theo)? (.+)$`)

// originalLast is "… và bản gốc <Paper>" closing a row.
var originalLast = regexp.MustCompile(`\s+và (bản gốc (\p{Lu}[^;()]+))$`)

// envelopes are stamped envelopes counted after another paper.
var envelopes = regexp.MustCompile(`(?:,| và)\s+(0?\d+ phong bì\s)`)

// relatedPapers is a label for the papers about a thing, then a list of
// them.
var relatedPapers = regexp.MustCompile(`^(?:[Bb]ản sao (?:có chứng thực )?)?((?:[Cc]ác )?[Gg]iấy tờ (?:liên quan đến|chứng minh) [^:;()]{3,100}?)(?: như)?:\s*(.+)$`)

// relatedPapersList reads relatedPapers when at least three papers, each
// named with a capital, follow; "Quyết định hoặc Hợp đồng cho thuê đất"
// is two of them, the bare first sharing the second's words.
func relatedPapersList(name string) (string, []string, bool) {
	m := relatedPapers.FindStringSubmatch(name)
	if m == nil {
		return "", nil, false
	}
	var items []string
	for _, it := range splitTop(strings.TrimRight(m[2], " .;"), ", ") {
		it = strings.TrimSpace(it)
		opts := strings.Split(it, " hoặc ")
		if len(opts) == 2 {
			a, b := strings.Fields(opts[0]), strings.Fields(opts[1])
			if len(a) <= 2 && bareDocType(vntext.Fold(opts[0])) && len(b) > len(a) {
				opts[0] = opts[0] + " " + strings.Join(b[len(a):], " ")
			}
		}
		for _, o := range opts {
			o = strings.TrimSpace(o)
			if r, _ := utf8.DecodeRuneInString(o); !unicode.IsUpper(r) || !startsWithDocNoun(vntext.Fold(o)) {
				return "", nil, false
			}
			items = append(items, o)
		}
	}
	if len(items) < 3 {
		return "", nil, false
	}
	return capitalise(m[1]), items, true
}

// channelPair is a paper for a paper dossier and another for an
// electronic one, in either order.
var channelPair = regexp.MustCompile(`^(.+?) đối với hồ sơ (giấy|điện tử)(?:;| hoặc) (.+?) đối với hồ sơ (giấy|điện tử)(?:\s*\([^()]*\))?$`)

// withList closes a paper's name with the list it comes with.
var withList = regexp.MustCompile(`\s*\((?i:kèm(?: theo)? danh sách)\)$`)

// bracketOptions reads the options a bracket after a paper's name offers:
// "Giấy chứng nhận đăng ký kinh doanh (hoặc Giấy chứng nhận Đầu tư; Giấy
// chứng nhận thành lập doanh nghiệp; hoặc các Giấy tờ khác có giá trị
// tương đương …)", the other papers that may be given instead; and "hợp
// đồng của giáo viên (hợp đồng làm việc hoặc hợp đồng lao động hoặc hợp
// đồng thỉnh giảng hoặc hình thức hợp đồng phù hợp khác …)", the kinds of
// the paper, each one acceptable (rule 4). What follows the bracket
// stays with the name.
func bracketOptions(name string) (string, []string, bool) {
	i := strings.Index(name, " (")
	if i < 0 {
		return "", nil, false
	}
	j, depth := -1, 1
	for k := i + 2; k < len(name) && j < 0; k++ {
		switch name[k] {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				j = k
			}
		}
	}
	if j < 0 {
		return "", nil, false
	}
	head, in, after := strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+2:j]), name[j+1:]
	fh, fin := vntext.Fold(head), vntext.Fold(in)
	if len(strings.Fields(head)) < 2 || !balanced(head) || !(startsWithDocHead(fh) || startsWithDocNoun(fh)) {
		return "", nil, false
	}
	var parts []string
	leadOr := strings.HasPrefix(fin, "hoac ")
	if leadOr {
		for _, s := range splitTop(in, "; ") {
			parts = append(parts, splitTop(s, " hoặc ")...)
		}
	} else {
		parts = splitTop(in, " hoặc ")
	}
	var opts []string
	kinds := 0
	wh := strings.Fields(fh)
	for _, p := range parts {
		p = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(p), " ,;."))
		p = strings.TrimSpace(strings.TrimPrefix(p, "hoặc "))
		if p == "" {
			continue
		}
		f := vntext.Fold(p)
		if len(strings.Fields(p)) < 2 || !(startsWithDocHead(f) || startsWithDocNoun(f) || strings.HasPrefix(f, "hinh thuc ")) || !balanced(p) {
			return "", nil, false
		}
		// "(hoặc bản sao có chứng thực …; hoặc bản sao không có chứng
		// thực …)": the copy forms of the paper, no other paper.
		if w := strings.Fields(f); copyWordsOnly(w[0] + " " + w[1]) {
			if rest := strings.Join(w[2:], " "); !startsWithDocHead(rest) || strings.HasPrefix(rest, "ban ") {
				return "", nil, false
			}
		}
		if w := strings.Fields(f); w[0] == wh[0] && w[1] == wh[1] {
			kinds++
		}
		opts = append(opts, capitalise(p))
	}
	// Without a leading "hoặc", the bracket must list kinds of the paper
	// itself (most members start with its noun), not papers it mentions.
	if len(opts) < 2 || (!leadOr && kinds < 2) || (!leadOr && kinds < len(opts)-1) {
		return "", nil, false
	}
	return vntext.CollapseSpace(head + " " + strings.TrimSpace(after)), opts, true
}

// splitAttached reads "Văn bản đề nghị công bố … kèm theo phương án thiết
// lập …": the paper sent with another is a paper of its own (rule 2).
// Not a citation ("… ban hành kèm theo …", cut elsewhere) and not inside
// brackets.
func splitAttached(p piece) []piece {
	if len(p.alts) > 0 || p.uncertain != "" {
		return []piece{p}
	}
	// "Biên bản nghiệm thu … và bản sao văn bản thông báo kết quả …": a
	// copy of another paper, named as such, is a paper of its own.
	for _, sep := range []string{" và bản sao ", " và bản chính "} {
		if ps := splitTop(p.name, sep); len(ps) == 2 {
			head, rest := strings.TrimRight(strings.TrimSpace(ps[0]), " ,"), strings.TrimSpace(ps[1])
			// "… và bản sao có chứng thực hoặc bản sao điện tử … báo cáo
			// tổng hợp …": the copy forms run on before the paper's name.
			named := ""
			full := strings.TrimSpace(sep[4:]) + " " + rest
			if c := stripCopyPrefix(full); c != full && !strings.HasPrefix(vntext.Fold(c), "ban ") {
				rest, named = c, c
			}
			fh, fr := vntext.Fold(head), vntext.Fold(rest)
			// "Bản sao quyết định và bản sao biên bản họp của Hội đồng …": a
			// bare form whose qualifier the second part carries for both.
			bare := bareDocType(strings.TrimPrefix(strings.TrimPrefix(fh, "ban sao "), "ban chinh "))
			if len(strings.Fields(head)) >= 3 && len(strings.Fields(rest)) >= 3 && (startsWithDocNoun(fh) || startsWithDocHead(fh)) && startsWithDocHead(fr) &&
				!strings.HasPrefix(fr, "ban ") && !bare && balanced(head) && balanced(rest) {
				q := p
				q.name = capitalise(strings.TrimSpace(sep[4:]) + " " + rest)
				if named != "" {
					q.name = capitalise(named)
				}
				p.name = head
				// "Danh sách hoa tiêu kèm theo bản sao Giấy … và bản sao
				// Giấy …": the first part may carry one attached in its turn.
				return append(splitAttached(p), q)
			}
		}
	}
	if a, b, ok := sharedQualifier(p.name); ok {
		q := p
		p.name, q.name = a, b
		return []piece{p, q}
	}
	if a, b, ok := andPaper(p.name); ok {
		// "Bảng kê … và danh sách người áp tải … kèm bản sao giấy chứng
		// nhận …": the second paper may carry one attached in its turn.
		q := p
		p.name, q.name = a, b
		// "Báo cáo đánh giá kết quả thực hiện và dự thảo quy chế mới đối
		// với trường hợp sửa đổi, bổ sung Quy chế …" (1.004498): the case
		// closing the pair is both papers'.
		if clause := strings.TrimSpace(b[len(caseCut(b)):]); clause != "" && caseCut(a) == a && !strings.Contains(a, "(") {
			p.name = a + " " + clause
		}
		return append([]piece{p}, splitAttached(q)...)
	}
	parts := splitTop(p.name, " kèm theo ")
	if len(parts) != 2 {
		// "Kê khai danh sách giảng viên, kèm bản kê khai về trình độ …":
		// "kèm" after a comma attaches a paper as "kèm theo" does.
		parts = splitTop(p.name, ", kèm ")
	}
	if len(parts) != 2 {
		// "Phương án … trong quá trình thi công kèm phương án điều chỉnh
		// khai thác …": "kèm" alone before a paper's noun attaches it too.
		if ps := splitTop(p.name, " kèm "); len(ps) == 2 && startsWithDocHead(vntext.Fold(ps[1])) && !copyHead(vntext.Fold(ps[1])) {
			parts = ps
		}
	}
	copyOf := false
	if len(parts) != 2 {
		// "… kèm bản sao giấy chứng nhận hoàn thành chương trình huấn
		// luyện": a copy of another paper, named, sent with the first.
		if parts = splitTop(p.name, " kèm bản sao "); len(parts) == 2 {
			if fr := vntext.Fold(parts[1]); !startsWithDocHead(fr) || strings.HasPrefix(fr, "ban ") {
				return []piece{p}
			}
			parts[1], copyOf = "bản sao "+parts[1], true
		}
	}
	if len(parts) != 2 {
		return []piece{p}
	}
	head, att := strings.TrimRight(strings.TrimSpace(parts[0]), " ,"), strings.TrimSpace(parts[1])
	// "Văn bản đề nghị gửi kèm theo báo cáo …": sent with it; "Biên bản
	// nghiệm thu … có kèm theo …": holding it.
	for _, v := range []string{" gửi", " có", " đính"} {
		head = strings.TrimSuffix(head, v)
	}
	// "Bản khai của thân nhân (mẫu 2B) phải kèm theo giấy uỷ quyền …": a
	// paper that must come with another; not "Hồ sơ … phải kèm theo …".
	if h := strings.TrimSuffix(head, " phải"); h != head && !strings.HasPrefix(vntext.Fold(h), "ho so") && startsWithDocHead(vntext.Fold(h)) {
		head = h
	}
	// "… kèm theo bản sao hoặc bản sao điện tử Văn bản thông báo …": a
	// copy of a named paper, the copy forms before it.
	// Not "kèm theo bản chính để đối chiếu" (how the first is shown), nor
	// after copy forms alone ("Bản sao có chứng thực hoặc bản sao kèm theo
	// …").
	if c := stripCopyPrefix(att); c != att && strings.HasPrefix(vntext.Fold(att), "ban sao ") && !strings.HasPrefix(paperKey(head), "ban ") {
		if fc := vntext.Fold(c); startsWithDocHead(fc) && !strings.HasPrefix(fc, "ban ") {
			att, copyOf = c, true
		}
	} else if c, ok := strings.CutPrefix(att, "bản sao "); ok && c != "" && unicode.IsUpper([]rune(c)[0]) && !copyHead(paperKey(head)) {
		// "Danh sách hoa tiêu kèm theo bản sao Giấy chứng nhận …": the
		// copy of a paper named with its capital.
		if fc := vntext.Fold(c); startsWithDocHead(fc) && !strings.HasPrefix(fc, "ban ") {
			att, copyOf = c, true
		}
	}
	fh, fa := vntext.Fold(head), vntext.Fold(att)
	// "Báo cáo tài chính … kèm theo giải trình phân tích …": an
	// explanation sent with a paper is a paper too.
	if len(strings.Fields(head)) < 3 || len(strings.Fields(att)) < 3 || !(startsWithDocNoun(fh) || startsWithDocHead(fh)) ||
		!(startsWithDocHead(fa) || strings.HasPrefix(fa, "giai trinh ")) || strings.HasSuffix(fh, " ban hanh") || strings.HasSuffix(fh, " duoc ban hanh") ||
		// "… bản sao kèm theo bản chính để đối chiếu": copy forms; "Hồ sơ …
		// phải kèm theo …": a sentence, read elsewhere.
		strings.HasPrefix(fa, "ban chinh") || (strings.HasPrefix(fa, "ban sao") && !copyOf) || strings.HasPrefix(fa, "ban goc") || strings.HasPrefix(fa, "ban chup") ||
		strings.HasSuffix(fh, " phai") || strings.HasSuffix(fh, " can") || strings.HasSuffix(fh, " nop") || strings.HasSuffix(fh, " duoc") ||
		strings.HasPrefix(fh, "ho so") || !balanced(head) || !balanced(att) {
		return []piece{p}
	}
	q := p
	q.name = capitalise(att)
	p.name = head
	// "… kèm bảng kê các tờ khai … và Phiếu trừ lùi …": what is attached
	// may be two papers, or carry one attached in its turn.
	return append([]piece{p}, splitAttached(q)...)
}

// andHeads start a second paper after " và " ("… của giáo viên và hợp đồng
// của giáo viên", "Biên bản thỏa thuận … và danh sách …", "Sơ yếu lý lịch
// và Phiếu lý lịch tư pháp", "Báo cáo … và dự thảo quy chế mới"): nouns that
// name a paper of their own, never the contents of the first ("kế hoạch",
// "cam kết" may be what a report holds: "Báo cáo kết quả … và kế hoạch …").
var andHeads = []string{"hop dong ", "giay ", "van ban ", "quyet dinh ", "bien ban ", "danh sach ", "bang ke ", "ban ke ", "ban khai ", "phieu ", "don de nghi ", "du thao ", "to khai ", "phuong an ", "ket qua ", "ban do ", "ban ve ", "tai lieu chung minh ", "cac van ban khac ", "cac van ban co lien quan", "cac ban ve ", "cac tai lieu khac"}

// andHeadSplit joins the parts of a name cut at every " và " back into
// two, at the one cut after which a paper's noun (andHeads) starts; none
// or several such cuts leave the parts as they are.
func andHeadSplit(ps []string) []string {
	at := -1
	for k := 1; k < len(ps); k++ {
		f := vntext.Fold(strings.TrimSpace(ps[k]))
		for _, h := range andHeads {
			if strings.HasPrefix(f, h) {
				if at >= 0 {
					return ps
				}
				at = k
				break
			}
		}
	}
	if at < 0 {
		return ps
	}
	a, b := strings.Join(ps[:at], " và "), strings.Join(ps[at:], " và ")
	// "Tờ trình đề nghị quyết định đầu tư và quyết định chủ đầu tư": the
	// second's noun inside the first names what the first asks for, one
	// paper, as does one "thông qua dự thảo Điều lệ, đề án … và danh sách
	// …" (what a meeting approved); a list after ";" and a paper sent
	// "kèm" another are read elsewhere.
	fa := vntext.Fold(a)
	if w := strings.Fields(vntext.Fold(b)); len(w) < 2 || strings.Contains(fa, " "+w[0]+" "+w[1]+" ") || strings.Contains(fa, " thong qua ") || strings.ContainsAny(a+caseCut(b), ";") || strings.Contains(a, " kèm ") {
		return ps
	}
	return []string{a, b}
}

// caseCut is s before the case it is asked in ("… mới đối với trường hợp
// sửa đổi, bổ sung …; vị trí, …"): a ";" inside the case's own list
// (1.004498) does not make a list of papers.
func caseCut(s string) string {
	for _, m := range []string{" đối với trường hợp ", " trong trường hợp ", " đối với các trường hợp "} {
		if i := strings.Index(s, m); i >= 0 {
			s = s[:i]
		}
	}
	return s
}

// andPaper splits "A và B" at the top level when both sides name papers of
// at least three words and B starts with one of andHeads (rule 2).
func andPaper(name string) (string, string, bool) {
	ps := splitTop(name, " và ")
	if len(ps) > 2 {
		// "Văn bản … địa điểm sản xuất và bản kê khai về cơ sở vật chất
		// và trang thiết bị …": the one "và" after which a paper's noun
		// starts divides the papers; a later "và" is the second's own.
		ps = andHeadSplit(ps)
	}
	if len(ps) != 2 {
		return "", "", false
	}
	a, b := strings.TrimRight(strings.TrimSpace(ps[0]), " ,"), strings.TrimSpace(ps[1])
	fa, fb := vntext.Fold(a), vntext.Fold(b)
	if len(strings.Fields(a)) < 3 || len(strings.Fields(b)) < 3 || !(startsWithDocNoun(fa) || startsWithDocHead(fa)) || !balanced(a) || !balanced(b) {
		return "", "", false
	}
	for _, h := range andHeads {
		if strings.HasPrefix(fb, h) {
			// "Quyết định … thông qua phương án phát hành và phương án sử
			// dụng vốn", "Văn bản chấp thuận … về vị trí và phương án
			// tuyến": a plan is what the first paper approves or is about.
			// Nor one in a list of what a proposal states ("… vốn đầu tư
			// và phương án huy động vốn, địa điểm, thời gian, …").
			if h == "phuong an " && (strings.Contains(fa, " thong qua ") || slices.Contains(strings.Fields(lastWords(fa, 8)), "ve") || len(splitTop(b, ", ")) >= 3) {
				break
			}
			// "… kết quả đào tạo nghề công chứng ở nước ngoài" names a
			// paper; a short "và kết quả xử lý" is what a request states.
			// Nor after a bare "Bản sao văn bằng", whose qualifier follows.
			if nb, _, _ := strings.Cut(fb, ". "); h == "ket qua " && (len(strings.Fields(nb)) < 5 || len(strings.Fields(stripCopyPrefix(a))) < 3) {
				break
			}
			// "… hoạt động đo đạc và bản đồ theo Mẫu số 12": the field
			// "đo đạc và bản đồ", no map; a map or drawing says what it
			// shows ("bản đồ hiện trạng rừng", "bản vẽ hoàn trả …").
			if (h == "ban do " || h == "ban ve ") && (strings.HasSuffix(fa, "do dac") || !drawingOrMap(fb)) {
				break
			}
			return a, capitalise(b), true
		}
	}
	// "Văn bản đề nghị rút vốn và Đơn rút vốn", "… ký với nhà tài trợ và
	// Sổ tay quản lý dự án": these nouns written with a capital after "và"
	// start a paper's own name (not "Bộ Quốc phòng", "Đồng Việt Nam",
	// "Điều ước quốc tế", which a name may hold).
	if first, _ := utf8.DecodeRuneInString(b); unicode.IsUpper(first) && startsWithDocNoun(fa) &&
		slices.ContainsFunc([]string{"don ", "so tay ", "dieu le ", "ban thong tin "}, func(h string) bool { return strings.HasPrefix(fb, h) }) {
		return a, b, true
	}
	// "Báo cáo tổng hợp và báo cáo tóm tắt quy hoạch đã được hoàn
	// thiện": the same paper's noun said again starts a second paper; a
	// short first one ("Báo cáo tổng hợp") shares what follows the
	// second's own words.
	wa, wb := strings.Fields(fa), strings.Fields(fb)
	// Not in a row of options ("Sổ ATA đã sử dụng hoặc sổ ATA thay thế và
	// sổ ATA cũ hoặc …"), where "và" may join the papers of one option.
	if len(wb) >= 3 && wa[0] == wb[0] && wa[1] == wb[1] && startsWithDocHead(fa) && startsWithDocHead(fb) && !strings.HasPrefix(fa, "ban sao") && !strings.HasPrefix(fa, "ban chinh") && !strings.Contains(b, " hoặc ") {
		if n := len(strings.Fields(a)); n <= 4 && len(wb) > n+1 && !strings.ContainsAny(a, ",;()") {
			a += " " + strings.Join(strings.Fields(b)[n:], " ")
		}
		return a, capitalise(b), true
	}
	return "", "", false
}

// orOneOf joins a second "one of" list to the first: "… hoặc nộp thêm một
// trong các bản chính tài liệu sau: …".
var orOneOf = regexp.MustCompile(`[,;]?\s+hoặc\s+(?:(?:phải\s+)?(?:nộp thêm|nộp|có thêm|có|cung cấp|xuất trình)\s+)?một trong (?:các|những)\s[^:;]{0,80}?:\s*`)

// sharedQualifier reads "Biên bản họp và nghị quyết của Đại hội nhà đầu
// tư về việc …": two short paper names joined by "và" share the qualifier
// ("của …", "về …") that follows the second, so each paper is named with
// it (rule 2). "Báo cáo và cam kết không bị xử phạt" (no shared "của"/"về")
// stays one.
func sharedQualifier(name string) (string, string, bool) {
	a, rest, ok := strings.Cut(name, " và ")
	if !ok || strings.ContainsAny(a, ",;:()") {
		return "", "", false
	}
	w := strings.Fields(rest)
	for n := 1; n <= 2 && n < len(w); n++ {
		b := strings.Join(w[:n], " ")
		qual := strings.Join(w[n:], " ")
		fq := vntext.Fold(qual)
		if !strings.HasPrefix(fq, "cua ") && !strings.HasPrefix(fq, "ve ") {
			continue
		}
		fa, fb := vntext.Fold(a), vntext.Fold(b)
		// "… của Hội đồng thành viên hoặc quyết định của chủ sở hữu": the
		// qualifier holds options of its own, read as a group elsewhere.
		if len(strings.Fields(a)) > 3 || !startsWithDocHead(fa) || !bareDocType(fb) || bareDocType(fa) || len(strings.Fields(qual)) < 3 ||
			strings.Contains(qual, " hoặc ") {
			return "", "", false
		}
		return a + " " + qual, capitalise(b + " " + qual), true
	}
	return "", "", false
}

func expandCell1(name string) []piece {
	// "3 ảnh màu cỡ 3x4cm … và 02 phong bì có dán tem …": the stamped
	// envelopes are a paper of their own (the dev14, dev40, dev44 and dev45
	// calls).
	if loc := envelopes.FindStringSubmatchIndex(name); loc != nil && loc[0] > 0 {
		return append(expandCell(strings.TrimSpace(name[:loc[0]])), piece{name: strings.TrimSpace(name[loc[2]:])})
	}
	// "Văn bản tặng cho … hoặc Biên bản họp … và bản gốc Giấy chứng nhận
	// đã cấp" (1.013831): the original of a paper named with a capital,
	// last in the row, is a paper of its own, whichever option went before.
	if m := originalLast.FindStringSubmatchIndex(name); m != nil && startsWithDocNoun(vntext.Fold(name[m[4]:])) && balanced(name[:m[0]]) {
		return append(expandCell(strings.TrimSpace(name[:m[0]])), piece{name: capitalise(name[m[2]:])})
	}
	// "Giấy đề nghị … theo Mẫu số 02 Phụ lục ban hành kèm theo Nghị quyết
	// số 05/2025/NQ-CP kèm theo Điều lệ của tổ chức đăng ký" (2.002831): the
	// second "kèm theo", after the law the form is issued with, attaches a
	// paper.
	if m := attachedAfterLaw.FindStringSubmatch(name); m != nil && startsWithDocHead(vntext.Fold(strings.TrimPrefix(m[2], "các "))) {
		return append(expandCell(strings.TrimSpace(m[1])), expandCell(capitalise(strings.TrimSpace(m[2])))...)
	}
	if label, items, ok := relatedPapersList(name); ok {
		// "Bản sao các giấy tờ liên quan đến thửa đất chịu thuế như: Giấy
		// chứng nhận …, Quyết định giao đất, Quyết định hoặc Hợp đồng cho
		// thuê đất, …": the papers that may show it, any of them (rule 4;
		// the dev44 call on 1.007695).
		return []piece{{name: label, alts: items, groupKind: GroupOneOf}}
	}
	if m := channelPair.FindStringSubmatch(name); m != nil {
		// "Tờ khai hàng hóa nhập khẩu đối với hồ sơ giấy; số, ngày,
		// tháng, năm của tờ khai … đối với hồ sơ điện tử": one paper in
		// each channel, whichever the dossier was sent by (the dev43 call
		// on 1.013328).
		return []piece{{
			name:      strings.TrimSpace(m[1]) + " (đối với hồ sơ " + m[2] + ")",
			alts:      []string{capitalise(strings.TrimSpace(m[3])) + " (đối với hồ sơ " + m[4] + ")"},
			groupKind: GroupOr,
			typed:     true,
		}}
	}
	if segs := letteredItems(name); segs != nil {
		var out []piece
		for _, s := range segs {
			out = append(out, expandCell(s)...)
		}
		return out
	}
	if at, g, ok := oneOfLater(name); ok {
		return append(expandCell(strings.TrimSpace(name[:at])), g)
	}
	// "Giấy đề nghị … . Xuất trình Sổ theo dõi hoạt động hòa giải ở cơ sở
	// để đối chiếu khi cần thiết": a paper shown besides the row's (rule
	// 5); the row reads it as one of its own (presentRow).
	if at := laterShown(name); at > 0 {
		return append(expandCell(strings.TrimSpace(name[:at])), piece{name: strings.TrimRight(strings.TrimSpace(name[at:]), " .;")})
	}
	intro, list, isIntro := cutIntro(name)
	// "Văn bản xác nhận …: + Trường hợp A: X. + Trường hợp B: Y": the
	// paper's cases, read as its options below, not later case sentences.
	caseBulletList := isIntro && startsWithDocHead(vntext.Fold(intro)) && caseBullets(list)
	if f := vntext.Fold(name); (startsWithDocNoun(f) || startsWithDocHead(f)) && !caseBulletList {
		// Only after a row that names its paper first: a row of case
		// sentences ("Nếu … thì phải có …. Nếu … thì phải có …") is read by
		// proseDocs below.
		if at, end, docs, cond, ok := laterCaseDoc(name); ok {
			out := expandCell(vntext.CollapseSpace(strings.TrimSpace(name[:at]) + " " + strings.TrimSpace(name[end:])))
			for _, doc := range docs {
				for _, d := range commaDocs(doc) {
					out = append(out, piece{name: d, cond: cond})
				}
			}
			return out
		}
	}
	if label, papers, ok := labelledPapers(name); ok && !isIntro {
		var out []piece
		for _, p := range papers {
			for _, q := range expandCell(p) {
				// The label stays in front, read as each paper's own as
				// before.
				q.name = label + ": " + q.name
				out = append(out, q)
			}
		}
		return out
	}
	if isIntro {
		fi := vntext.Fold(intro)
		// "Bản sao hoặc bản chính các giấy tờ sau đây: nghị quyết … đối với
		// công ty TNHH một thành viên; …; của Đại hội đồng cổ đông đối với
		// công ty cổ phần về việc …" (1.010029): the papers by kind of
		// applicant, one of them, after the words that only say their form.
		if g, ok := typeByIssuer(capitalise(list)); ok && !isCaseLead(fi) {
			return []piece{g}
		}
		// "Văn bản của tổ chức tín dụng nhận sáp nhập, trong đó tối thiểu
		// bao gồm các nội dung sau: (i) Đề nghị chấp thuận …; (iv) Cam kết
		// …" (1.001262, 2.000597): what one paper states, not papers.
		if (startsWithDocNoun(fi) || startsWithDocHead(fi)) && !isCaseLead(fi) && statesContents(fi) && contentsColon(name) >= 0 {
			return []piece{{name: name}}
		}
		// "Trường hợp X: ngoài thành phần hồ sơ quy định tại điểm a, nộp
		// thêm một trong các bản sao tài liệu sau: A; B; C": a one-of
		// group on the case's condition, nested in the case sentence.
		if isCaseLead(fi) {
			if k := strings.Index(strings.ToLower(list), "một trong"); k > 0 && strings.Contains(list[k:], ":") {
				if g := expandCell(capitalise(list[k:])); len(g) == 1 && len(g[0].alts) >= 2 {
					g[0].cond = strings.TrimSpace(intro)
					return g
				}
			}
		}
		var items []string
		all := listItems(list)
		// "… một trong các bản sao tài liệu sau: A, B hoặc nộp thêm một
		// trong các bản chính tài liệu sau: C, D": a second list of the
		// same group.
		if loc := orOneOf.FindStringIndex(list); loc != nil && strings.Contains(fi, "mot trong") {
			all = append(listItems(list[:loc[0]]), listItems(list[loc[1]:])...)
		}
		for _, it := range all {
			// "(iv) Ngoài …, phải có thêm các văn bản sau đây:" introduces
			// the next items; it is not one of them.
			if _, l, ok := cutIntro(it + " x"); ok && l == "x" {
				continue
			}
			// "• Giấy đăng ký kiểm tra … về chất lượng, về vệ sinh an toàn
			// thực phẩm; về kiểm dịch động vật …: nộp 01 bản chính": a ";"
			// inside an item's qualifier; a part that goes on with "về …"
			// belongs to the item before it.
			if fit := vntext.Fold(it); len(items) > 0 && !strings.Contains(fi, "mot trong") && strings.HasPrefix(it, "về ") && !startsWithDocHead(fit) {
				items[len(items)-1] += "; " + it
				continue
			}
			// "• Nộp 01 bản gốc giấy chứng nhận xuất xứ hàng hóa (C/O) …":
			// the verb and count before the paper.
			if m := submitCount.FindString(it); m != "" && startsWithDocHead(vntext.Fold(it[len(m):])) {
				it = capitalise(it[len(m):])
			}
			items = append(items, it)
		}
		var docs []string
		caseOfDoc := map[string]string{}
		onlyCaseDoc := caseDocs(items) == 1
		// "Tài liệu gồm: (1) Văn bản …; (2) Tiến độ tổng thể dự án …; (3)
		// Phương án …": items the text numbers are each a paper, named by
		// a noun the list of paper words may not know (1.004681).
		// Not the numbered contents of one paper ("Văn bản đề nghị …, trong
		// đó nêu rõ: (i) Thời hạn …; (ii) …").
		numbered := len(enumMarker.FindAllStringIndex(list, -1)) >= 2 && !strings.Contains(fi, "mot trong") &&
			(papersIntro(intro) || papersIntro(strings.TrimSuffix(strings.TrimRight(strings.TrimSpace(intro), " :"), " gồm")))
		for _, it := range items {
			if f := vntext.Fold(it); numbered && !startsWithDocNoun(f) && !startsWithDocHead(f) {
				if r, _ := utf8.DecodeRuneInString(it); unicode.IsUpper(r) && len(strings.Fields(it)) <= 25 && !proseNote(f) {
					docs = append(docs, it)
				}
				continue
			}
			if f := vntext.Fold(it); startsWithDocNoun(f) || startsWithDocHead(f) {
				ds := commaDocs(it)
				// After an intro that only says "papers" in which copy forms
				// ("Bản sao … có giá trị pháp lý giấy tờ: Quyết định …, giấy
				// tờ nghiệm thu …"), the comma parts are papers in lower case too.
				if len(ds) < 2 && !strings.Contains(fi, "mot trong") && papersIntro(intro) {
					ds = splitCommaDocs(it, false)
				}
				docs = append(docs, ds...)
			} else if h, d, ok := caseDoc(it); ok && len(items) >= 3 && it == items[len(items)-1] && onlyCaseDoc && !isCaseLead(fi) && !strings.Contains(fi, "mot trong") {
				// "…, bao gồm: + A; + B; + Đối với thành viên góp vốn là
				// pháp nhân …: Tài liệu chứng minh …" (1.000763): the last
				// bullet's paper, on its case. Not a list of cases, each
				// with its papers (1.013225's design files by owner).
				docs = append(docs, d)
				caseOfDoc[d] = h
			}
		}
		// "Một trong các giấy tờ sau: A; B; C" — one requirement, any option.
		// "Một trong các giấy tờ sau: Thẻ Căn cước công dân, Chứng minh nhân
		// dân, …, Hộ chiếu hoặc Giấy tờ thay hộ chiếu": one item whose
		// capitalised comma parts and "hoặc" parts are the members.
		if strings.Contains(fi, "mot trong") && len(items) == 1 {
			var opts []string
			parts := commaDocs(items[0])
			if len(parts) < 2 {
				// "… một trong các tài liệu sau: văn bản tiếp nhận, văn bản
				// tuyển dụng, hợp đồng lao động …" in lower case.
				parts = splitCommaDocs(items[0], false)
			}
			for _, c := range parts {
				opts = append(opts, orParts(c)...)
			}
			if len(opts) >= 2 {
				items = opts
			}
		}
		// "Bản sao tài liệu chứng minh tham gia một trong các công việc: …":
		// one paper, named by the intro; the list says what it proves.
		if strings.Contains(fi, "mot trong") && !oneOfPapers(fi) && !isCaseLead(fi) && (startsWithDocNoun(fi) || startsWithDocHead(fi)) {
			return []piece{{name: introName(intro)}}
		}
		// "…: A; B; … Trường hợp trong các văn bản quy định tại điểm a trên
		// không thể hiện ngành, nghề … thì cơ sở kinh doanh phải bổ sung tài
		// liệu chứng minh …" (2.001478, 1.003204): a case sentence closing
		// a one-of list adds a paper on its case; it is not a member.
		var added []piece
		if strings.Contains(fi, "mot trong") && len(items) >= 3 && oneOfPapers(fi) {
			if m := caseAdds.FindStringSubmatch(items[len(items)-1]); m != nil {
				if d := strings.TrimSpace(m[2]); startsWithDocHead(vntext.Fold(d)) && balanced(d) {
					added = []piece{{name: capitalise(d), cond: strings.TrimSpace(m[1])}}
					items = items[:len(items)-1]
				}
			}
		}
		if strings.Contains(fi, "mot trong") && len(items) >= 2 && oneOfPapers(fi) {
			// "Trường hợp được miễn … thì người yêu cầu có quyền lựa chọn cung
			// cấp một trong giấy tờ, tài liệu sau đây …: A hoặc B": the group
			// is named from "một trong", on the case's condition.
			if k := strings.Index(strings.ToLower(intro), "một trong"); k > 0 && isCaseLead(fi) {
				return append([]piece{{name: introName(intro[k:]), alts: oneOfOptions(items), groupKind: GroupOneOf, cond: caseOf(intro[:k])}}, added...)
			}
			return append([]piece{{name: introName(intro), alts: oneOfOptions(items), groupKind: GroupOneOf}}, added...)
		}
		// "Tài liệu về vốn gồm: A; B; hoặc C": a list whose last item
		// comes with "hoặc" offers its items, one of them (rule 4, a
		// heading group named by the intro).
		if opts, ok := orClosedList(items); ok && !isCaseLead(fi) {
			name := introName(intro)
			// "… gồm: Văn bản chứng minh …: A; B; hoặc C": the second
			// label names the group too.
			if l, a, ok := strings.Cut(opts[0], ": "); ok && startsWithDocHead(vntext.Fold(l)) && startsWithDocNoun(vntext.Fold(a)) {
				name, opts[0] = name+": "+l, capitalise(a)
			}
			return []piece{{name: name, alts: opts, groupKind: GroupOneOf}}
		}
		// "Văn bản …, cụ thể: + Đối với trường hợp a: Thông báo; + Đối với
		// trường hợp b: Văn bản đề nghị" — the paper depends on the case.
		if !isCaseLead(fi) && len(items) >= 2 {
			var opts []string
			for _, it := range items {
				if _, d, ok := caseDoc(it); ok {
					opts = append(opts, d)
				}
			}
			if len(opts) == len(items) {
				return []piece{{name: introName(intro), alts: opts, groupKind: GroupOneOf}}
			}
			// "… sau: (1) Trường hợp là người có công thì phải có giấy tờ
			// chứng minh …; (2) Trường hợp là người khuyết tật thì phải có
			// giấy xác nhận …": each case names its paper; the members keep
			// their case, which tells them apart.
			opts = nil
			for _, it := range items {
				if d, ok := caseThenDoc(it); ok {
					opts = append(opts, d)
				}
			}
			if len(opts) == len(items) && (startsWithDocNoun(fi) || startsWithDocHead(fi)) {
				return []piece{{name: introName(intro), alts: opts, groupKind: GroupOneOf, typed: true}}
			}
		}
		// "Đối với X: Báo cáo … gồm các nội dung: tên, …; nội dung …;
		// thông tin …": what follows the paper's own list intro is its
		// contents, not further papers.
		if i := strings.Index(list, ":"); isCaseLead(fi) && i > 0 && contentIntro(vntext.Fold(list[:i])) {
			docs, items = []string{list}, []string{list}
		}
		// "01 bộ hồ sơ, gồm: Đơn đề nghị …": the dossier itself introduces
		// its papers, even a single one.
		// "Các giấy tờ phải xuất trình Cảng vụ (bản chính), bao gồm: Giấy
		// chứng nhận đăng ký tàu biển, …": so does the papers' own heading,
		// and what it says is done with them is their kind (1.004323).
		must := mustPapers(strings.TrimRight(fi, " ."))
		if len(docs) >= 1 && (dossierIntro(fi) && len(docs) == len(items) || must && len(docs) >= len(items)) {
			out := make([]piece, 0, len(docs))
			for _, d := range docs {
				out = append(out, piece{name: d, shown: must && strings.Contains(fi, "xuat trinh")})
			}
			return out
		}
		switch {
		case isCaseLead(fi) && len(docs) >= 1 && len(docs) >= len(items)-1:
			out := make([]piece, 0, len(docs))
			for _, d := range docs {
				out = append(out, piece{name: d, heading: strings.TrimSpace(intro)})
			}
			return out
		case !isCaseLead(fi) && len(docs) >= 2 && len(docs) >= len(items)-1:
			out := make([]piece, 0, len(docs))
			for _, d := range docs {
				out = append(out, piece{name: d, cond: caseOfDoc[d]})
			}
			return out
		case len(docs) >= 2:
			return []piece{{name: name, uncertain: fmt.Sprintf("danh sách %d mục sau %q không tách chắc chắn được (list not split with confidence)", len(items), truncRunes(intro, 60))}}
		}
	}
	if g, ok := typeDependent(name); ok {
		return []piece{g}
	}
	if g, ok := typeByIssuer(name); ok {
		return []piece{g}
	}
	if g, ok := typeBySituation(name); ok {
		return []piece{g}
	}
	// "A; B" where each part is a paper of its own.
	var segs []string
	marked := 0 // later items that open with a "+" or "-" bullet
	// "…;193 + Báo cáo …": a page number the portal copied from the
	// printed law, before the item's bullet.
	all := splitTop(strayPageNumber.ReplaceAllString(name, "; $1"), "; ", ". - ", ". + ")
	for i, s := range all {
		s = strings.TrimSpace(s)
		if i > 0 && (strings.HasPrefix(s, "+ ") || strings.HasPrefix(s, "- ")) {
			marked++
		}
		// "…; d) Số lượng hồ sơ: 01 bộ": a quantity, no part of the list.
		if s = strings.TrimSpace(bullet.ReplaceAllString(strings.TrimSpace(s), "")); !strings.HasPrefix(vntext.Fold(s), "so luong ho so") {
			// "A (…); và các tài liệu …": "và" before the last item of the
			// list joins it; the item is the paper after it.
			if len(segs) > 0 {
				if rest := strings.TrimPrefix(s, "và "); rest != s && startsWithDocHead(vntext.Fold(rest)) {
					s = capitalise(rest)
				}
			}
			segs = append(segs, s)
		}
	}
	if len(segs) == 1 && len(all) > 1 {
		name = segs[0]
	}
	if len(segs) >= 2 {
		heads := 0
		for _, s := range segs {
			if len(strings.Fields(s)) >= 2 && startsWithDocHead(vntext.Fold(s)) {
				heads++
			}
		}
		// "Tờ trình …; + Báo cáo …; bản sao ý kiến …; + Hệ thống sơ đồ, bản
		// đồ …": a list bulleted with "+" or "-" inside one cell is a list
		// of papers even where an item opens with no paper's noun.
		// Not after an intro ("… gồm: + A; + B"), read by cutIntro or left
		// uncertain.
		bulleted := marked >= 2 && heads >= 2 && heads >= len(segs)-2 && !contentsFirst(segs[0]) && !strings.Contains(segs[0], ":")
		// "a) Tờ khai …; b) Giấy phép …: 01 bản chính; …; đ) Thư bảo lãnh
		// …": items lettered in order from "a)" are a list of papers even
		// where one opens with a noun the parser does not know as a paper.
		// Not after a contents intro ("…, trong đó: a) Phương án …"),
		// whose letters say what the paper holds.
		if !bulleted && heads >= 2 && heads >= len(segs)-1 && letteredInOrder(all) && !contentsFirst(segs[0]) && !strings.Contains(segs[0], ":") {
			bulleted = true
		}
		// "+ Đề xuất kế hoạch khuyến nông; + Dự toán kinh phí": every later
		// item bulleted and capitalised, one a paper's noun at least, is a
		// list of papers too.
		if !bulleted && marked >= 1 && marked == len(all)-1 && heads >= 1 && heads >= len(segs)-1 && !contentsFirst(segs[0]) && !strings.Contains(segs[0], ":") {
			caps := true
			for _, s := range segs {
				r, _ := utf8.DecodeRuneInString(s)
				// Not an exemption ("+ Trường hợp khai thác được …: … không
				// phải nộp Bản sao …"), which names a paper it does not ask.
				caps = caps && unicode.IsUpper(r) && len(strings.Fields(s)) >= 2 && !strings.Contains(vntext.Fold(s), "khong phai")
			}
			bulleted = caps
		}
		if heads == len(segs) || bulleted {
			var out []piece
			for _, s := range segs {
				docs := commaDocs(strings.TrimSpace(s))
				// "…; phương án chữa cháy, phương án phòng cháy theo quy
				// định …": lower-case papers after a comma, read as a
				// cell of their own would be.
				if cp := commaPapers(capitalise(strings.TrimSpace(s))); len(docs) < 2 && len(cp) >= 2 && sameHead(cp) {
					docs = cp
				}
				for _, d := range docs {
					out = append(out, piece{name: d})
				}
			}
			return out
		}
		// "Văn bản đề nghị, trong đó ghi rõ tên …; lý do; số lượng …": what
		// follows the paper's own contents intro are its contents, one paper.
		if heads >= 2 && !contentsFirst(segs[0]) {
			return []piece{{name: name, uncertain: "ô có thể chứa nhiều giấy tờ ngăn bởi dấu chấm phẩy (cell may hold several documents)"}}
		}
	}
	if x, group, ok := copyStartsGroup(name); ok {
		return []piece{{name: x}, {name: group}}
	}
	if x, group, ok := firstApart(name); ok {
		return []piece{{name: x}, {name: group}}
	}
	if list, each, ok := listAndEach(name); ok {
		return []piece{{name: list}, {name: each}}
	}
	if docs := commaPapers(name); len(docs) >= 2 {
		out := make([]piece, 0, len(docs))
		for _, d := range docs {
			out = append(out, piece{name: d})
		}
		return out
	}
	if f := vntext.Fold(name); !startsWithDocNoun(f) {
		if docs := proseDocs(name); len(docs) > 1 || (len(docs) == 1 && !leadCaseDoc(name)) {
			// "Quy định về chứng nhận GAP khác; trường hợp bản chính bằng
			// tiếng nước ngoài phải có bản dịch …" (1.010090): the short
			// name before the case clause is a paper too, whatever its noun.
			if head, rest, ok := strings.Cut(name, "; "); ok && headBeforeCase(head, rest) {
				return append([]piece{{name: strings.TrimSpace(head)}}, docs...)
			}
			return docs
		}
	}
	return []piece{{name: name}}
}

// headBeforeCase: a capitalised name of at most ten words, with no verb
// of giving, before a "trường hợp …" clause.
func headBeforeCase(head, rest string) bool {
	r, _ := utf8.DecodeRuneInString(head)
	fh := " " + vntext.Fold(head) + " "
	if !unicode.IsUpper(r) || len(strings.Fields(head)) > 10 || !strings.HasPrefix(vntext.Fold(rest), "truong hop ") || strings.ContainsAny(head, ":()") {
		return false
	}
	for _, v := range []string{" nop ", " gui ", " xuat trinh ", " phai ", " thi ", " duoc ", " truong hop ", " neu "} {
		if strings.Contains(fh, v) {
			return false
		}
	}
	return true
}

// strayPageNumber is a bare number between ";" and a list item's bullet
// ("…;193 + Báo cáo …"): a page number of the printed law, no part of the item.
var strayPageNumber = regexp.MustCompile(`;\s*\d{1,4}\s+([-+•*]\s)`)

// oneOfCaseTable reads a table whose heading names one paper and says it
// is made "theo một trong các trường hợp sau" ("01 bản chính Báo cáo đề
// xuất … theo một trong các trường hợp sau:" then "+ Trường hợp A: mẫu
// quy định tại Mẫu số 22b", "+ Trường hợp B: … Mẫu số 22d"): the rows are
// the forms of that paper, one per situation, so the heading is no case
// but one group of them (rule 4; the dev5 call on 1.010719).
func oneOfCaseTable(reqs []Requirement) []Requirement {
	var out []Requirement
	at := map[string]int{} // heading → index in out of its group
	for _, r := range reqs {
		h := r.heading
		f := vntext.Fold(h)
		if !strings.Contains(f, "mot trong cac truong hop sau") && !strings.Contains(f, "mot trong nhung truong hop sau") {
			out = append(out, r)
			continue
		}
		paper := strings.TrimRight(leadQuantity.ReplaceAllString(cleanHeading(h), ""), " ,:")
		if k := strings.Index(strings.ToLower(paper), " theo một trong"); k > 0 {
			paper = strings.TrimSpace(paper[:k])
		}
		opt := r.Name
		if m := formCodeRe.FindString(r.Name); m != "" && strings.HasPrefix(vntext.Fold(r.Name), "mau") {
			opt = paper + " theo " + m
		}
		if r.Condition != nil && cleanHeading(*r.Condition) != cleanHeading(h) {
			opt += " (" + strings.TrimSpace(*r.Condition) + ")"
		}
		i, ok := at[h]
		if !ok {
			g := r
			g.Name, g.Alternatives, g.groupKind = capitalise(strings.TrimSpace(leadQuantity.ReplaceAllString(cleanHeading(h), ""))), nil, GroupOneOf
			g.heading, g.Condition, g.Optional, g.group, g.keyName = "", nil, false, false, ""
			out = append(out, g)
			i = len(out) - 1
			at[h] = i
		}
		out[i].Alternatives = append(out[i].Alternatives, capitalise(opt))
	}
	return out
}

// leadQuantity is a quantity before a heading's paper ("01 bản chính …").
var leadQuantity = regexp.MustCompile(`^0?\d+\s+bản\s+(?:chính|sao)\s+`)

// orClosedList reads the items of a list closed by "hoặc" ("A; B; hoặc
// C"): every item names a paper and only the last starts with "hoặc".
func orClosedList(items []string) ([]string, bool) {
	if len(items) < 2 {
		return nil, false
	}
	var opts []string
	for i, it := range items {
		it = strings.TrimSpace(it)
		f := vntext.Fold(it)
		if strings.HasPrefix(f, "hoac ") != (i == len(items)-1) {
			return nil, false
		}
		it = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(it, "hoặc "), "Hoặc "))
		if f := vntext.Fold(it); !startsWithDocNoun(f) && !startsWithDocHead(f) && !startsWithAlternativeDoc(f) {
			return nil, false
		}
		opts = append(opts, capitalise(strings.TrimRight(it, " .;")))
	}
	return opts, true
}

// typeDependent reads "Nghị quyết … của Đại hội đồng cổ đông (đối với
// ngân hàng thương mại cổ phần); nghị quyết … của Hội đồng thành viên (đối
// với …); ý kiến chấp thuận của chủ sở hữu (đối với …) thông qua việc …":
// a ";" list in which every part names a paper and says in a bracket which
// kind of applicant gives it. The applicant gives the one of its kind: one
// group (rule 4, the type-dependent approvals of the gold set's judgement
// calls), each member keeping its bracket; what follows the last bracket
// ("thông qua việc …") qualifies them all and goes with the first.
func typeDependent(name string) (piece, bool) {
	segs := splitTop(strings.TrimRight(name, " .;"), "; ")
	if len(segs) < 2 {
		return piece{}, false
	}
	tail := ""
	for i, s := range segs {
		s = strings.TrimSpace(s)
		f := vntext.Fold(s)
		if len(strings.Fields(s)) < 3 || !(startsWithDocHead(f) || strings.HasPrefix(f, "y kien ")) || !balanced(s) {
			return piece{}, false
		}
		k := strings.LastIndex(s, "(")
		if k < 0 || !strings.HasPrefix(vntext.Fold(s[k+1:]), "doi voi ") {
			return piece{}, false
		}
		j := strings.Index(s[k:], ")")
		if j < 0 {
			return piece{}, false
		}
		if rest := strings.TrimSpace(s[k+j+1:]); rest != "" {
			if i < len(segs)-1 || len(strings.Fields(rest)) < 2 {
				return piece{}, false
			}
			tail, s = rest, strings.TrimSpace(s[:k+j+1])
		}
		segs[i] = capitalise(s)
	}
	first := segs[0]
	if tail != "" {
		first += " " + tail
	}
	return piece{name: first, alts: segs[1:], groupKind: GroupOr, typed: true}, true
}

// typeByIssuer reads the enterprise-registration grammar "Nghị quyết hoặc
// quyết định của chủ sở hữu công ty đối với công ty TNHH một thành viên;
// của Hội đồng thành viên đối với công ty TNHH hai thành viên trở lên,
// công ty hợp danh; của Đại hội đồng cổ đông đối với công ty cổ phần về
// việc …": the paper's noun is said once and later parts start at "của"
// (the issuer), each with "đối với" the kind of applicant that gives it.
// The applicant gives the one of its kind: one group (rule 4, as
// typeDependent), the later members named with the noun again; what
// follows the last kind ("về việc …") qualifies them all and goes with the
// first. A later part may also name its own paper ("…; nghị quyết của Đại
// hội đồng cổ đông đối với công ty cổ phần").
func typeByIssuer(name string) (piece, bool) {
	body := strings.TrimRight(strings.TrimSpace(name), " .;")
	// Later sentences ("Bản sao … được thay thế bằng …") are the notes of
	// the group, kept after its first member for buildRequirement.
	rest := ""
	if i := firstSentenceBreak(body); i > 0 {
		body, rest = strings.TrimRight(body[:i], " .;"), strings.TrimSpace(body[i:])
	}
	var segs []string
	for _, s := range splitTop(body, "; ") {
		for i, p := range splitTop(s, ", của ") {
			if i > 0 {
				p = "của " + p
			}
			segs = append(segs, strings.TrimSpace(p))
		}
	}
	if len(segs) < 2 || !balanced(body) {
		return piece{}, false
	}
	j := strings.LastIndex(segs[0], " của ")
	if j < 0 || !strings.Contains(segs[0][j:], " đối với ") {
		return piece{}, false
	}
	noun := strings.TrimSpace(segs[0][:j])
	if fn := vntext.Fold(noun); !startsWithDocHead(fn) && !startsWithDocNoun(fn) {
		return piece{}, false
	}
	// "Bản sao hoặc bản chính các giấy tờ sau đây: nghị quyết hoặc quyết
	// định của …": the noun is what follows the intro.
	if k := strings.LastIndex(noun, ": "); k >= 0 {
		noun = noun[k+2:]
	}
	core := capitalise(stripCopyPrefix(noun))
	elided := 0
	alts := make([]string, 0, len(segs)-1)
	tail := ""
	for i, s := range segs[1:] {
		k := strings.Index(s, " đối với ")
		if k < 0 {
			return piece{}, false
		}
		if i == len(segs)-2 {
			if t := strings.Index(s[k:], " về việc "); t > 0 {
				tail, s = strings.TrimSpace(s[k+t:]), strings.TrimSpace(s[:k+t])
			}
		}
		f := vntext.Fold(s)
		switch {
		case strings.HasPrefix(f, "cua "):
			elided++
			alts = append(alts, core+" "+s)
		case startsWithDocHead(f) && strings.Contains(s, " của "):
			alts = append(alts, capitalise(s))
		default:
			return piece{}, false
		}
	}
	if elided == 0 {
		return piece{}, false
	}
	first := segs[0]
	if tail != "" {
		first += " " + tail
	}
	if rest != "" {
		first += ". " + rest
	}
	return piece{name: first, alts: alts, groupKind: GroupOr, typed: true}, true
}

// typeBySituation reads a ";" list in which every part names a paper and
// closes with the situation it serves, without brackets: "Biên bản xác
// nhận … đối với trẻ em bị bỏ rơi; Giấy chứng tử của cha đẻ, mẹ đẻ hoặc
// quyết định của Tòa án … đối với trẻ em mồ côi; quyết định của Tòa án …
// mất tích đối với người … mà cha đẻ, mẹ đẻ mất tích". The applicant is in
// one situation and gives its paper: one group (rule 4, as typeDependent
// with brackets), each member with its situation; a part's "hoặc" offers
// papers for the same situation.
func typeBySituation(name string) (piece, bool) {
	body := strings.TrimRight(strings.TrimSpace(name), " .;")
	if firstSentenceBreak(body) > 0 || !balanced(body) {
		return piece{}, false
	}
	segs := splitTop(body, "; ")
	if len(segs) < 2 {
		return piece{}, false
	}
	var members []string
	for _, s := range segs {
		s = strings.TrimSpace(s)
		f := vntext.Fold(s)
		k := strings.LastIndex(s, " đối với ")
		if k < 0 || !startsWithDocHead(f) || strings.HasPrefix(f, "ban ") && !startsWithDocHead(vntext.Fold(stripCopyPrefix(s))) {
			return piece{}, false
		}
		paper, sit := strings.TrimSpace(s[:k]), strings.TrimSpace(s[k+1:])
		if len(strings.Fields(paper)) < 3 || len(strings.Fields(sit)) < 4 || !balanced(paper) || strings.ContainsAny(sit, "()") {
			return piece{}, false
		}
		// "Bản sao kèm bản chính để đối chiếu hoặc bản sao điện tử … Thẻ
		// luật sư": the copy forms go before "hoặc" offers papers.
		for _, p := range orParts(stripCopyPrefix(paper)) {
			members = append(members, capitalise(strings.TrimSpace(p))+" ("+sit+")")
		}
	}
	return piece{name: members[0], alts: members[1:], groupKind: GroupOr, typed: true}, true
}

// commaPapers splits a row that lists papers with commas in lower case
// ("Giấy phép tạm nhập, văn bản thông báo kết quả kiểm tra chuyên ngành",
// "Giấy ra viện, hóa đơn thanh toán chi phí khám bệnh, chữa bệnh"): a comma
// part that starts with a paper's own noun and says more than the noun
// starts a paper; any other part continues the one before it ("chữa
// bệnh", "cá nhân"). Not a list closed by "hoặc" (the options of one
// paper, read by commaOrList) nor a cell with a list intro or a sentence.
func commaPapers(name string) []string {
	// Later sentences and a quantity after a colon ("…: 01 bản chính.
	// Trường hợp …") stay with the last paper, read as its notes.
	rest := ""
	if i := firstSentenceBreak(name); i > 0 {
		name, rest = name[:i], name[i:]
	}
	if loc := quantityColon.FindStringIndex(name); loc != nil {
		name, rest = name[:loc[0]], name[loc[0]:]+rest
	}
	// "… theo quy định của pháp luật:" — a colon left at the end opens
	// nothing.
	if strings.ContainsAny(strings.TrimRight(name, ": "), ";:") {
		return nil
	}
	parts := splitTop(name, ", ")
	if len(parts) < 2 || grantedList(parts) {
		return nil
	}
	f0 := vntext.Fold(parts[0])
	if len(strings.Fields(parts[0])) < 3 || !(startsWithDocNoun(f0) || startsWithDocHead(f0)) {
		return nil
	}
	out := []string{strings.TrimSpace(parts[0])}
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		// "A hoặc B" offers a choice, but not one inside a bracket ("…
		// (trường hợp dự án không thuộc khu vực hoặc đối tượng …)").
		if len(splitTop(p, " hoặc ")) > 1 {
			return nil
		}
		// "đưa, đón hoa tiêu": folded, "đón" reads as "đơn"; it goes on
		// with the part before.
		if notAForm(p) {
			out[len(out)-1] += ", " + p
			continue
		}
		f := vntext.Fold(p)
		prev := vntext.Fold(out[len(out)-1])
		// "…, bản sao có chứng thực Giấy …" names a paper after its copy
		// words; "…, bản sao có chứng thực" alone is the form of the one
		// before.
		fp := paperKey(p)
		// "Giấy chứng nhận đăng ký tàu biển, các giấy chứng nhận về an toàn
		// kỹ thuật …": a plural paper too (1.003829).
		if len(strings.Fields(p)) >= 3 && (alternativeDoc(p) && startsWithDocHead(f) && commaPaperNoun(strings.TrimPrefix(fp, "cac ")) && !strings.HasPrefix(fp, "ban ") || drawingOrMap(fp) && !drawingOfPrev(prev, fp)) && !endsWithBareDoc(prev) {
			out = append(out, capitalise(p))
			continue
		}
		// "Báo cáo tài chính năm …, báo cáo tài chính quý …": the first
		// paper's noun said again starts a paper of its own; so does a
		// capitalised paper's noun ("Tờ khai …, Danh sách đề nghị …").
		if w, w0 := strings.Fields(f), strings.Fields(f0); len(w) >= 3 && startsWithDocHead(f) && !strings.HasPrefix(f, "ban ") && !strings.HasPrefix(f, "mau ") && !endsWithBareDoc(prev) &&
			(w[0] == w0[0] && w[1] == w0[1] || unicode.IsUpper([]rune(p)[0]) && (alternativeDoc(p) || strings.HasPrefix(f, "danh sach ") || strings.HasPrefix(f, "danh muc "))) {
			out = append(out, capitalise(p))
			continue
		}
		out[len(out)-1] += ", " + p
	}
	for _, o := range out {
		if !balanced(o) {
			return nil
		}
	}
	out = shareOwner(out)
	out[len(out)-1] += rest
	return out
}

// ownerNouns open the owner after "của" that a comma list shares.
var ownerNouns = []string{"to chuc ", "ca nhan ", "nguoi ", "nhung nguoi ", "cac nguoi ", "nhan vien ", "doanh nghiep ", "cong ty ", "chu ", "thanh vien ", "co dong ", "ho ", "don vi ", "co so ", "hop tac xa ", "chi nhanh ", "van phong "}

// shareOwner gives the owner the last paper of a comma list names ("Giấy
// chứng nhận đăng ký doanh nghiệp, Giấy phép thành lập và hoạt động (nếu
// có) của tổ chức đăng ký …") to each earlier paper that names none and is
// short, the paper's bare name: both are the organisation's papers.
func shareOwner(parts []string) []string {
	last := parts[len(parts)-1]
	i := strings.Index(last, " của ")
	if i < 0 || !balanced(last[:i]) {
		return parts
	}
	owner := last[i:]
	fo := vntext.Fold(owner[len(" của "):]) + " "
	if !slices.ContainsFunc(ownerNouns, func(n string) bool { return strings.HasPrefix(fo, n) }) {
		return parts
	}
	for k, p := range parts[:len(parts)-1] {
		if strings.Contains(p, " của ") || strings.ContainsAny(p, "()") || len(strings.Fields(p)) > 8 {
			return parts
		}
		parts[k] = p + owner
	}
	return parts
}

// commaPaperNoun: the nouns that name a paper handed in, not what a paper
// approves or plans ("… thông qua việc giải thể, phương án thanh lý tài
// sản": the plan is what the resolution adopts).
// drawingOrMap: a drawing or map that says what it shows ("bản vẽ hoàn
// công mặt bằng", "bản đồ hiện trạng rừng"), a paper of its own in a list.
func drawingOrMap(f string) bool {
	w := strings.Fields(f)
	return len(w) >= 4 && w[0] == "ban" && (w[1] == "ve" || w[1] == "do") && !slices.Contains([]string{"theo", "da", "khong", "phu", "cua", "do"}, w[2])
}

// drawingOfPrev: the drawing or map belongs with the paper before it —
// one of a list of maps ("… và bản đồ, bản vẽ kèm theo"), or the drawings
// of the design that paper is about ("Thông báo thẩm định thiết kế, bản vẽ
// thiết kế của dự án").
func drawingOfPrev(prev, f string) bool {
	return strings.HasSuffix(prev, "ban do") || strings.HasSuffix(prev, "ban ve") ||
		strings.HasPrefix(f, "ban ve thiet ke") && strings.Contains(prev, "thiet ke")
}

func commaPaperNoun(f string) bool {
	for _, n := range []string{"giay", "van ban", "hoa don", "bien ban", "bien lai", "hop dong", "chung tu", "to khai", "don ", "phieu", "so ho khau", "so tam tru",
		"chung chi", "bang ke", "quyet dinh", "cong van", "trich luc", "ho chieu", "nhat ky "} {
		if strings.HasPrefix(f, n) {
			return true
		}
	}
	return false
}

// endsWithBareDoc: the text before a comma ends in a bare paper noun
// ("… của các loại giấy tờ, văn bản có tiếng nước ngoài"): the comma joins
// nouns inside one name.
func endsWithBareDoc(f string) bool {
	w := strings.Fields(f)
	for n := 1; n <= 2 && n <= len(w); n++ {
		if bareDocType(strings.Join(w[len(w)-n:], " ")) {
			return true
		}
	}
	return false
}

// copyStartsGroup reads "Sơ yếu lý lịch, bản sao thẻ căn cước công dân
// hoặc giấy chứng minh nhân dân hoặc hộ chiếu …": the copy word after the
// comma starts another paper, the options of the "hoặc" belong to it, and
// the paper before the comma is asked for by itself. Not when the first
// paper is a copy as well ("Bản sao hóa đơn, bản sao phiếu xuất kho hoặc
// …": one list of options).
func copyStartsGroup(name string) (x, group string, ok bool) {
	rest := ""
	if i := firstSentenceBreak(name); i > 0 {
		// Later sentences stay with the group, read as its notes.
		name, rest = name[:i], name[i:]
	}
	if strings.Contains(name, ";") {
		return "", "", false
	}
	ors := splitTop(name, " hoặc ")
	if len(ors) < 2 {
		return "", "", false
	}
	cs := splitTop(ors[0], ", ")
	if len(cs) < 2 {
		return "", "", false
	}
	last := strings.TrimSpace(cs[len(cs)-1])
	x = strings.TrimSpace(strings.Join(cs[:len(cs)-1], ", "))
	fl, fx := vntext.Fold(last), vntext.Fold(x)
	copyWord := func(f string) bool {
		return strings.HasPrefix(f, "ban sao ") || strings.HasPrefix(f, "ban chinh ") || strings.HasPrefix(f, "ban chup ")
	}
	if !copyWord(fl) || copyWord(fx) || !(startsWithDocNoun(fx) || startsWithDocHead(fx)) || len(strings.Fields(x)) < 2 || !balanced(x) ||
		!alternativeDoc(last) || len(strings.Fields(last)) < 3 {
		return "", "", false
	}
	return x, capitalise(last + " hoặc " + strings.Join(ors[1:], " hoặc ") + rest), true
}

// firstApart reads "Đơn đề nghị cấp giấy phép, giấy chứng nhận đăng ký
// doanh nghiệp hoặc giấy chứng nhận đăng ký đầu tư" and "Báo cáo tài chính,
// quyết định giao đất hoặc hợp đồng thuê đất": a list closed by "hoặc"
// whose first paper is asked for by itself — the application form, or a
// paper about something else than what the options share ("đất") — and
// whose other papers are the options of one group. Not "Quyết định phê
// duyệt … tác động môi trường, giấy phép môi trường hoặc đăng ký môi
// trường", where the first paper is about what the options share.
func firstApart(name string) (x, group string, ok bool) {
	main, rest := name, ""
	if i := firstSentenceBreak(name); i > 0 {
		main, rest = name[:i], name[i:]
	}
	if strings.Contains(main, ";") {
		return "", "", false
	}
	opts, tail := commaOrList(strings.TrimRight(strings.TrimSpace(main), " ."))
	if len(opts) < 3 {
		return "", "", false
	}
	shared := contentWords(opts[1])
	for _, o := range opts[2:] {
		w := contentWords(o)
		for k := range shared {
			if !w[k] {
				delete(shared, k)
			}
		}
	}
	first := contentWords(opts[0])
	apart := isApplicationForm(opts[0]) || len(shared) > 0
	for k := range shared {
		apart = apart && !first[k]
	}
	if !apart {
		return "", "", false
	}
	group = strings.Join(opts[1:len(opts)-1], ", ") + " hoặc " + opts[len(opts)-1]
	if tail != "" {
		group += " " + tail
	}
	return opts[0], capitalise(group) + rest, true
}

// genericWords are the folded syllables that name kinds of papers and
// their forms, not what a paper is about.
var genericWords = map[string]bool{
	"giay": true, "chung": true, "nhan": true, "van": true, "ban": true, "quyet": true, "dinh": true, "hop": true, "dong": true,
	"bao": true, "cao": true, "so": true, "cua": true, "va": true, "cac": true, "theo": true, "ve": true, "viec": true, "doi": true,
	"voi": true, "tai": true, "lieu": true, "to": true, "sao": true, "chinh": true, "co": true, "thuc": true, "hoac": true, "trong": true,
	"cap": true, "de": true, "nghi": true, "phe": true, "duyet": true, "thong": true, "tin": true, "mau": true, "nam": true, "minh": true,
	"don": true, "phieu": true, "the": true, "khac": true, "da": true, "duoc": true, "tham": true, "quyen": true, "quan": true, "nha": true, "nuoc": true,
}

// contentWords are a name's folded syllables that say what it is about.
func contentWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, t := range vntext.FoldedTokens(s) {
		if !genericWords[t] && len(t) > 1 {
			out[t] = true
		}
	}
	return out
}

// contentsFirst: the first part of a cell names a paper and then starts
// the list of what it must state ("…, trong đó ghi rõ …", "… bao gồm các
// nội dung: …", "… nêu rõ …").
func contentsFirst(s string) bool {
	f := vntext.Fold(s)
	if !startsWithDocNoun(f) && !startsWithDocHead(f) {
		return false
	}
	for _, w := range []string{" trong do ghi ro ", " trong do neu ro ", ", trong do ", " ghi ro ", " neu ro ", " gom cac noi dung", " bao gom cac noi dung", " gom cac thong tin", " bao gom cac thong tin", " voi cac noi dung", " co cac noi dung"} {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// contentIntro: a paper's own list of contents ends its intro ("… gồm các
// nội dung", "… bao gồm các thông tin", "… trong đó nêu rõ").
func contentIntro(f string) bool {
	f = strings.TrimRight(f, " ")
	for _, e := range []string{"noi dung", "thong tin", "cac muc", "neu ro", "ghi ro"} {
		if strings.HasSuffix(f, e) && !strings.Contains(f, "mot trong") && !strings.Contains(f, "giay to") && !strings.Contains(f, "tai lieu") {
			return true
		}
	}
	return false
}

// introName is the group's name from its intro: "Một trong những giấy tờ
// chứng minh … bao gồm" → "Một trong những giấy tờ chứng minh …".
func introName(intro string) string {
	s := strings.TrimSpace(strings.TrimRight(intro, " :"))
	// "Bản sao được chứng thực của một trong các tài liệu sau" (1.013069):
	// the copy forms say how each member is given; the group is "Một trong
	// các tài liệu".
	if m := copiesOfOneOf.FindStringSubmatchIndex(s); m != nil {
		s = s[m[2]:]
	}
	for {
		f := vntext.Fold(s)
		cut := false
		for _, e := range []string{" bao gom", " gom", " nhu sau", " sau day", " cu the", " sau"} {
			if strings.HasSuffix(f, e) {
				s = strings.TrimRight(strings.TrimSpace(s[:len(s)-len(lastWords(s, len(strings.Fields(e))))]), " ,")
				cut = true
				break
			}
		}
		if !cut {
			break
		}
	}
	return capitalise(s)
}

// copiesOfOneOf is the copy forms before "một trong …".
var copiesOfOneOf = regexp.MustCompile(`^(?i:bản sao|bản chính)(?:\s+(?:được|có)\s+chứng thực)?\s+(?:của\s+)?((?i:một trong)\s)`)

// lastWords returns the last n space-separated words of s (with their
// leading space).
func lastWords(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		j := strings.LastIndex(strings.TrimRight(s[:i], " "), " ")
		if j < 0 {
			return s
		}
		i = j
	}
	return s[i:]
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// nameTails start the parts of a name that are not the paper's name: its
// legal basis, the contents it must hold, instructions.
var nameTails = []string{
	" ban hành kèm theo ", " được ban hành kèm theo ", ", trong đó ", " trong đó có ", " trong đó nêu rõ ", " trong đó ghi rõ ", " trong đó mô tả ", " trong đó thể hiện ", " nêu rõ ", " ghi rõ ", " giải trình rõ ", " (trong đó ", " do cơ sở khám bệnh, chữa bệnh ", ": phải thể hiện ",
	" bao gồm các thông tin", " bao gồm các nội dung", " gồm các nội dung", " gồm các thông tin",
	", cụ thể", " có các nội dung", ", gồm: +", " gồm: +", ", gồm: -", " gồm: -", " bao gồm: +", " bao gồm: -", " với các thông tin", " trừ những ", " trừ các trường hợp", " trừ trường hợp ", " (trừ ",
	// "Dự thảo các quy định nội bộ …, tối thiểu bao gồm …" (1.014356);
	// "Giấy tờ chứng minh nhân thân …: Đối với Chứng minh nhân dân, …,
	// người yêu cầu bồi thường chỉ nộp trong trường hợp …" (2.002192).
	", tối thiểu bao gồm", ": Đối với ",
	// "Ảnh trang nhân thân hộ chiếu được tải lên Trang giao dịch điện tử
	// …" says how the paper is sent (1.010046).
	" được tải lên ",
}

// dossierIntro: a phrase that names the dossier as a whole ("01 bộ hồ sơ,
// gồm", "Hồ sơ gồm"), so what follows its colon are papers, never a
// paper's contents.
func dossierIntro(f string) bool {
	f = strings.TrimLeft(f, "0123456789() ")
	f = strings.TrimPrefix(f, "mot ")
	for _, p := range []string{"bo ho so gom", "bo ho so, gom", "bo ho so bao gom", "bo ho so, bao gom", "ho so gom", "ho so bao gom"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// contentsColon finds the colon that opens what a paper must contain
// ("Kế hoạch hoạt động … bao gồm: mô tả …; nguyên tắc …", "Danh mục khảo
// sát luồng, gồm: tên luồng, …", "Văn bản cam kết … về việc: a) …"): the
// byte offset of the phrase that introduces it, or -1. Not when the phrase
// introduces papers ("các giấy tờ sau", "một trong …").
func contentsColon(name string) int {
	ps := splitTop(name, ":")
	if len(ps) < 2 {
		return -1
	}
	head := ps[0]
	f := strings.TrimRight(vntext.Fold(head), " ,")
	// "Thông tin về chuyến bay bao gồm: đường bay, …": information, which
	// its contents name, not a paper.
	if !startsWithDocNoun(f) && !startsWithDocHead(f) || strings.HasPrefix(f, "thong tin") || strings.Contains(f, "mot trong") || dossierIntro(f) ||
		// "Hồ sơ pháp lý … bao gồm: Bản sao Giấy phép …": a dossier's
		// colon introduces papers, not contents.
		strings.HasPrefix(strings.TrimLeft(f, "0123456789 "), "ho so") || strings.HasPrefix(strings.TrimLeft(f, "0123456789 "), "bo ho so") {
		return -1
	}
	for _, w := range []string{"giay to", "tai lieu", "van ban", "ban sao", "ho so", "chung tu"} {
		if strings.Contains(f, "cac "+w) || strings.Contains(f, w+" sau") {
			return -1
		}
	}
	// "Sơ đồ mặt bằng …: Thể hiện địa danh, vị trí …": after the colon, what
	// the paper shows or states.
	if fr := vntext.Fold(strings.TrimSpace(name[len(head)+1:])); len(strings.Fields(head)) >= 3 {
		for _, v := range []string{"the hien ", "ghi ro ", "neu ro "} {
			if strings.HasPrefix(fr, v) {
				return len(strings.TrimRight(head, " ,"))
			}
		}
	}
	// Longest phrases first: the whole introducing phrase leaves the name.
	for _, e := range []string{" bao gom nhung noi dung chinh sau", " bao gom cac noi dung chinh sau", " bao gom nhung noi dung sau", " trong do toi thieu bao gom cac noi dung sau", " bao gom toi thieu cac noi dung sau", " bao gom toi thieu cac noi dung", " toi thieu bao gom cac noi dung",
		" bao gom toi thieu", " gom toi thieu", " toi thieu bao gom", " bao gom cac noi dung sau", " bao gom cac noi dung", " bao gom cac thong tin", " co cac thong tin ve", " co cac thong tin", " cac thong tin ve", " ve cac noi dung sau", " ve cac noi dung",
		" cac noi dung sau", " cac noi dung", " noi dung sau", " co cac thong tin sau", " cac thong tin sau", " thong tin sau", " cac thong tin", " bao gom", " gom co", " gom", " cu the", " nhu sau", " ve viec", " the hien", " nhu"} {
		// "… sau đây" is "… sau": one word more to cut.
		day := 0
		if strings.HasSuffix(f, " sau day") {
			day = 1
		}
		if strings.HasSuffix(strings.TrimSuffix(f, " day"), e) && (day == 1 || strings.HasSuffix(f, e)) {
			// Back to the byte offset of the phrase in the original text,
			// by its words (folding changes byte lengths).
			h := strings.TrimRight(head, " ,")
			words := strings.Fields(h)
			n := len(strings.Fields(e)) + day
			if len(words) <= n+2 {
				return -1
			}
			keep := strings.TrimRight(strings.Join(words[:len(words)-n], " "), ",")
			if i := strings.Index(h, keep); i == 0 {
				return len(keep)
			}
			return -1
		}
	}
	return -1
}

// bulletContents finds the colon that opens a bulleted list of what a
// paper must show ("Văn bản giải trình, chứng minh về việc đủ điều kiện …:
// + Phù hợp với quy hoạch …; + Cảng hàng không, sân bay đã được …"). Not a
// list of papers ("Giấy tờ chứng minh …: + Giấy A; + Giấy B"), nor a
// dossier's heading.
func bulletContents(name string) int {
	for _, sep := range []string{": +", ":+", ": -", ": –"} {
		i := strings.Index(name, sep)
		if i <= 0 || !balanced(name[:i]) {
			continue
		}
		head, rest := vntext.Fold(name[:i]), strings.TrimLeft(name[i+len(sep):], "+-– ")
		first := rest
		if j := strings.IndexAny(first, ";+"); j > 0 {
			first = first[:j]
		}
		ff := vntext.Fold(strings.TrimSpace(first))
		if !startsWithDocHead(head) || dossierIntro(head) || strings.HasPrefix(head, "ho so") || ff == "" ||
			startsWithDocHead(ff) || startsWithDocNoun(ff) || strings.HasPrefix(ff, "ban ") || strings.HasPrefix(ff, "truong hop") || strings.HasPrefix(ff, "doi voi") {
			return -1
		}
		return i
	}
	return -1
}

// colonClause finds the colon after a paper's name that opens a sentence
// on who gives it and how ("Tờ khai trị giá: Người khai hải quan khai tờ
// khai trị giá theo mẫu, gửi đến Hệ thống …"): an instruction, not part
// of the name. It returns -1 when there is none.
var colonClauseRE = regexp.MustCompile(`: (?:Người khai hải quan|Người khai|Người nộp|Người đề nghị|Doanh nghiệp|Tổ chức, cá nhân|Tổ chức|Cá nhân) (?:[^\s.;:]+ ){0,4}?(?:khai|nộp|gửi|cung cấp|xuất trình|phải)\s`)

func colonClause(name string) int {
	// "Trường hợp khấu trừ trực tiếp: Người nộp thuế …" is a case and what
	// it asks, not a paper's name.
	if isCaseLead(vntext.Fold(name)) {
		return -1
	}
	if m := colonClauseRE.FindStringIndex(name); m != nil {
		return m[0]
	}
	return -1
}

// definitionColon finds the colon after a short paper name that opens
// what the paper is made of, when nothing after it names a paper of its
// own ("Hồ sơ điện tử: Cơ sở dữ liệu số cơ bản là các tệp tin …; Cơ sở dữ
// liệu số pháp lý bao gồm …", 1.014158); not the colon of a list of
// papers ("Hồ sơ bản giấy: Thuyết minh; Dự thảo Quyết định …; Bản vẽ"),
// nor one before a form's code. It returns -1 when there is none.
func definitionColon(name string) int {
	parts := splitTop(name, ": ")
	if len(parts) < 2 {
		return -1
	}
	head, rest := parts[0], strings.TrimSpace(name[len(parts[0])+2:])
	fh := vntext.Fold(head)
	if n := len(strings.Fields(head)); n < 3 || n > 6 || !startsWithDocHead(fh) || len(strings.Fields(rest)) < 12 {
		return -1
	}
	// Not a list's intro ("Các giấy tờ sau:", "Hồ sơ gồm:"), nor a name
	// whose object follows ("Các tài liệu chứng minh: tổ chức … ký quỹ"),
	// nor a colon before bullets ("Giấy tờ phải xuất trình : + Giấy tờ
	// xuất trình cho Cảng vụ gồm: …", "a1) Bản chính văn bản …").
	for _, e := range append([]string{"chung minh", "xac nhan"}, introEnds...) {
		if strings.HasSuffix(fh, " "+e) {
			return -1
		}
	}
	if r, _ := utf8.DecodeRuneInString(rest); !unicode.IsLetter(r) || enumStart.MatchString(rest) || strings.Contains(rest, ": ") {
		return -1
	}
	// One paper's noun among many parts is a part of the thing ("Các tài
	// liệu liên quan: thiết kế kỹ thuật và chi tiết; vật liệu; phương pháp
	// …; hướng dẫn …"), not a list of papers.
	parts = splitTop(rest, ";")
	docs := 0
	for _, p := range parts {
		if f := vntext.Fold(strings.TrimSpace(p)); startsWithDocHead(f) || startsWithDocNoun(f) {
			docs++
		}
	}
	if docs >= 2 || docs > 0 && 2*docs >= len(parts) {
		return -1
	}
	return len(head)
}

// enumStart: an item's marker at the start of a text ("a) ", "a1) ").
var enumStart = regexp.MustCompile(`^[a-zđ]\d{0,2}\)\s`)

// trimNameTail cuts a paper's name before its legal basis or contents;
// the tail goes to the requirement's note.
func trimNameTail(name string) (string, string) {
	// "02 phong bì có dán tem ghi rõ họ tên, … địa chỉ người nhận": what
	// is written on the envelope is what makes it the paper asked for.
	if strings.HasPrefix(strings.TrimLeft(vntext.Fold(name), "0123456789 "), "phong bi ") {
		return name, ""
	}
	// "Phiếu CC01 được tạo lập khi trích xuất thông tin của công dân …":
	// how the paper comes about follows its name, however short.
	if i := strings.Index(name, " được tạo lập khi "); i > 0 && len(strings.Fields(name[:i])) >= 2 {
		return name[:i], strings.TrimSpace(name[i:])
	}
	// "(quy định tại điểm b khoản 2 Điều 38 …)": the legal basis in brackets.
	for _, open := range []string{" (quy định tại ", " (theo quy định tại ", " (được quy định tại "} {
		if i := strings.Index(name, open); i > 0 {
			if j := strings.Index(name[i:], ")"); j > 0 {
				tail := name[i+1 : i+j+1]
				name = strings.TrimSpace(name[:i] + name[i+j+1:])
				return name, tail
			}
		}
	}
	best := -1
	for _, t := range nameTails {
		if i := strings.Index(name, t); i > 0 && (best < 0 || i < best) {
			best = i
		}
		// The same phrase glued to the colon that opens the contents
		// ("Báo cáo tổng quan … trong đó nêu rõ: (i) …").
		if strings.HasSuffix(t, " ") {
			if i := strings.Index(name, strings.TrimSuffix(t, " ")+":"); i > 0 && (best < 0 || i < best) {
				best = i
			}
		}
	}
	if i := contentsColon(name); i > 0 && (best < 0 || i < best) {
		best = i
	}
	if i := bulletContents(name); i > 0 && (best < 0 || i < best) {
		best = i
	}
	if i := colonClause(name); i > 0 && (best < 0 || i < best) {
		best = i
	}
	if i := definitionColon(name); i > 0 && (best < 0 || i < best) {
		best = i
	}
	if best < 0 {
		return name, ""
	}
	head := strings.TrimRight(strings.TrimSpace(name[:best]), " ,;")
	// "… có ghi rõ …", "… phải ghi rõ …": the verb that led into the tail
	// goes with it; "Các tờ khai sau khi ghi rõ …" is a clause, not a name
	// with a tail.
	// (Compared with their marks: "dầu khí" is not "khi".)
	if strings.HasSuffix(head, " khi") {
		return name, ""
	}
	for _, w := range []string{" có", " phải", " được", " và", " đã"} {
		if strings.HasSuffix(head, w) {
			head = strings.TrimRight(head[:strings.LastIndex(head, " ")], " ,;")
			break
		}
	}
	// "Tờ khai, trong đó ghi rõ họ tên, …" (1.013442): a paper's noun
	// alone before ", trong đó" is its whole name.
	if n := len(strings.Fields(head)); n < 3 && !(n == 2 && strings.HasPrefix(name[best:], ", trong đó ") && startsWithDocNoun(vntext.Fold(head))) {
		return name, ""
	}
	tail := strings.TrimSpace(name[best:])
	if strings.Count(head, "(") > strings.Count(head, ")") {
		head += ")"
	}
	return head, strings.TrimLeft(tail, ",: ")
}

// electronicForm recognises the interactive online form that the portal
// lists beside the paper one ("Tờ khai … điện tử tương tác").
func electronicForm(name string) bool {
	f := vntext.Fold(name)
	return strings.Contains(f, "dien tu tuong tac") || strings.HasPrefix(f, "bieu mau dien tu") || strings.HasPrefix(f, "mau dien tu")
}

// dropBrackets removes the parenthesised parts of a name.
func dropBrackets(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mergeElectronicForms makes an interactive online form an alternative of
// the paper form it stands for, not a requirement of its own.
func mergeElectronicForms(reqs []Requirement) []Requirement {
	drop := map[int]bool{}
	for i, r := range reqs {
		if !electronicForm(r.Name) {
			continue
		}
		// Compared without its brackets ("(do người yêu cầu cung cấp thông
		// tin … nếu … nộp hồ sơ theo hình thức trực tuyến)"), which only say
		// how and when it is used.
		base := vntext.FoldedTokens(strings.NewReplacer("điện tử tương tác", "", "Điện tử tương tác", "").Replace(dropBrackets(r.Name)))
		best, bi, forms, form := 0.0, -1, 0, -1
		for j, o := range reqs {
			if j == i || drop[j] || electronicForm(o.Name) || o.heading != r.heading {
				continue
			}
			if isApplicationForm(o.Name) {
				forms, form = forms+1, j
			}
			if s := NameSimilarity(base, vntext.FoldedTokens(dropBrackets(o.Name))); s > best {
				best, bi = s, j
			}
		}
		if best < 0.5 {
			// "Mẫu hộ tịch điện tử tương tác đăng ký kết hôn" beside "Tờ khai
			// đăng ký kết hôn theo mẫu, có đủ thông tin của hai bên": the
			// interactive form stands for the only application form.
			bi = -1
			if forms == 1 {
				bi = form
			}
		}
		if bi < 0 {
			continue
		}
		reqs[bi].addAlternative(r.Name, GroupElectronicForm)
		drop[i] = true
	}
	return withoutDropped(reqs, drop)
}

// withoutDropped returns reqs without the indices in drop, in place.
func withoutDropped(reqs []Requirement, drop map[int]bool) []Requirement {
	if len(drop) == 0 {
		return reqs
	}
	out := reqs[:0]
	for i, r := range reqs {
		if !drop[i] {
			out = append(out, r)
		}
	}
	return out
}

// addAlternative adds a paper that stands in for r, stated as kind unless
// r's alternatives already say how.
func (r *Requirement) addAlternative(name, kind string) {
	r.Alternatives = append(r.Alternatives, name)
	if r.groupKind == "" {
		r.groupKind = kind
	}
}

// paperDeclaration reads the customs rows that offer the paper declaration
// instead of the electronic one: "Trường hợp thực hiện trên tờ khai hải
// quan giấy theo quy định tại …, người khai hải quan khai và nộp 02 bản
// chính tờ khai hàng hóa nhập khẩu theo mẫu HQ/2015/NK Phụ lục IV …", "…
// Trường hợp khai tờ khai hải quan giấy, hồ sơ hải quan là tờ khai … theo
// Mẫu số HQ 01-TKTLCT Phụ lục I …". Group 1 is the paper form.
var paperDeclaration = regexp.MustCompile(`(?i)(?:trong )?trường hợp (?:thực hiện|khai(?: hải quan)?)(?: trên)? tờ khai (?:hải quan )?giấy\b[^;]{0,300}?,\s*(?:[^,;]{0,40}?\s)?(?:khai và nộp|nộp|hồ sơ hải quan là)\s+(?:0?\d+\s+bản\s+(?:chính|chụp|sao)\s+)?(tờ khai [^;]+?\s(?:theo\s+)?(?:mẫu|mẫu số)\s+[^\s;,]+(?:\s+Phụ lục\s+[IVXLC]+\b)?)`)

// mentionsPaperDeclaration is paperDeclaration's cheap test on folded
// text: no row without these words can hold the sentence.
func mentionsPaperDeclaration(f string) bool {
	return strings.Contains(f, "to khai hai quan giay") || strings.Contains(f, "to khai giay")
}

// paperDeclarationCase names the case of a paper declaration.
const paperDeclarationCase = " (trường hợp thực hiện trên tờ khai hải quan giấy)"

// mergePaperDeclarations makes the paper customs declaration an
// alternative of the electronic declaration it stands in for (as
// mergeElectronicForms does for an interactive form), whether the portal
// lists it as a row of its own or leaves it in the electronic row's note.
// A declarant who files electronically does not also owe the paper one.
func mergePaperDeclarations(reqs []Requirement) []Requirement {
	// Each name folded once; the sentence is sought only in rows that
	// mention a paper declaration (the import parses 2,642 procedures).
	folded := make([]string, len(reqs))
	paperRow := make([]bool, len(reqs))
	declarations := false
	// A row that is the paper declaration's sentence reads whole: the
	// citation cut from its name ("… Nghị định số 59/2018/NĐ-CP" | "ngày
	// 20 tháng 4 năm 2018 …, người khai hải quan khai và nộp …", 1.007854)
	// went to its note.
	// The match is kept: the loop below reads its form.
	sentence := make([]string, len(reqs))
	match := make([][]int, len(reqs))
	for i, r := range reqs {
		folded[i] = vntext.Fold(r.Name)
		sentence[i] = r.Name
		if strings.HasPrefix(folded[i], "truong hop") && r.Note != "" {
			sentence[i] = r.Name + " " + r.Note
		}
		if mentionsPaperDeclaration(folded[i]) {
			match[i] = paperDeclaration.FindStringSubmatchIndex(sentence[i])
		}
		paperRow[i] = match[i] != nil
		declarations = declarations || strings.HasPrefix(folded[i], "to khai")
	}
	if !declarations {
		return reqs
	}
	drop := map[int]bool{}
	declaration := func(i int) bool {
		return strings.HasPrefix(folded[i], "to khai") && !strings.Contains(folded[i], "tri gia")
	}
	// target is the declaration of r's case and heading nearest to i,
	// of the same direction (nhập khẩu / xuất khẩu) when the form says.
	target := func(i int, form string) int {
		fd := vntext.Fold(form)
		best, bd := -1, 1<<30
		for j, o := range reqs {
			if j == i || drop[j] || o.Case != reqs[i].Case || o.heading != reqs[i].heading || !declaration(j) || paperRow[j] {
				continue
			}
			fo := folded[j]
			d := max(j-i, i-j)
			for _, dir := range []string{"nhap khau", "xuat khau"} {
				if strings.Contains(fd, dir) != strings.Contains(fo, dir) && (strings.Contains(fo, "nhap khau") || strings.Contains(fo, "xuat khau")) {
					d += 1000 // another direction: only if nothing else
				}
			}
			if d < bd {
				best, bd = j, d
			}
		}
		return best
	}
	alt := func(form string) string {
		return capitalise(strings.TrimRight(strings.TrimSpace(form), " .;,")) + paperDeclarationCase
	}
	for i := range reqs {
		r := reqs[i]
		// A row of its own.
		if paperRow[i] {
			t := sentence[i]
			if m := match[i]; m[0] <= 2 {
				if j := target(i, t[m[2]:m[3]]); j >= 0 {
					reqs[j].addAlternative(alt(t[m[2]:m[3]]), GroupOr)
					drop[i] = true
				} else if r.Originals == 0 && r.Copies == 0 {
					// A row with no copy asked (0 bản chính) and no
					// electronic declaration to stand beside: a note, as
					// such rows are.
					drop[i] = true
				}
				continue
			}
		}
		// A row the split left as a paper on that case ("Tờ khai … theo
		// Mẫu số HQ 01-TKTLCT", if "Trường hợp khai tờ khai hải quan giấy").
		if r.Condition != nil && declaration(i) && strings.Contains(vntext.Fold(*r.Condition), "to khai hai quan giay") && len(r.Alternatives) == 0 {
			if j := target(i, r.Name); j >= 0 && reqs[j].Condition == nil {
				reqs[j].addAlternative(alt(r.Name), GroupOr)
				drop[i] = true
			}
			continue
		}
		// A sentence of the electronic declaration's own note.
		if !declaration(i) || len(r.Alternatives) > 0 || !mentionsPaperDeclaration(vntext.Fold(r.Note)) {
			continue
		}
		if m := paperDeclaration.FindStringSubmatchIndex(r.Note); m != nil {
			reqs[i].addAlternative(alt(r.Note[m[2]:m[3]]), GroupOr)
		}
	}
	return withoutDropped(reqs, drop)
}

// noteOptions makes the kinds of a paper that its note opens with in
// brackets its alternatives: "Chứng từ chứng nhận xuất xứ hàng hóa" with
// the note "(Giấy chứng nhận xuất xứ hàng hóa hoặc Chứng từ tự chứng nhận
// xuất xứ) 01 bản chính …" is either paper. Each option must name a paper
// and share what the paper is about with its name, so that a bracket on
// something else ("(bản sao hoặc bản chính)") is left in the note.
func noteOptions(reqs []Requirement) {
	for i, r := range reqs {
		if len(r.Alternatives) > 0 || !strings.HasPrefix(r.Note, "(") {
			continue
		}
		// end is just past the bracket that closes the first.
		end := len(r.Note)
		for j := range topLevel(r.Note) {
			end = j
			break
		}
		if end < 2 || r.Note[end-1] != ')' {
			continue
		}
		opts := strings.Split(r.Note[1:end-1], " hoặc ")
		if len(opts) < 2 || len(opts) > 4 {
			continue
		}
		about := contentWords(r.Name)
		ok := true
		for k, o := range opts {
			o = strings.TrimSpace(o)
			opts[k] = o
			shared := false
			for w := range contentWords(o) {
				shared = shared || about[w]
			}
			ok = ok && shared && len(strings.Fields(o)) >= 3 && startsWithDocHead(vntext.Fold(o)) && !strings.ContainsAny(o, "(),;")
		}
		if !ok {
			continue
		}
		reqs[i].Alternatives = opts
		reqs[i].groupKind = GroupOneOf
	}
}

// attached finds, in a row's note, a paper handed in with the row's: "…
// trong đó ghi rõ … kèm danh sách người gia hạn tạm trú" (1.002755), "…,
// kèm theo bản giải trình về thiết bị sản xuất thuỷ điện …" (1.008583).
// noteBullet finds a bulleted or lettered item inside a row's note: "…;
// + Văn bản …", "… b.2) Giấy chứng nhận …", "…; (ii) Bảng kê khai …".
var noteBullet = regexp.MustCompile(`(?:[;.]\s*|\s)([-+•]|[a-zđ](?:\.\d{1,2})?\)|\((?:[ivx]{1,5}|\d{1,2})\))\s*(\p{Lu})`)

// bulletKind: "+" and "-" are one kind, "a)" and "b.2)" another, "(i)"
// and "(2)" a third; a list's items share their first item's kind, and
// another kind inside an item marks its own sub-items.
func bulletKind(m string) byte {
	switch {
	case strings.HasPrefix(m, "-") || strings.HasPrefix(m, "+") || strings.HasPrefix(m, "•"):
		return '-'
	case strings.HasPrefix(m, "("):
		return '('
	}
	return 'a'
}

// notePapers reads the bulleted papers a row's note goes on with ("Đơn
// đề nghị điều chỉnh Giấy phép, trong đó nêu rõ lý do …; + Văn bản, giấy
// tờ chứng minh nội dung điều chỉnh …") as requirements of their own, in
// the row's case and on its condition. Where the row is a collective
// heading whose list went to the note ("Tài liệu chứng minh … gồm: a) Sơ
// yếu lý lịch …; b) Bản sao các văn bằng …"), its papers stand in its
// place (rule 2). Not where the note says what a paper holds ("bao gồm
// các nội dung sau: - Tên …"), and only where every item names a paper.
func notePapers(reqs []Requirement) []Requirement {
	out := make([]Requirement, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, r)
		ms := noteBullet.FindAllStringSubmatchIndex(r.Note, -1)
		if len(ms) == 0 {
			continue
		}
		collective := false
		if lead := r.Note[:ms[0][0]]; strings.Contains(lead, ":") {
			fl := strings.TrimRight(vntext.Fold(strings.TrimSpace(lead)), " :")
			fn := vntext.Fold(r.Name)
			if !slices.ContainsFunc([]string{"cac ", "nhung ", "tai lieu", "giay to", "ho so "}, func(p string) bool { return strings.HasPrefix(fn, p) }) ||
				contentIntro(fl) || strings.Count(lead, ":") > 1 || !slices.ContainsFunc(introEnds, func(e string) bool { return strings.HasSuffix(fl, " "+e) }) {
				continue
			}
			collective = true
		}
		kind := bulletKind(r.Note[ms[0][2]:ms[0][3]])
		ms = slices.DeleteFunc(ms, func(m []int) bool { return bulletKind(r.Note[m[2]:m[3]]) != kind })
		type item struct{ name, note string }
		var items []item
		ok := true
		for i, m := range ms {
			end := len(r.Note)
			if i+1 < len(ms) {
				end = ms[i+1][0]
			}
			it := strings.TrimRight(strings.TrimSpace(r.Note[m[4]:end]), " .;,")
			// "Phiếu lý lịch tư pháp, đảm bảo các quy định sau: (i) …",
			// "Giấy phép thành lập hoặc văn bản tương đương; mã số doanh
			// nghiệp": the paper, then what it must hold.
			name, note := it, ""
			if ps := splitTop(it, ":", ";", ", trong đó ", " Đối với ", " Trường hợp ", " Thành phần hồ sơ "); len(ps) > 1 {
				name, note = strings.TrimRight(ps[0], " ,"), strings.TrimSpace(it[len(ps[0]):])
			}
			// "Văn bản … cung cấp thông tin về tổ chức tín dụng nước ngoài
			// như sau", "Hồ sơ của những người dự kiến bầu …, bao gồm": the
			// phrase that opened what the note goes on with.
			for _, e := range []string{", bao gồm", " bao gồm", " như sau", " gồm"} {
				if n, ok := strings.CutSuffix(name, e); ok {
					name, note = strings.TrimRight(n, " ,"), strings.TrimSpace(e+" "+note)
					break
				}
			}
			f := vntext.Fold(name)
			// "- Danh mục hồ sơ khai thuế ban hành kèm theo Nghị định …; -
			// Mẫu biểu …": where the papers are listed, not a paper.
			if len(strings.Fields(name)) < 3 || !startsWithDocHead(f) || copyWordsOnly(f) || !balanced(name) || utf8.RuneCountInString(name) > 400 ||
				strings.HasPrefix(f, "mau bieu") || strings.HasPrefix(f, "danh muc ho so") || strings.HasPrefix(f, "danh muc mau") {
				ok = false
				break
			}
			items = append(items, item{name, note})
		}
		if !ok {
			continue
		}
		if collective {
			out = out[:len(out)-1]
		}
		for _, it := range items {
			out = append(out, paperOfRow(r, it.name, it.note))
		}
	}
	return out
}

// hasPrefixFold: s opens with p, whatever the case of its letters.
func hasPrefixFold(s, p string) bool { return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) }

// paperOfRow is a paper named inside row r's note, read as a row of its
// own (its "hoặc" options, its "trong trường hợp …" condition), in r's
// case and on r's condition when it states none; note is what the text
// says it must hold.
func paperOfRow(r Requirement, name, note string) Requirement {
	q := buildRequirement(capitalise(name), cell{text: name, originals: r.Originals, copies: r.Copies}, section{kind: r.Kind}, nil, nil, false)
	q.Note = strings.TrimSpace(q.Note + " " + note)
	q.heading, q.everyCase = r.heading, r.everyCase
	if q.Condition == nil {
		q.Condition, q.Optional, q.group = r.Condition, r.Optional, r.group
	}
	return q
}

// lawAndDate: the number of the law a form is issued with, its date and
// issuer ("52/2024/NĐ-CP", "42/2020/TT-BTC ngày 22/05/2020 của Bộ Tài
// chính").
var lawAndDate = regexp.MustCompile(`\d{1,4}/\d{4}/[\p{Lu}Đ][\p{Lu}Đ-]*(?:\s+ngày\s+\d{1,2}/\d{1,2}/\d{4})?(?:\s+của\s+(?:Chính phủ|Bộ trưởng Bộ [^,;]+|Bộ [^,;]+|Thống đốc [^,;]+))?`)

// papersAfterLaw: the law a form is issued with was cut to the row's note,
// and with it the papers the row goes on to list ("Đơn đề nghị cấp lại
// Giấy phép theo Mẫu số 11 ban hành kèm theo Nghị định số 52/2024/NĐ-CP,
// báo cáo tình hình thực hiện hoạt động …"): each is a requirement of its
// own, in the row's case.
func papersAfterLaw(reqs []Requirement) []Requirement {
	out := make([]Requirement, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, r)
		// The note's opening words tell; the note is not folded whole.
		if !hasPrefixFold(r.Note, "ban hành kèm theo") && !hasPrefixFold(r.Note, "kèm theo") {
			continue
		}
		loc := lawAndDate.FindStringIndex(r.Note)
		if loc == nil {
			continue
		}
		rest := r.Note[loc[1]:]
		if !strings.HasPrefix(rest, ", ") && !strings.HasPrefix(rest, "; ") {
			continue
		}
		for _, it := range splitTop(rest[2:], "; ") {
			it = strings.TrimRight(strings.TrimSpace(it), " .;,")
			name, note := it, ""
			if ps := splitTop(it, ":", ". "); len(ps) > 1 {
				name, note = strings.TrimRight(ps[0], " ,"), strings.TrimSpace(it[len(ps[0]):])
			}
			f := vntext.Fold(name)
			if len(strings.Fields(name)) < 3 || !startsWithDocHead(f) || strings.HasPrefix(f, "kem ") || copyWordsOnly(f) || !balanced(name) || utf8.RuneCountInString(name) > 300 {
				break
			}
			out = append(out, paperOfRow(r, name, note))
		}
	}
	return out
}

var attached = regexp.MustCompile(`(?:^|[\s,])kèm(?: theo)? ((?:bản|danh sách|tài liệu|văn bản|giấy|báo cáo|bảng kê|quyết định|cam kết|biên bản|hợp đồng|chứng từ|văn kiện)\s[^;:]+)`)

// attachedEnd: where an attached paper's name ends, before the next
// clause or a sentence glued to it ("… tạm trú Danh sách bao gồm …").
var attachedEnd = regexp.MustCompile(`,\s|\.\s|\s(?:để|nhằm|theo quy định)\s|\s\p{Lu}`)

// namesGoOn are the words after which a capital goes on naming something
// (an institution, a language, a form) rather than starting a sentence.
var namesGoOn = []string{"của", "tại", "cho", "với", "và", "đến", "từ", "cấp", "do", "tiếng", "theo", "số", "Mẫu", "mẫu"}

// attachedPapers makes each paper a row's note says is handed in with it
// ("kèm theo …", "kèm …") a requirement of its own, in the row's case and
// on its condition. Not the copy handed in with an original ("kèm bản
// chính để đối chiếu"), nor the dossier the row goes with ("kèm theo hồ
// sơ").
func attachedPapers(reqs []Requirement) []Requirement {
	out := make([]Requirement, 0, len(reqs))
	for _, r := range reqs {
		out = append(out, r)
		m := attached.FindStringSubmatchIndex(r.Note)
		if m == nil {
			continue
		}
		name := r.Note[m[2]:m[3]]
		// The first word is lower case; a capital after it starts another
		// sentence unless an institution or a language is named ("của Ủy
		// ban …", "tiếng Việt").
		for _, loc := range attachedEnd.FindAllStringIndex(name[1:], -1) {
			cut := loc[0] + 1
			before := strings.TrimSpace(lastWords(strings.TrimSpace(name[:cut]), 1))
			if name[cut] != ' ' || !slices.Contains(namesGoOn, before) {
				name = name[:cut]
				break
			}
		}
		name = strings.TrimRight(strings.TrimSpace(name), " ,.")
		f := vntext.Fold(name)
		rest := f
		for _, p := range []string{"ban sao ", "ban chinh ", "ban goc ", "ban chup ", "co chung thuc ", "hop le "} {
			rest = strings.TrimPrefix(rest, p)
		}
		if len(strings.Fields(rest)) < 3 || !(startsWithDocHead(f) || startsWithDocNoun(f)) || strings.Contains(f, "doi chieu") || strings.HasPrefix(rest, "ho so de nghi") ||
			!balanced(name) || utf8.RuneCountInString(name) > 200 {
			continue
		}
		out = append(out, paperOfRow(r, name, ""))
	}
	return out
}

// paperGroupHeading: "Nhóm 1 gồm các văn bản, tài liệu sau", "Nhóm 2 …"
// number groups of papers that are all needed (rule 2), not cases.
func paperGroupHeading(h string) bool {
	f := vntext.Fold(h)
	rest, ok := strings.CutPrefix(f, "nhom ")
	return ok && rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

// listOrContentsTitle: a table title that only opens the list ("Bao gồm",
// "Gồm các giấy tờ sau") or says what a paper must state ("Trong phiếu nêu
// rõ mục đích, nội dung … cần khai thác") is no case: its papers are the
// procedure's own.
func listOrContentsTitle(h string) bool {
	f := strings.TrimRight(strings.TrimSpace(vntext.Fold(strings.Trim(strings.TrimSpace(h), "-*+• \t\n"))), " :.")
	switch f {
	case "bao gom", "gom", "bao gom cac giay to sau", "gom cac giay to sau", "bao gom cac giay to sau day", "gom cac giay to sau day":
		return true
	}
	for _, p := range []string{"trong phieu ", "trong don ", "trong to khai ", "trong van ban ", "trong do "} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// addOnHeading: a heading that adds papers on top of any case (authorising
// someone, sending by post, no electronic identity yet) is a condition, not
// a case.
func addOnHeading(h string) bool {
	f := vntext.Fold(h)
	// "… hồ sơ phải bổ sung:", "… nộp thêm:": papers on top of the others.
	// "Đối với công trình sửa chữa cải tạo, hồ sơ trình thẩm định còn phải
	// có các nội dung:": more papers for such works, on top of the rest
	// (not "b. Trường hợp người thừa kế … còn phải có …", another case).
	if strings.HasPrefix(strings.TrimLeft(f, "-+*• "), "doi voi ") && strings.Contains(f, " ho so ") && strings.Contains(f, " con phai co") {
		return true
	}
	// "… thông qua hình thức trực tiếp hoặc qua đường bưu điện" names both
	// ways of sending, against the online one (1.014344): no post add-on.
	both := strings.Contains(f, "truc tiep hoac qua ")
	for _, w := range []string{"uy quyen", "dich vu buu chinh", "qua buu chinh", "qua duong buu dien", "chua co tai khoan", "xac thuc dien tu", "nop ho so truc tuyen thi", "dang ky tren moi truong dien tu", "phai bo sung", "bo sung them", "nop them",
		// "Trường hợp thực hiện thông qua người đại diện", "… được miễn
		// nghĩa vụ nộp phí": add-ons of the gold set's judgement calls.
		"thong qua nguoi dai dien", "mien nghia vu nop phi", "mien phi", "mien le phi"} {
		if both && (w == "dich vu buu chinh" || w == "qua buu chinh" || w == "qua duong buu dien") {
			continue
		}
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// cleanHeading trims a heading's bullets and list words.
func cleanHeading(h string) string {
	h = strings.TrimSpace(h)
	h = strings.Trim(h, "-*+• \t\n")
	h = strings.TrimRight(h, " :")
	f := vntext.Fold(h)
	for _, e := range []string{", ho so gom", " ho so gom", " ho so bao gom", " bao gom", " gom"} {
		if strings.HasSuffix(f, e) {
			// The words of e, not its leading comma: "…hết hạn, hồ sơ
			// gồm" loses "hồ sơ gồm", never "hạn".
			h = strings.TrimRight(strings.TrimSpace(h[:len(h)-len(lastWords(h, len(strings.Fields(strings.TrimLeft(e, ", ")))))]), " ,:")
			break
		}
	}
	return vntext.CollapseSpace(h)
}

// structure derives the cases, the alternative groups and the uncertain
// parts of parsed requirements (with their keys assigned). Requirements of
// a case get Case; a case exists only when at least two headings that are
// not add-on conditions hold papers.
func structure(reqs []Requirement) ([]Case, []AlternativeGroup, []string) {
	order := caseHeadings(reqs)
	var cases []Case
	if len(order) >= 2 {
		idx := map[string]int{}
		for i, h := range order {
			idx[h] = i
			cases = append(cases, Case{Key: fmt.Sprintf("case-%d", i+1), Name: h, Requirements: []string{}})
		}
		for i := range reqs {
			if j, ok := idx[cleanHeading(reqs[i].heading)]; ok {
				reqs[i].Case = cases[j].Key
				cases[j].Requirements = append(cases[j].Requirements, reqs[i].Key)
			}
		}
	}
	for i := range reqs {
		if len(reqs[i].everyCase) > 0 {
			for j := range cases {
				cases[j].Requirements = append(cases[j].Requirements, reqs[i].Key)
			}
		}
	}
	var groups []AlternativeGroup
	var uncertain []string
	for gi, r := range reqs {
		if len(r.Alternatives) > 0 {
			k := r.groupKind
			if k == "" {
				k = GroupOr
			}
			g := AlternativeGroup{Requirement: r.Key, Kind: k, Options: append([]string{r.Name}, r.Alternatives...)}
			if k == GroupOneOf {
				g.OptionKeys = optionRows(reqs, gi)
			}
			groups = append(groups, g)
		}
		if r.Uncertain != "" {
			uncertain = append(uncertain, r.Key+": "+r.Uncertain)
		}
	}
	return cases, groups, uncertain
}

// caseHeadings returns the distinct case headings of reqs in order (add-on
// conditions excluded).
func caseHeadings(reqs []Requirement) []string {
	var order []string
	seen := map[string]bool{}
	add := func(h string) {
		if listOrContentsTitle(h) {
			return
		}
		h = cleanHeading(h)
		if h == "" || addOnHeading(h) || paperGroupHeading(h) || seen[h] {
			return
		}
		seen[h] = true
		order = append(order, h)
	}
	for _, r := range reqs {
		if len(r.everyCase) > 0 {
			for _, h := range r.everyCase {
				add(h)
			}
			continue
		}
		add(r.heading)
	}
	return order
}

// paperID is what makes two rows the same paper: its folded name, and for
// a one-of group, whose name is only the label of its list ("Một trong các
// bản sao tài liệu sau"), its members too.
func paperID(r Requirement) string {
	return strings.Join(vntext.FoldedTokens(r.Name), " ") + oneOfMembers(r) + orMembers(r)
}

// oneOfMembers is what tells two "one of" groups under the same label
// apart: their members.
func oneOfMembers(r Requirement) string {
	if r.groupKind != GroupOneOf {
		return ""
	}
	return " | " + strings.Join(vntext.FoldedTokens(strings.Join(r.Alternatives, " ")), " ")
}

// orMembers is what tells two "A hoặc B" groups apart whose first option
// is only a bare kind of paper ("Quyết định"): their other options. A
// named first option ("Phiếu lý lịch tư pháp") is the same paper however
// the rows word its stand-ins.
func orMembers(r Requirement) string {
	if r.groupKind == GroupOneOf || len(r.Alternatives) == 0 || len(strings.Fields(paperKey(r.Name))) > 2 {
		return ""
	}
	return " | " + strings.Join(vntext.FoldedTokens(strings.Join(r.Alternatives, " ")), " ")
}

// shareAcrossCases keeps one requirement for a paper that every case lists
// (the application form of each case, say): it applies in every case, so it
// is not conditional, and the cases list it among their papers. A paper
// repeated within one case is kept once.
func shareAcrossCases(reqs []Requirement) []Requirement {
	type at struct{ name, heading string }
	drop := map[int]bool{}
	first := map[at]int{}
	for i, r := range reqs {
		// "Bản sao Giấy tờ X" in a later row is the paper X again (rule 2:
		// the same paper in two rows of one case counts once). A copy
		// handed in and the original shown are two (the dev6 1.005040 call).
		// "Bản sao Quyết định hoặc Biên bản tạm giữ …" and "Bản sao
		// Quyết định hoặc Biên bản tịch thu …" (3.000251) share only
		// their first option: their other options tell them apart.
		k := at{repeatKey(r.Name) + oneOfMembers(r) + orMembers(r) + "|" + r.Kind, cleanHeading(r.heading)}
		if _, ok := first[k]; ok {
			drop[i] = true
			continue
		}
		first[k] = i
	}
	hs := caseHeadings(reqs)
	if len(hs) >= 2 {
		in := map[string]map[string]int{} // name → heading → index
		for i, r := range reqs {
			if drop[i] {
				continue
			}
			// One paper only when every case asks for it on the same
			// condition: not "Biên bản … (trường hợp tai nạn giao thông)"
			// in one case and "(… dẫn đến chết)" in the other.
			n := strings.Join(vntext.FoldedTokens(r.Name), " ") + " | " + ownCondition(r)
			if in[n] == nil {
				in[n] = map[string]int{}
			}
			in[n][cleanHeading(r.heading)] = i
		}
		for _, byH := range in {
			all := true
			for _, h := range hs {
				if _, ok := byH[h]; !ok {
					all = false
					break
				}
			}
			if !all {
				continue
			}
			keep := -1
			for _, h := range hs {
				i := byH[h]
				if keep < 0 || i < keep {
					keep = i
				}
			}
			for _, h := range hs {
				if i := byH[h]; i != keep {
					drop[i] = true
				}
			}
			r := &reqs[keep]
			if r.Condition != nil && (r.group || cleanHeading(*r.Condition) == cleanHeading(r.heading)) {
				r.Condition, r.Optional, r.group = nil, false, false
			}
			r.heading, r.everyCase = "", hs
		}
	}
	// The same paper in two rows that belong to no case (under two add-on
	// headings: "ủy quyền cho tổ chức", "ủy quyền cho đơn vị bưu chính") is
	// one paper, needed on either condition.
	inCase := map[string]bool{}
	if len(hs) >= 2 {
		for _, h := range hs {
			inCase[h] = true
		}
	}
	common := map[string]int{}
	for i, r := range reqs {
		if drop[i] || len(r.everyCase) > 0 || inCase[cleanHeading(r.heading)] {
			continue
		}
		n := repeatKey(r.Name) + oneOfMembers(r) + orMembers(r)
		j, ok := common[n]
		if !ok {
			common[n] = i
			continue
		}
		drop[i] = true
		k := &reqs[j]
		switch {
		case k.Condition == nil:
		case r.Condition == nil && ifAnyBracket.MatchString(r.Name):
			// "Danh sách thuyền viên (nếu có thay đổi) theo mẫu": its
			// condition is in its name, the same as the one kept.
		case r.Condition == nil:
			k.Condition, k.Optional = nil, false
		case cleanHeading(*k.Condition) != cleanHeading(*r.Condition):
			c := *k.Condition + "; " + *r.Condition
			k.Condition = &c
		}
		if len(r.Alternatives) > len(k.Alternatives) {
			k.Alternatives, k.groupKind = r.Alternatives, r.groupKind
		}
	}
	// A paper above the cases that no condition or add-on heading
	// qualifies (1.000199's "1. Đơn đề nghị cấp Giấy phép" above its seven
	// "a)–g) Đối với trường hợp …" lists) is needed in each case, so each
	// case lists it, as the law reads and as a citizen who picks a case
	// must see it.
	if len(hs) >= 2 {
		for i := range reqs {
			if r := &reqs[i]; !drop[i] && len(r.everyCase) == 0 && cleanHeading(r.heading) == "" && r.Condition == nil && !r.Optional {
				r.everyCase = hs
			}
		}
	}
	return withoutDropped(reqs, drop)
}

// titleNotCondition: a table's title that is no case of the procedure and
// states no condition ("1) Thành phần hồ sơ, bao gồm:", "Nộp trực tiếp
// hoặc qua dịch vụ bưu chính công ích", "Giấy tờ xuất trình", "(10) Một
// bản sao của các tài liệu sau") made every paper under it conditional on
// itself, and so optional: never missing from a dossier. Its papers are
// required; the title stays in their note. A title that states when its
// papers are needed ("Trường hợp ủy quyền …", "Đối với …", "Các văn bản
// nộp bổ sung … sau khi chấp thuận", "Miễn nộp … nếu không có sự thay
// đổi") keeps them conditional.
func titleNotCondition(reqs []Requirement) {
	hs := caseHeadings(reqs)
	for i := range reqs {
		r := &reqs[i]
		if !r.group || r.Condition == nil || len(r.everyCase) > 0 || len(hs) >= 2 && slices.Contains(hs, cleanHeading(r.heading)) || statesCondition(*r.Condition) && !listOrContentsTitle(*r.Condition) {
			continue
		}
		r.Note = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(*r.Condition), " :") + ". " + r.Note)
		r.Condition, r.Optional, r.group = nil, false, false
	}
}

// statesCondition: a heading that says when or for whom its papers are
// needed, or that they may be left out.
func statesCondition(h string) bool {
	// "nếu" (if), not "nêu" (state), which folds the same.
	if l := " " + strings.ToLower(vntext.NFC(h)) + " "; strings.Contains(l, " nếu ") {
		return true
	}
	f := " " + vntext.Fold(h) + " "
	for _, w := range []string{" truong hop ", " doi voi ", " khi ", " mien ", " co the ", " tuy ", " nop bo sung ", " bo sung them ", " ho so bo sung ", " ngoai ", " rieng ", " them ", " sau khi ", " trong thoi han ", " ap dung "} {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

// ownCondition is a requirement's condition narrower than its case (folded),
// or "" when it has none or the condition is only its case heading.
func ownCondition(r Requirement) string {
	if r.Condition == nil || r.group || cleanHeading(*r.Condition) == cleanHeading(r.heading) {
		return ""
	}
	// "trong trường hợp X" and "trường hợp X" are one condition.
	f := strings.Join(vntext.FoldedTokens(*r.Condition), " ")
	for _, p := range []string{"trong ", "doi voi ", "truong hop "} {
		f = strings.TrimPrefix(f, p)
	}
	return f
}

var proseMust = regexp.MustCompile(`(?:phải có|phải nộp|phải kèm theo|nộp thêm|nộp kèm|kèm theo|gửi kèm|, phải bổ sung)\s+(.+?)(?:\.\s|;|$)`)

// proseDocs reads the papers a sentence requires: "Trường hợp ủy quyền cho
// cá nhân …, kèm theo hồ sơ phải có văn bản ủy quyền …", each with the case
// its clause opens with (proseCase), if any.
func proseDocs(s string) []piece {
	var out []piece
	for _, loc := range proseMust.FindAllStringSubmatchIndex(s, -1) {
		cond := proseCase(s, loc[0])
		// "Công trình tôn giáo thuộc dự án bảo quản, tu bổ … di tích, phải
		// bổ sung văn bản về sự cần thiết xây dựng …" (1.013225): the
		// subject before ", phải bổ sung" is the case the paper is added on.
		if cond == "" && strings.HasPrefix(s[loc[0]:], ", phải bổ sung") {
			if c := clauseBefore(s, loc[0]); utf8.RuneCountInString(c) <= 200 && balanced(c) {
				cond = c
			}
		}
		// "Các tài liệu này phải có xác nhận của Chuyên gia …" says what
		// the papers before it must carry, not a paper of its own
		// (1.012339).
		if anaphoricSubject.MatchString(vntext.Fold(clauseBefore(s, loc[0]))) {
			continue
		}
		// "… không phải nộp Bản sao Giấy chứng nhận …": an exemption.
		if strings.HasSuffix(strings.ToLower(strings.TrimRight(s[:loc[0]], " ")), "không") {
			continue
		}
		// "… theo Phụ lục 12.6 kèm theo Phụ lục XII ban hành kèm theo Nghị
		// quyết số 17/2026/NQ-CP …" (1.014131): the form and the law it is
		// issued with, no paper asked.
		if strings.Contains(s[loc[0]:loc[2]], "kèm theo") && (strings.Contains(s[:loc[0]], " theo Phụ lục") || strings.Contains(s[:loc[0]], " theo Mẫu") || strings.HasSuffix(strings.TrimRight(s[:loc[0]], " "), "ban hành")) {
			continue
		}
		d := strings.TrimSpace(strings.TrimRight(s[loc[2]:loc[3]], " .,;"))
		// "kèm theo hồ sơ đăng ký phải có bản sao …": the paper follows the
		// last of the words that require it.
		for {
			loc := proseMust.FindStringSubmatchIndex(d)
			if loc == nil || loc[2] <= 0 {
				break
			}
			// "… có số thuế phải nộp hằng năm … thì không phải nộp hồ sơ
			// miễn thuế …" (1.007695): the later words exempt.
			if strings.HasSuffix(strings.ToLower(strings.TrimRight(d[:loc[0]], " ")), "không") {
				d = ""
				break
			}
			// "phải có văn bản bảo lãnh …, kèm theo đơn …": a paper before
			// the later words is asked for too, the one after is attached.
			if head := strings.TrimSpace(strings.TrimRight(d[:loc[0]], " ,")); len(strings.Fields(head)) >= 3 && balanced(head) {
				if fh := vntext.Fold(head); startsWithDocHead(fh) && !strings.HasPrefix(fh, "ho so") {
					out = append(out, piece{name: capitalise(head), cond: cond})
				}
			}
			d = strings.TrimSpace(d[loc[2]:])
		}
		if len(strings.Fields(d)) < 2 || !startsWithDocHead(vntext.Fold(d)) {
			continue
		}
		for _, x := range splitCommaDocs(d, false) {
			out = append(out, piece{name: capitalise(x), cond: cond})
		}
	}
	return out
}

// anaphoricSubject is a clause about the papers named before it ("các
// tài liệu này", "giấy tờ nêu trên"; folded).
var anaphoricSubject = regexp.MustCompile(`^(?:cac |nhung )?(?:tai lieu|giay to|van ban|ban sao|thanh phan ho so|ho so)(?: \S+){0,3} (?:nay|neu tren|tren)\b`)

// clauseBefore is the clause of s that ends at s[at], from its last "; "
// or ". ".
func clauseBefore(s string, at int) string {
	start := 0
	for _, sep := range []string{"; ", ". "} {
		if i := strings.LastIndex(s[:at], sep); i >= 0 && i+len(sep) > start {
			start = i + len(sep)
		}
	}
	return strings.TrimSpace(s[start:at])
}

// proseCase is the case the clause holding s[at] opens with, up to its
// "thì": "Trường hợp chuyển đổi nhà ở trong dự án thì phải có quyết định
// …; trường hợp chuyển đổi nhà ở không được đầu tư xây dựng theo dự án
// thì phải có hồ sơ quản lý …" asks each paper on its own case, which a
// check must not report missing from every dossier.
func proseCase(s string, at int) string {
	clause := clauseBefore(s, at)
	if f := vntext.Fold(clause); !isCaseLead(f) && !strings.HasPrefix(f, "neu ") {
		return ""
	}
	c, _, ok := strings.Cut(clause+" ", " thì ")
	if !ok {
		// "trường hợp bản chính bằng tiếng nước ngoài phải có bản dịch …"
		// (1.010090): no "thì"; the clause up to the verb is the case.
		c, ok = clause, true
	}
	if !ok || utf8.RuneCountInString(c) > 200 || !balanced(c) {
		return ""
	}
	return strings.TrimRight(c, " ,")
}

// proseNotes start (or contain) sentences that explain the procedure
// rather than name a paper (folded).
var (
	proseNoteStarts = []string{"nguoi ", "tru truong hop", "khi ", "ca nhan ", "ngoai cac", "sau khi", "viec ", "yeu cau "}
	// "Hồ sơ đăng ký kiểm tra GMP phải có trang bìa và mục lục, được sắp
	// xếp …" says how the dossier is bound (2.001872).
	proseNoteHas = []string{"co gia tri phap ly tuong duong", "duoc the hien duoi dang van ban dien tu", "chiu trach nhiem truoc phap luat", "phai co trang bia va muc luc"}
)

// anaphoricNote recognises a row that speaks about papers named before it
// rather than naming one: it points back ("Văn bản ủy quyền này không bắt
// buộc phải công chứng", "Các chứng từ quy định tại điểm d, đ nêu trên nếu
// được … gửi dưới dạng điện tử …", "Ngoài số lượng … nói trên, …") and
// states something of them (a modal or a condition). A paper's own name
// does not point back at the list it stands in.
func anaphoricNote(name string) bool {
	name = dropBrackets(name)
	w := strings.Fields(strings.ToLower(name))
	if len(w) < 4 {
		return false
	}
	back := w[0] == "ngoài"
	for i, x := range w {
		x = strings.Trim(x, ",.;:()")
		switch {
		case x == "này" && i <= 6:
			back = true
		case (x == "trên" || x == "trên,") && i > 0 && (w[i-1] == "nêu" || w[i-1] == "nói" || w[i-1] == "kể"):
			back = true
		}
	}
	if !back {
		return false
	}
	f := " " + vntext.Fold(name) + " "
	for _, m := range []string{" khong bat buoc", " khong phai", " khong can", " co the ", " neu duoc ", " thi khong ", " con phai ", " chi can "} {
		if strings.Contains(f, m) {
			return true
		}
	}
	return false
}

func proseNote(f string) bool {
	for _, p := range proseNoteHas {
		if strings.Contains(f, p) {
			return true
		}
	}
	if startsWithDocNoun(f) {
		return false
	}
	for _, p := range proseNoteStarts {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

var countWordText = regexp.MustCompile(`^(?i:một|hai|ba)\s*\(0?\d\)\s+`)

// repeatKey is what makes a later row of a case the same paper again:
// its paperKey, less an "(nếu có …)" bracket and a closing "theo mẫu"
// ("Bản khai chung" then "Bản khai chung theo mẫu", "Danh sách thuyền
// viên (nếu có thay đổi) theo mẫu" in 1.004332's later table).
func repeatKey(name string) string {
	k := paperKey(ifAnyBracket.ReplaceAllString(name, " "))
	for _, t := range []string{" theo mau quy dinh", " theo mau"} {
		if c, ok := strings.CutSuffix(k, t); ok && c != "" {
			return c
		}
	}
	return k
}

var ifAnyBracket = regexp.MustCompile(`\s*\((?i:nếu có)[^()]*\)`)

// paperKey is a paper's name folded, without the copy words before it
// ("Bản sao Giấy tờ chứng minh …" → "giay to chung minh …").
func paperKey(name string) string {
	f := strings.Join(vntext.FoldedTokens(stripCopyPrefix(name)), " ")
	for _, p := range []string{"ban sao co chung thuc ", "ban sao ", "ban chinh ", "ban chup ", "ban goc "} {
		if rest := strings.TrimPrefix(f, p); rest != f && startsWithDocHead(rest) && !strings.HasPrefix(rest, "ban ") {
			return rest
		}
	}
	return f
}

// copyEnds end the words that say in which form a paper is given ("Bản sao
// có chứng thực hoặc bản sao kèm bản chính để đối chiếu …").
var copyEnds = []string{"để đối chiếu ", "từ bản chính ", "có chứng thực ", "từ sổ gốc ", "bản sao điện tử ", "có giá trị pháp lý ", "sao y bản chính ", "được chứng thực theo quy định ", ") "}

// copyFormsRun is a leading run of copy forms joined by "hoặc" ("Bản sao
// hoặc bản sao điện tử hoặc bản chính ", "Bản chính hoặc bản điện tử ",
// "Bản sao có chứng thực hoặc bản sao kèm bản chính để đối chiếu hoặc bản
// sao điện tử được cấp từ sổ gốc: "), nothing else; a typo's "bàn sao" and
// "điện từ" included.
var copyFormsRun = func() *regexp.Regexp {
	unit := `[Bb][ảà]n (?:sao|chính|gốc|chụp|điện t[ửừ])(?:\s+(?:có chứng thực|được chứng thực|chứng thực|điện t[ửừ]|chụp|hợp lệ|hợp pháp|y bản chính|kèm theo bản (?:chính|gốc)|kèm bản (?:chính|gốc)|(?:và |kèm |có )?xuất trình bản (?:chính|gốc)|để đối chiếu|theo quy định|được cấp từ sổ gốc|cấp từ sổ gốc|từ sổ gốc|từ bản (?:chính|gốc)))*`
	return regexp.MustCompile(`^(?:` + unit + `\s+(?:hoặc\s+)+)+` + unit + `(?:\s*:\s*|\s+)`)
}()

// copyHead: a folded text that opens with a copy form ("bản sao", "bản
// chính", "bản điện tử" …), not a paper named "bản …" ("bản kê khai",
// "bản vẽ").
func copyHead(f string) bool {
	w := strings.Fields(f)
	return len(w) >= 2 && w[0] == "ban" && slices.Contains([]string{"sao", "chinh", "chup", "goc", "dien"}, w[1])
}

// copyRunLeftover: what follows a copy-form run is more of its words, not
// the paper ("… của giấy chứng nhận", "… do chính cơ quan đã lập", "…
// (trường hợp nộp trực tiếp)", "… có giá trị pháp lý các giấy tờ sau").
func copyRunLeftover(f string) bool {
	for _, p := range []string{"cua ", "chup ", "kem ", "do ", "de ", "co gia tri", "co xac nhan", "co chung thuc", "co xuat trinh", "duoc ", "va ", "(", "sao y", "tu ", "hoac ", "doi voi ", "hoa ", "theo ", "mot trong", "cac giay to sau", "giay to sau"} {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// copyLabel is a single copy form closed by a colon.
var copyLabel = regexp.MustCompile(`^[Bb]ản (?:chính|sao|gốc|chụp)(?: có chứng thực)?\s*:\s*`)

// stripCopyPrefix drops a leading run of copy forms before the paper's
// name: "Bản sao có chứng thực hoặc bản sao kèm bản chính để đối chiếu Bằng
// tốt nghiệp đại học" → "Bằng tốt nghiệp đại học".
func stripCopyPrefix(s string) string {
	s = countWordText.ReplaceAllString(s, "") // "Một (01) bản sao …"
	// "Bản chính Bản dự thảo chương trình …": the copy word, then the
	// paper's own name, capitalised, that happens to start with "Bản".
	for _, p := range []string{"Bản chính ", "Bản sao có chứng thực ", "Bản sao "} {
		if rest := strings.TrimPrefix(s, p); rest != s && strings.HasPrefix(rest, "Bản ") {
			if w := strings.Fields(vntext.Fold(rest)); len(w) >= 3 && !copyWordsOnly("ban "+w[1]) {
				return rest
			}
		}
	}
	// "Bản sao (có xác nhận của người nhập khẩu) vận đơn …": the copy
	// word, what makes the copy good, then the paper.
	for _, p := range []string{"Bản sao (", "Bản chính (", "Bản sao có chứng thực ("} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			if j := strings.Index(rest, ") "); j > 0 && !strings.Contains(rest[:j], "(") {
				if after := strings.TrimSpace(rest[j+2:]); startsWithDocHead(vntext.Fold(after)) && !copyHead(vntext.Fold(after)) {
					return capitalise(after)
				}
			}
		}
	}
	// "Bản chính: Hợp đồng thuê mua tàu …" (1.002674): one copy form as the
	// row's label.
	if m := copyLabel.FindString(s); m != "" && startsWithDocHead(vntext.Fold(s[len(m):])) {
		return capitalise(s[len(m):])
	}
	f := vntext.Fold(s)
	if !strings.HasPrefix(f, "ban sao") && !strings.HasPrefix(f, "ban chinh") && !strings.HasPrefix(f, "ban goc") && !strings.HasPrefix(f, "01 ban") {
		return s
	}
	// "Bản sao hoặc bản sao điện tử hoặc bản chính Bảng kê …": a run made
	// of copy forms alone, joined by "hoặc", before the paper.
	if m := copyFormsRun.FindString(s); m != "" && len(m) < len(s) {
		rest := vntext.Fold(s[len(m):])
		// After the forms, what follows is the paper, whatever its first
		// word ("… từ sổ gốc thư mời của đối tác", "…: GCNKNCM do cơ quan
		// …", "… từ bản chính chứng nhận đăng ký xe"), unless it is more of
		// the forms' words; "bản vẽ …" is a paper, "bản sao …" a form.
		w := strings.Fields(rest)
		if len(w) >= 2 && !copyHead(rest) && (startsWithDocHead(rest) || !copyRunLeftover(rest)) {
			return capitalise(s[len(m):])
		}
	}
	best := -1
	// The paper's name never starts inside a bracket: "… hoặc bản sao điện
	// tử Giấy chứng tử trong trường hợp … (Việc nộp bản chính hoặc bản sao
	// điện tử Giấy chứng tử chỉ thực hiện …)".
	inBracket := func(p int) bool { return strings.Count(s[:p], "(") > strings.Count(s[:p], ")") }
	for _, e := range copyEnds {
		for off := 0; ; {
			i := strings.Index(s[off:], e)
			if i < 0 {
				break
			}
			p := off + i + len(e)
			off = p
			if p > 400 || inBracket(p) {
				break
			}
			rest := vntext.Fold(s[p:])
			if startsWithDocHead(rest) && !strings.HasPrefix(rest, "ban ") && !strings.HasPrefix(rest, "01 ") && !strings.HasPrefix(rest, "02 ") && p > best {
				best = p
			}
		}
	}
	if best < 0 {
		return s
	}
	return capitalise(s[best:])
}

// leadCaseDoc reports a row that buildRequirement reads as one conditional
// paper ("Trường hợp trẻ em bị bỏ rơi thì phải có biên bản …").
func leadCaseDoc(name string) bool {
	for _, re := range leadCases {
		if m := re.FindStringSubmatch(name); m != nil && len(m[2]) > 8 && balanced(m[2]) && startsWithDocNoun(vntext.Fold(strings.TrimLeft(m[2], "-+01 "))) {
			return true
		}
	}
	return false
}

// namesOption: a row's name that is an option's own words up to its
// closing "theo …" (the legal basis) is that option with the basis cut
// ("Giấy chứng nhận quyền sử dụng đất, … được cấp" and the option "… được
// cấp theo quy định của pháp luật về đất đai qua các thời kỳ").
func namesOption(row, opt []string) bool {
	return len(row) >= 6 && len(row) < len(opt) && opt[len(row)] == "theo" && slices.Equal(row, opt[:len(row)])
}

// optionRows finds the requirements that repeat an option of the one-of
// group reqs[gi] as a row of their own. Such a row is one way to meet the
// group, never required by itself: a row made unconditional because every
// case lists it becomes conditional on the group again.
func optionRows(reqs []Requirement, gi int) []string {
	g := reqs[gi]
	var opts [][]string
	for _, a := range g.Alternatives {
		opts = append(opts, vntext.FoldedTokens(a))
	}
	var keys []string
	for i := range reqs {
		if i == gi || len(reqs[i].Alternatives) > 0 {
			continue
		}
		if reqs[i].Case != "" && g.Case != "" && reqs[i].Case != g.Case {
			continue
		}
		rt := vntext.FoldedTokens(reqs[i].Name)
		for _, o := range opts {
			if NameSimilarity(rt, o) >= 0.8 || namesOption(rt, o) {
				keys = append(keys, reqs[i].Key)
				if len(reqs[i].everyCase) > 0 && reqs[i].Condition == nil {
					c := g.Name
					reqs[i].Condition, reqs[i].Optional = &c, true
				}
				break
			}
		}
	}
	return keys
}

// copyWordsOnly: "bản sao", "bản chính" — a form of a paper, not a paper.
func copyWordsOnly(f string) bool {
	switch strings.TrimSpace(f) {
	case "ban sao", "ban chinh", "ban chup", "ban sao co chung thuc", "ban goc":
		return true
	}
	return false
}

// citationStarts start the part of a paper's name that only says where the
// law defines it ("… theo Mẫu số 04 quy định tại Phụ lục của Nghị định số
// 40/2016/NĐ-CP ngày …", "… tại Phụ lục kèm theo Nghị định …"). Rule 6 of
// the gold set and the official's reading agree: the paper is named by its
// own phrase and its form code; the citation goes to the note.
var citationStarts = []string{
	" ban hành tại ", " ban hành kèm ", " được ban hành kèm ",
	" tại Phụ lục", " tại phụ lục", " kèm theo Nghị định", " kèm theo Thông tư", " kèm theo Quyết định",
	" là tài liệu phải có ",
	// "Chứng minh thư … đối với đối tượng quy định tại điểm a, điểm b
	// khoản 1 Điều 5 …": to whom the paper applies, by citation only.
	" đối với đối tượng quy định tại ", " đối với các đối tượng quy định tại ",
	" đối với trường hợp quy định tại ", " đối với các trường hợp quy định tại ",
}

// formCitationStarts cite where a form is published only after a form
// ("theo Mẫu số 04 quy định tại …") or when they name an annex ("… quy
// định tại Phụ lục …"); elsewhere they complete the name ("Giấy tờ chứng
// minh đủ điều kiện quy định tại khoản 3, 4 Điều 17 …" says which
// conditions) and stay.
var formCitationStarts = []string{" quy định tại ", " được quy định tại ", " theo quy định tại ", " Phụ lục ", " Nghị định số ", " Thông tư số ", ", quy định tại "}

func formCitation(head, tail string) bool {
	if strings.HasPrefix(vntext.Fold(strings.TrimSpace(tail)), "phu luc") {
		return true
	}
	w := strings.Fields(vntext.Fold(head))
	if len(w) > 4 {
		w = w[len(w)-4:]
	}
	for _, x := range w {
		if x == "mau" {
			return true
		}
	}
	return false
}

// lawTail ends a name with the branches of law it follows ("… theo quy
// định của pháp luật về đầu tư, pháp luật về đấu giá, …", "… theo quy
// định của pháp luật"): no part of the paper's name (rule 6). A "về việc
// …" after it says what the paper is about, and stays.
var lawTail = regexp.MustCompile(`,?\s+theo (?:đúng )?quy định của pháp luật(?:\s+hiện hành)?(?:,?\s+(?:pháp luật\s+)?về\s+[^,;()]{1,40})*$`)

// copiesTail closes a name with its copies: ", bao gồm 01 bản đầy đủ và 01
// bản …", ", gồm 02 bản …".
// ", bao gồm 01 bản …", ", gồm 02 bản …", and after a colon the form a
// paper is given in ("…: bản sao có chứng thực, trường hợp …").
var copiesTail = regexp.MustCompile(`(?:,\s*(?:bao gồm|gồm)\s+0?\d+\s+bản\b|:\s*(?:0?\d+\s+)?[Bb]ản (?:sao|chính|chụp)\b).*$`)

// citationBracket: a bracket that holds only a quantity ("(01 bản chính)")
// or a copy form ("Văn bản đề nghị (bản chính) chấp thuận …"),
// a legal reference ("(Điều 34 Nghị định số 99/2022/NĐ-CP)", "(khoản 2
// Điều 39 …)") or an amendment note ("(được sửa đổi, bổ sung tại …)").
var citationBracket = regexp.MustCompile(`^\(\s*(?:0?\d+\s+bản\s+(?:chính|sao|chụp)[^()]*|[Bb]ản (?:chính|sao|chụp|gốc)\s*|(?:[Đđ]iều|[Kk]hoản|[Đđ]iểm)\s+[0-9a-zđ]+[^()]*|[Đđ]ược sửa đổi[^()]*|[Qq]uy định tại[^()]*|[Tt]heo quy định tại[^()]*)\)`)

// annexName is the annex that names a form: "tại Phụ lục 1 thuộc Phụ lục
// IV", "tại Phụ lục XIII", "quy định tại Phụ lục số II" (1.009796).
var annexName = regexp.MustCompile(`^\s*(?:(?:được\s+)?quy định\s+)?(?:tại\s+)?[Pp]hụ lục\s+(?:số\s+)?[0-9IVXL]+[a-zđ]?(?:\s+thuộc\s+[Pp]hụ lục\s+(?:số\s+)?[0-9IVXL]+[a-zđ]?)?\b`)

// basisTail is a name's closing legal basis and nothing else: "theo quy
// định tại Điều 19 Luật Chứng khoán", "theo quy định tại khoản 5 Điều 20
// Thông tư số 62/2024/TT-NHNN". It goes even after a short name ("Bản cáo
// bạch"), which it does not complete.
var basisTail = regexp.MustCompile(`^\s*,?\s*theo quy định tại (?:(?:điểm|khoản|Điều|điều|mục|Mục)\s+[0-9a-zđ]+[,.]?\s+)+(?:(?:của|thuộc)\s+)?(?:Luật|Bộ luật|Nghị định|Thông tư|Quyết định|Nghị quyết)\b[^,;:()]{0,80}$`).MatchString

// genericHead is a head that names no paper of its own ("Các giấy tờ",
// "Tài liệu", "Hồ sơ đăng ký hành nghề …"): its citation says which
// papers, and stays.
func genericHead(f string) bool {
	if strings.HasPrefix(f, "ho so ") {
		return true
	}
	switch strings.TrimPrefix(strings.TrimPrefix(f, "cac "), "nhung ") {
	case "giay to", "tai lieu", "van ban", "ho so", "chung tu", "giay to khac", "tai lieu khac":
		return true
	}
	return false
}

// trimCitation cuts a paper's name before its legal citation and drops
// brackets that hold only a quantity or a legal reference; what it cuts is
// returned for the note.
func trimCitation(name string) (string, string) {
	var cut []string
	// Brackets first, at any place in the name.
	for off := 0; off < len(name); {
		i := strings.IndexByte(name[off:], '(')
		if i < 0 {
			break
		}
		i += off
		if m := citationBracket.FindString(name[i:]); m != "" && i > 0 {
			cut = append(cut, m)
			head, tail := strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+len(m):])
			// "Tài liệu … (bản sao): …": punctuation after the bracket
			// closes the name before it, with no space.
			if tail != "" && strings.ContainsRune(":;,.", rune(tail[0])) {
				name = head + tail
			} else {
				name = strings.TrimSpace(head + " " + tail)
			}
			off = i
			continue
		}
		off = i + 1
	}
	best := -1
	for _, t := range append(append([]string{}, citationStarts...), formCitationStarts...) {
		form := false
		for _, f := range formCitationStarts {
			form = form || f == t
		}
		for off := 0; ; {
			i := strings.Index(name[off:], t)
			if i < 0 {
				break
			}
			i += off
			// Only outside brackets.
			if strings.Count(name[:i], "(") == strings.Count(name[:i], ")") && (!form || formCitation(name[:i], name[i+len(t):]) || basisTail(name[i:])) {
				if best < 0 || i < best {
					best = i
				}
				break
			}
			off = i + len(t)
		}
	}
	if best > 0 {
		// "Đơn đề nghị theo mẫu tại Phụ lục 1 thuộc Phụ lục IV ban hành
		// kèm theo …": a form without a code of its own is named by its
		// annex, which stays with the name (rule 6); the citation after it
		// goes.
		if hw := strings.Fields(vntext.Fold(name[:best])); len(hw) > 0 && hw[len(hw)-1] == "mau" {
			if m := annexName.FindString(name[best:]); m != "" {
				best += len(m)
			}
		}
		head := strings.TrimRight(strings.TrimSpace(name[:best]), " ,;")
		// "Các giấy tờ theo quy định tại khoản 2 Điều 24 …": a generic
		// head is named by its citation, which stays.
		// The head must name a paper: a sentence ("Trường hợp …: ngoài
		// thành phần hồ sơ quy định tại điểm a, phải có …") is not cut.
		hf := vntext.Fold(head)
		if (len(strings.Fields(head)) >= 4 || basisTail(name[best:])) && (startsWithDocNoun(hf) || startsWithDocHead(hf)) && !genericHead(hf) {
			cut = append(cut, strings.TrimSpace(name[best:]))
			name = head
		}
	}
	if len(cut) > 0 {
		// "… theo mẫu số 01 của Phụ lục I …" cut before "Phụ lục" leaves a
		// dangling "của".
		for {
			w := strings.Fields(name)
			if len(w) < 4 {
				break
			}
			switch vntext.Fold(w[len(w)-1]) {
			case "cua", "tai", "theo", "kem", "va", "ban", "hanh":
				name = strings.TrimSpace(name[:strings.LastIndex(name, " ")])
				continue
			}
			break
		}
	}
	return strings.TrimRight(name, " ,;:"), strings.Join(cut, " ")
}

// citedDocDate finds the number of a cited legal document followed by its
// date ("Thông tư số 274/2016/TT-BTC ngày 14/11/2016 của Bộ trưởng …",
// "Nghị định 91/2018/NĐ-CP ngày 26/6/2018, đồng thời bổ sung"); group 1 is
// the citation up to the number.
var citedDocDate = regexp.MustCompile(`((?i:nghị quyết|nghị định|thông tư(?: liên tịch)?|luật|quyết định|pháp lệnh)(?:\s+số)?\s*\d+/\d{4}/[\p{L}\d-]*\p{L}[\p{L}\d-]*)(?:\s*,)?\s+(?:ngày|ban hành ngày)\s+\d`)

// cutDocDate keeps a name's citation up to the cited document's number
// and cuts what follows it — the document's date, issuer and title,
// "được sửa đổi, bổ sung tại …", a clause glued after it — for the note:
// "Chứng từ nộp phí … theo quy định tại Thông tư số 274/2016/TT-BTC ngày
// 14/11/2016 của Bộ trưởng Bộ Tài chính quy định mức thu, …" is named up to
// "274/2016/TT-BTC" (rule 6: no long legal citations). A citation inside a
// bracket closes the bracket.
func cutDocDate(name string) (string, string) {
	loc := citedDocDate.FindStringSubmatchIndex(name)
	if loc == nil {
		return name, ""
	}
	head := strings.TrimRight(strings.TrimSpace(name[:loc[3]]), " ,;")
	tail := strings.TrimLeft(strings.TrimSpace(name[loc[3]:]), ", ")
	if len(strings.Fields(name[:loc[2]])) < 3 {
		return name, ""
	}
	// "… Thông tư 115/2014/TT-BTC ngày 20/8/2014 và Báo cáo doanh thu …":
	// a paper joined after the date is no part of the citation; it stays.
	for _, p := range splitTop(tail, " và ")[1:] {
		if f := vntext.Fold(strings.TrimSpace(p)); startsWithDocHead(f) || startsWithDocNoun(f) {
			return name, ""
		}
	}
	if d := strings.Count(head, "(") - strings.Count(head, ")"); d > 0 {
		head += strings.Repeat(")", d)
		if i := strings.LastIndex(tail, ")"); i >= 0 {
			tail = strings.TrimSpace(tail[:i] + tail[i+1:])
		}
	}
	return head, tail
}

// cutCitations trims the legal citations off a requirement's name and its
// alternatives; the name's citation goes to the note.
func cutCitations(r *Requirement) {
	if n, tail := trimCitation(r.Name); tail != "" && n != "" {
		r.Name = n
		r.Note = strings.TrimSpace(tail + " " + r.Note)
	}
	// "Văn bản tư vấn pháp luật, bao gồm 01 bản đầy đủ và 01 bản đã loại
	// bỏ …": how many copies, in what form, is no part of the name (rule 6).
	if loc := copiesTail.FindStringIndex(r.Name); loc != nil && len(strings.Fields(r.Name[:loc[0]])) >= 3 && balanced(r.Name[:loc[0]]) {
		r.Note = strings.TrimSpace(strings.TrimSpace(strings.TrimLeft(r.Name[loc[0]:], ", ")) + " " + r.Note)
		r.Name = strings.TrimRight(r.Name[:loc[0]], " ,")
	}
	if loc := lawTail.FindStringIndex(r.Name); loc != nil && len(strings.Fields(r.Name[:loc[0]])) >= 4 && balanced(r.Name[:loc[0]]) && !strings.Contains(r.Name[loc[0]:], "về việc") {
		r.Note = strings.TrimSpace(strings.TrimSpace(r.Name[loc[0]:]) + " " + r.Note)
		r.Name = strings.TrimRight(r.Name[:loc[0]], " ,")
	}
	if n, tail := cutDocDate(r.Name); tail != "" {
		r.Name = n
		r.Note = strings.TrimSpace(tail + " " + r.Note)
	}
	for i, a := range r.Alternatives {
		if n, _ := trimCitation(a); n != "" {
			r.Alternatives[i] = n
		}
		r.Alternatives[i] = cutLawRef(r.Alternatives[i])
		if r.typed {
			continue // the bracket tells the members apart
		}
		if h, _, ok := longBracket(r.Alternatives[i]); ok {
			r.Alternatives[i] = h
		}
	}
	if n, in, ok := midBracket(r.Name); ok {
		r.Name = n
		r.Note = strings.TrimSpace("(" + in + ") " + r.Note)
	}
	// A long closing bracket explains the paper or says when it is needed
	// ("Sản phẩm quảng cáo (nội dung, hình thức quảng cáo được thể hiện bằng
	// hình ảnh, âm thanh …)", "Văn bản chứng minh thuộc đối tượng di dời (đối
	// với nội dung hỗ trợ chi phí mua sắm …)"): the paper is named before it;
	// a "đối với …/áp dụng …" bracket is its condition, another one a note.
	head, in, ok := longBracket(r.Name)
	if !ok || r.typed {
		return
	}
	r.Name = head
	fi := vntext.Fold(in)
	if r.Condition == nil && (isCaseLead(fi) || strings.HasPrefix(fi, "ap dung") || strings.HasPrefix(fi, "neu ")) {
		r.Condition, r.Optional = &in, true
		return
	}
	r.Note = strings.TrimSpace("(" + in + ") " + r.Note)
}

// cutLawRef cuts an option's closing reference to the law in general
// ("Văn bản về chủ trương đầu tư … theo quy định pháp luật về đầu tư, pháp
// luật về đầu tư công"): it names no paper of its own and only lengthens
// the option (rule 6).
//
// Not when more than laws follows ("… theo quy định của pháp luật về di
// sản văn hoá của Uỷ ban nhân dân cấp tỉnh đối với trường hợp …" names the
// issuer and the case), nor after a catch-all ("Các giấy tờ hợp pháp khác
// theo quy định của pháp luật về đất đai", which the law names).
func cutLawRef(s string) string {
	for _, t := range []string{" theo quy định pháp luật", " theo quy định của pháp luật", " theo quy định của luật"} {
		i := strings.Index(s, t)
		if i <= 0 || !balanced(s[:i]) || len(strings.Fields(s[:i])) < 3 {
			continue
		}
		rest := s[i+len(t):]
		head := strings.TrimRight(strings.TrimSpace(s[:i]), " ,;")
		if strings.HasSuffix(vntext.Fold(head), " khac") {
			return s
		}
		for _, w := range []string{" của ", " đối với ", "trường hợp", " nếu ", " để ", " khi ", " qua ", " tại ", "(", ";"} {
			if strings.Contains(rest, w) {
				return s
			}
		}
		return head
	}
	return s
}

// longBracket splits "name (a bracket of six words or more)" at its last
// top-level bracket when the bracket closes the name, names no form, and
// the head is a name of two words or more, not a case sentence.
func longBracket(name string) (head, in string, ok bool) {
	t := strings.TrimSpace(name)
	i, ok := closingBracket(t)
	if !ok {
		return "", "", false
	}
	head = strings.TrimRight(strings.TrimSpace(t[:i]), " ,")
	in = strings.TrimSpace(t[i+1 : len(t)-1])
	fi, fh := vntext.Fold(in), vntext.Fold(head)
	if len(strings.Fields(in)) < 6 || namesForm(fi) || len(strings.Fields(head)) < 2 ||
		isCaseLead(fh) || strings.HasPrefix(fh, "neu ") || !balanced(head) {
		return "", "", false
	}
	return head, in, true
}

// midBracket drops a long bracket between a paper's name and its form
// code ("Tờ khai khấu trừ thuế thu nhập cá nhân (Áp dụng cho doanh nghiệp
// xổ số, bảo hiểm …) mẫu số 01/XSBHĐC"): the name and the form are the
// paper's, the bracket says to whom it applies.
func midBracket(name string) (string, string, bool) {
	depth, open := 0, -1
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '(':
			if depth == 0 {
				open = i
			}
			depth++
		case ')':
			if depth == 0 {
				continue
			}
			if depth--; depth > 0 || open < 0 {
				continue
			}
			head := strings.TrimSpace(name[:open])
			in := strings.TrimSpace(name[open+1 : i])
			after := strings.TrimSpace(name[i+1:])
			fa := vntext.Fold(after)
			if len(strings.Fields(in)) >= 6 && !namesForm(vntext.Fold(in)) && len(strings.Fields(head)) >= 2 && balanced(head) &&
				(strings.HasPrefix(fa, "mau ") || strings.HasPrefix(fa, "theo mau")) {
				return head + " " + after, in, true
			}
		}
	}
	return "", "", false
}

// closingBracket returns where the top-level bracket that ends t opens: t
// ends with ")" and i is the byte index of its matching "(".
func closingBracket(t string) (i int, ok bool) {
	if !strings.HasSuffix(t, ")") {
		return 0, false
	}
	depth := 0
	for i := len(t) - 1; i >= 0; i-- {
		switch t[i] {
		case ')':
			depth++
		case '(':
			if depth--; depth == 0 {
				return i, true
			}
		}
	}
	return 0, false
}

// namesForm reports whether folded text names a form ("mẫu số 02", "theo
// mẫu", "Mẫu TK01"), not "màu sắc".
func namesForm(f string) bool {
	w := strings.Fields(f)
	for i, x := range w {
		if x != "mau" {
			continue
		}
		if i > 0 && w[i-1] == "theo" {
			return true
		}
		if i+1 < len(w) && (w[i+1] == "so" || strings.ContainsAny(w[i+1], "0123456789")) {
			return true
		}
	}
	return false
}

// caseAdds is a case sentence that adds a paper: "Trường hợp … thì cơ sở
// kinh doanh phải bổ sung tài liệu …".
var caseAdds = regexp.MustCompile(`^((?:Trong trường hợp|Trường hợp|Nếu) .+?)\s+thì\s+[^,;:]{0,60}?phải (?:bổ sung|có thêm|nộp thêm|nộp bổ sung)\s+(.+)$`)

// thenDoc finds the paper a fallback sentence asks for: "Trường hợp TNXP
// không còn một trong các giấy tờ thì phải nộp bản khai có chứng thực …".
var thenDoc = regexp.MustCompile(`\s+thì\s+(?:phải\s+|cần\s+)?(?:(?:nộp|có|xuất trình|cung cấp)\s+)?(.+)$`)

// oneOfOptions reads the members of a "one of the following" list as
// papers: "A hoặc B" offers two ("Lý lịch cán bộ hoặc lý lịch đảng viên"),
// an item that introduces examples ("Giấy tờ do cơ quan có thẩm quyền cấp …
// như: Giấy chứng nhận …") offers the example, and a fallback sentence
// ("Trường hợp … không còn … thì phải nộp bản khai …") the paper it names.
func oneOfOptions(items []string) []string {
	var out []string
	var flat []string
	for _, it := range items {
		// "mã số cơ sở nuôi, mã số cơ sở trồng, giấy chứng nhận cơ sở bảo
		// tồn …": a later part that names a paper of its own is a member.
		ps := splitTop(it, ", ")
		// "thẻ tạm trú, thẻ thường trú, chứng minh thư ngoại giao, chứng
		// minh thư công vụ": three or more short papers are each a member.
		short := len(ps) >= 3 && !slices.ContainsFunc(ps, func(p string) bool {
			return len(strings.Fields(dropBrackets(p))) > 6 || !startsWithDocNoun(vntext.Fold(strings.TrimSpace(dropBrackets(p))))
		})
		for i, p := range ps {
			// ("Các văn bản, tài liệu khác do cơ quan … cấp": nouns of one
			// name after a bare paper noun.)
			if f := vntext.Fold(strings.TrimSpace(p)); i > 0 && !short && (len(strings.Fields(p)) < 4 || !startsWithDocHead(f) || !alternativeDoc(p) || endsWithBareDoc(vntext.Fold(flat[len(flat)-1]))) {
				flat[len(flat)-1] += ", " + p
				continue
			}
			flat = append(flat, capitalise(p))
		}
	}
	for _, it := range flat {
		if intro, list, ok := strings.Cut(it, ": "); ok && balanced(intro) {
			fi := strings.TrimRight(vntext.Fold(intro), " ")
			if (strings.HasSuffix(fi, " nhu") || strings.HasSuffix(fi, " gom") || strings.HasSuffix(fi, " sau")) && startsWithDocNoun(vntext.Fold(list)) {
				it = capitalise(list)
			}
		}
		if f := vntext.Fold(it); !startsWithDocNoun(f) && !startsWithDocHead(f) {
			if m := thenDoc.FindStringSubmatch(it); m != nil && startsWithDocNoun(vntext.Fold(m[1])) {
				it = capitalise(m[1])
			} else if (isCaseLead(f) || strings.HasPrefix(f, "neu ")) && (strings.Contains(f, "khong phai") || strings.Contains(f, "khong can")) {
				// "Trường hợp …, không phải có hồ sơ …": an exemption
				// closing the list, not a member.
				continue
			}
		}
		parts := orParts(it)
		if len(parts) > 1 && startsWithDocNoun(vntext.Fold(parts[0])) {
			for _, p := range parts {
				out = append(out, capitalise(strings.TrimSpace(p)))
			}
			continue
		}
		out = append(out, it)
	}
	return out
}

// caseOf is the condition of a case sentence that goes on to ask for
// papers: "Trường hợp phương tiện không thuộc … phải xuất trình thêm …" →
// "Trường hợp phương tiện không thuộc …".
func caseOf(s string) string {
	cond := strings.TrimSpace(s)
	for _, cut := range []string{" phải ", " thì ", " cần ", ", "} {
		if c := strings.Index(cond, cut); c > 0 {
			cond = cond[:c]
			break
		}
	}
	return strings.TrimRight(strings.TrimSpace(cond), " ,")
}

// oneOfPapers reports whether a "một trong …" intro offers papers ("một
// trong các giấy tờ sau", "một trong các bản sao tài liệu sau") rather than
// asking one paper to prove one of several facts ("Bản sao tài liệu chứng
// minh tham gia một trong các công việc: biên soạn …; giảng dạy; …").
func oneOfPapers(fi string) bool {
	k := strings.Index(fi, "mot trong ")
	if k < 0 {
		return false
	}
	rest := fi[k+len("mot trong "):]
	for _, p := range []string{"cac ", "nhung ", "so ", "loai ", "cac loai "} {
		rest = strings.TrimPrefix(rest, p)
	}
	return startsWithDocNoun(rest) || startsWithDocHead(rest) || strings.HasPrefix(rest, "giay to") || strings.HasPrefix(rest, "tai lieu")
}

// copyFormsOnly: an intro that only says in which copy forms the papers
// after it are given ("Bản gốc hoặc bản sao có chứng thực hoặc bản sao điện
// tử được chứng thực từ bản chính: Giấy chứng nhận sức khỏe …; Hộ chiếu; …").
func copyFormsOnly(intro string) bool {
	f := vntext.Fold(intro)
	if !strings.HasPrefix(f, "ban goc") && !strings.HasPrefix(f, "ban sao") && !strings.HasPrefix(f, "ban chinh") {
		return false
	}
	intro = strings.TrimSpace(intro)
	// "… bản sao điện tử có giá trị pháp lý giấy tờ: A, B": the copy forms,
	// then the bare word for the papers the colon lists.
	for _, w := range []string{" các giấy tờ sau", " các giấy tờ", " giấy tờ sau", " giấy tờ"} {
		if t := strings.TrimSuffix(intro, w); t != intro && len(t) > 0 {
			intro = t
			break
		}
	}
	return stripCopyPrefix(intro+" Giấy tờ") == "Giấy tờ"
}

// lowerFirst lowers a name's first letter for use inside a sentence,
// unless its first word is an acronym ("CV", "ĐKX").
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// translationClause finds where the text asks for papers in a foreign
// language to come with a translation: "… phải được dịch ra tiếng Việt và
// được công chứng, chứng thực", "… nộp kèm bản dịch ra tiếng Việt", "Tài
// liệu được lập bằng tiếng nước ngoài phải được gửi kèm bản dịch chứng
// thực".
var translationClause = regexp.MustCompile(`(?i)bản dịch|được dịch (?:ra|sang) tiếng (?:Việt|Anh)|dịch (?:ra|sang) tiếng (?:Việt|Anh)`)

// translationCase is the case a translation clause states before its
// "thì": "(đối với cảng liên doanh … thì … phải được dịch sang tiếng Anh)".
var translationCase = regexp.MustCompile(`(?i)((?:đối với|trường hợp|nếu) [^();]+?),? thì [^();]*dịch `)

// ownerEnds end the noun phrase of the paper a translation is of.
var ownerEnds = regexp.MustCompile(` (?:có|theo|do|đã|được|của|kèm|và|tại|trong|để|đối với|nếu|phải) |[,;(]`)

// translationEnds end the translation's own name in the clause.
var translationEnds = regexp.MustCompile(`[;.()]| và chịu | theo quy định| đối với | trong trường hợp | nếu | gửi kèm| kèm theo|\d+ bản `)

// translationPaper adds the translation a procedure's text asks for as a
// requirement of its own, once (the gold set's reading since dev6: the
// translation is a paper the dossier must hold, conditional when the text
// makes it so). Not when a requirement already names one.
func translationPaper(reqs []Requirement, text string) []Requirement {
	if len(reqs) == 0 {
		return reqs
	}
	for _, r := range reqs {
		for _, n := range append([]string{r.Name}, r.Alternatives...) {
			if f := vntext.Fold(n); strings.Contains(strings.ReplaceAll(f, "ban dich vu", ""), "ban dich") {
				return reqs
			}
		}
	}
	// The first clause, or the first that names the translation ("… được
	// dịch ra tiếng Việt và bản dịch tiếng Việt phải được chứng thực chữ ký
	// người dịch"); not "văn bản dịch vụ …".
	var loc []int
	names := func(l []int) bool { return hasPrefixFold(vntext.Fold(text[l[0]:l[1]]), "ban dich") }
	for _, l := range translationClause.FindAllStringIndex(text, -1) {
		if strings.HasPrefix(text[l[1]:], " vụ") {
			continue
		}
		if loc == nil || !names(loc) && names(l) {
			loc = l
		}
	}
	if loc == nil {
		return reqs
	}
	// The sentence that holds it, for its condition and as the raw text.
	from := max(strings.LastIndexAny(text[:loc[0]], ".;\n"), 0)
	to := len(text)
	if i := strings.IndexAny(text[loc[1]:], ".;\n"); i >= 0 {
		to = loc[1] + i
	}
	sentence := strings.TrimSpace(strings.TrimLeft(text[from:to], ".;"))
	var name string
	if f := strings.ToLower(text[loc[0]:loc[1]]); strings.HasPrefix(f, "bản dịch") {
		name = text[loc[0]:]
		if i := translationEnds.FindStringIndex(name[len("bản dịch"):]); i != nil {
			name = name[:len("bản dịch")+i[0]]
		}
	} else {
		// "được dịch sang tiếng Anh": the clause's own words.
		_, lang, _ := strings.Cut(text[loc[0]:loc[1]], "dịch ")
		name = "Bản dịch " + lang
		if after := vntext.Fold(text[loc[1]:min(len(text), loc[1]+60)]); strings.Contains(after, "cong chung") || strings.Contains(after, "chung thuc") {
			name += " được công chứng, chứng thực"
		}
	}
	// "bản dịch tiếng Việt phải được chứng thực chữ ký người dịch": what
	// the translation is, not an instruction.
	name = strings.Replace(strings.TrimRight(vntext.CollapseSpace(name), " ,:"), " phải được ", " được ", 1)
	// In a paper's own row ("Bản sao Hợp đồng mua bán hàng hóa (… nếu là
	// ngôn ngữ khác thì … phải nộp kèm bản dịch ra tiếng Việt …)"), the
	// translation is of that paper.
	start := max(loc[0]-40, 0)
	for start > 0 && !utf8.RuneStart(text[start]) {
		start--
	}
	probe := vntext.CollapseSpace(text[start:loc[1]])
	for _, q := range reqs {
		if q.Raw == "" || !strings.Contains(q.Raw, probe) || strings.Contains(vntext.Fold(name), " cua ") {
			continue
		}
		owner := stripCopyPrefix(q.Name)
		// "Bản sao Hợp đồng …": the translation is of the contract.
		for _, p := range []string{"Bản sao có chứng thực ", "Bản sao ", "Bản chính ", "Bản chụp "} {
			if rest, ok := strings.CutPrefix(owner, p); ok && rest != "" && unicode.IsUpper([]rune(rest)[0]) {
				owner = rest
				break
			}
		}
		// "Bản Kế hoạch an ninh cảng biển có xác nhận của …": the paper's
		// own noun phrase, without the "bản" before it or what follows.
		if rest, ok := strings.CutPrefix(owner, "Bản "); ok && rest != "" && unicode.IsUpper([]rune(rest)[0]) {
			owner = rest
		}
		if loc := ownerEnds.FindStringIndex(owner); loc != nil && loc[0] > 0 {
			owner = owner[:loc[0]]
		}
		if w := strings.Fields(owner); len(w) >= 2 && len(w) <= 10 && !isCaseLead(vntext.Fold(owner)) && !copyWordsOnly(vntext.Fold(owner)) {
			name += " của " + lowerFirst(owner)
		}
		break
	}
	name = capitalise(name)
	if len(strings.Fields(name)) < 2 || utf8.RuneCountInString(name) > 120 {
		return reqs
	}
	r := Requirement{
		Name: name, Kind: KindSubmit, Copies: 1, Alternatives: []string{},
		Method: MethodRule, Confidence: 0.8, Raw: vntext.CollapseSpace(sentence),
	}
	// "(đối với cảng liên doanh với nước ngoài … thì Kế hoạch … phải được
	// dịch sang tiếng Anh)": the case the sentence states.
	if m := translationCase.FindStringSubmatch(sentence); m != nil && utf8.RuneCountInString(m[1]) <= 160 {
		c := strings.TrimSpace(m[1])
		r.Condition, r.Optional = &c, true
	} else {
		// A translation is asked only of papers not in the language: never
		// missing from a dossier whose papers need none.
		c := "nếu giấy tờ bằng tiếng nước ngoài"
		r.Condition, r.Optional = &c, true
	}
	return append(reqs, r)
}

// capitalised: s starts with an upper-case letter.
func capitalised(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
	return unicode.IsUpper(r)
}
