package vault

import (
	"strings"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// TypeInfo describes a document type the vault can hold.
type TypeInfo struct {
	Type   string
	Name   string // Vietnamese
	NameEN string
	// Aliases are accent-folded phrases that name this type inside a
	// requirement's name; a leading "^" anchors the phrase at the start of
	// the name or of one of its alternatives.
	Aliases []string
	// Reusable reports whether a verified record of this type may stand in
	// for the paper in a later procedure. Application forms (tờ khai, đơn)
	// are written for one dossier and never are.
	Reusable bool
}

// reusable lists the classifier's document types that are evidence held by
// an agency (giấy tờ), as opposed to forms the applicant fills for one
// dossier.
var reusable = map[string]bool{
	"giay_chung_sinh": true, "cccd": true, "giay_ket_hon": true, "trich_luc_khai_sinh": true,
	"giay_chung_nhan_quyen_su_dung_dat": true, "giay_phep_xay_dung": true, "hop_dong_thue_nha": true,
}

// extra are the types that only registries supply (no classifier class).
var extra = []TypeInfo{
	{Type: "xac_nhan_cu_tru", Name: "Thông tin cư trú (Cơ sở dữ liệu về cư trú)", NameEN: "Residence record",
		Aliases: []string{"xac nhan thong tin ve cu tru", "thong tin ve cu tru", "giay to co gia tri chung minh thong tin ve cu tru", "chung minh cho o hop phap"}, Reusable: true},
	{Type: "giay_phep_lai_xe", Name: "Giấy phép lái xe", NameEN: "Driving licence",
		Aliases: []string{"^giay phep lai xe", "ban sao giay phep lai xe"}, Reusable: true},
	{Type: "giay_chung_nhan_dang_ky_ho_kinh_doanh", Name: "Giấy chứng nhận đăng ký hộ kinh doanh", NameEN: "Household business registration certificate",
		Aliases: []string{"giay chung nhan dang ky ho kinh doanh"}, Reusable: true},
	{Type: "giay_chung_nhan_dang_ky_doanh_nghiep", Name: "Giấy chứng nhận đăng ký doanh nghiệp", NameEN: "Enterprise registration certificate",
		Aliases: []string{"giay chung nhan dang ky doanh nghiep"}, Reusable: true},
	{Type: "the_bhyt", Name: "Thẻ bảo hiểm y tế", NameEN: "Health insurance card", Aliases: []string{"the bao hiem y te"}, Reusable: true},
}

// Types returns every type the vault knows: the classifier's taxonomy (so
// that accepted documents keep their class) and the registry-only types.
func Types() []TypeInfo {
	out := make([]TypeInfo, 0, len(classifier.Taxonomy)+len(extra))
	for _, t := range classifier.Taxonomy {
		if t.Type == "other" {
			continue
		}
		out = append(out, TypeInfo{Type: t.Type, Name: t.Name, NameEN: t.NameEN, Aliases: t.Aliases, Reusable: reusable[t.Type]})
	}
	return append(out, extra...)
}

// Type returns the entry of t.
func Type(t string) (TypeInfo, bool) {
	for _, i := range Types() {
		if i.Type == t {
			return i, true
		}
	}
	return TypeInfo{}, false
}

// TypesFor returns the reusable vault types that can satisfy req, judged by
// the requirement's name and alternatives. A requirement that is an
// application form (tờ khai, đơn, phiếu) is satisfied by no record.
func TypesFor(req catalog.Requirement) []string {
	name := spaced(req.Name)
	if isForm(name) {
		return nil
	}
	parts := []string{name}
	for _, a := range req.Alternatives {
		parts = append(parts, spaced(a))
	}
	var out []string
	for _, t := range Types() {
		if !t.Reusable {
			continue
		}
		if matchesAny(t.Aliases, parts) {
			out = append(out, t.Type)
		}
	}
	return out
}

// TypeForRequirementName guesses the vault type of an accepted document
// from the name of the requirement it satisfied, when the classifier left no
// type: "" when none fits.
func TypeForRequirementName(name string) string {
	s := spaced(name)
	for _, t := range Types() {
		if matchesAny(t.Aliases, []string{s}) {
			return t.Type
		}
	}
	return ""
}

func matchesAny(aliases, parts []string) bool {
	for _, al := range aliases {
		anchored := strings.HasPrefix(al, "^")
		al = strings.TrimPrefix(al, "^")
		for _, p := range parts {
			if anchored {
				if strings.HasPrefix(p, al+" ") || p == al {
					return true
				}
				continue
			}
			if strings.Contains(" "+p+" ", " "+al+" ") {
				return true
			}
		}
	}
	return false
}

// isForm reports whether a folded requirement name is an application form,
// which is written anew for each dossier.
func isForm(s string) bool {
	for _, p := range []string{"to khai", "don de nghi", "don xin", "phieu de nghi", "phieu thu nhan", "phieu bao", "mau ho tich dien tu", "van ban de nghi", "giay de nghi"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func spaced(s string) string { return strings.Join(vntext.FoldedTokens(s), " ") }
