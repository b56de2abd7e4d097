package stageset

import (
	"testing"

	"github.com/hoso-vn/hoso/internal/broker"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/classifier"
	"github.com/hoso-vn/hoso/internal/doctext"
	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/store"
)

// TestBuildsEveryDeclaredStage: with every dependency given, Build returns
// one stage for each stage dossier.Stages declares; without files it skips
// extraction only.
func TestBuildsEveryDeclaredStage(t *testing.T) {
	t.Parallel()
	// Nothing runs here, so the production types are enough, unopened.
	full := Deps{Records: (*store.Store)(nil), Files: (*broker.FileStore)(nil), Extractor: (*doctext.Extractor)(nil),
		Procedures: (*catalog.Store)(nil), Model: classifier.Default()}
	got, err := Build(full)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range dossier.Stages {
		if got[st] == nil {
			t.Errorf("no %s stage", st)
		}
	}
	if len(got) != len(dossier.Stages) {
		t.Errorf("%d stages, want %d", len(got), len(dossier.Stages))
	}
	full.Files = nil
	if got, _ := Build(full); got[dossier.StageExtract] != nil || len(got) != len(dossier.Stages)-1 {
		t.Errorf("without files: %v", got)
	}
}
