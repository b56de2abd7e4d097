// Package review provides the approval loop: officials approve, edit or
// reject the suggestions that the pipeline drafted. Nothing reaches a citizen
// without an approval: approving writes the citizen's inbox row and an audit
// row in one transaction, and only then is the notification published on the
// citizen's JetStream subject (and re-published by the relay until it is).
package review

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Roles.
const (
	RoleReviewer = "reviewer" // reviews pre-checks, edits and rejects suggestions
	RoleApprover = "approver" // approves suggestions
	RoleAdmin    = "admin"    // manages users; sees every agency
	RoleOperator = "operator" // pipelines, dead letters
)

// Actor is the official acting.
type Actor struct {
	ID     string   `json:"id"`
	Name   string   `json:"name,omitempty"`
	Agency string   `json:"agency,omitempty"`
	Roles  []string `json:"roles"`
}

// Has reports whether a has role.
func (a Actor) Has(role string) bool { return slices.Contains(a.Roles, role) }

// CanSeeAgency reports whether a may read or act on an agency's dossiers.
func (a Actor) CanSeeAgency(agency string) bool {
	return a.Has(RoleAdmin) || (a.Agency != "" && a.Agency == agency)
}

// Notification is what a channel adapter receives on the citizen's subject.
type Notification struct {
	SuggestionID string    `json:"suggestion_id"`
	CitizenID    string    `json:"citizen_id"`
	DossierID    string    `json:"dossier_id"`
	Kind         string    `json:"kind"`
	Text         string    `json:"text"`
	TextEN       string    `json:"text_en,omitempty"`
	ApprovedBy   []string  `json:"approved_by"`
	ApprovedAt   time.Time `json:"approved_at"`
}

// notifier publishes a notification once (de-duplicated by suggestion id).
type notifier interface {
	Notify(ctx context.Context, n Notification) error
}

// Service changes suggestion statuses.
type Service struct {
	Pool     *pgxpool.Pool
	Notifier notifier // nil: the relay publishes later
	Log      *slog.Logger
}

type row struct {
	dossier.Suggestion
	DossierID string
	CitizenID string
	Agency    string
	Approvals []approval
}

type approval struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

func authorize(by Actor, r row, roles ...string) error {
	if !by.CanSeeAgency(r.Agency) {
		return dossier.Errorf(dossier.CodeForbidden, "cán bộ %s không thuộc cơ quan tiếp nhận hồ sơ này (not this agency's dossier)", by.ID)
	}
	if by.Has(RoleAdmin) {
		return nil
	}
	for _, role := range roles {
		if by.Has(role) {
			return nil
		}
	}
	want := strings.Join(roles, " hoặc ")
	return dossier.Errorf(dossier.CodeForbidden, "cán bộ %s không có quyền %s (role %s required)", by.ID, want, want)
}

// normalizeText is how edited text is stored and compared: NFC, trimmed,
// with the CRLF line breaks a browser's text box sends made LF.
func normalizeText(s string) string {
	return vntext.NFC(strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")))
}

// Reject rejects suggestion id; nothing is sent to the citizen.
func (s *Service) Reject(ctx context.Context, id string, by Actor, reason string) (dossier.Suggestion, error) {
	return s.change(ctx, id, by, "suggestion.reject", reason, func(r *row) error {
		if strings.TrimSpace(reason) == "" {
			return dossier.Errorf(dossier.CodeInvalid, "cần nêu lý do từ chối (a reason is required to reject)")
		}
		now := time.Now().UTC()
		r.Status, r.DecidedBy, r.DecidedAt, r.Reason = dossier.SuggestionRejected, by.ID, &now, reason
		return nil
	})
}

// Edit changes the citizen-facing text of a pending suggestion.
func (s *Service) Edit(ctx context.Context, id string, by Actor, text string) (dossier.Suggestion, error) {
	return s.change(ctx, id, by, "suggestion.edit", "", func(r *row) error {
		t := normalizeText(text)
		if t == "" {
			return dossier.Errorf(dossier.CodeInvalid, "nội dung không được để trống (text is empty)")
		}
		r.Text = t
		r.Approvals = nil // an edit after a first approval needs fresh approvals
		return nil
	})
}

// InboxItem is one message in a citizen's inbox.
type InboxItem struct {
	ID           int64      `json:"id"`
	SuggestionID string     `json:"suggestion_id"`
	DossierID    string     `json:"dossier_id"`
	Kind         string     `json:"kind"`
	Text         string     `json:"text"`
	TextEN       string     `json:"text_en,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	Published    bool       `json:"published"`
	Response     *string    `json:"response"`
	RespondedAt  *time.Time `json:"responded_at"`
}
