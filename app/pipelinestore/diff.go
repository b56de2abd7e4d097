package pipelinestore

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/pipelinedef"
)

var activeVersion = prometheus.NewGaugeVec(prometheus.GaugeOpts{
	Namespace: "hoso", Name: "pipeline_active", Help: "1 for the pipeline version this process runs new dossiers under.",
}, []string{"pipeline_version"})

func init() { prometheus.MustRegister(activeVersion) }

// Change is one field that differs between two definitions.
type Change struct {
	Field string `json:"field"` // dotted path, e.g. thresholds.classify_min_confidence
	From  string `json:"from"`  // "" when added
	To    string `json:"to"`    // "" when removed
}

// Diff lists the fields that differ between a and b, in field order.
func Diff(a, b *pipelinedef.Definition) []Change {
	fa, fb := flatten(a), flatten(b)
	keys := map[string]bool{}
	for k := range fa {
		keys[k] = true
	}
	for k := range fb {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		if fa[k] != fb[k] {
			out = append(out, Change{Field: k, From: fa[k], To: fb[k]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// flatten renders a definition as dotted paths to scalar values; lists are
// one value each, so that reordering a list shows as one change.
func flatten(d *pipelinedef.Definition) map[string]string {
	out := map[string]string{}
	if d == nil {
		return out
	}
	b, err := yaml.Marshal(d)
	if err != nil {
		return out
	}
	var m map[string]any
	if yaml.Unmarshal(b, &m) != nil {
		return out
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, x[k])
			}
		case []any:
			j, _ := json.Marshal(x)
			out[prefix] = string(j)
		case nil:
			out[prefix] = ""
		default:
			out[prefix] = fmt.Sprint(x)
		}
	}
	walk("", m)
	return out
}
