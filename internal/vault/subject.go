package vault

import (
	"fmt"
	"strings"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Subject roles: whom or what a vault record is about. A birth certificate
// is about the child, an identity card about its holder, a marriage
// certificate about the applicant's spouse, a land-use certificate about its
// owner, a lease about its tenant, a business registration about the
// business.
const (
	RoleChild    = "child"
	RoleHolder   = "holder"
	RoleSpouse   = "spouse"
	RoleOwner    = "owner"
	RoleTenant   = "tenant"
	RoleBusiness = "business"
)

// subjectRoles gives each vault type the role of its subject.
var subjectRoles = map[string]string{
	"giay_chung_sinh": RoleChild, "trich_luc_khai_sinh": RoleChild,
	"cccd": RoleHolder, "xac_nhan_cu_tru": RoleHolder, "giay_phep_lai_xe": RoleHolder, "the_bhyt": RoleHolder,
	"giay_ket_hon":                      RoleSpouse,
	"giay_chung_nhan_quyen_su_dung_dat": RoleOwner, "giay_phep_xay_dung": RoleOwner,
	"hop_dong_thue_nha":                     RoleTenant,
	"giay_chung_nhan_dang_ky_ho_kinh_doanh": RoleBusiness, "giay_chung_nhan_dang_ky_doanh_nghiep": RoleBusiness,
}

// SubjectRole is the role of the subject of a vault type ("" when the type
// has none the vault knows).
func SubjectRole(docType string) string { return subjectRoles[docType] }

// fieldSubjects are the field subjects (internal/fields) that speak about a
// role's subject.
var fieldSubjects = map[string][]string{
	RoleChild:    {"child"},
	RoleHolder:   {"holder", "applicant", ""},
	RoleSpouse:   {"husband", "wife", "spouse"},
	RoleOwner:    {"owner"},
	RoleTenant:   {"tenant"},
	RoleBusiness: {"owner", "business"},
}

// Subject is who or what a document is about, as its fields establish it.
type Subject struct {
	Role      string `json:"role"`
	Name      string `json:"name,omitempty"`
	BirthDate string `json:"birth_date,omitempty"` // YYYY-MM-DD
	IDNumber  string `json:"id_number,omitempty"`
}

// Known reports whether s identifies anyone.
func (s Subject) Known() bool { return s.Name != "" || s.IDNumber != "" || s.BirthDate != "" }

// String names the subject for evidence ("TRẦN MINH AN, sinh 2026-11-02").
func (s Subject) String() string {
	var parts []string
	if s.Name != "" {
		parts = append(parts, s.Name)
	}
	if s.BirthDate != "" {
		parts = append(parts, "sinh "+s.BirthDate)
	}
	if s.IDNumber != "" {
		parts = append(parts, "số định danh "+s.IDNumber)
	}
	if len(parts) == 0 {
		return "không rõ"
	}
	return strings.Join(parts, ", ")
}

// subjectFromFields reads the subject of role from fields. For a spouse,
// the person whose ID number is not the owner's; conflicting values (two
// names for the one subject) leave it unknown.
func subjectFromFields(role string, fields []dossier.Field, ownerID string) Subject {
	s := Subject{Role: role}
	tags := fieldSubjects[role]
	if role == RoleSpouse {
		return spouseFromFields(fields, ownerID)
	}
	names, dobs, ids := map[string]string{}, map[string]bool{}, map[string]bool{}
	for _, f := range fields {
		if !contains(tags, f.Subject) {
			continue
		}
		v := f.Normalized
		if v == "" {
			v = f.Value
		}
		switch f.Name {
		case "full_name":
			if role != RoleBusiness {
				names[foldName(f.Value)] = strings.TrimSpace(vntext.NFC(f.Value))
			}
		case "business_name":
			if role == RoleBusiness {
				names[foldName(f.Value)] = strings.TrimSpace(vntext.NFC(f.Value))
			}
		case "date_of_birth":
			dobs[v] = true
		case "id_number":
			if d := digits(v); IsIDNumber(d) {
				ids[d] = true
			}
		}
	}
	if len(names) == 1 {
		for _, n := range names {
			s.Name = n
		}
	}
	if len(dobs) == 1 {
		for d := range dobs {
			s.BirthDate = d
		}
	}
	if len(ids) == 1 {
		for d := range ids {
			s.IDNumber = d
		}
	}
	return s
}

func spouseFromFields(fields []dossier.Field, ownerID string) Subject {
	type person struct{ name, dob, id string }
	ps := map[string]*person{}
	for _, f := range fields {
		if f.Subject != "husband" && f.Subject != "wife" && f.Subject != "spouse" {
			continue
		}
		p := ps[f.Subject]
		if p == nil {
			p = &person{}
			ps[f.Subject] = p
		}
		v := f.Normalized
		if v == "" {
			v = f.Value
		}
		switch f.Name {
		case "full_name":
			p.name = strings.TrimSpace(vntext.NFC(f.Value))
		case "date_of_birth":
			p.dob = v
		case "id_number":
			p.id = digits(v)
		}
	}
	var other []*person
	for _, p := range ps {
		if ownerID == "" || p.id != ownerID {
			other = append(other, p)
		}
	}
	if len(other) != 1 {
		return Subject{Role: RoleSpouse} // both or neither could be the spouse: unclear
	}
	return Subject{Role: RoleSpouse, Name: other[0].name, BirthDate: other[0].dob, IDNumber: other[0].id}
}

// SubjectOfRecord returns whom r is about: the subject stored on it, else
// what its fields say. A registry record of the owner's own paper
// (an identity card, a residence record) that names nobody is, by the
// registry's word, about the owner.
func SubjectOfRecord(r Record) Subject {
	role := r.SubjectRole
	if role == "" {
		role = SubjectRole(r.Type)
	}
	s := subjectFromFields(role, r.Fields, r.OwnerID)
	if r.SubjectName != "" && (role == RoleChild || role == RoleBusiness || s.Name == "") {
		s.Name = r.SubjectName
	}
	if r.SubjectIDNumber != "" {
		s.IDNumber = r.SubjectIDNumber
	}
	if r.SubjectBirthDate != "" {
		s.BirthDate = r.SubjectBirthDate
	}
	if !s.Known() && strings.HasPrefix(r.Source, "registry:") && IsIDNumber(r.OwnerID) &&
		(role == RoleHolder || role == RoleOwner || role == RoleTenant) {
		s.IDNumber = r.OwnerID
	}
	return s
}

// Subjects are the subjects a dossier's own documents establish, by role,
// for the once-only lookup: the applicant (by their ID number) holds their
// papers; the child, spouse and business come from the dossier's fields,
// application forms (tờ khai, đơn) first.
type Subjects map[string]Subject

// DossierSubjects reads the subjects of a dossier from the fields of its
// documents. forms are the fields of its application forms (tờ khai, đơn),
// others those of its other documents: a subject the forms establish is
// taken from them alone, so that a paper about someone else does not blur it.
func DossierSubjects(applicantID string, forms, others [][]dossier.Field) Subjects {
	out := Subjects{}
	if IsIDNumber(strings.TrimSpace(applicantID)) {
		id := strings.TrimSpace(applicantID)
		for _, r := range []string{RoleHolder, RoleOwner, RoleTenant} {
			out[r] = Subject{Role: r, IDNumber: id}
		}
	}
	for _, role := range []string{RoleChild, RoleSpouse, RoleBusiness} {
		for _, group := range [][][]dossier.Field{forms, others} {
			var all []dossier.Field
			for _, fs := range group {
				all = append(all, fs...)
			}
			if s := subjectFromFields(role, all, applicantID); s.Known() {
				out[role] = s
				break
			}
		}
	}
	return out
}

// sameSubject decides whether a record about rec may stand in for a paper
// about want. It returns ok, or the reason (Vietnamese, English in
// brackets) why not, which the finding's evidence shows.
func sameSubject(want, rec Subject, title string) (bool, string) {
	who := roleName(rec.Role)
	switch {
	case !rec.Known():
		return false, fmt.Sprintf("%s trong kho dữ liệu không ghi rõ %s nên không dùng lại được (the vault record does not say whom it is about: not reused)", title, who)
	case !want.Known():
		return false, fmt.Sprintf("hồ sơ không ghi rõ %s (họ tên, ngày sinh) nên không dùng lại %s của %s trong kho dữ liệu (the dossier does not establish the %s: not reused)",
			who, title, rec, roleEN(rec.Role))
	}
	differ := fmt.Sprintf("%s trong kho dữ liệu là của %s, còn hồ sơ này là của %s (the vault record is about another %s: not reused)",
		title, rec, want, roleEN(rec.Role))
	if want.IDNumber != "" && rec.IDNumber != "" {
		if want.IDNumber == rec.IDNumber {
			return true, ""
		}
		return false, differ
	}
	if want.BirthDate != "" && rec.BirthDate != "" && want.BirthDate != rec.BirthDate {
		return false, differ
	}
	if want.Name != "" && rec.Name != "" {
		if foldName(want.Name) == foldName(rec.Name) {
			return true, ""
		}
		return false, differ
	}
	return false, fmt.Sprintf("không đủ thông tin để xác định %s trong hồ sơ và trong %s là một (%s vs %s; cannot tell whether the record is about the same %s: not reused)",
		who, title, want, rec, roleEN(rec.Role))
}

func roleName(r string) string {
	switch r {
	case RoleChild:
		return "người được khai sinh (trẻ em)"
	case RoleHolder:
		return "người được cấp"
	case RoleSpouse:
		return "người vợ/chồng"
	case RoleOwner:
		return "chủ sở hữu"
	case RoleTenant:
		return "bên thuê"
	case RoleBusiness:
		return "hộ kinh doanh/doanh nghiệp"
	}
	return "người liên quan"
}

func roleEN(r string) string {
	switch r {
	case RoleChild:
		return "child"
	case RoleHolder:
		return "holder"
	case RoleSpouse:
		return "spouse"
	case RoleOwner:
		return "owner"
	case RoleTenant:
		return "tenant"
	case RoleBusiness:
		return "business"
	}
	return "person"
}

func foldName(s string) string { return strings.Join(vntext.FoldedTokens(s), " ") }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// FormDocument reports whether a classified document is an application form
// (tờ khai, đơn, giấy đề nghị), whose fields state whom the dossier is about:
// by its classifier type, or by the name of the requirement it matched.
func FormDocument(docType, requirementName string) bool {
	if t, ok := Type(docType); ok && isForm(spaced(t.Name)) {
		return true
	}
	return requirementName != "" && isForm(spaced(requirementName))
}
