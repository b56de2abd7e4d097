package vault

import (
	"context"
	"time"

	"github.com/hoso-vn/hoso/internal/audit"
	"github.com/hoso-vn/hoso/internal/review"
)

// Export is what hoso holds about one citizen, for a data-subject request
// under Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 (the right to access and
// obtain one's personal data).
type Export struct {
	CitizenID   string    `json:"citizen_id"`
	GeneratedAt time.Time `json:"generated_at"`
	LegalBasis  string    `json:"legal_basis"`
	// Records are every vault record, including expired and revoked ones.
	Records []Record `json:"records"`
	// Dossiers are the dossiers the citizen submitted or that hoso drafted.
	Dossiers []ExportDossier `json:"dossiers"`
	// Inbox is every approved message sent to the citizen.
	Inbox []review.InboxItem `json:"inbox"`
	// Responses are every answer the citizen gave to a prompt.
	Responses []Response `json:"responses"`
	// Signed are the records the agency signed for the citizen's dossiers:
	// the receipt PDF (PAdES, opens in any PDF reader), decisions and
	// messages (canonical JSON with a detached CMS), each verifiable offline
	// with `hoso verify --export FILE`. Pre-check reports stay with the
	// agency: they are its internal working record.
	Signed []ExportSigned `json:"signed_records"`
	// Events are the life events hoso received about the citizen.
	Events []ExportEvent `json:"events"`
}

// ExportDossier is a dossier header in an export.
type ExportDossier struct {
	ID            string    `json:"id"`
	ProcedureCode string    `json:"procedure_code"`
	Status        string    `json:"status"`
	SubmittedAt   time.Time `json:"submitted_at"`
	Documents     int       `json:"documents"`
}

// ExportSigned is one signed record; Content and Signature are base64 in
// JSON.
type ExportSigned struct {
	DossierID   string    `json:"dossier_id"`
	Kind        string    `json:"kind"` // receipt | decision | message
	Ref         string    `json:"ref"`
	Official    string    `json:"official,omitempty"`
	ContentType string    `json:"content_type"`
	Content     []byte    `json:"content"`
	Signature   []byte    `json:"signature,omitempty"`
	Signer      string    `json:"signer"`
	SHA256      string    `json:"sha256"`
	SignedAt    time.Time `json:"signed_at"`
}

// Response is one answer of a citizen to an inbox item.
type Response struct {
	InboxID      int64     `json:"inbox_id"`
	SuggestionID string    `json:"suggestion_id"`
	Response     string    `json:"response"`
	Actor        string    `json:"actor"`
	DraftDossier string    `json:"draft_dossier,omitempty"`
	At           time.Time `json:"at"`
}

// ExportEvent is a trigger event in an export.
type ExportEvent struct {
	ID         string    `json:"id"`
	Kind       string    `json:"kind"`
	OccurredAt time.Time `json:"occurred_at"`
	Origin     string    `json:"origin"`
}

// ExportLegalBasis names the law behind the export.
const ExportLegalBasis = "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15: quyền của chủ thể dữ liệu được biết và được cung cấp dữ liệu cá nhân của mình (data subject's right of access)"

// Export collects everything hoso holds about citizenID and records the
// request in the audit log as done by actor.
func (s *Store) Export(ctx context.Context, citizenID, actor string) (Export, error) {
	out := Export{CitizenID: citizenID, GeneratedAt: time.Now().UTC(), LegalBasis: ExportLegalBasis}
	var err error
	if out.Records, err = s.Records(ctx, citizenID); err != nil {
		return out, err
	}
	if out.Inbox, err = review.Inbox(ctx, s.Pool, citizenID, ""); err != nil {
		return out, err
	}
	if out.Dossiers, err = s.exportDossiers(ctx, citizenID); err != nil {
		return out, err
	}
	if out.Responses, err = s.exportResponses(ctx, citizenID); err != nil {
		return out, err
	}
	if out.Events, err = s.exportEvents(ctx, citizenID); err != nil {
		return out, err
	}
	if out.Signed, err = s.exportSigned(ctx, citizenID); err != nil {
		return out, err
	}
	if out.Signed == nil {
		out.Signed = []ExportSigned{}
	}
	for _, p := range []*[]ExportDossier{&out.Dossiers} {
		if *p == nil {
			*p = []ExportDossier{}
		}
	}
	if out.Responses == nil {
		out.Responses = []Response{}
	}
	if out.Events == nil {
		out.Events = []ExportEvent{}
	}
	err = audit.Record(ctx, s.Pool, audit.Entry{Actor: actor, Action: "citizen.export", Entity: "citizen", EntityID: citizenID,
		After: map[string]int{"records": len(out.Records), "inbox": len(out.Inbox), "responses": len(out.Responses), "signed": len(out.Signed)}})
	return out, err
}
