// Package explain builds the citizen-facing explanation of a dossier in plain
// Vietnamese: what is missing, why (with the clause), what to do next and by
// when. It uses only what officials approved — approved suggestions and the
// findings behind them — so that the message states nothing an official has
// not signed off. The explanation is itself drafted as a pending suggestion
// (kind "explanation"), which an official edits (review.Edit) and approves
// before the citizen sees it. An optional model may polish the wording; the
// provider layer (llm.PolishSuggestion) rejects wording that adds a number,
// date, document or decision that the facts do not contain.
package explain

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/workcal"
)

type procedures interface {
	Get(ctx context.Context, code string, at time.Time) (*catalog.Procedure, error)
}

type polisher interface {
	Enabled(task string) bool
	PolishSuggestion(ctx context.Context, meta llm.CallMeta, facts []string, draft string) (string, llm.CallInfo, error)
}

// Builder builds explanations. It is safe for concurrent use.
type Builder struct {
	Pool       *pgxpool.Pool
	Procedures procedures        // nil: no deadline
	Calendar   *workcal.Calendar // nil: workcal.Vietnam()
	Polisher   polisher          // nil: the local wording only
	Log        *slog.Logger
}

// Item is one point of the explanation.
type Item struct {
	Requirement string `json:"requirement"`
	Status      string `json:"status"`
	Why         string `json:"why"`    // the clause, quoted
	Action      string `json:"action"` // what to do next
}

// Message is an explanation.
type Message struct {
	DossierID string    `json:"dossier_id"`
	Text      string    `json:"text"`
	Items     []Item    `json:"items"`
	Facts     []string  `json:"facts"` // every sentence the text may state
	Deadline  time.Time `json:"deadline,omitzero"`
	Polished  bool      `json:"polished"`
	Model     string    `json:"model,omitempty"`
	Rejected  string    `json:"rejected,omitempty"` // why a polished wording was refused
}

func cite(c dossier.Citation) string {
	if c.Source == "catalog" {
		return fmt.Sprintf("%s: “%s”", c.Document, c.Text)
	}
	s := c.Ref()
	if t := strings.TrimSpace(c.Text); t != "" {
		if r := []rune(t); len(r) > 200 {
			t = string(r[:200]) + "…"
		}
		s += ": “" + t + "”"
	}
	return s
}
