package regulation

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Document is one legal document (văn bản) split into articles.
type Document struct {
	Number        string     `json:"number"` // normalised số hiệu, e.g. 123/2015/NĐ-CP
	Title         string     `json:"title"`
	Type          string     `json:"type"`   // Luật, Nghị định, Thông tư, Nghị quyết…
	Issuer        string     `json:"issuer"` // Quốc hội, Chính phủ, Bộ Tư pháp…
	IssuedOn      *time.Time `json:"issued_on,omitempty"`
	EffectiveFrom *time.Time `json:"effective_from,omitempty"`
	EffectiveTo   *time.Time `json:"effective_to,omitempty"` // expired on (hết hiệu lực)
	Status        string     `json:"status,omitempty"`
	ReplacedBy    string     `json:"replaced_by,omitempty"`
	Consolidation string     `json:"consolidation,omitempty"` // VBHN number when the text is consolidated
	SourceKind    string     `json:"source_kind"`             // original | consolidated | ocr | excerpt
	SourcePath    string     `json:"source_path"`
	URL           string     `json:"url,omitempty"`
	Articles      []Article  `json:"-"`
}

// Source kinds, in the order search prefers them when the same article
// comes from several texts.
const (
	SourceConsolidated = "consolidated"
	SourceOriginal     = "original"
	SourceOCR          = "ocr"
	SourceExcerpt      = "excerpt"
)

// typeAndIssuer derives the document type and issuer from a số hiệu.
func typeAndIssuer(number string) (string, string) {
	switch {
	case strings.HasSuffix(number, "/QH"+lastDigits(number)) || strings.Contains(number, "/QH"):
		return "Luật", "Quốc hội"
	case strings.Contains(number, "NĐ-CP"):
		return "Nghị định", "Chính phủ"
	case strings.Contains(number, "NQ-CP"):
		return "Nghị quyết", "Chính phủ"
	case strings.Contains(number, "QĐ-TTg"):
		return "Quyết định", "Thủ tướng Chính phủ"
	case strings.Contains(number, "TT-"):
		return "Thông tư", ministry(number[strings.Index(number, "TT-")+3:])
	case strings.Contains(number, "VBHN-"):
		return "Văn bản hợp nhất", ministry(number[strings.Index(number, "VBHN-")+5:])
	}
	return "", ""
}

func lastDigits(s string) string {
	return strings.TrimLeft(s[len(strings.TrimRight(s, "0123456789")):], "")
}

func ministry(code string) string {
	switch code {
	case "BTP":
		return "Bộ Tư pháp"
	case "BCA":
		return "Bộ Công an"
	case "BTC":
		return "Bộ Tài chính"
	case "BXD":
		return "Bộ Xây dựng"
	case "BKHĐT":
		return "Bộ Kế hoạch và Đầu tư"
	case "VPQH":
		return "Văn phòng Quốc hội"
	case "VPCP":
		return "Văn phòng Chính phủ"
	}
	return code
}

var (
	dateRe      = regexp.MustCompile(`ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`)
	effectiveRe = regexp.MustCompile(`(?:có\s+)?hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:kể\s+)?từ\s+ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`)
	vbhnFileRe  = regexp.MustCompile(`^(\d+)-VBHN-([A-ZĐ]+)\s+(\d{4})\s+(.*)$`)
	numFileRe   = regexp.MustCompile(`^(\d+(?:\.\d+)?)-(\d{4})-([A-ZĐ0-9]+(?:-[A-ZĐ]+)?)\s+(.*)$`)
	typeWordRe  = regexp.MustCompile(`^(Bộ luật|Luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Pháp lệnh)\s+(.*)$`)
)

func date(d, m, y string) *time.Time {
	dd, _ := strconv.Atoi(d)
	mm, _ := strconv.Atoi(m)
	yy, _ := strconv.Atoi(y)
	if dd < 1 || dd > 31 || mm < 1 || mm > 12 || yy < 1945 {
		return nil
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	return &t
}

// parseDate reads "15-11-2015", "2015-11-15" or "15/11/2015".
func parseDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02-01-2006", "2006-01-02", "02/01/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t
		}
	}
	return nil
}

// describe fills a document's metadata from its file name, front matter and
// header (the text before the first article).
func describe(path, raw string) Document {
	d := Document{SourcePath: path, SourceKind: SourceOriginal}
	_, fm := splitFrontMatter(vntext.NFC(raw))
	text := cleanText(raw)
	header := text
	if loc := artRe.FindStringIndex(text); loc != nil {
		header = text[:loc[0]]
	}
	if len(header) > 3000 {
		header = header[:3000]
	}
	base := vntext.NFC(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	if strings.Contains(filepath.ToSlash(path), "ocr-official-pdfs/") && fm["title"] != "" {
		d.SourceKind = SourceOCR
	}
	if fm["url"] != "" {
		d.URL = fm["url"]
	}
	if m := vbhnFileRe.FindStringSubmatch(base); m != nil {
		d.Consolidation = m[1] + "/VBHN-" + m[2]
		d.SourceKind = SourceConsolidated
		d.Title = m[4]
	} else if m := numFileRe.FindStringSubmatch(base); m != nil {
		d.Number = legalnum.Normalize(m[1] + "/" + m[2] + "/" + m[3])
		d.Title = m[4]
	}
	if t := fm["title"]; t != "" {
		if d.Number == "" {
			d.Number = legalnum.Normalize(t)
		}
		d.Title = t
	}
	if d.Number == "" {
		// The first số hiệu in the header is the document's own (a
		// consolidated text opens with "Luật Cư trú số 68/2020/QH14 ngày…").
		for _, m := range legalnum.FindAll(header) {
			if n := legalnum.Normalize(m); n != "" && !strings.Contains(n, "VBHN") && strings.Count(n, "/") == 2 {
				d.Number = n
				break
			}
		}
	}
	d.Type, d.Issuer = typeAndIssuer(d.Number)
	if d.Consolidation == "" && strings.Contains(header, "được sửa đổi, bổ sung bởi") {
		d.SourceKind = SourceConsolidated
	}
	// Title: "LUẬT\nHỘ TỊCH" or "NGHỊ ĐỊNH\nQUY ĐỊNH …" in the header.
	if d.Title == "" || strings.HasPrefix(d.Title, d.Type+" "+d.Number) {
		lines := strings.Split(header, "\n")
		for i, l := range lines {
			l = strings.TrimSpace(l)
			if (l == "LUẬT" || l == "NGHỊ ĐỊNH" || l == "THÔNG TƯ" || l == "NGHỊ QUYẾT" || l == "BỘ LUẬT") && i+1 < len(lines) {
				d.Title = titleCase(l) + " " + titleCase(strings.TrimSpace(lines[i+1]))
				break
			}
		}
	}
	if m := typeWordRe.FindStringSubmatch(d.Title); m != nil && d.Type == "Luật" && m[1] != "Luật" {
		d.Type = m[1]
	}
	if d.Title != "" && d.Type != "" && !strings.HasPrefix(strings.ToLower(d.Title), strings.ToLower(d.Type)) {
		d.Title = d.Type + " " + d.Title
	}
	if m := dateRe.FindStringSubmatch(header); m != nil {
		d.IssuedOn = date(m[1], m[2], m[3])
	}
	if m := effectiveRe.FindStringSubmatch(header); m != nil {
		d.EffectiveFrom = date(m[1], m[2], m[3])
	} else if ms := effectiveRe.FindAllStringSubmatch(text, -1); len(ms) > 0 {
		// The article "Hiệu lực thi hành" comes near the end.
		m := ms[len(ms)-1]
		d.EffectiveFrom = date(m[1], m[2], m[3])
	}
	d.Title = vntext.CollapseSpace(d.Title)
	return d
}

// Registry is the metadata that legal-texts-rightly ships beside its texts:
// metadata/source_registry.csv and metadata/law_status.json, keyed by số hiệu.
type Registry map[string]RegistryEntry

// RegistryEntry is what the registry knows about one số hiệu.
type RegistryEntry struct {
	Type, Issuer, Title string
	IssuedOn            *time.Time
	EffectiveFrom       *time.Time
	ExpiredOn           *time.Time
	Status              string
	ReplacedBy          string
	URL                 string
}

// LoadRegistry reads the metadata directory dir (either file may be
// missing). Rows whose số hiệu does not parse are skipped.
func LoadRegistry(dir string) (Registry, error) {
	r := Registry{}
	if f, err := os.Open(filepath.Join(dir, "source_registry.csv")); err == nil {
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			return nil, err
		}
		for i, row := range rows {
			if i == 0 || len(row) < 12 {
				continue
			}
			n := legalnum.Normalize(row[2])
			if n == "" {
				continue
			}
			// The registry lists consolidated texts under invented numbers
			// ("06/2026/QH15" for 06/VBHN-VPQH); only rows with a source URL
			// or a plain title describe the document itself.
			if strings.Contains(row[7], "VBHN") || strings.Contains(row[7], "-QH16") {
				continue
			}
			r[n] = RegistryEntry{Type: row[3], Issuer: row[4], IssuedOn: parseDate(row[5]), EffectiveFrom: parseDate(row[6]),
				Title: row[7], URL: row[8], Status: row[11]}
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "law_status.json"))
	if err == nil {
		var doc struct {
			Sources map[string]struct {
				KyHieu      string  `json:"ky_hieu"`
				Loai        string  `json:"loai"`
				NgayBanHanh string  `json:"ngay_ban_hanh"`
				NgayHieuLuc string  `json:"ngay_hieu_luc"`
				TrichYeu    string  `json:"trich_yeu"`
				ExpiredOn   *string `json:"expired_on"`
				ReplacedBy  *string `json:"replaced_by"`
				Status      string  `json:"status"`
			} `json:"sources"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, err
		}
		ids := map[string]string{}
		for id, s := range doc.Sources {
			ids[id] = legalnum.Normalize(s.KyHieu)
		}
		for _, s := range doc.Sources {
			n := legalnum.Normalize(s.KyHieu)
			if n == "" || strings.Contains(s.TrichYeu, "VBHN") || strings.Contains(s.TrichYeu, "-QH16") {
				continue
			}
			e := r[n]
			if e.Type == "" {
				e.Type = s.Loai
			}
			if p := parseDate(s.NgayBanHanh); p != nil {
				e.IssuedOn = p
			}
			if p := parseDate(s.NgayHieuLuc); p != nil {
				e.EffectiveFrom = p
			}
			if e.Title == "" {
				e.Title = s.TrichYeu
			}
			if s.ExpiredOn != nil {
				e.ExpiredOn = parseDate(*s.ExpiredOn)
			}
			if s.ReplacedBy != nil && *s.ReplacedBy != "" {
				e.ReplacedBy = ids[*s.ReplacedBy]
				if e.ReplacedBy == "" {
					e.ReplacedBy = *s.ReplacedBy
				}
			}
			e.Status = s.Status
			r[n] = e
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	return r, nil
}

// apply fills the document's gaps (and its validity) from the registry.
func (r Registry) apply(d *Document) {
	e, ok := r[d.Number]
	if !ok {
		return
	}
	if d.Type == "" {
		d.Type = e.Type
	}
	if d.Issuer == "" {
		d.Issuer = e.Issuer
	}
	if d.IssuedOn == nil {
		d.IssuedOn = e.IssuedOn
	}
	if e.EffectiveFrom != nil {
		d.EffectiveFrom = e.EffectiveFrom
	}
	if e.ExpiredOn != nil {
		d.EffectiveTo = e.ExpiredOn
	}
	if e.ReplacedBy != "" {
		d.ReplacedBy = e.ReplacedBy
	}
	if e.Status != "" {
		d.Status = e.Status
	}
	if d.URL == "" {
		d.URL = e.URL
	}
	if d.Title == "" {
		d.Title = e.Title
	}
}

// Pháp điển excerpts: "Điều 15.3.LQ.16. Thủ tục đăng ký khai sinh" followed
// by the provenance "(Điều 16 Luật số 60/2014/QH13 Hộ tịch ngày …)". The
// last component of the id is the article's number in its source; the
// prefix ("15.3.LQ") names the source within the đề mục, so headings
// printed without provenance (the site's second, one-line listing) are
// attributed through the prefix.
var (
	pdHeadRe = regexp.MustCompile(`(?m)^Điều\s+(\d+\.\d+\.[A-ZĐ]+\.(?:\d+\.)?)(\d+)([a-z]?)\.\s+(.*)$`)
	pdProvRe = regexp.MustCompile(`^\((?:(?:Điểm\s+\S+\s+)?Khoản\s+\d+\s+)?Điều\s+(\d+)([a-zđ]?)\s+(?:của\s+)?(Bộ luật|Luật|Nghị định|Thông tư liên tịch|Thông tư|Nghị quyết|Quyết định|Pháp lệnh)\s+(?:số\s+)?([^\s,)]+)\s*([^()]*?)(?:\s+ngày\s+\d|,\s*có\s+hiệu|\))`)
	pdRelRe  = regexp.MustCompile(`\(Điều này có nội dung liên quan đến[^()]*(?:\([^()]*\)[^()]*)*\)`)
	pdClause = regexp.MustCompile(`\s1\.\s+\p{Lu}`)
	// pdGlued finds a heading glued to the end of the previous article's
	// last sentence ("…còn hiệu lực.Điều 12.1.NĐ.10.12. Ủy quyền …"): the
	// site prints many so. Left there, the article's full text is read as
	// the end of the previous one and only the site's one-line listing of
	// it (its first clause) is kept. A cross-reference ("tại Điều
	// 3.6.LQ.18. của …") has a space before it and no capital after.
	pdGlued = regexp.MustCompile(`([.;:)])(Điều\s+\d+\.\d+\.[A-ZĐ]+\.(?:\d+\.)?\d+[a-z]?\.\s+\p{Lu})`)
)

// isPhapDien reports whether text is a Bộ Pháp điển đề mục.
func isPhapDien(text string) bool { return len(pdHeadRe.FindAllStringIndex(text, 3)) >= 3 }

// parsePhapDien splits a Pháp điển đề mục into one Document per source
// document that its articles come from, numbered as in that source.
func parsePhapDien(path, raw string) []Document {
	text := pdGlued.ReplaceAllString(cleanText(raw), "$1\n$2")
	heads := pdHeadRe.FindAllStringSubmatchIndex(text, -1)
	type source struct{ number, typ, title string }
	prefixes := map[string]source{}
	type item struct {
		prefix, label, title, body string
		n                          int
		prov                       []string
	}
	var items []item
	for i, h := range heads {
		end := len(text)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		it := item{prefix: text[h[2]:h[3]], label: text[h[4]:h[5]] + text[h[6]:h[7]], title: text[h[8]:h[9]]}
		it.n, _ = strconv.Atoi(text[h[4]:h[5]])
		body := strings.TrimSpace(text[h[1]:end])
		// One-line form: "Hộ kinh doanh 1. Hộ kinh doanh do…": the title
		// ends where clause 1 starts, or at the first sentence.
		if loc := pdClause.FindStringIndex(it.title); loc != nil {
			body = it.title[loc[0]:] + "\n" + body
			it.title = it.title[:loc[0]]
		} else if utf8.RuneCountInString(it.title) > 120 {
			t, rest := splitTitle(it.title + "\n")
			body = rest + "\n" + body
			it.title = t
		}
		prov, rest, _ := strings.Cut(body, "\n")
		if m := pdProvRe.FindStringSubmatch(strings.TrimSpace(prov)); m != nil {
			it.prov = m
			body = rest
			if num := legalnum.Normalize(m[4]); num != "" {
				src := prefixes[it.prefix]
				src.number, src.typ = num, m[3]
				if t := strings.TrimSpace(m[5]); t != "" && src.title == "" {
					src.title = m[3] + " " + t
				}
				if m[1] == text[h[4]:h[5]] {
					prefixes[it.prefix] = src
				}
			}
		}
		it.body = body
		items = append(items, it)
	}
	byNum := map[string]*Document{}
	var order []string
	for _, it := range items {
		var num, typ, title string
		n, label := it.n, it.label
		if it.prov != nil {
			num, typ = legalnum.Normalize(it.prov[4]), it.prov[3]
			n, _ = strconv.Atoi(it.prov[1])
			label = it.prov[1] + it.prov[2]
			if t := strings.TrimSpace(it.prov[5]); t != "" {
				title = typ + " " + t
			}
		} else if src, ok := prefixes[it.prefix]; ok {
			num, typ, title = src.number, src.typ, src.title
		}
		if num == "" {
			continue
		}
		body := pdRelRe.ReplaceAllString(it.body, "")
		var kept []string
		for _, l := range strings.Split(body, "\n") {
			t := strings.TrimSpace(l)
			// Drop the chapter and section lines and the site's ids.
			if t == "" || strings.HasPrefix(t, "Chương ") && len(t) < 20 || strings.HasPrefix(t, "Mục ") && len(t) < 12 ||
				(strings.ToUpper(t) == t && len([]rune(t)) > 3 && !strings.ContainsAny(t, ".;:")) {
				continue
			}
			kept = append(kept, l)
		}
		a := Article{Number: n, Label: label, Title: tidy(it.title)}
		a.Intro, a.Clauses = splitClauses(strings.Join(kept, "\n"))
		d, ok := byNum[num]
		if !ok {
			d = &Document{Number: num, SourceKind: SourceExcerpt, SourcePath: path}
			d.Type, d.Issuer = typeAndIssuer(num)
			if d.Type == "" {
				d.Type = typ
			}
			byNum[num] = d
			order = append(order, num)
		}
		if d.Title == "" {
			d.Title = title
		}
		dup := false
		for _, x := range d.Articles {
			if x.Label == a.Label {
				dup = true
			}
		}
		if !dup {
			d.Articles = append(d.Articles, a)
		}
	}
	out := make([]Document, 0, len(order))
	for _, n := range order {
		d := byNum[n]
		sort.SliceStable(d.Articles, func(i, j int) bool { return d.Articles[i].Number < d.Articles[j].Number })
		if d.Title == "" {
			d.Title = d.Type + " " + d.Number
		}
		out = append(out, *d)
	}
	return out
}

// ParseFile reads one .txt or .md legal text and returns its documents: one
// for an ordinary text, several for a Pháp điển excerpt file.
func ParseFile(path string, reg Registry) ([]Document, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	raw := string(b)
	var docs []Document
	if isPhapDien(cleanText(raw)) {
		docs = parsePhapDien(path, raw)
	} else {
		d := describe(path, raw)
		d.Articles = ParseArticles(raw)
		if len(d.Articles) > 0 {
			docs = []Document{d}
		}
	}
	for i := range docs {
		reg.apply(&docs[i])
		if docs[i].Title == "" {
			docs[i].Title = docs[i].Number
		}
	}
	return docs, nil
}
