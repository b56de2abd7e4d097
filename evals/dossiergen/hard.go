package dossiergen

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
)

// Hard cases: dossiers built to catch a pre-check that calls an incomplete
// dossier complete (issue #15). Each scenario's expectation is written
// here from what the generator put in and from the procedure's source text
// (hand-read, not the parser's output), never from the check stage.
const (
	// 1.013225, permit for a "nhà ở riêng lẻ" (case 1.7): the design
	// drawings are missing whether the case is declared or stated by the form.
	HardPermitDeclared = "permit_case_declared"
	HardPermitInferred = "permit_case_from_form"
	// The form states no kind of building and nothing else tells the case:
	// case_undetermined with its candidates, never complete.
	HardPermitUndetermined = "permit_case_undetermined"
	// 1.004222, permanent residence in a rented home (case "thuê, mượn, ở
	// nhờ"): declared, shown by the rental contract, or undetermined (the
	// CT01 form alone).
	HardResidenceDeclared     = "residence_case_declared"
	HardResidenceInferred     = "residence_case_from_documents"
	HardResidenceUndetermined = "residence_case_undetermined"
	// 1.001193 with a "birth certificate" that is only its title, or an
	// empty page: not present.
	HardForgedTitleOnly = "forged_title_only"
	HardEmptyDocument   = "empty_document"
	// A signed birth certificate with bytes appended after signing: the
	// pre-check must say the signature no longer covers the file.
	HardSignedTampered = "signed_then_modified"
	// Once-only reuse: a mother's first child's birth registration is
	// accepted (its birth certificate enters her vault); a birth
	// registration for her second child must not reuse that certificate,
	// while one for the same first child may.
	HardReuseOtherChild = "reuse_other_child"
	HardReuseSameChild  = "reuse_same_child"
	// HardPrerequisite marks a dossier that is submitted and accepted
	// before the others (not scored).
	HardPrerequisite = "prerequisite"
)

// HardScenarios lists the hard cases in report order.
var HardScenarios = []string{HardPermitDeclared, HardPermitInferred, HardPermitUndetermined,
	HardResidenceDeclared, HardResidenceInferred, HardResidenceUndetermined, HardForgedTitleOnly, HardEmptyDocument, HardSignedTampered, HardReuseOtherChild, HardReuseSameChild}

// HardExpect is what a correct pre-check reports on a hard case.
type HardExpect struct {
	// Status lists, per requirement key, the statuses that are right.
	Status map[string][]string `json:"status,omitempty"`
	// Raise are dossier-level finding keys that must be raised (for
	// case_undetermined: with at least two candidate cases).
	Raise []string `json:"raise,omitempty"`
	// NotRaise must not be raised.
	NotRaise []string `json:"not_raise,omitempty"`
	// NeverComplete: at least one completeness finding is missing or
	// needs review (the dossier must not be called complete).
	NeverComplete bool `json:"never_complete"`
	// SignatureInvalid: some file's signature is reported invalid.
	SignatureInvalid bool `json:"signature_invalid,omitempty"`
	// ReuseOf is the requirement that must be met by reuse from the vault
	// (satisfied_by_reuse, not a file).
	ReuseOf string `json:"reuse_of,omitempty"`
}

const (
	permitForm   = "don-de-nghi-cap-giay-phep-sua-chua-cai-tao-cong-6"
	permitDesign = "ho-so-thiet-ke-xay-dung-doi-voi-nha-o-rieng-le"
	permitLand   = "mot-trong-nhung-giay-to-hop-phap-ve-dat-dai"
	permitGCN    = "giay-chung-nhan-quyen-su-dung-dat-quyen-so-huu"
	resForm      = "to-khai-thay-doi-thong-tin-cu-tru-mau-ct01-ban"
	resContract  = "hop-dong-van-ban-ve-viec-cho-thue-cho-muon-cho-o"
	resArea      = "thong-tin-chung-minh-du-dien-tich-nha-o-de-dang"
	birthCert    = "giay-chung-sinh"
	birthForm    = "to-khai-dang-ky-khai-sinh-theo-mau"
)

var notPresent = []string{Missing, NeedsReview}

// Hard builds perScenario dossiers of every hard scenario, deterministic
// for the seed. Their Expect holds the scenario's labelled requirements;
// Hard and HardExpect say what must hold.
func Hard(o Options, perScenario int) ([]Dossier, error) {
	if perScenario <= 0 {
		perScenario = 3
	}
	if o.AsOf.IsZero() {
		o.AsOf = AsOf
	}
	tpls, err := loadTemplates(filepath.Join(o.Root, "data", "forms"))
	if err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(o.Seed^0x15, o.Seed^0x8008))
	var out []Dossier
	for _, sc := range HardScenarios {
		for i := 0; i < perScenario; i++ {
			g := &gen{r: r, tpls: tpls, asOf: o.AsOf}
			g.people()
			if sc == HardReuseOtherChild || sc == HardReuseSameChild {
				for g.applicant.Male { // the mother applies: her vault holds the certificate
					g.people()
				}
				first := Dossier{ID: fmt.Sprintf("h-%s-%d-first", sc, i+1), Procedure: "1.001193", Agency: "ubnd-phuong-ba-dinh", Applicant: g.applicant.ID,
					SubmittedAt: o.AsOf, Faults: []string{"hard:" + HardPrerequisite}, Hard: HardPrerequisite,
					Files: []File{
						{DocType: "to_khai_khai_sinh", Requirement: birthForm, Name: "to-khai-khai-sinh.pdf", Pages: g.render("to_khai_khai_sinh")},
						{DocType: "giay_chung_sinh", Requirement: birthCert, Name: "giay-chung-sinh.pdf", Pages: g.render("giay_chung_sinh")},
					},
					Expect: map[string]string{birthForm: Present, birthCert: Present}}
				out = append(out, first)
				if sc == HardReuseOtherChild {
					firstText := strings.Join(first.Files[0].Pages, "\n")
					sib := g.person(g.r.IntN(2) == 0, strings.Fields(g.child.Name)[0], 2024, 2024)
					for strings.Contains(firstText, sib.Name) { // a name of its own, not the father's
						sib = g.person(g.r.IntN(2) == 0, strings.Fields(g.child.Name)[0], 2024, 2024)
					}
					sib.DOB = g.child.DOB.AddDate(-2, -g.r.IntN(6), -g.r.IntN(20))
					g.child = sib
				}
				d := Dossier{ID: fmt.Sprintf("h-%s-%d", sc, i+1), Procedure: "1.001193", Agency: "ubnd-phuong-ba-dinh", Applicant: g.applicant.ID,
					SubmittedAt: o.AsOf, Faults: []string{"hard:" + sc}, Hard: sc, After: first.ID,
					Files: []File{{DocType: "to_khai_khai_sinh", Requirement: birthForm, Name: "to-khai-khai-sinh.pdf", Pages: g.render("to_khai_khai_sinh")}}}
				if sc == HardReuseOtherChild {
					d.Expect = map[string]string{birthForm: Present, birthCert: Missing}
					d.HardExpect = &HardExpect{NeverComplete: true, Status: map[string][]string{birthCert: {Missing}}}
				} else {
					d.Expect = map[string]string{birthForm: Present, birthCert: Present}
					d.HardExpect = &HardExpect{Status: map[string][]string{birthCert: {Present}}, ReuseOf: birthCert}
				}
				out = append(out, d)
				continue
			}
			d := Dossier{ID: fmt.Sprintf("h-%s-%d", sc, i+1), Applicant: g.applicant.ID, SubmittedAt: o.AsOf, Faults: []string{"hard:" + sc}, Hard: sc}
			file := func(doc, req, name string, pages []string) {
				d.Files = append(d.Files, File{DocType: doc, Requirement: req, Name: name, Pages: pages})
			}
			switch sc {
			case HardPermitDeclared, HardPermitInferred, HardPermitUndetermined:
				d.Procedure, d.Agency = "1.013225", "ubnd-phuong-long-bien"
				form := g.render("don_gpxd")
				switch sc {
				case HardPermitDeclared:
					d.Cases = []string{"case-7"}
				case HardPermitInferred:
					form[0] = strings.Replace(form[0], "2. Thông tin công trình:", "2. Thông tin công trình:\n- Loại công trình: Nhà ở riêng lẻ   Cấp công trình: III", 1)
				case HardPermitUndetermined:
					form[0] = strings.Replace(form[0], "(Sử dụng cho công trình không theo tuyến, nhà ở riêng lẻ)", "(Mẫu số 01 Phụ lục II Nghị định số 175/2024/NĐ-CP)", 1)
					form[0] = strings.Replace(form[0], "nhà ở riêng lẻ, cấp III", "cấp III", 1)
				}
				file("don_gpxd", permitForm, "don-de-nghi-cap-gpxd.pdf", form)
				file("gcn_qsdd", permitGCN, "giay-chung-nhan-qsdd.pdf", g.render("gcn_qsdd"))
				d.Expect = map[string]string{permitForm: Present, permitLand: Present}
				he := HardExpect{NeverComplete: true, Status: map[string][]string{permitLand: {Present}}}
				if sc != HardPermitUndetermined {
					// Case 1.7 holds: its own form row is the one submitted.
					he.Status[permitForm] = []string{Present}
				}
				if sc == HardPermitUndetermined {
					he.Raise = []string{"case_undetermined"}
				} else {
					d.Expect[permitDesign] = Missing
					he.Status[permitDesign] = []string{Missing}
					he.NotRaise = []string{"case_undetermined"}
				}
				d.HardExpect = &he
			case HardResidenceDeclared, HardResidenceInferred, HardResidenceUndetermined:
				d.Procedure, d.Agency = "1.004222", "cong-an-phuong-cau-giay"
				file("ct01", resForm, "to-khai-ct01.pdf", g.render("ct01"))
				he := HardExpect{Status: map[string][]string{resForm: {Present}}}
				d.Expect = map[string]string{resForm: Present}
				if sc == HardResidenceUndetermined {
					he.Raise = []string{"case_undetermined"}
					he.NeverComplete = true
				} else {
					file("hop_dong_thue_nha", resContract, "hop-dong-thue-nha.pdf", g.render("hop_dong_thue_nha"))
					if sc == HardResidenceDeclared {
						d.Cases = []string{"case-6"}
					}
					d.Expect[resContract] = Present
					he.Status[resContract] = []string{Present}
					// The case also lists the proof of enough floor area: not
					// in the dossier, so not present.
					he.Status[resArea] = notPresent
					he.NotRaise = []string{"case_undetermined"}
				}
				d.HardExpect = &he
			case HardSignedTampered:
				d.Procedure, d.Agency = "1.001193", "ubnd-phuong-ba-dinh"
				file("to_khai_khai_sinh", birthForm, "to-khai-khai-sinh.pdf", g.render("to_khai_khai_sinh"))
				file("giay_chung_sinh", birthCert, "giay-chung-sinh.pdf", g.render("giay_chung_sinh"))
				d.Files[1].Tamper = TamperAppendedAfterSigning
				d.Expect = map[string]string{birthForm: Present, birthCert: Present}
				d.HardExpect = &HardExpect{SignatureInvalid: true}
			case HardForgedTitleOnly, HardEmptyDocument:
				d.Procedure, d.Agency = "1.001193", "ubnd-phuong-ba-dinh"
				file("to_khai_khai_sinh", birthForm, "to-khai-khai-sinh.pdf", g.render("to_khai_khai_sinh"))
				if sc == HardForgedTitleOnly {
					file("forged", "other", "giay-chung-sinh.pdf", []string{header + "GIẤY CHỨNG SINH\n\nBản chính\n\nCấp cho gia đình\n\nLưu ý: xuất trình khi đăng ký khai sinh\n"})
				} else {
					file("empty", "other", "giay-chung-sinh.pdf", []string{""})
				}
				d.Expect = map[string]string{birthForm: Present, birthCert: Missing}
				d.HardExpect = &HardExpect{NeverComplete: true, Status: map[string][]string{birthCert: notPresent}}
			}
			out = append(out, d)
		}
	}
	return out, nil
}
