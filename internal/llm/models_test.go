package llm_test

import (
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

func parse(t *testing.T, from, to string) *pipelinedef.Definition {
	t.Helper()
	d, err := pipelinedef.Parse([]byte(strings.Replace(string(pipelinedef.DefaultYAML()), from, to, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Each pipeline version gets the client its providers section names, built
// once per version and scope; a version naming an endpoint this process
// does not have is an error that names the version.
func TestModelsPerVersion(t *testing.T) {
	t.Parallel()
	cfg := config.Config{OpenAIBaseURL: "http://127.0.0.1:1/v1", OpenAIAPIKey: "sk-test", OpenAIModel: "gpt-default"}
	m := llm.NewModels(cfg, nil, nil)
	base := parse(t, "", "")
	cand := parse(t, "classify: {provider: auto}", "classify: {provider: openai, model: gpt-cand, prompt: classify_v1}")

	c1, err := m.For(base)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := m.For(base); again != c1 {
		t.Error("the same version built a second client")
	}
	if sh, _ := m.Scoped(base, llm.ScopeShadow); sh == c1 {
		t.Error("the shadow scope shares the production client (and its budget)")
	}
	c2, err := m.For(cand)
	if err != nil {
		t.Fatal(err)
	}
	route := func(c *llm.Client, task string) llm.Route {
		for _, r := range c.Routes() {
			if r.Task == task {
				return r
			}
		}
		t.Fatalf("no route for %s", task)
		return llm.Route{}
	}
	if r := route(c1, llm.TaskClassify); r.Model != "gpt-default" || r.Prompt != "classify_v1" {
		t.Errorf("base classify route %+v", r)
	}
	if r := route(c2, llm.TaskClassify); r.Model != "gpt-cand" || r.Prompt != "classify_v1" || r.Provider != llm.ProviderOpenAI {
		t.Errorf("candidate classify route %+v", r)
	}
	if r := route(c2, llm.TaskSuggestWording); r.Model != "gpt-default" {
		t.Errorf("candidate left suggest_wording alone, got %+v", r)
	}
	if !llm.SharesEndpoint(c1, c2) {
		t.Error("two versions' clients have their own endpoints: the process's concurrency limit would be multiplied")
	}

	offline := llm.NewModels(config.Config{}, nil, nil)
	if c, err := offline.For(base); err != nil || c.AnyRemote() {
		t.Fatalf("auto without an endpoint must be local: %v", err)
	}
	_, err = offline.For(cand)
	if err == nil || !strings.Contains(err.Error(), cand.VersionLabel()) {
		t.Fatalf("a version naming a missing endpoint: err = %v, want it to name %s", err, cand.VersionLabel())
	}
}
