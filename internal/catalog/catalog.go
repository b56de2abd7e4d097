// Package catalog provides the procedure catalog: the national administrative
// procedures (thủ tục hành chính) compiled into executable requirements
// (thành phần hồ sơ), versioned by effective date and curated by operators.
//
// The JSON field names below are a public contract (`hoso catalog show
// --json`, GET /api/v1/procedures/{code}): add fields, never rename them.
package catalog

import "time"

// Requirement kinds.
const (
	KindSubmit  = "submit"  // giấy tờ phải nộp
	KindPresent = "present" // giấy tờ phải xuất trình
)

// Procedure is one version of an administrative procedure.
type Procedure struct {
	Code           string        `json:"code"` // mã thủ tục, e.g. 1.001193
	Name           string        `json:"name"`
	Field          string        `json:"field"`  // lĩnh vực
	Level          string        `json:"level"`  // cấp thực hiện
	Agency         string        `json:"agency"` // cơ quan thực hiện
	Ministry       string        `json:"ministry,omitempty"`
	ApplicantTypes []string      `json:"applicant_types"`
	ProcessingTime string        `json:"processing_time,omitempty"`
	ProcessingDays float64       `json:"processing_days,omitempty"` // working days, when parseable
	Fees           string        `json:"fees,omitempty"`
	Result         string        `json:"result,omitempty"` // kết quả
	Linked         []string      `json:"linked_procedures,omitempty"`
	Requirements   []Requirement `json:"requirements"`
	LegalBasis     []LegalDoc    `json:"legal_basis"`
	Version        int           `json:"version"`
	EffectiveFrom  time.Time     `json:"effective_from"`
	Source         string        `json:"source"` // import | override | manual
	NeedsReview    bool          `json:"needs_review"`
	ReviewReasons  []string      `json:"review_reasons,omitempty"`
	SourceURL      string        `json:"source_url,omitempty"`
	// Cases are the mutually exclusive groups of the component text
	// ("(1.1) Đối với công trình không theo tuyến", "Trường hợp …:"); empty
	// when the procedure has one set of papers. A requirement of a case has
	// Case set to its key; the others apply in every case.
	Cases []Case `json:"cases,omitempty"`
	// Groups are the alternative ("one of") groups: a requirement satisfied
	// by any of its options.
	Groups []AlternativeGroup `json:"groups,omitempty"`
	// Uncertain lists what the parser could not structure with confidence
	// (a cell it could not split, a heading it could not place), with the
	// reason; `hoso catalog validate` reports them.
	Uncertain []string `json:"uncertain,omitempty"`
	// ComponentText is the component text the requirements were parsed
	// from, as read from the national file (not stored: a stored
	// version's requirements keep their rows in Raw). A StructureReader
	// reads it.
	ComponentText string `json:"-"`
}

// Case is one mutually exclusive group of requirements.
type Case struct {
	Key          string   `json:"key"`          // case-1, case-2… in the text's order
	Name         string   `json:"name"`         // the heading, as written
	Requirements []string `json:"requirements"` // keys of the case's own requirements
}

// Alternative-group kinds.
const (
	GroupOneOf          = "one_of"          // "Một trong các giấy tờ sau: …"
	GroupOr             = "or"              // "A hoặc B"
	GroupElectronicForm = "electronic_form" // an interactive online form instead of the paper one
)

// AlternativeGroup is a requirement that any one of several papers meets.
type AlternativeGroup struct {
	Requirement string   `json:"requirement"` // key
	Kind        string   `json:"kind"`        // one_of | or | electronic_form
	Options     []string `json:"options"`     // the requirement's name, then its alternatives
	// OptionKeys are other requirements of the procedure that are options
	// of this group (the portal lists some options again as rows of their
	// own): a document of any of them satisfies the group.
	OptionKeys []string `json:"option_keys,omitempty"`
}

// Requirement is one required dossier component.
type Requirement struct {
	Key                  string   `json:"key"` // stable slug within the procedure
	Name                 string   `json:"name"`
	Kind                 string   `json:"kind"` // submit | present
	Originals            int      `json:"originals"`
	Copies               int      `json:"copies"`
	Form                 *string  `json:"form"`      // template code, e.g. "Mẫu CT01"
	Condition            *string  `json:"condition"` // case in which it applies
	Alternatives         []string `json:"alternatives"`
	ElectronicSubstitute *string  `json:"electronic_substitute"` // once-only clause
	// Optional reports whether the requirement applies only in a case
	// (Condition != nil) and so is not "missing" when absent unless the
	// dossier's metadata says the case holds.
	Optional   bool    `json:"optional"`
	Method     string  `json:"method"`     // rule | llm | manual | structured
	Confidence float64 `json:"confidence"` // of the parse, 0..1
	Raw        string  `json:"raw,omitempty"`
	// Note keeps the row's other sentences (exceptions, instructions) that
	// are neither a condition, an alternative nor a once-only clause.
	Note string `json:"note,omitempty"`
	// FormFiles are the template files the portal attaches in the form
	// column ("Mẫu số 05.docx").
	FormFiles []string `json:"form_files,omitempty"`
	// Case is the key of the case the requirement belongs to (see
	// Procedure.Cases); empty when it applies in every case.
	Case string `json:"case,omitempty"`
	// Uncertain gives the reason the parser is unsure of this requirement's
	// boundaries (a cell it could not split with confidence).
	Uncertain string `json:"uncertain,omitempty"`

	group     bool     // Condition came from a case-group table header
	heading   string   // the case heading the row sits under, if any
	sub       string   // the row-level heading within its table ("Đối với trường hợp …:"), if any
	groupKind string   // how its alternatives were stated (GroupOneOf…)
	everyCase []string // the case headings that all list this paper
	keyName   string   // the name the key derives from (before trimming)
	typed     bool     // its alternatives are told apart by "(đối với …)"
}

// LegalDoc is one entry of a procedure's legal basis (căn cứ pháp lý).
type LegalDoc struct {
	Number string `json:"number"` // normalised số hiệu, e.g. 123/2015/NĐ-CP
	Title  string `json:"title"`
}
