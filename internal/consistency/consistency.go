// Package consistency checks a dossier's documents against each other and
// against the calendar: the same person's name, personal ID number and date
// of birth agree across documents (accent-insensitively, showing the exact
// forms), identity cards are not expired on the submission date, and dates
// are plausible (not in the future, issued after birth, children born after
// their parents). Its results are findings for the pre-check report.
//
// Findings have stable keys derived from the documents and people they are
// about, so that re-running the check stage (a JetStream redelivery) upserts
// rather than duplicates them.
package consistency

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/fields"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Finding kinds.
const (
	KindConsistency = "consistency"
	KindValidity    = "validity"
)

// Severities.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// Doc is one classified document with its extracted fields.
type Doc struct {
	ID       string
	Filename string
	DocType  string
	Fields   []dossier.Field
}

// subjectNames are the Vietnamese names of whose field it is.
var subjectNames = map[string]string{
	"applicant": "người yêu cầu", "child": "người được khai sinh", "mother": "mẹ", "father": "cha",
	"holder": "chủ thẻ", "authoriser": "người ủy quyền", "authorised": "người được ủy quyền",
	"owner": "chủ sở hữu/chủ hộ kinh doanh/chủ đầu tư", "household_head": "chủ hộ", "husband": "chồng",
	"wife": "vợ", "witness": "người làm chứng", "tenant": "bên thuê", "parent": "cha/mẹ/người giám hộ",
}

func subjectName(s string) string {
	if n, ok := subjectNames[s]; ok {
		return n
	}
	if s == "" {
		return "không rõ"
	}
	return s
}

// identityDocs are the document types whose expiry matters.
var identityDocs = map[string]bool{"cccd": true}

// mention is one person as one document describes them.
type mention struct {
	doc     *Doc
	subject string
	name    *dossier.Field
	dob     *dossier.Field
	year    *dossier.Field
	id      *dossier.Field
	issue   *dossier.Field
	expiry  *dossier.Field
}

func (m *mention) where() string {
	f := m.doc.Filename
	if f == "" {
		f = m.doc.ID
	}
	return fmt.Sprintf("%s, %s", subjectName(m.subject), f)
}

func (m *mention) birthYear() int {
	if m.dob != nil {
		if t, ok := date(m.dob); ok {
			return t.Year()
		}
	}
	if m.year != nil {
		var y int
		fmt.Sscanf(m.year.Normalized, "%d", &y)
		return y
	}
	return 0
}

func (m *mention) foldedName() string {
	if m.name == nil {
		return ""
	}
	return strings.Join(vntext.FoldedTokens(m.name.Normalized), " ")
}

func mentions(docs []Doc) []*mention {
	var out []*mention
	for i := range docs {
		d := &docs[i]
		by := map[string]*mention{}
		var order []string
		for j := range d.Fields {
			f := &d.Fields[j]
			m := by[f.Subject]
			if m == nil {
				m = &mention{doc: d, subject: f.Subject}
				by[f.Subject] = m
				order = append(order, f.Subject)
			}
			slot := map[string]**dossier.Field{
				fields.FullName: &m.name, fields.DateOfBirth: &m.dob, fields.YearOfBirth: &m.year,
				fields.IDNumber: &m.id, fields.IssueDate: &m.issue, fields.ExpiryDate: &m.expiry,
			}[f.Name]
			if slot != nil && *slot == nil {
				*slot = f
			}
		}
		for _, s := range order {
			out = append(out, by[s])
		}
	}
	return out
}

// Check returns the consistency and validity findings of a dossier submitted
// at submittedAt. The result is deterministic for the same input.
func Check(docs []Doc, submittedAt time.Time) []dossier.Finding {
	ms := mentions(docs)
	var out []dossier.Finding
	out = append(out, crossDocument(ms)...)
	for _, m := range ms {
		out = append(out, validity(m, submittedAt)...)
	}
	out = append(out, parentAges(ms)...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// ---- across documents

func crossDocument(ms []*mention) []dossier.Finding {
	parent := make([]int, len(ms))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	union := func(a, b int) { parent[find(a)] = find(b) }
	for i := range ms {
		for j := i + 1; j < len(ms); j++ {
			a, b := ms[i], ms[j]
			if a.doc == b.doc {
				continue // two people of one document are two people
			}
			if a.id != nil && b.id != nil && a.id.Normalized == b.id.Normalized {
				union(i, j)
				continue
			}
			fa, fb := a.foldedName(), b.foldedName()
			if fa != "" && fa != fb && sameBirthDate(a, b) && oneSyllableApart(fa, fb) {
				// The same full date of birth and a name that differs in
				// one syllable (a misspelt middle name, a typo) is one
				// person written two ways — the mismatch officials must
				// see. Siblings differ in their dates of birth.
				union(i, j)
				continue
			}
			if fa != "" && fa != fb && onePerson(a.subject, b.subject) && oneSyllableApart(fa, fb) && !contradict(a, b) {
				// The same role on two documents (the owner on the
				// application and on the permit it asks to re-issue, the
				// mother on the birth certificate and on the declaration,
				// a form's "cha/mẹ/giám hộ" and the mother or father)
				// under a name that differs only in its middle syllable:
				// one person written two ways, which an official must see.
				union(i, j)
				continue
			}
			if fa == "" || fa != fb || len(strings.Fields(fa)) < 2 {
				continue
			}
			// Same name: the same person unless two independent signals
			// (ID number and year of birth) both say otherwise.
			idDiffers := a.id != nil && b.id != nil
			ya, yb := a.birthYear(), b.birthYear()
			if idDiffers && ya != 0 && yb != 0 && ya != yb {
				continue
			}
			union(i, j)
		}
	}
	clusters := map[int][]*mention{}
	var roots []int
	for i := range ms {
		r := find(i)
		if clusters[r] == nil {
			roots = append(roots, r)
		}
		clusters[r] = append(clusters[r], ms[i])
	}
	var out []dossier.Finding
	for _, r := range roots {
		c := clusters[r]
		if len(c) < 2 {
			continue
		}
		key := clusterKey(c)
		out = append(out, compareNames(key, c)...)
		out = append(out, compareIDs(key, c)...)
		out = append(out, compareBirth(key, c)...)
	}
	return out
}

// clusterKey names a person stably: the smallest ID number mentioned, else
// the folded name.
func clusterKey(c []*mention) string {
	best := ""
	for _, m := range c {
		if m.id != nil && (best == "" || m.id.Normalized < best) {
			best = m.id.Normalized
		}
	}
	if best != "" {
		return "id:" + best
	}
	names := []string{}
	for _, m := range c {
		if n := m.foldedName(); n != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "unknown"
	}
	return "name:" + strings.ReplaceAll(names[0], " ", "-")
}

type shown struct {
	m     *mention
	f     *dossier.Field
	value string
}

func detail(ss []shown) []map[string]any {
	var out []map[string]any
	for _, s := range ss {
		out = append(out, map[string]any{
			"document_id": s.m.doc.ID, "filename": s.m.doc.Filename, "subject": s.m.subject,
			"value": s.f.Value, "normalized": s.f.Normalized, "page": s.f.Page, "start": s.f.Start, "end": s.f.End,
		})
	}
	return out
}

func list(ss []shown) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = fmt.Sprintf("%q (%s)", s.value, s.m.where())
	}
	return strings.Join(parts, " và ")
}

func compareNames(key string, c []*mention) []dossier.Finding {
	var ss []shown
	for _, m := range c {
		if m.name != nil {
			ss = append(ss, shown{m, m.name, m.name.Value})
		}
	}
	if len(ss) < 2 {
		return nil
	}
	folded, exact := map[string]bool{}, map[string]bool{}
	for _, s := range ss {
		folded[strings.Join(vntext.FoldedTokens(s.f.Normalized), " ")] = true
		exact[toneKey(fields.NormalizeName(s.f.Normalized))] = true
	}
	f := dossier.Finding{Key: "consistency/name/" + key, Kind: KindConsistency, Citations: []dossier.Citation{}, Details: map[string]any{"values": detail(ss)}}
	switch {
	case len(folded) > 1:
		f.Status, f.Severity = dossier.FindingInvalid, SeverityError
		f.Evidence = "Họ tên của cùng một người không khớp giữa các giấy tờ: " + list(ss) + "."
		f.Details["evidence_en"] = "The same person's name differs between documents."
	case len(exact) > 1:
		f.Status, f.Severity = dossier.FindingPresent, SeverityWarning
		f.Evidence = "Họ tên khớp khi bỏ dấu nhưng khác dấu giữa các giấy tờ, cần kiểm tra: " + list(ss) + "."
		f.Details["evidence_en"] = "The names agree without diacritics but their diacritics differ; check the exact spelling."
	default:
		f.Status, f.Severity = dossier.FindingPresent, SeverityInfo
		f.Evidence = "Họ tên thống nhất giữa các giấy tờ: " + list(ss) + "."
		f.Details["evidence_en"] = "The name agrees across documents."
	}
	return []dossier.Finding{f}
}

func compareIDs(key string, c []*mention) []dossier.Finding {
	var ss []shown
	vals := map[string]bool{}
	for _, m := range c {
		if m.id != nil {
			ss = append(ss, shown{m, m.id, m.id.Normalized})
			vals[m.id.Normalized] = true
		}
	}
	if len(ss) < 2 {
		return nil
	}
	f := dossier.Finding{Key: "consistency/id_number/" + key, Kind: KindConsistency, Citations: []dossier.Citation{}, Details: map[string]any{"values": detail(ss)}}
	if len(vals) > 1 {
		f.Status, f.Severity = dossier.FindingInvalid, SeverityError
		f.Evidence = "Số định danh cá nhân của cùng một người không khớp: " + list(ss) + "."
		f.Details["evidence_en"] = "The same person's ID number differs between documents."
	} else {
		f.Status, f.Severity = dossier.FindingPresent, SeverityInfo
		f.Evidence = "Số định danh cá nhân thống nhất: " + list(ss) + "."
		f.Details["evidence_en"] = "The ID number agrees across documents."
	}
	return []dossier.Finding{f}
}

func compareBirth(key string, c []*mention) []dossier.Finding {
	var ss []shown
	var full []time.Time
	years := map[int]bool{}
	for _, m := range c {
		switch {
		case m.dob != nil:
			if t, ok := date(m.dob); ok {
				ss = append(ss, shown{m, m.dob, t.Format("02/01/2006")})
				full = append(full, t)
				years[t.Year()] = true
			}
		case m.year != nil:
			if y := m.birthYear(); y > 0 {
				ss = append(ss, shown{m, m.year, m.year.Normalized})
				years[y] = true
			}
		}
	}
	if len(ss) < 2 {
		return nil
	}
	differ := len(years) > 1
	for _, t := range full[min(1, len(full)):] {
		if !t.Equal(full[0]) {
			differ = true
		}
	}
	f := dossier.Finding{Key: "consistency/date_of_birth/" + key, Kind: KindConsistency, Citations: []dossier.Citation{}, Details: map[string]any{"values": detail(ss)}}
	if differ {
		f.Status, f.Severity = dossier.FindingInvalid, SeverityError
		f.Evidence = "Ngày/năm sinh của cùng một người không khớp: " + list(ss) + "."
		f.Details["evidence_en"] = "The same person's date of birth differs between documents."
	} else {
		f.Status, f.Severity = dossier.FindingPresent, SeverityInfo
		f.Evidence = "Ngày/năm sinh thống nhất: " + list(ss) + "."
		f.Details["evidence_en"] = "The date of birth agrees across documents."
	}
	return []dossier.Finding{f}
}

// toneKey makes a name independent of where the tone mark sits: "Hoà" (old
// style) and "Hòa" (new style) are one spelling, "Hòa" and "Hoa" are not.
// Each syllable becomes its letters without the tone mark, plus the tone.
func toneKey(name string) string {
	var b strings.Builder
	for i, syl := range strings.Fields(name) {
		if i > 0 {
			b.WriteByte(' ')
		}
		tone := rune(0)
		for _, r := range norm.NFD.String(syl) {
			switch r {
			case '\u0300', '\u0301', '\u0309', '\u0303', '\u0323': // huyền, sắc, hỏi, ngã, nặng
				tone = r
			default:
				b.WriteRune(r)
			}
		}
		if tone != 0 {
			b.WriteRune('#')
			b.WriteRune(tone)
		}
	}
	return norm.NFC.String(b.String())
}

// ---- within one document

func date(f *dossier.Field) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", f.Normalized)
	return t, err == nil
}

func vnDate(t time.Time) string { return t.Format("02/01/2006") }

// CardExpiry is the expiry date of a thẻ căn cước / căn cước công dân under
// Luật Căn cước 2023 (Điều 21): the card must be renewed at 25, 40 and 60;
// a card issued within 2 years before one of those ages stays valid until
// the next one, and from 60 it does not expire (zero time).
func CardExpiry(dob, issue time.Time) time.Time {
	for _, age := range []int{25, 40, 60} {
		m := dob.AddDate(age, 0, 0)
		if issue.Before(m.AddDate(-2, 0, 0)) {
			return m
		}
	}
	return time.Time{}
}

func validity(m *mention, at time.Time) []dossier.Finding {
	var out []dossier.Finding
	base := m.doc.ID + "/" + m.subject
	bad := func(key, vi, en string, f *dossier.Field) {
		out = append(out, dossier.Finding{Key: "validity/" + key + "/" + base, Kind: KindValidity, Status: dossier.FindingInvalid, Severity: SeverityError,
			Evidence: vi, DocumentID: m.doc.ID, Citations: []dossier.Citation{}, Details: map[string]any{"evidence_en": en, "values": detail([]shown{{m, f, f.Value}})}})
	}
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	for _, f := range []*dossier.Field{m.dob, m.issue} {
		if f == nil {
			continue
		}
		if t, ok := date(f); ok && t.After(day) {
			bad("future_"+f.Name, fmt.Sprintf("Ngày %s ghi trên %s (%s) sau ngày nộp hồ sơ %s.", vnDate(t), m.doc.Filename, subjectName(m.subject), vnDate(day)),
				fmt.Sprintf("The %s %s is after the submission date.", f.Name, vnDate(t)), f)
		}
	}
	dob, okB := time.Time{}, false
	if m.dob != nil {
		dob, okB = date(m.dob)
	}
	issue, okI := time.Time{}, false
	if m.issue != nil {
		issue, okI = date(m.issue)
	}
	if okB && okI && issue.Before(dob) {
		bad("issue_before_birth", fmt.Sprintf("Ngày cấp %s trước ngày sinh %s trên %s.", vnDate(issue), vnDate(dob), m.doc.Filename),
			"The issue date is before the date of birth.", m.issue)
	}
	if m.id != nil && len(m.id.Normalized) == 12 {
		if probs := fields.CheckIDAgainst(m.id.Normalized, m.birthYear(), nil); len(probs) > 0 {
			bad("id_number", fmt.Sprintf("Số định danh %s (%s) không hợp lệ: %s.", m.id.Normalized, m.where(), strings.Join(probs, "; ")),
				"The personal ID number is malformed or disagrees with the year of birth.", m.id)
		}
	}
	if identityDocs[m.doc.DocType] && m.subject == "holder" {
		out = append(out, expiry(m, dob, okB, issue, okI, day)...)
	}
	return out
}

func expiry(m *mention, dob time.Time, okB bool, issue time.Time, okI bool, day time.Time) []dossier.Finding {
	f := dossier.Finding{Key: "validity/expiry/" + m.doc.ID, Kind: KindValidity, DocumentID: m.doc.ID, Citations: []dossier.Citation{}, Details: map[string]any{}}
	var exp time.Time
	var from string
	switch {
	case m.expiry != nil:
		t, ok := date(m.expiry)
		if !ok {
			return nil
		}
		exp, from = t, "ghi trên thẻ"
		f.Details["values"] = detail([]shown{{m, m.expiry, m.expiry.Value}})
	case okB && okI:
		exp, from = CardExpiry(dob, issue), "tính theo Điều 21 Luật Căn cước (đổi thẻ ở tuổi 25, 40, 60)"
		if exp.IsZero() {
			f.Status, f.Severity = dossier.FindingPresent, SeverityInfo
			f.Evidence = fmt.Sprintf("Thẻ căn cước %s cấp ngày %s khi chủ thẻ đã đủ 58 tuổi: có giá trị không thời hạn.", m.doc.Filename, vnDate(issue))
			f.Details["evidence_en"] = "The card was issued at 58 or later and does not expire."
			return []dossier.Finding{f}
		}
	default:
		return nil
	}
	f.Details["expiry"] = exp.Format("2006-01-02")
	if exp.Before(day) || exp.Equal(day) {
		f.Status, f.Severity = dossier.FindingInvalid, SeverityError
		f.Evidence = fmt.Sprintf("Thẻ căn cước %s hết hạn ngày %s (%s), trước ngày nộp hồ sơ %s.", m.doc.Filename, vnDate(exp), from, vnDate(day))
		f.Details["evidence_en"] = "The identity card expired before the submission date."
	} else {
		f.Status, f.Severity = dossier.FindingPresent, SeverityInfo
		f.Evidence = fmt.Sprintf("Thẻ căn cước %s còn giá trị đến ngày %s (%s).", m.doc.Filename, vnDate(exp), from)
		f.Details["evidence_en"] = "The identity card is valid on the submission date."
	}
	out := []dossier.Finding{f}
	// The printed expiry must follow the age rule.
	if m.expiry != nil && okB && okI {
		if rule := CardExpiry(dob, issue); !rule.IsZero() && !rule.Equal(exp) {
			out = append(out, dossier.Finding{Key: "validity/expiry_rule/" + m.doc.ID, Kind: KindValidity, Status: dossier.FindingInvalid, Severity: SeverityWarning, DocumentID: m.doc.ID, Citations: []dossier.Citation{},
				Evidence: fmt.Sprintf("Hạn thẻ ghi %s nhưng theo ngày sinh %s và ngày cấp %s thì thẻ có giá trị đến %s: cần kiểm tra thẻ.", vnDate(exp), vnDate(dob), vnDate(issue), vnDate(rule)),
				Details:  map[string]any{"evidence_en": "The printed expiry does not follow the age-based rule.", "expected": rule.Format("2006-01-02")}})
		}
	}
	return out
}

// parentAges checks, within each document, that children were born after
// their parents, with a parent at least 12 years older.
func parentAges(ms []*mention) []dossier.Finding {
	var out []dossier.Finding
	byDoc := map[*Doc]map[string]*mention{}
	var docs []*Doc
	for _, m := range ms {
		if byDoc[m.doc] == nil {
			byDoc[m.doc] = map[string]*mention{}
			docs = append(docs, m.doc)
		}
		byDoc[m.doc][m.subject] = m
	}
	for _, d := range docs {
		child := byDoc[d]["child"]
		if child == nil || child.birthYear() == 0 {
			continue
		}
		cy := child.birthYear()
		for _, p := range []string{"mother", "father"} {
			pm := byDoc[d][p]
			if pm == nil || pm.birthYear() == 0 {
				continue
			}
			if py := pm.birthYear(); py > cy-12 {
				f := pm.year
				if f == nil {
					f = pm.dob
				}
				out = append(out, dossier.Finding{Key: "validity/parent_age/" + d.ID + "/" + p, Kind: KindValidity, Status: dossier.FindingInvalid, Severity: SeverityError, DocumentID: d.ID, Citations: []dossier.Citation{},
					Evidence: fmt.Sprintf("Năm sinh của %s (%d) không hợp lý so với năm sinh của con (%d) trên %s.", subjectName(p), py, cy, d.Filename),
					Details:  map[string]any{"evidence_en": "The parent's year of birth is implausible for the child's.", "values": detail([]shown{{pm, f, f.Value}})}})
			}
		}
	}
	return out
}

// sameBirthDate reports whether both mentions give the same full date of
// birth.
func sameBirthDate(a, b *mention) bool {
	if a.dob == nil || b.dob == nil {
		return false
	}
	ta, okA := date(a.dob)
	tb, okB := date(b.dob)
	return okA && okB && ta.Equal(tb)
}

// contradict reports whether two mentions carry independent evidence of two
// people: different ID numbers, or different years of birth. Sisters may
// share a family and a given name.
func contradict(a, b *mention) bool {
	if a.id != nil && b.id != nil && a.id.Normalized != b.id.Normalized {
		return true
	}
	ya, yb := a.birthYear(), b.birthYear()
	return ya != 0 && yb != 0 && ya != yb
}

// onePerson reports whether two mentions' roles name one person of the
// dossier, so that a name one syllable apart is that person written
// another way: the same role where a dossier holds it once (its owner,
// mother, father, husband, wife, household head or applicant; not a
// child, whose birth certificate carries only the name the parents
// intended, which the declaration may change), or two roles that
// roleLinks says one person holds.
func onePerson(a, b string) bool {
	return a == b && roleHeldOnce[a] || roleLinks[[2]string{a, b}] || roleLinks[[2]string{b, a}]
}

// roleLinks are pairs of roles one person holds in a dossier:
//   - a parent named without saying which ("Họ tên cha/mẹ/giám hộ" on a
//     form) and the mother or the father;
//   - the person who signs a power of attorney filed in the dossier ("I.
//     Người ủy quyền") and the one who files on the application
//     ("applicant"; "owner" on the forms that name the filer so: the
//     household business's owner, the building's investor): the paper
//     authorises someone to act in that person's matter. Whoever else
//     signs one (a parent for a child, a director for a company) is named
//     differently, not one syllable apart.
var roleLinks = map[[2]string]bool{
	{"parent", "mother"}: true, {"parent", "father"}: true,
	{"authoriser", "applicant"}: true, {"authoriser", "owner"}: true,
}

var roleHeldOnce = map[string]bool{"owner": true, "mother": true, "father": true, "husband": true, "wife": true,
	"household_head": true, "applicant": true, "holder": true}

// oneSyllableApart reports whether two folded names of at least three
// syllables have the same number of syllables, the same family and given
// name, and differ in exactly one syllable.
func oneSyllableApart(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) != len(fb) || len(fa) < 3 || fa[0] != fb[0] || fa[len(fa)-1] != fb[len(fb)-1] {
		return false
	}
	diff := 0
	for i := range fa {
		if fa[i] != fb[i] {
			diff++
		}
	}
	return diff == 1
}
