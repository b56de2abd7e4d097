package service

import (
	"context"
	"errors"

	"github.com/hoso-vn/hoso/internal/catalog"
	"github.com/hoso-vn/hoso/internal/llm"
)

// CatalogReader reads procedures' component texts through the model that
// serves the catalog_parse task (prompt catalog_parse_v2), or returns nil
// when that task is served locally: the rules are then the only reading.
func CatalogReader(c *llm.Client) catalog.StructureReader {
	if c == nil || !c.Enabled(llm.TaskCatalogParse) {
		return nil
	}
	return llmCatalogReader{c}
}

type llmCatalogReader struct{ c *llm.Client }

func (r llmCatalogReader) ReadStructure(ctx context.Context, p catalog.Procedure) (catalog.StructGold, error) {
	if p.ComponentText == "" {
		return catalog.StructGold{}, errors.New("không có văn bản thành phần hồ sơ (no component text to read)")
	}
	cases, _, err := r.c.ReadStructure(ctx, llm.CallMeta{}, p.Name, p.ComponentText)
	if err != nil {
		return catalog.StructGold{}, err
	}
	out := catalog.StructGold{Code: p.Code, Name: p.Name}
	for _, c := range cases {
		gc := catalog.StructGoldCase{Case: c.Case}
		for _, r := range c.Requirements {
			gc.Requirements = append(gc.Requirements, catalog.StructGoldPaper{Name: r.Name, Kind: r.Kind, Alternatives: r.Alternatives})
		}
		out.Cases = append(out.Cases, gc)
	}
	return out, nil
}
