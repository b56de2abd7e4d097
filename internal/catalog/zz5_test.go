package catalog

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hoso-vn/hoso/internal/vntext"
)

func TestZZInNote(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	gold, got := structGold(t, "dev")
	for _, g := range gold {
		if heldOutBatches[g.Batch] {
			continue
		}
		p := got[g.Code]
		rep := EvaluateStructure([]StructGold{g}, got)
		if rep.MissingInNote == 0 {
			continue
		}
		for _, c := range g.Cases {
			for _, gr := range c.Requirements {
				gt := vntext.FoldedTokens(gr.Name)
				matchedName := false
				for _, r := range p.Requirements {
					if NameSimilarity(gt, vntext.FoldedTokens(r.Name)) >= 0.5 || containment(gt, vntext.FoldedTokens(r.Name+" "+strings.Join(r.Alternatives, " "))) >= 0.8 {
						matchedName = true
					}
				}
				if matchedName {
					continue
				}
				for _, r := range p.Requirements {
					if containment(gt, vntext.FoldedTokens(r.Note)) >= 0.8 {
						fmt.Printf("%s [%s]\n  GOLD: %s\n  ROW: %.120s\n  NOTE: %.400s\n", g.Code, g.Batch, gr.Name, r.Name, r.Note)
						break
					}
				}
			}
		}
	}
}
