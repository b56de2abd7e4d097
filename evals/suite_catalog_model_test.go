package evals

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/app/service"
	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/config"
	"github.com/hoso-vn/hoso/internal/llm"
	"github.com/hoso-vn/hoso/internal/llm/llmtest"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// TestCatalogStructureScoresAModel: with a model serving catalog_parse, the
// catalog_structure suite reads every gold procedure through it (over the
// OpenAI wire, prompt catalog_parse_v2) and scores the reading with the
// rules' scorer. The fake model answers with the gold labels themselves, so
// its figures must be near 1: what it loses is only what ReadStructure's
// check drops (a name whose words are not in the text), which this also
// bounds. One procedure the model fails on keeps the rule parse.
func TestCatalogStructureScoresAModel(t *testing.T) {
	root := repoRoot(t)
	shared := SharedDataDir(root, "")
	if shared == "" {
		t.Skip("shared data absent")
	}
	gold, err := catalog.LoadStructGold(filepath.Join(root, "evals", "catalog", "gold", "labels.jsonl"), "")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]catalog.StructGold{}
	for _, g := range gold {
		byName[vntext.Fold(g.Name)] = g
	}
	// The model fails on one procedure whose name no other shares.
	count := map[string]int{}
	for _, g := range gold {
		count[vntext.Fold(g.Name)]++
	}
	failOn := ""
	for _, g := range gold {
		if count[vntext.Fold(g.Name)] == 1 {
			failOn = g.Name
			break
		}
	}
	srv := llmtest.NewServer()
	defer srv.Close()
	procName := regexp.MustCompile(`(?s)Thủ tục: (.*?)\n+<document>`)
	srv.SetResponder(func(prompt string, req llmtest.ChatRequest) llmtest.Reply {
		m := procName.FindStringSubmatch(req.User())
		if m == nil {
			return llmtest.Reply{Status: 400, Body: `{"error":{"message":"no procedure","type":"invalid_request_error"}}`}
		}
		name := vntext.Fold(strings.TrimSpace(m[1]))
		g, ok := byName[name]
		if prompt != "catalog_parse_v2" || !ok || name == vntext.Fold(failOn) {
			return llmtest.Reply{Status: 400, Body: `{"error":{"message":"refused","type":"invalid_request_error"}}`}
		}
		// The gold's own shape is the prompt's (catalog_parse_v2), with
		// the kind and options the schema requires spelled out, and each
		// string within the schema's length (a heading the source runs to
		// 1,300 characters, dev70's 1.014256, is cut as a model answering
		// to that schema would have to cut it).
		cases := []catalog.StructGoldCase{}
		for _, c := range g.Cases {
			x := catalog.StructGoldCase{Case: clipRunes(c.Case, 1000), Requirements: []catalog.StructGoldPaper{}}
			for _, r := range c.Requirements {
				if r.Kind == "" {
					r.Kind = catalog.KindSubmit
				}
				r.Name = clipRunes(r.Name, 800)
				alts := []string{}
				for _, a := range r.Alternatives {
					alts = append(alts, clipRunes(a, 800))
				}
				r.Alternatives = alts
				x.Requirements = append(x.Requirements, r)
			}
			cases = append(cases, x)
		}
		if len(cases) == 0 {
			cases = append(cases, catalog.StructGoldCase{Requirements: []catalog.StructGoldPaper{}})
		}
		out := map[string]any{"cases": cases}
		b, _ := json.Marshal(out)
		return llmtest.Content(string(b))
	})
	ai, err := llm.New(config.Config{OpenAIBaseURL: srv.BaseURL(), OpenAIAPIKey: "sk-test", OpenAIModel: "fake", LLMTimeout: 10 * time.Second}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	suites, err := LoadSuites(filepath.Join(root, "evals", "suites"))
	if err != nil {
		t.Fatal(err)
	}
	sel, err := Select(suites, "catalog_structure")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Options{Root: root, SharedData: shared, CatalogReader: service.CatalogReader(ai)}, sel)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, m := range rep.Suites[0].Metrics {
		got[m.Name] = m.Value
	}
	if got["model_failed"] != 1 {
		t.Errorf("model_failed = %v, want 1: %q", got["model_failed"], rep.Suites[0].Notes)
	}
	for _, split := range []string{"dev", "test"} {
		p, r := got["model_precision_"+split], got["model_recall_"+split]
		t.Logf("%s: model P %.3f R %.3f case %.3f (rules P %.3f R %.3f)", split, p, r, got["model_case_accuracy_"+split], got["precision_"+split], got["recall_"+split])
		if p < 0.99 || r < 0.99 || p <= got["precision_"+split] {
			t.Errorf("%s: a model answering the gold scored P %.3f R %.3f", split, p, r)
		}
	}
}

// clipRunes cuts s to at most n runes, the maxLength of
// prompts/catalog_parse_v2.schema.json.
func clipRunes(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
