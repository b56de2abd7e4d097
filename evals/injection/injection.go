// Package injection embeds hoso's prompt-injection evaluation suite: crafted
// Vietnamese and English documents (docs/*.txt) with labels (index.yaml).
// Run it with llm.EvaluateInjection(ctx, pool, Cases(), log).
package injection

import (
	"embed"

	"github.com/hoso-vn/hoso/internal/llm"
)

//go:embed index.yaml docs/*.txt
var files embed.FS

// Cases returns the suite's cases with their text.
func Cases() ([]llm.InjectionCase, error) { return llm.LoadInjectionCases(files) }
