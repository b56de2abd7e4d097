package pipelinedef

import "slices"

// Next returns the stage after stage in this definition, or "done".
func (d *Definition) Next(stage string) string {
	i := slices.Index(d.Stages, stage)
	if i < 0 || i+1 >= len(d.Stages) {
		return "done"
	}
	return d.Stages[i+1]
}

// Registry gives stages the definition to run under: the current one for a
// new dossier, and the recorded one for a dossier already in flight, so that
// an activation never changes a dossier half-way.
type Registry interface {
	Current() *Definition
	Version(label string) (*Definition, bool)
}

// Static is a Registry with one definition.
type Static struct{ Def *Definition }

func (s Static) Current() *Definition { return s.Def }
func (s Static) Version(label string) (*Definition, bool) {
	if label == "" || label == s.Def.VersionLabel() {
		return s.Def, true
	}
	return nil, false
}

// VersionLabel identifies a definition in records: name@version#hash12.
func (d *Definition) VersionLabel() string {
	h := d.Hash
	if len(h) > 12 {
		h = h[:12]
	}
	return d.Name + "@" + d.Version + "#" + h
}

// For returns the definition recorded on a dossier, or the current one
// when the dossier has none yet or its version is unknown here.
func For(r Registry, recorded string) *Definition {
	if recorded != "" {
		if d, ok := r.Version(recorded); ok {
			return d
		}
	}
	return r.Current()
}
