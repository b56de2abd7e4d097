// Package report provides the pre-check report of a dossier (what `hoso
// status --json` and GET /api/v1/dossiers/{id} return) and the lists of
// dossiers that officials and operators filter.
package report

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// Load returns the full report of dossier id. It is the one report loader:
// the API, the CLI and the console all read reports through it. The
// procedure's name comes from the catalog only (the version in force when
// the dossier was submitted, else the current one), never from what the
// submitter put in the metadata.
func Load(ctx context.Context, q store.Querier, id string) (dossier.Report, error) {
	var r dossier.Report
	d, err := loadDossier(ctx, q, id)
	if err != nil {
		return r, err
	}
	r.Dossier = d
	if r.Documents, err = loadDocuments(ctx, q, id); err != nil {
		return r, err
	}
	if r.Findings, err = store.QueryFindings(ctx, q, id); err != nil {
		return r, err
	}
	if r.Suggestions, err = store.QuerySuggestions(ctx, q, id); err != nil {
		return r, err
	}
	if r.Timeline, err = loadTimeline(ctx, q, id); err != nil {
		return r, err
	}
	if err := withCorrections(ctx, q, &r); err != nil {
		return r, err
	}
	if err := withCase(ctx, q, &r); err != nil {
		return r, err
	}
	withCountsFor(&r)
	if r.Suggestions == nil {
		r.Suggestions = []dossier.Suggestion{}
	}
	if r.Findings == nil {
		r.Findings = []dossier.Finding{}
	}
	if r.Documents == nil {
		r.Documents = []dossier.Document{}
	}
	return r, nil
}

// Filter selects dossiers for List.
type Filter struct {
	Agency        string // "" = all (admins, operators)
	Status        string
	Procedure     string
	Applicant     string
	MinConfidence *float64 // lowest document confidence of the dossier
	MaxConfidence *float64
	SubmittedFrom time.Time
	Sort          string // submitted (default, newest first) | oldest | confidence | deadline
	Limit         int
	Offset        int
}

// Summary is one row of a dossier list.
type Summary struct {
	ID             string    `json:"id"`
	ProcedureCode  string    `json:"procedure_code"`
	ProcedureName  string    `json:"procedure_name,omitempty"`
	ApplicantID    string    `json:"applicant"`
	Agency         string    `json:"agency,omitempty"`
	SubmittedAt    time.Time `json:"submitted_at"`
	Status         string    `json:"status"`
	Stage          string    `json:"stage"`
	Documents      int       `json:"documents"`
	MinConfidence  float64   `json:"min_confidence"`
	Present        int       `json:"present"`
	Missing        int       `json:"missing"`
	Invalid        int       `json:"invalid"`
	Suggestions    int       `json:"suggestions"`
	Pending        int       `json:"pending_suggestions"`
	ProcessingDays float64   `json:"processing_days,omitempty"`
}

// contentCheck reads the classify stage's content check of a document
// (classification.content_check), nil when it made none.
func contentCheck(class map[string]any) *dossier.ContentCheck {
	raw, ok := class["content_check"]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var cc dossier.ContentCheck
	if json.Unmarshal(b, &cc) != nil || cc.Status == "" {
		return nil
	}
	return &cc
}

// withCountsFor sets Documents[].CountsFor from the findings that counted a
// document for another requirement than the one it was classified as (the
// check stage's mapping onto the dossier's case), so the report says what a
// paper counts for as well as what it looks like.
func withCountsFor(r *dossier.Report) {
	counts := map[string]string{}
	for _, f := range r.Findings {
		if f.DocumentID == "" || f.Details[dossier.DetailCaseMappedFrom] == nil {
			continue
		}
		counts[f.DocumentID] = strings.TrimPrefix(f.Key, "req:")
	}
	for i, d := range r.Documents {
		if to := counts[d.ID]; to != "" && to != d.Type {
			r.Documents[i].CountsFor = to
		}
	}
}
