package dossier

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Kinds of an official's correction of a pre-check.
const (
	CorrectCase         = "case"          // the dossier's case (a condition of the procedure)
	CorrectDocumentType = "document_type" // a document is this requirement, or "other"
	CorrectFinding      = "finding"       // a finding's status, with a reason
)

// SourceOfficial marks a conclusion an official made (findings[].source,
// documents[].type_source); automatic ones are SourceAuto.
const (
	SourceOfficial = "official"
	SourceAuto     = "auto"
)

// Correction is one decision of an official on a dossier's pre-check. The
// check stage applies the latest correction of each (Kind, Target) on top
// of its own conclusions, so no automatic run overwrites it.
type Correction struct {
	ID        int64     `json:"id"`
	DossierID string    `json:"dossier_id"`
	Kind      string    `json:"kind"`
	Target    string    `json:"target,omitempty"` // document id or finding key; "" for the case
	Value     string    `json:"value"`
	AutoValue string    `json:"auto_value,omitempty"` // what hoso had concluded
	Reason    string    `json:"reason,omitempty"`
	Actor     string    `json:"actor"`
	CreatedAt time.Time `json:"created_at"`
}

// CorrectionRef is how a report shows who decided, when and why.
type CorrectionRef struct {
	ID     int64     `json:"id"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"`
	Auto   string    `json:"auto,omitempty"` // hoso's own conclusion, kept for the record
}

// Ref returns c as a report shows it.
func (c Correction) Ref() *CorrectionRef {
	return &CorrectionRef{ID: c.ID, By: c.Actor, At: c.CreatedAt, Reason: c.Reason, Auto: c.AutoValue}
}

// Corrections are a dossier's corrections, oldest first.
type Corrections []Correction

// Latest returns the correction in force for (kind, target).
func (cs Corrections) Latest(kind, target string) (Correction, bool) {
	for i := len(cs) - 1; i >= 0; i-- {
		if cs[i].Kind == kind && cs[i].Target == target {
			return cs[i], true
		}
	}
	return Correction{}, false
}

// Case returns the case an official set, if any.
func (cs Corrections) Case() (Correction, bool) { return cs.Latest(CorrectCase, "") }

// Hash identifies the corrections in force, for a stage's input hash: a
// run with other corrections is another run, the same ones the same run.
// Empty when there are none, so that dossiers without corrections keep
// their earlier input hashes.
func (cs Corrections) Hash() string {
	if len(cs) == 0 {
		return ""
	}
	h := sha256.New()
	for _, c := range cs {
		fmt.Fprintf(h, "%d\x1f%s\x1f%s\x1f%s\x1f%s\x1e", c.ID, c.Kind, c.Target, c.Value, c.Reason)
	}
	return "corrections:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// CorrectionKey is a correction's idempotency key: the same (kind, target,
// value, reason) over the same earlier correction is the same correction.
func CorrectionKey(kind, target, value, reason string, supersedes int64) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x1f%s\x1f%s\x1f%s\x1f%d", kind, target, value, reason, supersedes)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// ApplyType sets doc's type to the one an official gave, and reports
// whether there was one.
func (cs Corrections) ApplyType(doc *Document) bool {
	c, ok := cs.Latest(CorrectDocumentType, doc.ID)
	if !ok {
		return false
	}
	doc.Type = c.Value
	doc.Confidence = 1
	doc.NeedsReview = false
	return true
}

// ApplyFinding sets f's status to the one an official gave, marking it as
// theirs (details.source, corrected_by, corrected_at, reason), and reports
// whether there was one.
func (cs Corrections) ApplyFinding(f *Finding) bool {
	c, ok := cs.Latest(CorrectFinding, f.Key)
	if !ok {
		return false
	}
	MarkOfficial(f, c, f.Status)
	f.Status = c.Value
	switch c.Value {
	case FindingMissing:
		f.Severity = "error"
	case FindingPresent:
		f.Severity = "info"
	case FindingNotApplicable:
		f.Severity = "info"
	}
	f.Evidence = fmt.Sprintf("Cán bộ %s xác định: %s. Lý do: %s (set by an official; hoso had concluded %q)", c.Actor, c.Value, c.Reason, c.AutoValue)
	return true
}

// MarkOfficial records on f that an official decided it, and what hoso had
// concluded (auto).
func MarkOfficial(f *Finding, c Correction, auto string) {
	if f.Details == nil {
		f.Details = map[string]any{}
	}
	f.Details["source"] = SourceOfficial
	f.Details["corrected_by"] = c.Actor
	f.Details["corrected_at"] = c.CreatedAt.UTC().Format(time.RFC3339)
	f.Details["correction_id"] = c.ID
	f.Details["auto_status"] = auto
	if c.Reason != "" {
		f.Details["reason"] = c.Reason
	}
}

// ForDossier keeps the corrections of one dossier.
func (cs Corrections) ForDossier(id string) Corrections {
	var out Corrections
	for _, c := range cs {
		if c.DossierID == id {
			out = append(out, c)
		}
	}
	return out
}
