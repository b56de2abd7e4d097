package pipelinedef

import (
	"slices"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/dossier"
)

func TestDefaultDefinitionIsValid(t *testing.T) {
	t.Parallel()
	d, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if d.Hash == "" || !d.HasStage("check") || d.Label() == "" {
		t.Fatalf("bad default: %+v", d)
	}
}

// TestDefaultRunsEveryDeclaredStage: default.yaml lists exactly the stages
// dossier.Stages declares, so a stage added there cannot be forgotten in
// the default pipeline.
func TestDefaultRunsEveryDeclaredStage(t *testing.T) {
	t.Parallel()
	d, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Stages, dossier.Stages) {
		t.Fatalf("default.yaml stages %v, declared %v", d.Stages, dossier.Stages)
	}
}

func TestValidateNamesTheBadField(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ from, to, field string }{
		"ThresholdOutOfRange":  {"classify_min_confidence: 0.55", "classify_min_confidence: 1.5", "thresholds.classify_min_confidence"},
		"UnknownStage":         {"stages: [intake, extract, classify, check, suggest]", "stages: [intake, extrct]", "stages[1]"},
		"StagesOutOfOrder":     {"stages: [intake, extract, classify, check, suggest]", "stages: [intake, check, extract]", "stages[2]"},
		"BadProvider":          {"classify: {provider: auto}", "classify: {provider: gpt}", "providers.classify.provider"},
		"BadDuration":          {"extract_timeout: 60s", "extract_timeout: soon", "soon"},
		"UnknownField":         {"audit_rate: 0.10", "audit_rate: 0.10\nauditrate: 1", "auditrate"},
		"UnknownPrompt":        {"classify: {provider: auto}", "classify: {provider: auto, prompt: classify_v9}", "providers.classify.prompt"},
		"PromptOfAnotherTask":  {"classify: {provider: auto}", "classify: {provider: auto, prompt: suggest_wording_v1}", "providers.classify.prompt"},
		"PromptForEmbeddings":  {"embed: {provider: local}", "embed: {provider: local, prompt: classify_v1}", "providers.embed.prompt"},
		"UnknownLocalEmbedder": {"embed: {provider: local}", "embed: {provider: local, model: word2vec}", "providers.embed.model"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			src := strings.Replace(string(DefaultYAML()), c.from, c.to, 1)
			_, err := Parse([]byte(src))
			if err == nil || !strings.Contains(err.Error(), c.field) {
				t.Fatalf("Parse error = %v, want it to name %q", err, c.field)
			}
		})
	}
}

// TestLocalEmbedModel: a version names the corpus-trained PPMI-SVD embedder
// as a local model; no model is the hashing embedder, and an endpoint's
// embeddings name no local one.
func TestLocalEmbedModel(t *testing.T) {
	t.Parallel()
	for from, want := range map[string]string{
		"embed: {provider: local}":                                 EmbedHashing,
		"embed: {provider: local, model: hashing}":                 EmbedHashing,
		"embed: {provider: local, model: ppmi-svd}":                EmbedPPMISVD,
		"embed: {provider: openai, model: text-embedding-3-small}": "",
	} {
		src := strings.Replace(string(DefaultYAML()), "embed: {provider: local}", from, 1)
		d, err := Parse([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", from, err)
		}
		if got := d.LocalEmbedModel(); got != want {
			t.Errorf("%s: LocalEmbedModel() = %q, want %q", from, got, want)
		}
	}
}
