// Package docgen generates hoso's labelled document set: Vietnamese dossier
// documents (tờ khai, giấy chứng sinh, thẻ căn cước, giấy ủy quyền, CT01,
// giấy đề nghị đăng ký hộ kinh doanh, đơn đề nghị cấp giấy phép xây dựng…)
// with their document type, the requirement each satisfies in a procedure,
// and the gold values of their fields.
//
// Generation is deterministic for a seed. The wording follows the real blank
// templates in data/forms (copied from shared/data/form-templates-docfilling);
// the personal data is synthetic. Variants imitate what citizens upload: the
// dotted fill-in layout, upper-case names, OCR noise from scans, truncated
// (partial) documents, documents put in the wrong dossier, and unrelated
// forms (class "other"). The set is written to evals/documents by
// `go test ./evals/docgen -run TestWriteSet -update` and committed.
package docgen

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// Field is one gold field label.
type Field struct {
	Name       string `json:"name"`
	Subject    string `json:"subject"`
	Value      string `json:"value"`      // as written in the text
	Normalized string `json:"normalized"` // canonical: names title-cased, dates YYYY-MM-DD, IDs digits
}

// Doc is one labelled document.
type Doc struct {
	ID          string   `json:"id"`
	Filename    string   `json:"filename"`
	DocType     string   `json:"doc_type"`
	Procedure   string   `json:"procedure"`
	Requirement string   `json:"requirement"` // requirement key in Procedure, or "other"
	Variant     []string `json:"variant"`     // dotted, upper, ocr, partial, misplaced, template, free
	TextLayer   bool     `json:"text_layer"`  // false for documents that came through OCR
	Split       string   `json:"split"`       // train | calib | test (fixed by the ID)
	Fields      []Field  `json:"fields"`
	Pages       []string `json:"-"`
}

// Text returns the pages joined with form feeds, as the classifier reads them.
func (d Doc) Text() string { return strings.Join(d.Pages, "\f") }

// Options configures Generate.
type Options struct {
	Seed     uint64
	PerType  int    // documents per specific type; default 24
	Other    int    // documents of class "other"; default 70
	FormsDir string // data/forms; required for class "other"
}

type typeSpec struct {
	docType string
	procs   []string
	render  func(*builder, *docCtx)
}

// Types lists the document types the generator produces (besides "other").
var specs = []typeSpec{
	{"to_khai_khai_sinh", []string{ProcKhaiSinh}, renderToKhaiKhaiSinh},
	{"giay_chung_sinh", []string{ProcKhaiSinh}, renderGiayChungSinh},
	{"van_ban_lam_chung", []string{ProcKhaiSinh}, renderVanBanLamChung},
	{"giay_cam_doan", []string{ProcKhaiSinh}, renderGiayCamDoan},
	{"bien_ban_tre_bi_bo_roi", []string{ProcKhaiSinh}, renderBienBanBoRoi},
	{"cccd", []string{ProcKhaiSinh, ProcHoKinhDoanh}, renderCCCD},
	{"giay_uy_quyen", []string{ProcKhaiSinh, ProcHoKinhDoanh}, renderGiayUyQuyen},
	{"ct01_to_khai_cu_tru", []string{ProcThuongTru}, renderCT01},
	{"giay_de_nghi_dang_ky_ho_kinh_doanh", []string{ProcHoKinhDoanh}, renderHKD},
	{"don_de_nghi_cap_gpxd", []string{ProcGPXD}, renderDonGPXD},
	{"giay_chung_nhan_quyen_su_dung_dat", []string{ProcThuongTru, ProcGPXD}, renderGCN},
	{"hop_dong_thue_nha", []string{ProcThuongTru}, renderHopDongThue},
	{"ban_ve_thiet_ke", []string{ProcGPXD}, renderBanVe},
	{"giay_phep_xay_dung", []string{ProcThuongTru, ProcGPXD}, renderGPXD},
	{"giay_ket_hon", []string{ProcKhaiSinh, ProcThuongTru}, renderKetHon},
	{"trich_luc_khai_sinh", []string{ProcThuongTru}, renderTrichLuc},
	{"to_khai_can_cuoc", []string{ProcKhaiSinh, ProcThuongTru}, renderToKhaiCC},
}

// Types returns the specific document types the set contains, sorted; the
// set also contains "other".
func Types() []string {
	out := make([]string, 0, len(specs))
	for _, s := range specs {
		out = append(out, s.docType)
	}
	sort.Strings(out)
	return out
}

// TemplateTypes maps the files of data/forms that are a specific document
// type onto it; every other template is class "other".
var TemplateTypes = map[string]string{
	"08_cccd.txt":                                 "to_khai_can_cuoc",
	"11_dang_ky_khai_sinh.txt":                    "to_khai_khai_sinh",
	"37_giay_phep_xay_dung.txt":                   "giay_phep_xay_dung",
	"38_giay_uy_quyen.txt":                        "giay_uy_quyen",
	"45_thay_doi_thong_tin_cu_tru.txt":            "ct01_to_khai_cu_tru",
	"46_thay_doi_thong_tin_cu_tru_nuoc_ngoai.txt": "ct01_to_khai_cu_tru",
	"58_TK_thay_doi_thong_tin_cu_tru.txt":         "ct01_to_khai_cu_tru",
}

// Template is one real blank form.
type Template struct {
	File    string
	DocType string
	Text    string
}

// LoadTemplates reads data/forms, NFC-normalised, sorted by file name.
func LoadTemplates(dir string) ([]Template, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read form templates: %w", err)
	}
	var out []Template
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read form template %s: %w", e.Name(), err)
		}
		t := TemplateTypes[vntext.NFC(e.Name())]
		if t == "" {
			t = "other"
		}
		out = append(out, Template{File: e.Name(), DocType: t, Text: vntext.NFC(strings.ToValidUTF8(string(b), ""))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out, nil
}

// SplitOf returns the fixed split of a document ID: 40% train, 15% calib
// (temperature fitting), 45% test.
func SplitOf(id string) string {
	h := fnv.New32a()
	h.Write([]byte(id))
	switch v := h.Sum32() % 20; {
	case v < 8:
		return "train"
	case v < 11:
		return "calib"
	default:
		return "test"
	}
}

// Generate produces the labelled set.
func Generate(o Options) ([]Doc, error) {
	if o.PerType == 0 {
		o.PerType = 24
	}
	if o.Other == 0 {
		o.Other = 70
	}
	g := &gen{r: rand.New(rand.NewPCG(o.Seed, 0x686f736f))}
	var docs []Doc
	n := 0
	add := func(d Doc) {
		n++
		d.ID = fmt.Sprintf("d%04d-%s", n, d.DocType)
		d.Split = SplitOf(d.ID)
		if d.Filename == "" {
			d.Filename = d.ID + ".pdf"
		}
		docs = append(docs, d)
	}
	for _, s := range specs {
		for i := 0; i < o.PerType; i++ {
			st := style{dotted: g.chance(0.4), upperNames: g.chance(0.25), ocr: g.chance(0.18)}
			c := &docCtx{proc: s.procs[g.r.IntN(len(s.procs))]}
			var variant []string
			if g.chance(0.12) {
				c.proc = ProcedureCodes[g.r.IntN(len(ProcedureCodes))]
				variant = append(variant, "misplaced")
			}
			req := RequirementFor(c.proc, s.docType)
			if s.docType == "giay_uy_quyen" && c.proc == ProcHoKinhDoanh && g.chance(0.4) {
				c.memberAuth = true
				req = "van-ban-uy-quyen-thanh-vien-ho-gia-dinh"
			}
			b := newBuilder(g, st)
			s.render(b, c)
			if st.dotted {
				variant = append(variant, "dotted")
			}
			if st.upperNames {
				variant = append(variant, "upper")
			}
			if st.ocr {
				variant = append(variant, "ocr")
			}
			partial := g.chance(0.08)
			if partial {
				variant = append(variant, "partial")
				b.truncate(0.55)
			}
			pages := b.text()
			fields := b.fieldsFor()
			ext := ".pdf"
			if st.ocr {
				ext = g.pick([]string{".jpg", ".png", ".pdf"})
			}
			add(Doc{DocType: s.docType, Procedure: c.proc, Requirement: req, Variant: variant, TextLayer: !st.ocr, Fields: fields, Pages: pages, Filename: fileName(g, s.docType) + ext})
		}
	}
	if o.FormsDir != "" {
		tpls, err := LoadTemplates(o.FormsDir)
		if err != nil {
			return nil, err
		}
		var others []Template
		for _, t := range tpls {
			if t.DocType == "other" {
				others = append(others, t)
			}
		}
		for i := 0; i < o.Other; i++ {
			proc := ProcedureCodes[g.r.IntN(len(ProcedureCodes))]
			st := style{ocr: g.chance(0.15)}
			var text, variant = "", []string{"template"}
			if i%5 == 4 {
				text, variant = freeOther(g), []string{"free"}
			} else {
				text = fillTemplate(g, others[g.r.IntN(len(others))].Text)
			}
			if st.ocr {
				variant = append(variant, "ocr")
				b := newBuilder(g, st)
				b.w(text)
				text = b.text()[0]
			}
			add(Doc{DocType: "other", Procedure: proc, Requirement: "other", Variant: variant, TextLayer: !st.ocr, Pages: []string{text}, Filename: fmt.Sprintf("tai-lieu-%03d.pdf", i+1)})
		}
	}
	for i, h := range handwritten {
		h.Filename = fmt.Sprintf("hw-%02d.pdf", i+1)
		add(h)
		docs[len(docs)-1].Split = "test"
	}
	return docs, nil
}

func fileName(g *gen, docType string) string {
	if g.chance(0.3) {
		return fmt.Sprintf("scan_%04d", g.r.IntN(10000))
	}
	return strings.ReplaceAll(docType, "_", "-") + fmt.Sprintf("-%d", 1+g.r.IntN(99))
}

var dotRun = regexp.MustCompile(`(?:\.{3,}|…+|_{3,})`)

// fillTemplate fills some dotted fields of a blank template with plausible
// values, as a citizen would.
func fillTemplate(g *gen, t string) string {
	return dotRun.ReplaceAllStringFunc(t, func(s string) string {
		if !g.chance(0.6) {
			return s
		}
		switch g.r.IntN(4) {
		case 0:
			return " " + g.name(g.chance(0.5), "") + " "
		case 1:
			p := provinces[g.r.IntN(len(provinces))]
			return " " + g.address(p) + " "
		case 2:
			return fmt.Sprintf(" %02d/%02d/%d ", 1+g.r.IntN(28), 1+g.r.IntN(12), 1960+g.r.IntN(60))
		default:
			return " " + g.pick([]string{"Không", "Có", "Kinh", "Việt Nam", "Đại học", "Nhân viên văn phòng", "Hà Nội"}) + " "
		}
	})
}

// freeOther writes short unrelated documents citizens attach by mistake.
func freeOther(g *gen) string {
	p := g.person(g.chance(0.5), "", 1970, 2004)
	switch g.r.IntN(5) {
	case 0:
		return "HÓA ĐƠN GIÁ TRỊ GIA TĂNG\nKý hiệu: 1C26TAA   Số: " + fmt.Sprint(g.r.IntN(99999)) + "\nĐơn vị bán hàng: Công ty Cổ phần Điện máy\nHọ tên người mua hàng: " + p.Name + "\nTên hàng hóa, dịch vụ   Đơn vị tính   Số lượng   Đơn giá   Thành tiền\nTủ lạnh 2 cửa   Cái   1   8.500.000   8.500.000\nThuế suất GTGT: 10%   Tổng cộng tiền thanh toán: 9.350.000\n"
	case 1:
		return "GIẤY KHÁM SỨC KHỎE\nHọ và tên: " + p.Name + "\nGiới tính: " + sexWord(p.Male) + "   Tuổi: " + fmt.Sprint(AsOf.Year()-p.DOB.Year()) + "\nTiền sử bệnh của đối tượng khám sức khỏe: Không\nKHÁM THỂ LỰC: Chiều cao 165 cm, Cân nặng 60 kg, Mạch 80 lần/phút, Huyết áp 120/80 mmHg\nKẾT LUẬN: Đủ sức khỏe học tập, làm việc\n"
	case 2:
		return "SƠ YẾU LÝ LỊCH\nHọ và tên: " + strings.ToUpper(p.Name) + "\nSinh ngày: " + p.DOB.Format("02/01/2006") + "\nNơi đăng ký hộ khẩu thường trú: " + p.Address + "\nQUAN HỆ GIA ĐÌNH\nHọ và tên bố: " + g.name(true, "") + "\nHọ và tên mẹ: " + g.name(false, "") + "\nQUÁ TRÌNH HỌC TẬP VÀ CÔNG TÁC CỦA BẢN THÂN\nTôi xin cam đoan những lời khai trên là đúng sự thật.\n"
	case 3:
		return "BIÊN LAI THU TIỀN PHÍ, LỆ PHÍ\nMẫu số: 01BLP2-001\nTên loại phí, lệ phí: Lệ phí đăng ký cư trú\nSố tiền: 20.000 đồng\nNgười nộp: " + p.Name + "\nĐịa chỉ: " + p.Address + "\n"
	default:
		return "IMG_" + fmt.Sprint(g.r.IntN(9999)) + "\n"
	}
}

// truncate keeps the first share of the first page: a partial upload.
func (b *builder) truncate(share float64) {
	p := b.pages[0]
	k := int(float64(len(p)) * share)
	if k < 1 {
		k = 1
	}
	b.pages = [][]seg{p[:k]}
}

// fieldsFor returns the gold fields whose values survive in the pages.
func (b *builder) fieldsFor() []Field {
	var out []Field
	for _, p := range b.pages {
		for _, s := range p {
			if s.field >= 0 {
				out = append(out, b.fields[s.field])
			}
		}
	}
	return out
}

// Write stores docs under dir as <id>.txt (pages joined by form feeds) and
// <id>.json (the labels), replacing what was there.
func Write(dir string, docs []Doc) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "d*-*.*"))
	for _, f := range old {
		os.Remove(f)
	}
	for _, d := range docs {
		lb, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, d.ID+".json"), append(lb, '\n'), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, d.ID+".txt"), []byte(d.Text()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Load reads a set written by Write, sorted by ID.
func Load(dir string) ([]Doc, error) {
	files, err := filepath.Glob(filepath.Join(dir, "d*-*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	var docs []Doc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var d Doc
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("labels %s: %w", f, err)
		}
		t, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".txt")
		if err != nil {
			return nil, err
		}
		d.Pages = strings.Split(string(t), "\f")
		docs = append(docs, d)
	}
	return docs, nil
}

// RepoRoot finds the module root (the directory holding go.mod) above dir.
func RepoRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}

// Default generates the committed set: seed 2026, from <root>/data/forms.
func Default(root string) ([]Doc, error) {
	return Generate(Options{Seed: 2026, FormsDir: filepath.Join(root, "data", "forms")})
}
