package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/vntext"
)

// StructureReader reads a procedure's component text into its cases, papers
// and one-of groups, in the shape the gold set is labelled in (a configured
// model through internal/llm's ReadStructure; the rules need none). An error
// leaves the rule parse in place.
type StructureReader interface {
	ReadStructure(ctx context.Context, p Procedure) (StructGold, error)
}

// readingConfidence is the confidence of a requirement a model read: below
// a clean rule row's, above a row the rules were unsure of.
const readingConfidence = 0.8

// FromReading returns p with its requirements, cases and groups replaced by
// a reading (Method "llm"). Every other field of p stays. A read paper that
// matches one of p's rule-parsed requirements by name (the same similarity
// the gold set is scored with) takes that requirement's key, copies, form
// and template files, so that classifiers, eval sets and earlier dossiers
// keep their keys; a new paper gets a key from its name. A paper every named
// case lists is one requirement common to all. An empty reading returns p
// unchanged.
func FromReading(p Procedure, r StructGold) Procedure {
	type paper struct {
		StructGoldPaper
		heading string
		every   bool // listed by every named case
	}
	var named []string
	var papers []paper
	for _, c := range r.Cases {
		h := strings.TrimSpace(c.Case)
		if h != "" {
			named = append(named, h)
		}
		for _, x := range c.Requirements {
			if strings.TrimSpace(x.Name) != "" {
				papers = append(papers, paper{StructGoldPaper: x, heading: h})
			}
		}
	}
	if len(papers) == 0 {
		return p
	}
	// A paper every named case lists is common (rule 2 lists it in each).
	if len(named) >= 2 {
		var kept []paper
		common := map[string]bool{}
		for _, x := range papers {
			k := vntext.Fold(x.Name)
			if x.heading == "" || common[k] {
				if x.heading == "" || !common[k] {
					kept = append(kept, x)
				}
				continue
			}
			in := 0
			for _, h := range named {
				for _, y := range papers {
					if y.heading == h && vntext.Fold(y.Name) == k {
						in++
						break
					}
				}
			}
			if in == len(named) {
				common[k] = true
				x.heading, x.every = "", true
			}
			kept = append(kept, x)
		}
		papers = kept
	}
	used := map[string]bool{}
	seen := map[string]int{}
	reqs := make([]Requirement, 0, len(papers))
	for _, x := range papers {
		kind := x.Kind
		if kind != KindPresent {
			kind = KindSubmit
		}
		req := Requirement{
			Name: x.Name, Kind: kind, Alternatives: append([]string{}, x.Alternatives...),
			Method: MethodLLM, Confidence: readingConfidence, Originals: 1,
		}
		if req.Alternatives == nil {
			req.Alternatives = []string{}
		}
		if x.heading != "" {
			h := x.heading
			req.Condition, req.Optional, req.group, req.heading = &h, true, true, h
		}
		if x.every {
			req.everyCase = named // each case lists it, as the rules' shared papers
		}
		if j := closestRequirement(p.Requirements, x.Name, used); j >= 0 {
			old := p.Requirements[j]
			used[old.Key] = true
			req.Key, req.Originals, req.Copies, req.Form, req.FormFiles, req.Raw = old.Key, old.Originals, old.Copies, old.Form, old.FormFiles, old.Raw
			req.ElectronicSubstitute = old.ElectronicSubstitute
		}
		if len(req.Alternatives) > 0 {
			req.groupKind = GroupOr
			if strings.HasPrefix(vntext.Fold(req.Name), "mot trong") {
				req.groupKind = GroupOneOf
			}
			if len(req.Alternatives) == 1 && electronicForm(req.Alternatives[0]) {
				req.groupKind = GroupElectronicForm
			}
		}
		reqs = append(reqs, req)
	}
	// Keys: a matched requirement's key, else one from the name, unique.
	for i := range reqs {
		if reqs[i].Key != "" {
			seen[reqs[i].Key]++
		}
	}
	for i := range reqs {
		if reqs[i].Key != "" {
			continue
		}
		k := Slug(reqs[i].Name)
		for seen[k] > 0 {
			seen[k]++
			k = fmt.Sprintf("%s-%d", Slug(reqs[i].Name), seen[k])
		}
		seen[k]++
		reqs[i].Key = k
	}
	p.Requirements = reqs
	p.Cases, p.Groups, p.Uncertain = structure(p.Requirements)
	// One-of options here are the group's own alternatives, never rows.
	for i := range p.Groups {
		p.Groups[i].OptionKeys = nil
	}
	return p
}

// closestRequirement is the index of the requirement of rs, not yet used,
// whose name is most like name (at least StructMatchThreshold), or -1.
func closestRequirement(rs []Requirement, name string, used map[string]bool) int {
	nt := vntext.FoldedTokens(name)
	best, bj := StructMatchThreshold, -1
	for j, r := range rs {
		if used[r.Key] {
			continue
		}
		if s := NameSimilarity(nt, vntext.FoldedTokens(r.Name)); s >= best {
			best, bj = s, j
		}
	}
	return bj
}

// ReadAll reads the procedures named in codes with reader and returns them
// as read (FromReading). A procedure the reader fails on keeps its rule
// parse and is listed in failed with the reason.
func ReadAll(ctx context.Context, reader StructureReader, procs map[string]Procedure, codes []string) (map[string]Procedure, map[string]string) {
	out := make(map[string]Procedure, len(procs))
	for k, v := range procs {
		out[k] = v
	}
	failed := map[string]string{}
	for _, code := range codes {
		p, ok := procs[code]
		if !ok {
			continue
		}
		r, err := reader.ReadStructure(ctx, p)
		if err != nil {
			failed[code] = err.Error()
			continue
		}
		out[code] = FromReading(p, r)
	}
	return out, failed
}

// OverrideOf drafts the operator's override that would adopt p as read
// (FromReading): its requirements in full, each with the heading of its
// case (a paper every case lists has none). The draft is a proposal: an
// operator reviews it, edits it and commits it to pipelines/catalog.
func OverrideOf(p Procedure, effective time.Time, reason string) Override {
	names := map[string]string{}
	for _, c := range p.Cases {
		names[c.Key] = c.Name
	}
	o := Override{Code: p.Code, EffectiveFrom: effective.Format(time.DateOnly), Reason: reason}
	for _, r := range p.Requirements {
		x := OverrideRequirement{Key: r.Key, Name: r.Name, Kind: r.Kind, Form: r.Form, Alternatives: r.Alternatives,
			ElectronicSubstitute: r.ElectronicSubstitute, Case: names[r.Case]}
		orig, copies := r.Originals, r.Copies
		x.Originals, x.Copies = &orig, &copies
		if r.Case == "" && r.Condition != nil {
			x.Condition = r.Condition
		}
		o.Requirements = append(o.Requirements, x)
	}
	return o
}
