package workers

import (
	"context"
	"fmt"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/pipelines"
)

// stage is a pipeline stage: plain Go that records its effects and returns
// the stage the dossier goes to next.
type stage interface {
	Run(ctx context.Context, in pipelines.Input) (next string, err error)
}

// StageHandler binds a pipeline stage to its consumer: decode the job, run
// the stage, publish the dossier to the next stage. A redelivery after the
// stage committed finds its inbox row, writes nothing, and publishes again
// (de-duplicated by message id), which covers a crash between commit and
// publish. The next message carries this one's attempt (PublishNext).
func StageHandler(name string, st stage, pub *Publisher) Handler {
	return func(ctx context.Context, d Delivery) error {
		job, err := d.Job()
		if err != nil {
			return err
		}
		if job.Stage != "" && job.Stage != name {
			return dossier.Permanent(fmt.Errorf("job for stage %q delivered to %q", job.Stage, name))
		}
		progress := d.InProgress
		if progress == nil {
			progress = func() {}
		}
		next, err := st.Run(ctx, pipelines.Input{DossierID: job.DossierID, Delivery: d.NumDelivered, Progress: progress})
		if err != nil {
			return fmt.Errorf("%s %s: %w", name, job.DossierID, err)
		}
		if err := pub.PublishNext(ctx, job, next); err != nil {
			return fmt.Errorf("%s %s: hand to %s: %w", name, job.DossierID, next, err)
		}
		return nil
	}
}
