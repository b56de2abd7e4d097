// Package fields extracts the values officials check from the text of common
// dossier documents: names (with whose name it is), dates of birth, personal
// ID numbers, addresses, and issue and expiry dates. Each value records its
// page and byte span in that page's text, so the console can highlight it.
//
// Extraction is rule-based: per document type, a table of labels ("Họ, chữ
// đệm, tên người mẹ", "Số / No.", "Sinh ngày"…) matched accent-insensitively
// on a folded copy of the page whose offsets map back to the original bytes.
// The value is what follows the label on the same line (after the dotted
// fill-in leader of the templates) or, on identity cards whose label and
// value sit on separate lines, the next line.
package fields

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Field names.
const (
	FullName            = "full_name"
	DateOfBirth         = "date_of_birth"
	YearOfBirth         = "year_of_birth"
	IDNumber            = "id_number"
	Address             = "address"
	IssueDate           = "issue_date"
	ExpiryDate          = "expiry_date"
	BusinessName        = "business_name"
	ConstructionAddress = "construction_address"
)

type kind int

const (
	kName kind = iota
	kDate
	kYear
	kID
	kText
	kContext // a section heading that only sets whose fields follow
)

// label is one rule: a folded regular expression for the label, the field it
// introduces and whose it is ("" = the current subject).
type label struct {
	re        *regexp.Regexp
	field     string
	kind      kind
	subject   string
	setsCtx   bool // a name label also makes its subject the current one
	nextLine  bool // the value may sit on the next line (identity cards)
	lineStart bool // only at the start of a line
}

func l(pattern, field string, k kind, subject string, opts ...string) label {
	lb := label{re: regexp.MustCompile(ocrTolerant(pattern)), field: field, kind: k, subject: subject}
	for _, o := range opts {
		switch o {
		case "ctx":
			lb.setsCtx = true
		case "next":
			lb.nextLine = true
		case "start":
			lb.lineStart = true
		}
	}
	if k == kContext {
		lb.setsCtx = true
	}
	return lb
}

// ocrTolerant rewrites a folded label pattern so that it also matches the
// glyph confusions of OCR: i/l/1, o/0, m/rn. Character classes and escapes
// are left alone.
func ocrTolerant(p string) string {
	var b strings.Builder
	inClass, esc := false, false
	for _, r := range p {
		switch {
		case esc:
			esc = false
			b.WriteRune(r)
			continue
		case r == '\\':
			esc = true
		case r == '[':
			inClass = true
		case r == ']':
			inClass = false
		}
		if inClass || esc {
			b.WriteRune(r)
			continue
		}
		switch r {
		case 'i':
			b.WriteString("[il1]")
		case 'o':
			b.WriteString("[o0]")
		case 'm':
			b.WriteString("(?:m|rn)")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

const nameRE = `ho,? ?(?:chu dem,? ?)?(?:va )?ten`

var (
	khaiSinhRules = []label{
		l(nameRE+` nguoi yeu cau`, FullName, kName, "applicant", "ctx"),
		l(nameRE+` (?:nguoi )?me\b(?:/nguoi nuoi duong)?`, FullName, kName, "mother", "ctx"),
		l(nameRE+` (?:nguoi )?cha\b`, FullName, kName, "father", "ctx"),
		l(nameRE+`\s*(?:\(\d\))?\s*[:.…]`, FullName, kName, "child", "ctx"),
		l(`ngay,? thang,? nam sinh`, DateOfBirth, kDate, ""),
		l(`\bnam sinh`, YearOfBirth, kYear, ""),
		l(`noi cu tru`, Address, kText, ""),
		l(`giay to tuy than`, IDNumber, kID, ""),
		l(`so dinh danh ca nhan`, IDNumber, kID, ""),
	}
	chungSinhRules = []label{
		l(`ho (?:va )?ten (?:nguoi )?me(?:/nguoi nuoi duong)?`, FullName, kName, "mother", "ctx"),
		l(`\bnam sinh`, YearOfBirth, kYear, "mother"),
		l(`noi dang ky thuong tru|noi cu tru`, Address, kText, "mother"),
		l(`so cccd(?:/so dinh danh ca nhan)?|so dinh danh ca nhan`, IDNumber, kID, "mother"),
		l(`da sinh con vao luc|sinh con vao`, DateOfBirth, kDate, "child"),
		l(`du dinh dat ten con`, FullName, kName, "child"),
	}
	cardRules = []label{
		l(`so dinh danh ca nhan(?: / personal identification number)?|^so / no\.?`, IDNumber, kID, "holder", "next"),
		l(`ho va ten / full name|ho,? chu dem va ten khai sinh(?: / surname, middle name and given name)?|^ho va ten\b`, FullName, kName, "holder", "next"),
		l(`ngay,? thang,? nam sinh(?: / date of birth)?|ngay sinh(?: / date of birth)?`, DateOfBirth, kDate, "holder", "next"),
		l(`noi thuong tru(?: / place of residence)?|noi cu tru(?: / place of residence)?`, Address, kText, "holder", "next"),
		l(`co gia tri den|ngay,? thang,? nam het han(?: / date of expiry)?`, ExpiryDate, kDate, "holder", "next"),
		l(`ngay,? thang,? nam / date,? month,? year|ngay,? thang,? nam cap(?: / date of issue)?`, IssueDate, kDate, "holder", "next"),
	}
	ccFormRules = []label{
		l(nameRE+`\s*(?:\(1\))?\s*:`, FullName, kName, "applicant"),
		l(`ngay,? thang,? nam sinh`, DateOfBirth, kDate, "applicant"),
		l(`so cmnd/cccd|so cccd`, IDNumber, kID, "applicant"),
		l(`noi thuong tru`, Address, kText, "applicant"),
	}
	uyQuyenRules = []label{
		l(`^\s*(?:[ivx]+[.:]\s*)?(?:nguoi uy quyen|ben uy quyen)`, "", kContext, "authoriser", "start"),
		l(`^\s*(?:[ivx]+[.:]\s*)?(?:nguoi duoc uy quyen|ben duoc uy quyen)`, "", kContext, "authorised", "start"),
		l(`^\s*(?:[ivx]+[.:]\s*)?(?:ben a\b)`, "", kContext, "authoriser", "start"),
		l(`^\s*(?:[ivx]+[.:]\s*)?(?:ben b\b)`, "", kContext, "authorised", "start"),
		l(`ho (?:va )?ten|toi ten la`, FullName, kName, ""),
		l(`sinh ngay|ngay,? thang,? nam sinh|ngay sinh`, DateOfBirth, kDate, ""),
		l(`so (?:cmnd|cccd|can cuoc|dinh danh)[a-z /]*`, IDNumber, kID, ""),
		l(`cap ngay`, IssueDate, kDate, ""),
		l(`noi cu tru|dia chi thuong tru|thuong tru tai`, Address, kText, ""),
	}
	ct01Rules = []label{
		l(`ho,? chu dem va ten chu ho`, FullName, kName, "household_head"),
		l(`ho,? chu dem va ten`, FullName, kName, "applicant"),
		l(`ngay,? thang,? nam sinh`, DateOfBirth, kDate, "applicant"),
		l(`so dinh danh ca nhan cua chu ho`, IDNumber, kID, "household_head"),
		l(`so dinh danh ca nhan|\bcccd`, IDNumber, kID, "applicant"),
	}
	hkdRules = []label{
		l(`^\s*toi la(?: \(ghi ho ten bang chu in hoa\))?`, FullName, kName, "owner", "start"),
		l(`sinh ngay|ngay sinh`, DateOfBirth, kDate, "owner"),
		l(`so dinh danh ca nhan|so cccd|so can cuoc`, IDNumber, kID, "owner"),
		l(`dia chi thuong tru|noi thuong tru|noi cu tru`, Address, kText, "owner"),
		l(`ten ho kinh doanh(?: \(ghi bang chu in hoa\))?`, BusinessName, kText, "owner"),
	}
	gpxdRules = []label{
		l(`ten chu dau tu(?: \(ten chu ho\))?|toi ten la`, FullName, kName, "owner"),
		l(`so dinh danh ca nhan|so cccd|so can cuoc`, IDNumber, kID, "owner"),
		l(`dia chi lien he|dia chi thuong tru`, Address, kText, "owner"),
		l(`^\s*tai\s*[:.…]`, ConstructionAddress, kText, "owner", "start"),
	}
	// Land-use certificates (GCN QSDĐ): the holder, with a year of birth
	// and an ID number, checked against the applicant of the procedure.
	gcnRules = []label{
		l(`^\s*(?:ong|ba|ong/ba|ho ong|ho ba)\s*[:.]`, FullName, kName, "owner", "start"),
		l(`\bsinh nam|\bnam sinh`, YearOfBirth, kYear, "owner"),
		l(`so dinh danh ca nhan|so cccd|cccd so|so can cuoc`, IDNumber, kID, "owner"),
		l(`dia chi thuong tru`, Address, kText, "owner"),
	}
	// Leases: each party's heading ("BÊN A (Bên cho thuê…)", "BÊN THUÊ")
	// sets whose name, date of birth, ID number and address follow.
	leaseRules = []label{
		l(`^\s*ben a\b|^\s*ben cho (?:thue|muon|o nho)`, "", kContext, "owner", "start"),
		l(`^\s*ben b\b|^\s*ben (?:thue|muon|o nho)\b`, "", kContext, "tenant", "start"),
		l(`^\s*(?:ong|ba|ong/ba)\s*[:.]`, FullName, kName, "", "start"),
		l(`sinh ngay|ngay,? thang,? nam sinh`, DateOfBirth, kDate, ""),
		l(`so dinh danh ca nhan|so cccd|cccd so|so can cuoc`, IDNumber, kID, ""),
		l(`thuong tru tai|dia chi thuong tru`, Address, kText, ""),
	}
	// The witness statement that stands in for a birth certificate (Luật Hộ
	// tịch 2014 Điều 16 khoản 1): the witness's own particulars, then the
	// mother it vouches for ("Tôi xác nhận bà …, sinh năm …").
	lamChungRules = []label{
		l(nameRE+` nguoi lam chung`, FullName, kName, "witness", "ctx"),
		l(`^\s*toi (?:ten )?la\s*[:.…]`, FullName, kName, "witness", "ctx", "start"),
		l(`ngay,? thang,? nam sinh`, DateOfBirth, kDate, "witness"),
		l(`so dinh danh ca nhan`, IDNumber, kID, "witness"),
		l(`noi cu tru`, Address, kText, "witness"),
		l(`toi xac nhan(?: rang)?`, FullName, kName, "mother", "ctx"),
		l(`^\s*(?:ba|ho ten (?:nguoi )?me)\s*[:.…]`, FullName, kName, "mother", "ctx", "start"),
		l(`\bsinh nam`, YearOfBirth, kYear, "mother"),
		l(`da sinh (?:mot )?(?:chau|con|be)(?: (?:trai|gai|nam|nu))? vao`, DateOfBirth, kDate, "child"),
	}
	// An issued construction permit (Mẫu giấy phép, Nghị định 175/2024/NĐ-CP
	// Phụ lục II): "1. Cấp cho: <chủ đầu tư>", whom a re-issue or an
	// amendment must name again.
	gpxdIssuedRules = []label{
		l(`^\s*(?:\d+\.\s*)?cap cho`, FullName, kName, "owner", "start"),
	}
	ketHonRules = []label{
		l(nameRE+` (?:nguoi )?chong`, FullName, kName, "husband", "ctx"),
		l(nameRE+` (?:nguoi )?vo\b`, FullName, kName, "wife", "ctx"),
		l(`ngay,? thang,? nam sinh`, DateOfBirth, kDate, ""),
		l(`noi cu tru`, Address, kText, ""),
		l(`giay to tuy than`, IDNumber, kID, ""),
	}
)

// rules maps document types (the classify taxonomy) onto their label tables.
var rules = map[string][]label{
	"to_khai_khai_sinh":                  khaiSinhRules,
	"trich_luc_khai_sinh":                khaiSinhRules,
	"giay_chung_sinh":                    chungSinhRules,
	"cccd":                               cardRules,
	"to_khai_can_cuoc":                   ccFormRules,
	"giay_uy_quyen":                      uyQuyenRules,
	"ct01_to_khai_cu_tru":                ct01Rules,
	"giay_de_nghi_dang_ky_ho_kinh_doanh": hkdRules,
	"don_de_nghi_cap_gpxd":               gpxdRules,
	"giay_phep_xay_dung":                 gpxdIssuedRules,
	"van_ban_lam_chung":                  lamChungRules,
	"giay_ket_hon":                       ketHonRules,
	"giay_chung_nhan_quyen_su_dung_dat":  gcnRules,
	"hop_dong_thue_nha":                  leaseRules,
}

// peopleRules read the people a paper names by their role, for a paper of
// a type with no label table of its own (a form of one of the 2,642
// procedures that hoso has no rules for, such as the health-insurance
// declaration TK1-TS: "[10]. Họ tên cha/mẹ/giám hộ (đối với trẻ em dưới 6
// tuổi): …"). Only roles are read, never a bare "Họ và tên", whose person
// the form does not say. The civil-status forms name their filer "người
// yêu cầu" (tờ khai đăng ký khai tử, data/forms/56_TK_DK_khai_tu.txt) and
// the spouses "bên nữ", "bên nam" (tờ khai đăng ký kết hôn): those are the
// people whose identity card the dossier also holds, so their date of
// birth and identity paper, which the form gives under the name, are read
// with it — the ID number is what ties the form to the card when the name
// is misspelt. A bare name ("Họ, chữ đệm, tên:" of the deceased) ends the
// role, so its particulars are not taken for the filer's. The date and the
// paper may sit on the line after their label: the khai tử template
// indents its values with tabs, which the PDF's text layer reads as a
// line of their own; only a date or an ID number is taken from there.
var peopleRules = []label{
	l(nameRE+` (?:nguoi )?cha ?/ ?me(?: ?/ ?(?:nguoi )?giam ho)?(?:\s*\([^)]*\))?`, FullName, kName, "parent", "ctx"),
	l(nameRE+` (?:nguoi )?cha,? me(?:,? hoac| va)? (?:nguoi )?giam ho(?:\s*\([^)]*\))?`, FullName, kName, "parent", "ctx"),
	l(nameRE+` (?:nguoi )?me\b(?:\s*\([^)]*\))?`, FullName, kName, "mother", "ctx"),
	l(nameRE+` (?:nguoi )?cha\b(?:\s*\([^)]*\))?`, FullName, kName, "father", "ctx"),
	l(nameRE+` nguoi yeu cau`, FullName, kName, "applicant", "ctx"),
	l(nameRE+` ben nu\b`, FullName, kName, "wife", "ctx"),
	l(nameRE+` ben nam\b`, FullName, kName, "husband", "ctx"),
	l(nameRE+`\s*(?:\([^)]*\))?\s*[:.…]`, "", kContext, ""),
	l(`ngay,? thang,? nam sinh`, DateOfBirth, kDate, "", "next"),
	l(`giay to tuy than|so dinh danh ca nhan`, IDNumber, kID, "", "next"),
}

// ExtractPeople returns the people a paper gives by role ("cha/mẹ/giám
// hộ", "mẹ", "cha", "người yêu cầu", "bên nữ", "bên nam") with the date
// of birth and ID number it gives under each, for the consistency checks
// of a paper whose type Extract has no table for. Subjects: "parent",
// "mother", "father", "applicant", "wife", "husband". Values under no role
// (before the first, or after a bare name) are left out: whose they are,
// the paper does not say.
func ExtractPeople(pages []string) []dossier.Field {
	return slices.DeleteFunc(extractWith(peopleRules, pages), func(f dossier.Field) bool { return f.Subject == "" })
}

// Knows reports whether Extract has a label table for docType, without
// building the field list Expected returns.
func Knows(docType string) bool { return rules[docType] != nil }

// Supported returns the document types Extract knows, sorted.
func Supported() []string {
	out := make([]string, 0, len(rules))
	for k := range rules {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Extract returns the fields found in a document of docType, in page and
// text order. Pages are the per-page texts (NFC); spans index into them.
// Unknown types give nil. Extract is safe for concurrent use.
func Extract(docType string, pages []string) []dossier.Field {
	rs := rules[docType]
	if rs == nil {
		return nil
	}
	return extractWith(rs, pages)
}

// extractWith reads the fields of label table rs from pages, the subject
// of a name label carrying over to the labels after it, across pages.
func extractWith(rs []label, pages []string) []dossier.Field {
	var out []dossier.Field
	ctx := ""
	for pi, page := range pages {
		out = append(out, extractPage(rs, page, pi+1, &ctx)...)
	}
	return out
}

type match struct {
	lb         *label
	start, end int // in folded line
}

func extractPage(rs []label, page string, pageNo int, ctx *string) []dossier.Field {
	var out []dossier.Field
	folded, offs := foldWithOffsets(page)
	lines := lineSpans(folded)
	for li, ls := range lines {
		line := folded[ls[0]:ls[1]]
		ms := findLabels(rs, line)
		for mi, m := range ms {
			if m.lb.setsCtx {
				*ctx = m.lb.subject
			}
			if m.lb.kind == kContext {
				continue
			}
			subject := m.lb.subject
			if subject == "" {
				subject = *ctx
			}
			// The value runs to the next label on the line or the line end.
			vs, ve := ls[0]+m.end, ls[1]
			if mi+1 < len(ms) {
				vs, ve = ls[0]+m.end, ls[0]+ms[mi+1].start
			}
			vs, ve = trimValue(folded, vs, ve)
			// Bilingual documents (identity cards, passports) gloss the
			// label in English: "Họ, chữ đệm và tên / Full name: …".
			if g := glossRE.FindStringIndex(folded[vs:ve]); g != nil {
				vs, ve = trimValue(folded, vs+g[1], ve)
			}
			// The value may sit on the next line; blank lines between the
			// label and it (a card's layout) are skipped.
			next := li + 1
			for next < len(lines) && next <= li+2 && strings.TrimSpace(folded[lines[next][0]:lines[next][1]]) == "" {
				next++
			}
			if vs >= ve && m.lb.nextLine && next < len(lines) {
				nl := lines[next]
				if len(findLabels(rs, folded[nl[0]:nl[1]])) == 0 {
					vs, ve = trimValue(folded, nl[0], nl[1])
				}
			}
			if vs >= ve {
				continue
			}
			// An address wraps onto the next line of a PDF's text layer
			// ("…phường Ba Đình, thành" / "phố Hà Nội"): a value that runs
			// to the end of a long line continues on following lines that
			// hold no label, no colon and no heading.
			if m.lb.kind == kText && (m.lb.field == Address || m.lb.field == ConstructionAddress) && mi+1 == len(ms) {
				for k := li + 1; k <= li+2 && k < len(lines) && wrapped(folded[lines[k-1][0]:lines[k-1][1]]); k++ {
					nl := lines[k]
					next := folded[nl[0]:nl[1]]
					if !continuation(next) || len(findLabels(rs, next)) > 0 {
						break
					}
					_, e := trimValue(folded, nl[0], nl[1])
					if e <= nl[0] {
						break
					}
					ve = e
				}
			}
			if f, ok := parseValue(m.lb, page, folded, offs, vs, ve); ok {
				f.Page, f.Subject = pageNo, subject
				out = append(out, f)
			}
		}
	}
	return out
}

// wrapped reports whether a folded line is long enough to have been wrapped
// by the document's layout rather than ended by its author.
func wrapped(line string) bool { return utf8.RuneCountInString(strings.TrimSpace(line)) >= 50 }

// continuation reports whether a folded line can continue a value: text, not
// blank, with no colon and not a numbered heading ("ii. thong tin", "2.").
func continuation(line string) bool {
	t := strings.TrimSpace(line)
	return t != "" && !strings.ContainsAny(t, ":") && !headingRE.MatchString(t) && utf8.RuneCountInString(t) <= 80
}

var headingRE = regexp.MustCompile(`^(?:[ivxlc]+|\d+)[.)]\s`)

// findLabels returns the non-overlapping label matches of a folded line,
// preferring earlier and then longer matches.
func findLabels(rs []label, line string) []match {
	var all []match
	for i := range rs {
		for _, loc := range rs[i].re.FindAllStringIndex(line, -1) {
			if rs[i].lineStart && strings.TrimSpace(line[:loc[0]]) != "" {
				continue
			}
			all = append(all, match{lb: &rs[i], start: loc[0], end: loc[1]})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].start != all[j].start {
			return all[i].start < all[j].start
		}
		return all[i].end-all[i].start > all[j].end-all[j].start
	})
	var out []match
	last := -1
	for _, m := range all {
		if m.start < last {
			continue
		}
		out = append(out, m)
		last = m.end
	}
	return out
}

func lineSpans(s string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '\n' {
			out = append(out, [2]int{start, i})
			start = i + 1
		}
	}
	return out
}

// foldWithOffsets folds s rune by rune (lower case, no diacritics, đ → d) and
// returns, for every byte of the folded string plus one past the end, the
// byte offset in s where the rune it came from starts.
func foldWithOffsets(s string) (string, []int) {
	var b strings.Builder
	b.Grow(len(s))
	offs := make([]int, 0, len(s)+1)
	table := foldTable()
	for i, r := range s {
		var f rune
		if r >= 0 && int(r) < len(table) {
			f = table[r]
		} else {
			f = foldRune(r)
		}
		n := utf8.RuneLen(f)
		if n < 0 {
			f, n = '?', 1
		}
		b.WriteRune(f)
		for k := 0; k < n; k++ {
			offs = append(offs, i)
		}
	}
	offs = append(offs, len(s))
	return b.String(), offs
}

// foldTable holds foldRune of every rune below 0x2000 (Latin, Vietnamese
// and the combining marks), computed once: foldRune decomposes a rune into
// a new string, which was an allocation for every letter with a diacritic
// of every page the classify stage reads.
var foldTable = sync.OnceValue(func() []rune {
	t := make([]rune, 0x2000)
	for r := range t {
		t[r] = foldRune(rune(r))
	}
	return t
})

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		return unicode.ToLower(r)
	}
	switch r {
	case 'đ', 'Đ':
		return 'd'
	case '\u00a0':
		return ' '
	}
	d := norm.NFD.String(string(r))
	base, _ := utf8.DecodeRuneInString(d)
	if unicode.Is(unicode.Mn, r) {
		return ' '
	}
	return unicode.ToLower(base)
}

// trimValue skips the fill-in leader and markers around a value: spaces,
// colons, dots, ellipses, underscores and note markers such as "(2)".
func trimValue(f string, s, e int) (int, int) {
	for s < e {
		switch {
		case strings.ContainsRune(" \t:.;,_-/…", rune(f[s])) || strings.HasPrefix(f[s:e], "…"):
			if strings.HasPrefix(f[s:e], "…") {
				s += len("…")
			} else {
				s++
			}
		case f[s] == '(' && s+2 < e && f[s+2] == ')' && f[s+1] >= '0' && f[s+1] <= '9':
			s += 3
		default:
			goto right
		}
	}
right:
	for e > s {
		if strings.HasSuffix(f[s:e], "…") {
			e -= len("…")
			continue
		}
		if strings.ContainsRune(" \t\r:.;,_-/", rune(f[e-1])) {
			e--
			continue
		}
		break
	}
	return s, e
}

var (
	// glossRE is an English gloss after a Vietnamese label, up to its colon.
	glossRE  = regexp.MustCompile(`^/?\s*[a-z][a-z ,.'()/-]{1,60}:`)
	dateNum  = regexp.MustCompile(`\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\b`)
	dateWord = regexp.MustCompile(`ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})`)
	yearRE   = regexp.MustCompile(`\b(1[89]\d\d|20\d\d)\b`)
	idRE     = regexp.MustCompile(`\d(?:[ .]?\d){8,11}`)
	nameCut  = regexp.MustCompile(`[,;(]|\bsinh\b|\d`)
	honorRE  = regexp.MustCompile(`^(?:ong|ba|anh|chi)\b\s*(?:/\s*(?:ong|ba)\b\s*)?[:.]?\s*`)
)

// parseValue turns the folded value span [vs,ve) into a field of lb's kind;
// the field's span and Value are those of the original page text.
func parseValue(lb *label, page, folded string, offs []int, vs, ve int) (dossier.Field, bool) {
	v := folded[vs:ve]
	f := dossier.Field{Name: lb.field}
	span := func(a, b int) {
		f.Start, f.End = offs[vs+a], offs[vs+b]
		f.Value = page[f.Start:f.End]
	}
	switch lb.kind {
	case kDate:
		d, a, b, ok := findDate(v)
		if !ok {
			return f, false
		}
		span(a, b)
		f.Normalized, f.Confidence = d, 0.9
	case kYear:
		m := yearRE.FindStringIndex(v)
		if m == nil {
			return f, false
		}
		span(m[0], m[1])
		f.Normalized, f.Confidence = v[m[0]:m[1]], 0.9
	case kID:
		m := idRE.FindStringIndex(v)
		if m == nil {
			return f, false
		}
		digits := strings.NewReplacer(" ", "", ".", "").Replace(v[m[0]:m[1]])
		if len(digits) != 12 && len(digits) != 9 {
			return f, false
		}
		span(m[0], m[1])
		f.Normalized, f.Confidence = digits, 0.95
		if len(digits) == 12 && !ParseID(digits).Valid() {
			f.Confidence = 0.4
		}
		if len(digits) == 9 {
			f.Confidence = 0.7 // chứng minh nhân dân: no structure to check
		}
	case kName:
		a := 0
		if h := honorRE.FindStringIndex(v); h != nil && h[1] < len(v) {
			a = h[1]
		}
		b := len(v)
		if c := nameCut.FindStringIndex(v[a:]); c != nil {
			b = a + c[0]
		}
		_, b2 := trimValue(v, a, b)
		b = b2
		if b <= a {
			return f, false
		}
		words := strings.Fields(v[a:b])
		if len(words) < 2 || len(words) > 7 {
			return f, false
		}
		for _, w := range words {
			for _, r := range w {
				if !unicode.IsLetter(r) {
					return f, false
				}
			}
		}
		span(a, b)
		f.Value = vntext.CollapseSpace(f.Value)
		f.Normalized, f.Confidence = NormalizeName(f.Value), 0.9
	case kText:
		span(0, len(v))
		f.Value = vntext.CollapseSpace(f.Value)
		f.Normalized, f.Confidence = f.Value, 0.8
	default:
		return f, false
	}
	return f, true
}

// findDate finds the first date in a folded value and returns it as
// YYYY-MM-DD with its span; impossible dates are rejected.
func findDate(v string) (string, int, int, bool) {
	var m []int
	a := dateNum.FindStringSubmatchIndex(v)
	b := dateWord.FindStringSubmatchIndex(v)
	switch {
	case a == nil && b == nil:
		return "", 0, 0, false
	case a == nil:
		m = b
	case b == nil || a[0] < b[0]:
		m = a
	default:
		m = b
	}
	d, mo, y := atoi(v[m[2]:m[3]]), atoi(v[m[4]:m[5]]), atoi(v[m[6]:m[7]])
	if mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || y < 1850 || y > 2200 {
		return "", 0, 0, false
	}
	return pad4(y) + "-" + pad2(mo) + "-" + pad2(d), m[0], m[1], true
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func pad2(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
func pad4(n int) string { return pad2(n/100) + pad2(n%100) }

// NormalizeName is the canonical form of a personal name: NFC, single
// spaces, each syllable capitalised ("NGUYỄN văn  an" → "Nguyễn Văn An").
func NormalizeName(s string) string {
	ws := strings.Fields(vntext.NFC(s))
	for i, w := range ws {
		rs := []rune(strings.ToLower(w))
		rs[0] = unicode.ToUpper(rs[0])
		ws[i] = string(rs)
	}
	return strings.Join(ws, " ")
}

// minContentChars is the least text (runes, spaces collapsed) a document of
// a type with field rules holds: the shortest labelled document of such a
// type in evals/documents (a partly uploaded identity card) has 155.
const minContentChars = 120

// Expected returns the fields a document of docType is expected to yield
// (those its label table can find), sorted; nil for types without rules.
func Expected(docType string) []string {
	rs := rules[docType]
	if rs == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range rs {
		if r.field != "" && !seen[r.field] {
			seen[r.field] = true
			out = append(out, r.field)
		}
	}
	sort.Strings(out)
	return out
}

// Check says whether a document of docType holds the content its type
// must hold: at least one of its expected fields (names, ID numbers, dates
// found after the form's own labels), in a text not implausibly short for
// the type. A document that only looks like the type (its title) but holds
// neither is ContentNeedsReview, with the reason in Vietnamese and English.
func Check(docType string, pages []string, found []dossier.Field) dossier.ContentCheck {
	c := dossier.ContentCheck{Status: dossier.ContentOK, ExpectedFields: Expected(docType), FoundFields: []string{}}
	seen := map[string]bool{}
	for _, f := range found {
		if !seen[f.Name] {
			seen[f.Name] = true
			c.FoundFields = append(c.FoundFields, f.Name)
		}
	}
	sort.Strings(c.FoundFields)
	n := utf8.RuneCountInString(vntext.CollapseSpace(strings.Join(pages, " ")))
	if c.ExpectedFields == nil {
		return checkLabels(c, pages, n)
	}
	var why []string
	if len(c.FoundFields) == 0 {
		why = append(why, "không tìm thấy thông tin nào loại giấy tờ này phải có ("+strings.Join(c.ExpectedFields, ", ")+
			") (none of the expected fields found)")
	}
	if n < minContentChars {
		why = append(why, fmt.Sprintf("văn bản quá ngắn so với loại giấy tờ này: %d ký tự (implausibly short for its type: %d characters)", n, n))
	}
	if len(why) > 0 {
		c.Status = dossier.ContentNeedsReview
		c.Reason = "Giống về hình thức nhưng chưa chắc có nội dung: " + strings.Join(why, "; ") + "; cán bộ cần xem (looks like the type, content needs review)"
	}
	return c
}

// minFormLabels is the least number of "label: …" lines that make a text a
// form whose own labels can be checked.
const minFormLabels = 3

var (
	reLabel = regexp.MustCompile(`([\p{L}][\p{L}\p{N} ,/()'-]{2,60}?)\s*[:：]`)
	// leader is what a blank fill-in holds: dots, ellipses, underscores,
	// dashes, spaces and note markers such as "(1)".
	reLeader = regexp.MustCompile(`[.…_]{2,}|\t`)
	reParens = regexp.MustCompile(`\([^)]*\)`)
)

// fillerWords are the template's own words around blanks (folded).
var fillerWords = map[string]bool{"gio": true, "phut": true, "ngay": true, "thang": true, "nam": true, "do": true, "tai": true,
	"so": true, "cap": true, "va": true, "hoac": true, "la": true}

// filledValue reports whether the text after a label holds a value: a date
// or number (four digits or more), or two words written together between
// the fill-in leaders, not the template's own words around them ("giờ
// ……… phút, ngày ……… tháng").
func filledValue(v string) bool {
	v = reParens.ReplaceAllString(v, " ")
	if digitsIn(v) >= 4 {
		return true
	}
	for _, seg := range reLeader.Split(v, -1) {
		words := 0
		for _, w := range vntext.FoldedTokens(seg) {
			if !fillerWords[w] && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
				words++
			}
		}
		if words >= 2 {
			return true
		}
	}
	return false
}

// checkLabels checks a document of a type without field rules (a form of
// a procedure hoso has no extraction rules for) against its own labels:
// the "Họ và tên: …" lines of the form. A form whose labels are all left
// blank, or a text implausibly short, needs review; a text with too few
// labels to tell is not checked.
func checkLabels(c dossier.ContentCheck, pages []string, n int) dossier.ContentCheck {
	var labels, filled []string
	for _, page := range pages {
		for _, line := range strings.Split(page, "\n") {
			locs := reLabel.FindAllStringSubmatchIndex(line, -1)
			for i, m := range locs {
				end := len(line)
				if i+1 < len(locs) {
					end = locs[i+1][0]
				}
				name := vntext.CollapseSpace(line[m[2]:m[3]])
				labels = append(labels, name)
				if filledValue(line[m[1]:end]) {
					filled = append(filled, name)
				}
			}
		}
	}
	c.ExpectedFields, c.FoundFields = capList(labels), capList(filled)
	switch {
	case n < minContentChars:
		c.Status = dossier.ContentNeedsReview
		c.Reason = fmt.Sprintf("văn bản quá ngắn: %d ký tự; cán bộ cần xem (implausibly short: %d characters; needs review)", n, n)
	case len(labels) < minFormLabels:
		c.Status = dossier.ContentNotChecked
		c.Reason = "không có quy tắc trích xuất và không đủ nhãn của mẫu để kiểm tra (no field rules, too few form labels to check)"
	case len(filled) == 0:
		c.Status = dossier.ContentNeedsReview
		c.Reason = fmt.Sprintf("biểu mẫu chưa điền: %d nhãn của mẫu đều để trống; cán bộ cần xem (the form's %d labels are all blank; needs review)", len(labels), len(labels))
	}
	return c
}

func digitsIn(s string) int {
	k := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			k++
		}
	}
	return k
}

// capList keeps the first 12 distinct entries.
func capList(xs []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] && len(out) < 12 {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
