package service_test

import (
	"context"
	"testing"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/app/systemtest"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// The six sample dossiers come out as the README's table shows them: how
// many requirements are present (reused counts as present there) and
// missing, with no requirement turned needs_review by the content check
// that looks past a paper's title.
func TestSampleDossiersAsReadmeSays(t *testing.T) {
	t.Parallel()
	sys := systemtest.New(t)
	svc := sys.Start(service.Options{})
	ctx := context.Background()
	ss := systemtest.Samples(t)
	want := []struct {
		name             string
		present, missing int
	}{
		{"khai-sinh-day-du", 3, 0},
		{"khai-sinh-thieu-giay-chung-sinh", 2, 1},
		{"thuong-tru-nha-rieng", 2, 0},
		{"ho-kinh-doanh-uy-quyen", 2, 0},
		{"giay-phep-xay-dung", 1, 2}, // case 1.7 from the form: land papers and drawings missing; the form meets 1.7's own form row
		{"khai-sinh-dung-lai-giay-chung-sinh", 3, 0},
	}
	for _, w := range want {
		res, err := svc.SubmitSample(ctx, ss[w.name], "readme-")
		if err != nil {
			t.Fatal(err)
		}
		r := systemtest.Wait(t, svc, res.DossierID)[0]
		var present, missing int
		for _, f := range r.Findings {
			if f.Kind != "completeness" && f.Kind != "reuse" {
				continue
			}
			switch f.Status {
			case dossier.FindingPresent, dossier.FindingSatisfiedByReuse:
				present++
			case dossier.FindingMissing:
				missing++
			}
			if f.Details["content_check"] != nil {
				t.Errorf("%s: %s needs review for its content: %s", w.name, f.Key, f.Evidence)
			}
		}
		if present != w.present || missing != w.missing {
			t.Errorf("%s: %d present, %d missing; the README shows %d and %d", w.name, present, missing, w.present, w.missing)
		}
	}
}
