// Package dossier provides hoso's domain types: a dossier (hồ sơ), its
// documents, the pre-check report's findings and suggestions, and the error
// codes that stages return. It has no dependencies on NATS or PostgreSQL.
//
// The JSON shape of Report is a public contract (README, `hoso status --json`,
// GET /api/v1/dossiers/{id}): later work adds fields, never renames them.
package dossier

import (
	"fmt"
	"time"

	"github.com/hoso-vn/hoso/internal/pdfsig"
)

// Stages in processing order. A dossier's Stage names the stage it waits in.
const (
	StageIntake   = "intake"
	StageExtract  = "extract"
	StageClassify = "classify"
	StageCheck    = "check"
	StageSuggest  = "suggest"
	StageDone     = "done"
)

// Stages lists the processing stages in order. It is the one declaration
// of them: the consumer table (broker.Consumers), the validation of a
// pipeline definition, the stage set the workers and replay run
// (pipelines/stageset) and the stage figures (telemetry) derive from it.
var Stages = []string{StageIntake, StageExtract, StageClassify, StageCheck, StageSuggest}

// Next returns the stage after s, or StageDone.
func Next(s string) string {
	for i, st := range Stages {
		if st == s && i+1 < len(Stages) {
			return Stages[i+1]
		}
	}
	return StageDone
}

// Dossier statuses.
const (
	StatusReceived   = "received"
	StatusProcessing = "processing"
	StatusPrechecked = "prechecked" // report complete, awaiting officials
	StatusFailed     = "failed"     // dead-lettered; see the dead_letters table
)

// Finding statuses.
const (
	FindingPresent          = "present"
	FindingMissing          = "missing"
	FindingInvalid          = "invalid"
	FindingSatisfiedByReuse = "satisfied_by_reuse"
	FindingNotApplicable    = "not_applicable"
	FindingNeedsReview      = "needs_review"
)

// FindingRank is the order a counter official works in: missing first,
// then needs review, invalid, present, reused, and not applicable last.
// The console and the CLI sort findings by it (stably: the report's order
// within a status).
func FindingRank(status string) int {
	switch status {
	case FindingMissing:
		return 0
	case FindingNeedsReview:
		return 1
	case FindingInvalid:
		return 2
	case FindingPresent:
		return 3
	case FindingSatisfiedByReuse:
		return 4
	case FindingNotApplicable:
		return 6
	}
	return 5
}

// Suggestion statuses. Nothing reaches a citizen unless an official moved the
// suggestion to approved.
const (
	SuggestionPending  = "pending_review"
	SuggestionApproved = "approved"
	SuggestionRejected = "rejected"
)

// Extraction statuses of a document.
const (
	ExtractPending  = "pending"
	ExtractOK       = "ok"
	ExtractNeedsOCR = "needs_ocr"
	ExtractFailed   = "failed"
)

// Document types that are not a requirement of the procedure.
const (
	TypeUnknown = "unknown"
	TypeOther   = "other"
)

// Report is the pre-check report of one dossier.
type Report struct {
	Dossier     Dossier      `json:"dossier"`
	Documents   []Document   `json:"documents"`
	Findings    []Finding    `json:"findings"`
	Suggestions []Suggestion `json:"suggestions"`
	Timeline    []StageEvent `json:"timeline"`
	// Corrections are the officials' decisions on this pre-check, oldest
	// first (internal/correction); empty when there are none.
	Corrections []Correction `json:"corrections,omitempty"`
	// Case is the dossier's case with its human name and how it was
	// determined; absent when the procedure has no cases.
	Case *DossierCase `json:"case,omitempty"`
}

// How a dossier's case was determined (DossierCase.Source).
const (
	CaseDeclared     = "declared"     // metadata.cases, hoso submit --case
	CaseForm         = "form"         // the application form states it
	CaseDocuments    = "documents"    // a paper of the case's own is in the dossier
	CaseOfficial     = "official"     // an official set it (correction)
	CaseUndetermined = "undetermined" // see the case_undetermined finding
)

// DossierCase is the dossier's case in the report (issue #15 item 3).
type DossierCase struct {
	Key      string `json:"key,omitempty"`  // case-7; empty when undetermined
	Name     string `json:"name,omitempty"` // "(1.7) Đối với công trình nhà ở riêng lẻ"
	Source   string `json:"source"`         // declared, form, documents, official, undetermined
	Evidence string `json:"evidence,omitempty"`
}

// Dossier is the header of a submitted dossier.
type Dossier struct {
	ID              string         `json:"id"`
	ProcedureCode   string         `json:"procedure_code"`
	ProcedureName   string         `json:"procedure_name,omitempty"`
	ApplicantID     string         `json:"applicant"`
	Agency          string         `json:"agency,omitempty"`
	SubmittedAt     time.Time      `json:"submitted_at"`
	Status          string         `json:"status"`
	Stage           string         `json:"stage"`
	PipelineVersion string         `json:"pipeline_version,omitempty"`
	Metadata        map[string]any `json:"metadata,omitempty"`
}

// Document is one file of a dossier and what the stages learnt about it.
type Document struct {
	ID       string `json:"id"`
	Filename string `json:"filename"` // as submitted; kept for the record
	// DisplayName is Filename as people see it: vntext.Display strips
	// bidirectional, zero-width and other control characters, so that
	// "hoa-don-\u202efdp.exe" cannot pose as a PDF.
	DisplayName      string         `json:"display_name"`
	ContentType      string         `json:"content_type"`
	Size             int64          `json:"size"`
	SHA256           string         `json:"sha256"`
	Pages            int            `json:"pages"`
	Type             string         `json:"type"` // requirement name it satisfies, or unknown/other
	Confidence       float64        `json:"confidence"`
	ExtractionStatus string         `json:"extraction_status"`
	ExtractionError  string         `json:"extraction_error,omitempty"`
	NeedsReview      bool           `json:"needs_review,omitempty"`
	Classification   map[string]any `json:"classification,omitempty"`
	Fields           []Field        `json:"fields,omitempty"`
	// Signatures are the PDF's digital signatures as the extract stage
	// verified them (internal/pdfsig); empty for unsigned documents.
	Signatures []pdfsig.Signature `json:"signatures,omitempty"`
	// ContentCheck says whether the document holds what its type must hold
	// (names, ID numbers, dates, the form's own labels), apart from what it
	// looks like (Type, Confidence).
	ContentCheck *ContentCheck `json:"content_check,omitempty"`
	// TypeSource is "official" when an official set Type (TypeCorrection
	// says who, when and why, and the type hoso had given); "auto"
	// otherwise.
	TypeSource     string         `json:"type_source,omitempty"`
	TypeCorrection *CorrectionRef `json:"type_correction,omitempty"`
	// CountsFor is the requirement the check stage counted the document
	// for when that is not Type: once the dossier's case is chosen, a paper
	// the classifier named as another case's row of the same paper counts
	// for the chosen case's row (the finding's Details[DetailCaseMappedFrom]
	// keeps Type). Empty when the document counts for Type itself.
	CountsFor string `json:"counts_for,omitempty"`
}

// DetailCaseMappedFrom is the finding detail (and the check stage's
// classification key) naming the requirement a document was classified as
// before the check counted it for its case's own row of the same paper.
const DetailCaseMappedFrom = "case_mapped_from"

// Content check statuses.
const (
	ContentOK          = "ok"
	ContentNeedsReview = "needs_review"
	ContentNotChecked  = "not_checked"
)

// ContentCheck is whether a document holds the expected content of its type:
// Status ContentOK, ContentNeedsReview (with Reason) or ContentNotChecked
// (a type hoso has no field rules for).
type ContentCheck struct {
	Status         string   `json:"status"`
	Reason         string   `json:"reason,omitempty"`
	ExpectedFields []string `json:"expected_fields"`
	FoundFields    []string `json:"found_fields"`
}

// Field is one value extracted from a document, with where it came from.
type Field struct {
	Name       string  `json:"name"`  // full_name, date_of_birth, id_number, address, issue_date, expiry_date…
	Value      string  `json:"value"` // NFC, as written
	Normalized string  `json:"normalized,omitempty"`
	Page       int     `json:"page"`  // 1-based
	Start      int     `json:"start"` // byte offsets into that page's text
	End        int     `json:"end"`
	Confidence float64 `json:"confidence,omitempty"`
	Subject    string  `json:"subject,omitempty"` // whose field: applicant, child, mother…
}

// Finding is one result of the check stage.
type Finding struct {
	Key         string         `json:"key"`
	Kind        string         `json:"kind"` // completeness | consistency | validity | reuse
	Requirement string         `json:"requirement"`
	Status      string         `json:"status"`
	Evidence    string         `json:"evidence"`
	DocumentID  string         `json:"document_id,omitempty"`
	Severity    string         `json:"severity,omitempty"`
	Citations   []Citation     `json:"citations"`
	Details     map[string]any `json:"details,omitempty"`
	// Source is "official" when an official set this finding (Correction
	// says who, when and why); "auto" otherwise.
	Source     string         `json:"source,omitempty"`
	Correction *CorrectionRef `json:"correction,omitempty"`
}

// Citation points a finding at the regulation behind it.
type Citation struct {
	Document string  `json:"document"` // normalised số hiệu, e.g. 123/2015/NĐ-CP
	Title    string  `json:"title,omitempty"`
	Article  int     `json:"article"`
	Clause   *int    `json:"clause"`
	Point    *string `json:"point"`
	Text     string  `json:"text"` // quoted text; verified to occur in the cited unit
	Score    float64 `json:"score"`
	Source   string  `json:"source,omitempty"` // legal_basis | corpus | catalog
}

// Unit names the cited unit in Vietnamese, smallest first ("điểm a khoản 1
// Điều 16"); a citation of the procedure's own catalog entry (Article 0) has
// none.
func (c Citation) Unit() string {
	if c.Article <= 0 {
		return ""
	}
	u := fmt.Sprintf("Điều %d", c.Article)
	if c.Clause != nil {
		u = fmt.Sprintf("khoản %d %s", *c.Clause, u)
	}
	if c.Point != nil && *c.Point != "" {
		u = fmt.Sprintf("điểm %s %s", *c.Point, u)
	}
	return u
}

// Ref is the unit and the document ("khoản 1 Điều 16 60/2014/QH13"), or the
// document alone when there is no unit ("TTHC 1.001193").
func (c Citation) Ref() string {
	if u := c.Unit(); u != "" {
		return u + " " + c.Document
	}
	return c.Document
}

// Suggestion is a proposed message to the citizen, pending an official.
type Suggestion struct {
	ID        string     `json:"id"`
	Key       string     `json:"key,omitempty"`
	Kind      string     `json:"kind"`
	Text      string     `json:"text"`
	TextEN    string     `json:"text_en,omitempty"`
	Rationale string     `json:"rationale,omitempty"`
	Risk      string     `json:"risk,omitempty"`
	Status    string     `json:"status"`
	DecidedBy string     `json:"decided_by,omitempty"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
	Reason    string     `json:"reason,omitempty"`
}

// StageEvent is one entry of a dossier's stage timeline.
type StageEvent struct {
	Stage      string    `json:"stage"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Outcome    string    `json:"outcome"`
	Detail     string    `json:"detail,omitempty"`
	Delivery   int       `json:"delivery"`
}
