package replay

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/schollz/progressbar/v3"

	"github.com/hoso-vn/hoso/internal/dossier"
)

// Publisher hands a dossier to a stage (workers.Publisher).
type Publisher interface {
	PublishStage(ctx context.Context, dossierID, stage string) error
}

// Toucher bumps a dossier's attempt so that its next message has a new
// de-duplication id (store.Store).
type Toucher interface {
	Touch(ctx context.Context, id string, bump bool) (int, error)
}

// Selection picks the dossiers to reprocess.
type Selection struct {
	Procedure string    // procedure code; "" for all
	Since     time.Time // submitted at or after
	Until     time.Time // submitted before; zero for now
	IDs       []string  // explicit dossiers; overrides the rest
	Limit     int       // 0: no limit
}

// ReprocessOptions control a bulk re-run.
type ReprocessOptions struct {
	// From is the first stage to redo (intake when empty); every later
	// stage is redone too.
	From string
	// Version pins the pipeline version the dossiers re-run under (the
	// active one, typically); "" keeps each dossier's recorded version.
	Version string
	Rate    float64 // dossiers per second; 0 = unlimited
	Actor   string
	Reason  string
	// Progress, when set, shows a progress bar there.
	Progress io.Writer
}

// ReprocessResult counts what a bulk re-run did.
type ReprocessResult struct {
	Selected    int      `json:"selected"`
	Republished int      `json:"republished"`
	Skipped     []string `json:"skipped,omitempty"` // in flight: left alone
}

// Reprocessor re-runs dossiers for real, through the workers.
type Reprocessor struct {
	Pool      *pgxpool.Pool
	Store     Toucher
	Publisher Publisher
}

// Select returns the ids of the dossiers sel names, oldest first.
func (p *Reprocessor) Select(ctx context.Context, sel Selection) ([]string, error) {
	if len(sel.IDs) > 0 {
		return sel.IDs, nil
	}
	until := sel.Until
	if until.IsZero() {
		until = time.Now().Add(time.Minute)
	}
	limit := sel.Limit
	if limit <= 0 {
		limit = 1 << 30
	}
	return selectDossiers(ctx, p.Pool, sel.Procedure, sel.Since, until, limit)
}

// Reprocess re-runs ids from o.From at o.Rate. Each dossier is re-armed in
// one audited transaction (its stage_runs for the redone stages cleared so
// that the inbox accepts the new run; its findings cleared when check is
// redone, since a finding that no longer applies must disappear;
// suggestions stay, since officials may have decided on them and the
// suggest stage only adds new ones), then published with a new attempt
// number. A crash between the two leaves the dossier for the reconciler,
// which publishes it again. Dossiers in flight are skipped.
func (p *Reprocessor) Reprocess(ctx context.Context, ids []string, o ReprocessOptions) (ReprocessResult, error) {
	res := ReprocessResult{Selected: len(ids)}
	from := o.From
	if from == "" {
		from = dossier.StageIntake
	}
	i := slices.Index(dossier.Stages, from)
	if i < 0 {
		return res, dossier.Errorf(dossier.CodeInvalid, "bước %q không có (unknown stage; known: intake, extract, classify, check, suggest)", from)
	}
	redo := dossier.Stages[i:]
	if o.Actor == "" {
		return res, dossier.Errorf(dossier.CodeInvalid, "cần người thực hiện (actor required)")
	}
	var bar *progressbar.ProgressBar
	if o.Progress != nil {
		bar = progressbar.NewOptions(len(ids), progressbar.OptionSetWriter(o.Progress),
			progressbar.OptionSetDescription("xử lý lại (reprocess)"), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("hồ sơ"),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionOnCompletion(func() { fmt.Fprintln(o.Progress) }))
	}
	var tick *time.Ticker
	if o.Rate > 0 {
		tick = time.NewTicker(time.Duration(float64(time.Second) / o.Rate))
		defer tick.Stop()
	}
	for n, id := range ids {
		if tick != nil && n > 0 {
			select {
			case <-ctx.Done():
				return res, ctx.Err()
			case <-tick.C:
			}
		}
		ok, err := p.rearm(ctx, id, from, redo, o)
		if err != nil {
			return res, err
		}
		if !ok {
			res.Skipped = append(res.Skipped, id)
		} else {
			if _, err := p.Store.Touch(ctx, id, true); err != nil {
				return res, err
			}
			if err := p.Publisher.PublishStage(ctx, id, from); err != nil {
				return res, fmt.Errorf("reprocess %s: %w", id, err)
			}
			res.Republished++
		}
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	return res, nil
}
