// Package dossiergen generates labelled dossiers (hồ sơ) for hoso's
// end-to-end and completeness evaluations: for nine real procedures of the
// national catalog, the documents a citizen would upload, filled in with
// synthetic Vietnamese personal data, rendered to PDF with a Vietnamese
// font embedded (or, for a few, to a noisy scanned image), and labelled
// with the requirement each file satisfies, the cases the applicant
// declared, the faults put in on purpose, and the expected status of every
// requirement.
//
// Known faults: an omitted component (omission), an expired identity card
// (expired_id), a person's name written differently in two documents
// (mismatched_name), a document of another procedure in place of a required
// one (wrong_document), and an accepted alternative in place of the usual
// document (alternative). Hard cases (hard.go): multi-case procedures with
// the case declared, stated by the form or undetermined; forged, empty and
// modified-after-signing documents; once-only reuse for another child.
// Labels are written from what the generator put in, never from the
// catalog's parse or the check stage.
//
// The wording follows the real blank forms in data/forms where one exists
// (tờ khai đăng ký khai sinh, khai tử, CT01, giấy ủy quyền, TK1-TS, giấy phép
// xây dựng) and the official layout otherwise. These renderers are separate
// from evals/docgen, whose documents trained the classifier, so the
// dossiers are held-out data for it. Generation is deterministic for a seed.
package dossiergen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// Faults.
const (
	FaultOmission       = "omission"
	FaultExpiredID      = "expired_id"
	FaultMismatchedName = "mismatched_name"
	FaultWrongDocument  = "wrong_document"
	FaultAlternative    = "alternative"
	FaultScan           = "scan"
)

// Expected requirement statuses (as in dossier.Finding*).
const (
	Present       = dossier.FindingPresent
	Missing       = dossier.FindingMissing
	NotApplicable = dossier.FindingNotApplicable
	// NeedsReview: a requirement of a case that the dossier's other
	// documents imply but the applicant did not declare; the check asks an
	// official instead of the citizen (case groups hold alternatives).
	NeedsReview = dossier.FindingNeedsReview
)

// File is one uploaded file of a generated dossier.
type File struct {
	Name        string   `json:"name" yaml:"name"`
	DocType     string   `json:"doc_type" yaml:"doc_type"`
	Requirement string   `json:"requirement" yaml:"requirement"` // requirement key, or "other"
	Scan        bool     `json:"scan,omitempty" yaml:"scan,omitempty"`
	Tamper      string   `json:"tamper,omitempty" yaml:"tamper,omitempty"` // TamperAppendedAfterSigning…
	Pages       []string `json:"-" yaml:"-"`                               // the text drawn on each page (the extraction reference)
}

// Dossier is one labelled dossier.
type Dossier struct {
	ID          string            `json:"id" yaml:"id"`
	Procedure   string            `json:"procedure" yaml:"procedure"`
	Applicant   string            `json:"applicant" yaml:"applicant"` // personal ID number
	Agency      string            `json:"agency" yaml:"agency"`
	SubmittedAt time.Time         `json:"submitted_at" yaml:"submitted_at"`
	Cases       []string          `json:"cases,omitempty" yaml:"cases,omitempty"` // declared conditional requirement keys
	Faults      []string          `json:"faults" yaml:"faults"`
	Files       []File            `json:"files" yaml:"files"`
	Expect      map[string]string `json:"expect" yaml:"expect"` // requirement key → present|missing|not_applicable
	// ExpectFlags are the cross-document findings a correct pre-check
	// raises: "expired_id", "mismatched_name".
	ExpectFlags []string `json:"expect_flags,omitempty" yaml:"expect_flags,omitempty"`
	// Hard names the hard scenario (see Hard); HardExpect is what must hold.
	Hard       string      `json:"hard,omitempty" yaml:"hard,omitempty"`
	HardExpect *HardExpect `json:"hard_expect,omitempty" yaml:"hard_expect,omitempty"`
	// After is the dossier that must be submitted and accepted (its
	// documents put into the applicant's vault) before this one.
	After string `json:"after,omitempty" yaml:"after,omitempty"`
}

// Options configure Generate.
type Options struct {
	Seed uint64
	N    int // dossiers; default 500
	// Procedures returns the procedure a dossier is checked against; nil
	// parses data/procedures/procedures.jsonl under Root.
	Procedures func(code string) (*catalog.Procedure, error)
	Root       string // repository root (data/forms, data/procedures)
	// Scans is how many dossiers get one page as a noisy scanned image
	// (OCR costs seconds a page, so keep it small); default N/100.
	Scans int
	// AsOf is the submission date; default 2026-03-02.
	AsOf time.Time
}

// AsOf is the default submission date of generated dossiers.
var AsOf = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// component is one thing a procedure's dossier may hold.
type component struct {
	req  string   // requirement key in the parsed catalog
	doc  string   // document type rendered
	need string   // required | usual | case | present
	p    float64  // probability of inclusion for usual/case/present
	alts []string // alternative document types that satisfy req
	// with are the other requirements the component's case needs, labelled
	// by hand from the procedure's source text (the scenario's knowledge,
	// not the parser's): missing when the case is declared.
	with []string
	// group is the one-of requirement a file of req satisfies (e.g. the
	// land papers of a building permit); labelled present with it.
	group string
	// caseKey is the catalog case (Procedure.Cases) the component belongs
	// to; the applicant declares it by that key, as the API documents.
	caseKey string
}

// recipe is how dossiers of one procedure are put together.
type recipe struct {
	code       string
	agency     string
	components []component
	// known labels requirements the generator never supplies, read by hand
	// from the procedure's source text: a required paper it leaves out
	// (missing), or an electronic form offered instead of the paper one
	// (not applicable when the paper form is used; 1.001193's e-form is left
	// out: the catalog folds it into the paper form's group, so the check
	// rightly reports nothing on it).
	known map[string]string
}

var recipes = []recipe{
	{"1.001193", "ubnd-phuong-ba-dinh", []component{
		{req: "giay-chung-sinh", doc: "giay_chung_sinh", need: "required", alts: []string{"van_ban_lam_chung", "giay_cam_doan"}},
		{req: "to-khai-dang-ky-khai-sinh-theo-mau", doc: "to_khai_khai_sinh", need: "case", p: 0.9},
		{req: "ho-chieu-the-can-cuoc-cong-dan-the-can-cuoc-can", doc: "cccd", need: "present", p: 0.6},
		{req: "van-ban-uy-quyen-duoc-chung-thuc-theo-quy-dinh", doc: "giay_uy_quyen", need: "case", p: 0.2},
	}, nil},
	{"1.004222", "cong-an-phuong-cau-giay", []component{
		{req: "to-khai-thay-doi-thong-tin-cu-tru-mau-ct01-ban", doc: "ct01", need: "required"},
		// Case "chỗ ở hợp pháp do thuê, mượn, ở nhờ" also lists the proof of
		// enough floor area.
		{req: "hop-dong-van-ban-ve-viec-cho-thue-cho-muon-cho-o", doc: "hop_dong_thue_nha", need: "case", p: 0.5, caseKey: "case-6",
			with: []string{"thong-tin-chung-minh-du-dien-tich-nha-o-de-dang"}},
	}, nil},
	{"1.004194", "cong-an-phuong-dong-da", []component{
		// The individual registration ("Hồ sơ đăng ký tạm trú") is one of
		// the text's three dossiers (by list, at a unit's quarters): the
		// applicant declares it, as a citizen registering alone would.
		{req: "to-khai-thay-doi-thong-tin-cu-tru-mau-ct01-ban", doc: "ct01", need: "required", caseKey: "case-1"},
		{req: "thong-tin-chung-minh-ve-cho-o-hop-phap-duoc-khai", doc: "gcn_qsdd", need: "required", caseKey: "case-1", alts: []string{"hop_dong_thue_nha"}},
	}, nil},
	{"1.001612", "ubnd-phuong-hoan-kiem", []component{
		{req: "giay-de-nghi-dang-ky-ho-kinh-doanh", doc: "giay_de_nghi_hkd", need: "required"},
		{req: "ban-sao-the-can-cuoc", doc: "cccd", need: "case", p: 0.6},
		{req: "van-ban-uy-quyen-cho-ca-nhan-thuc-hien-thu-tuc", doc: "giay_uy_quyen", need: "case", p: 0.25},
	}, nil},
	// The form asks for a permit for "nhà ở riêng lẻ": case (1.7), whose
	// form row is the sixth "Đơn đề nghị…" of the catalog and which needs
	// the design drawings; the land paper meets the one-of group that every
	// case of the procedure requires.
	{"1.013225", "ubnd-phuong-long-bien", []component{
		{req: "don-de-nghi-cap-giay-phep-sua-chua-cai-tao-cong-6", doc: "don_gpxd", need: "case", p: 1, caseKey: "case-7",
			with: []string{"ho-so-thiet-ke-xay-dung-doi-voi-nha-o-rieng-le"}},
		{req: "giay-chung-nhan-quyen-su-dung-dat-quyen-so-huu", doc: "gcn_qsdd", need: "required", group: "mot-trong-nhung-giay-to-hop-phap-ve-dat-dai"},
	}, nil},
	{"2.000986", "ubnd-phuong-tay-ho", []component{
		{req: "to-khai-dang-ky-khai-sinh-theo-mau-quy-dinh", doc: "to_khai_khai_sinh", need: "required"},
		{req: "giay-chung-sinh-do-co-so-y-te-noi-tre-em-sinh-ra", doc: "giay_chung_sinh", need: "required", alts: []string{"van_ban_lam_chung"}},
		{req: "to-khai-tham-gia-bao-hiem-y-te", doc: "to_khai_bhyt", need: "required"},
		// The source row "Tờ khai tham gia bảo hiểm y tế, Danh sách đề nghị
		// cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi của Ủy ban nhân dân
		// cấp xã" names two papers (the gold label of 2.000986 lists both);
		// the generator supplies only the declaration, so the list is missing.
	}, map[string]string{"phieu-bao-thay-doi-ho-khau-nhan-khau-theo-mau": Missing, "danh-sach-de-nghi-cap-the-bao-hiem-y-te-cho-tre": Missing}},
	// The source text's first paper "to hand in" is "Giấy báo tử hoặc giấy
	// tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp" (its electronic copy
	// may stand in, which a generated dossier never has): the generator
	// supplies no death notice, so it is missing. This label was added on
	// 2026-12-07, when the catalog began to read that row (it had taken the
	// whole row for a once-only clause); it was read from the source text,
	// not from the check's output, and the recipe had missed it because the
	// catalog it was written against had no such requirement.
	{"1.000656", "ubnd-xa-dong-anh", []component{
		{req: "to-khai-dang-ky-khai-tu-theo-mau", doc: "to_khai_khai_tu", need: "case", p: 0.95},
		{req: "ho-chieu-the-can-cuoc-cong-dan-the-can-cuoc-can", doc: "cccd", need: "present", p: 0.5},
		{req: "van-ban-uy-quyen-duoc-chung-thuc-theo-quy-dinh", doc: "giay_uy_quyen", need: "case", p: 0.2},
	}, map[string]string{"giay-bao-tu": Missing}},
	{"1.000894", "ubnd-phuong-hai-ba-trung", []component{
		{req: "to-khai-dang-ky-ket-hon-theo-mau-co-du-thong-tin", doc: "to_khai_ket_hon", need: "required"},
		{req: "ho-chieu-the-can-cuoc-cong-dan-the-can-cuoc-can", doc: "cccd", need: "present", p: 0.6},
	}, nil},
	{"1.013228", "ubnd-phuong-thanh-xuan", []component{
		{req: "don-de-nghi-dieu-chinh-gia-han-cap-lai-giay-phep", doc: "don_cap_lai_gpxd", need: "required"},
		{req: "ban-chinh-giay-phep-xay-dung-da-duoc-cap-theo", doc: "giay_phep_xay_dung", need: "case", p: 0.5},
	}, nil},
}

// ProcedureCodes lists the procedures the generator covers.
func ProcedureCodes() []string {
	var out []string
	for _, r := range recipes {
		out = append(out, r.code)
	}
	return out
}

// wrongDocs are documents of other procedures that citizens upload by
// mistake.
var wrongDocs = []string{"giay_ket_hon", "hoa_don", "giay_kham_suc_khoe"}

// Generate builds o.N labelled dossiers, the procedures in turn.
func Generate(o Options) ([]Dossier, error) {
	if o.N <= 0 {
		o.N = 500
	}
	if o.AsOf.IsZero() {
		o.AsOf = AsOf
	}
	if o.Scans < 0 {
		o.Scans = 0
	} else if o.Scans == 0 {
		o.Scans = o.N / 100
	}
	procs := o.Procedures
	if procs == nil {
		m, err := ParseProcedures(filepath.Join(o.Root, "data", "procedures", "procedures.jsonl"))
		if err != nil {
			return nil, err
		}
		procs = func(code string) (*catalog.Procedure, error) {
			p, ok := m[code]
			if !ok {
				return nil, fmt.Errorf("procedure %s not in data/procedures", code)
			}
			return p, nil
		}
	}
	tpls, err := loadTemplates(filepath.Join(o.Root, "data", "forms"))
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	scanEvery := 0
	if o.Scans > 0 {
		scanEvery = max(1, o.N/o.Scans)
	}
	var out []Dossier
	for i := 0; i < o.N; i++ {
		rc := recipes[i%len(recipes)]
		p, err := procs(rc.code)
		if err != nil {
			return nil, err
		}
		g := &gen{r: r, tpls: tpls, asOf: o.AsOf}
		d := g.dossier(fmt.Sprintf("g%04d", i+1), rc)
		if scanEvery > 0 && i%scanEvery == scanEvery/2 && len(out)/scanEvery < o.Scans {
			// One file of the dossier arrives as a phone photo of paper.
			k := r.IntN(len(d.Files))
			d.Files[k].Scan = true
			d.Files[k].Name = strings.TrimSuffix(d.Files[k].Name, ".pdf") + ".png"
			d.Faults = append(d.Faults, FaultScan)
		}
		_ = p // the procedure must exist in the catalog; labels come from the recipe
		d.Expect = ExpectScenario(rc, d)
		out = append(out, d)
	}
	return out, nil
}

// ExpectScenario labels dossier d from its recipe alone — what the
// generator put in and what the scenario's case needs — never from the
// catalog's parse or the check stage's rule: a component is present when a
// file of it is in the dossier (and so is its one-of group); missing when
// it is required or its case was declared and no file of it is there
// (with the other requirements its case needs); a component to be shown
// and a case not taken are not applicable. Requirements the recipe does
// not name are left unlabelled (a missing finding on one of them counts
// against missing precision).
func ExpectScenario(rc recipe, d Dossier) map[string]string {
	have := map[string]bool{}
	for _, f := range d.Files {
		have[f.Requirement] = true
	}
	out := map[string]string{}
	for k, v := range rc.known {
		out[k] = v
	}
	for _, c := range rc.components {
		declared := slices.Contains(d.Cases, c.req) || c.caseKey != "" && slices.Contains(d.Cases, c.caseKey)
		switch {
		case have[c.req]:
			out[c.req] = Present
		case c.group != "":
			// One option of a one-of group: absent, only the group is missing.
		case c.need == "present":
			out[c.req] = NotApplicable
		case c.need == "required", declared:
			out[c.req] = Missing
		default:
			out[c.req] = NotApplicable
		}
		if c.group != "" {
			if have[c.req] {
				out[c.group] = Present
			} else if c.need == "required" || declared {
				out[c.group] = Missing
			}
		}
		for _, k := range c.with {
			switch {
			case have[k]:
				out[k] = Present
			case declared || have[c.req] && c.need == "case":
				out[k] = Missing
			default:
				out[k] = NotApplicable
			}
		}
	}
	return out
}

// ParseProcedures parses a procedures.jsonl file into procedures by code.
func ParseProcedures(path string) (map[string]*catalog.Procedure, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]*catalog.Procedure{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for sc.Scan() {
		p, err := catalog.ParseNational(sc.Bytes())
		if err != nil {
			continue
		}
		out[p.Code] = &p
	}
	return out, sc.Err()
}

// dossier assembles one dossier of recipe rc.
func (g *gen) dossier(id string, rc recipe) Dossier {
	g.people()
	d := Dossier{ID: id, Procedure: rc.code, Agency: rc.agency, Applicant: g.applicant.ID,
		SubmittedAt: g.asOf.Add(time.Duration(g.r.IntN(8*60)) * time.Minute), Faults: []string{}}
	type slot struct {
		c   component
		doc string
	}
	var slots []slot
	for _, c := range rc.components {
		include := c.need == "required" || g.r.Float64() < c.p
		if !include {
			continue
		}
		// A case component, or a required one of a case the applicant
		// declares (a required component draws no number, so the seeded
		// set stays the same when a recipe names its case).
		switch {
		case c.caseKey != "":
			if !slices.Contains(d.Cases, c.caseKey) {
				d.Cases = append(d.Cases, c.caseKey)
			}
		case c.need == "case":
			d.Cases = append(d.Cases, c.req)
		}
		slots = append(slots, slot{c, c.doc})
	}
	// Faults, each with its own chance; about a third of dossiers stay clean.
	faults := map[string]bool{}
	roll := func(p float64) bool { return g.r.Float64() < p }
	var altable, droppable []int
	for i, s := range slots {
		if len(s.c.alts) > 0 {
			altable = append(altable, i)
		}
		if s.c.need != "present" {
			droppable = append(droppable, i)
		}
	}
	if len(altable) > 0 && roll(0.15) {
		i := altable[g.r.IntN(len(altable))]
		slots[i].doc = slots[i].c.alts[g.r.IntN(len(slots[i].c.alts))]
		faults[FaultAlternative] = true
	}
	var wrong []File
	if len(droppable) > 0 && roll(0.28) {
		i := droppable[g.r.IntN(len(droppable))]
		if roll(0.35) {
			faults[FaultWrongDocument] = true
			wd := wrongDocs[g.r.IntN(len(wrongDocs))]
			wrong = append(wrong, File{DocType: wd, Requirement: dossier.TypeOther})
		} else {
			faults[FaultOmission] = true
		}
		slots = append(slots[:i], slots[i+1:]...)
	}
	hasID := false
	for _, s := range slots {
		if s.doc == "cccd" {
			hasID = true
		}
	}
	if hasID && roll(0.12) {
		faults[FaultExpiredID] = true
		g.expired = true
	}
	if roll(0.10) && len(slots) >= 2 {
		faults[FaultMismatchedName] = true
		g.mismatch = 1 + g.r.IntN(len(slots)-1) // this file spells the applicant's name differently
	}
	rightName := false // the applicant's own spelling stands on another file
	for i, s := range slots {
		g.fileIndex = i
		pages := g.render(s.doc)
		if i == g.mismatch {
			// Expected only when the misspelt name is on the page: many
			// papers (a witness statement, a permit's drawings) never
			// print the applicant's name, and a fault nobody can see is
			// no fault to detect.
			g.mismatchDrawn = printed(pages, g.mismatchNames)
		} else {
			rightName = rightName || printed(pages, []string{g.applicant.Name})
		}
		d.Files = append(d.Files, File{DocType: s.doc, Requirement: s.c.req, Pages: pages})
	}
	// … and only when another file prints the name as it should be: a
	// misspelling on the one paper that names the applicant (a birth
	// registration whose other paper names only the mother) has nothing
	// to be checked against.
	g.mismatchDrawn = g.mismatchDrawn && rightName
	for _, w := range wrong {
		w.Pages = g.render(w.DocType)
		d.Files = append(d.Files, w)
	}
	if len(d.Files) == 0 { // everything omitted: keep the dossier non-empty with an unrelated file
		d.Files = append(d.Files, File{DocType: "hoa_don", Requirement: dossier.TypeOther, Pages: g.render("hoa_don")})
	}
	g.r.Shuffle(len(d.Files), func(i, j int) { d.Files[i], d.Files[j] = d.Files[j], d.Files[i] })
	used := map[string]int{}
	for i := range d.Files {
		base := fileNames[d.Files[i].DocType]
		if base == "" {
			base = d.Files[i].DocType
		}
		used[base]++
		if used[base] > 1 {
			base = fmt.Sprintf("%s-%d", base, used[base])
		}
		d.Files[i].Name = base + ".pdf"
	}
	for f := range faults {
		d.Faults = append(d.Faults, f)
	}
	sort.Strings(d.Faults)
	if faults[FaultExpiredID] {
		d.ExpectFlags = append(d.ExpectFlags, FaultExpiredID)
	}
	if faults[FaultMismatchedName] && g.mismatchDrawn {
		d.ExpectFlags = append(d.ExpectFlags, FaultMismatchedName)
	}
	return d
}

// printed reports whether any of names stands on one of pages, in any case
// (an identity card prints names in capitals).
func printed(pages, names []string) bool {
	for _, p := range pages {
		p = strings.ToLower(p)
		for _, n := range names {
			if strings.Contains(p, strings.ToLower(n)) {
				return true
			}
		}
	}
	return false
}

var fileNames = map[string]string{
	"giay_chung_sinh": "giay-chung-sinh", "van_ban_lam_chung": "van-ban-lam-chung", "giay_cam_doan": "giay-cam-doan",
	"to_khai_khai_sinh": "to-khai-khai-sinh", "cccd": "the-can-cuoc", "giay_uy_quyen": "giay-uy-quyen", "ct01": "to-khai-ct01",
	"hop_dong_thue_nha": "hop-dong-thue-nha", "gcn_qsdd": "giay-chung-nhan-qsdd", "giay_de_nghi_hkd": "giay-de-nghi-ho-kinh-doanh",
	"don_gpxd": "don-de-nghi-cap-gpxd", "to_khai_bhyt": "to-khai-bhyt-tk1-ts", "to_khai_khai_tu": "to-khai-khai-tu",
	"to_khai_ket_hon": "to-khai-dang-ky-ket-hon", "don_cap_lai_gpxd": "don-de-nghi-cap-lai-gpxd", "giay_phep_xay_dung": "giay-phep-xay-dung",
	"giay_ket_hon": "giay-chung-nhan-ket-hon", "hoa_don": "hoa-don", "giay_kham_suc_khoe": "giay-kham-suc-khoe",
}

// Write writes each dossier's files, their text references (<file>.txt)
// and labels (label.json) to dir/<id>/, and an index (dossiers.json).
// render turns a file's pages into bytes (PDF or PNG).
func Write(dir string, ds []Dossier, render func(File) ([]byte, error), progress func()) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, d := range ds {
		dd := filepath.Join(dir, d.ID)
		if err := os.MkdirAll(dd, 0o755); err != nil {
			return err
		}
		for _, f := range d.Files {
			b, err := render(f)
			if err != nil {
				return fmt.Errorf("render %s/%s: %w", d.ID, f.Name, err)
			}
			if err := os.WriteFile(filepath.Join(dd, f.Name), b, 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dd, f.Name+".txt"), []byte(strings.Join(f.Pages, "\f")), 0o644); err != nil {
				return err
			}
		}
		lb, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dd, "label.json"), append(lb, '\n'), 0o644); err != nil {
			return err
		}
		if progress != nil {
			progress()
		}
	}
	idx, err := json.MarshalIndent(ds, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "dossiers.json"), idx, 0o644)
}
