package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/legalnum"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Override is an operator's YAML file (pipelines/catalog/<code>.yaml): a
// correction of an imported procedure, or a procedure written by hand.
//
// Fields left out keep the imported value. `requirements` replaces the
// imported list entirely; `remove_requirements` (keys) and
// `add_requirements` edit it instead. A procedure that was never imported
// must give name and requirements (it is stored with source "manual").
type Override struct {
	Code               string                `yaml:"code"`
	EffectiveFrom      string                `yaml:"effective_from"`   // YYYY-MM-DD
	Reason             string                `yaml:"reason,omitempty"` // why, for the audit trail
	Name               *string               `yaml:"name,omitempty"`
	Field              *string               `yaml:"field,omitempty"`
	Level              *string               `yaml:"level,omitempty"`
	Agency             *string               `yaml:"agency,omitempty"`
	Ministry           *string               `yaml:"ministry,omitempty"`
	ApplicantTypes     []string              `yaml:"applicant_types,omitempty"`
	ProcessingTime     *string               `yaml:"processing_time,omitempty"`
	ProcessingDays     *float64              `yaml:"processing_days,omitempty"`
	Fees               *string               `yaml:"fees,omitempty"`
	Result             *string               `yaml:"result,omitempty"`
	Linked             []string              `yaml:"linked_procedures,omitempty"`
	Requirements       []OverrideRequirement `yaml:"requirements,omitempty"`
	RemoveRequirements []string              `yaml:"remove_requirements,omitempty"`
	AddRequirements    []OverrideRequirement `yaml:"add_requirements,omitempty"`
	LegalBasis         []LegalDoc            `yaml:"legal_basis,omitempty"`
}

// OverrideRequirement is a requirement written by an operator.
type OverrideRequirement struct {
	Key                  string   `yaml:"key,omitempty"` // optional; derived from name
	Name                 string   `yaml:"name"`
	Kind                 string   `yaml:"kind,omitempty"` // submit (default) | present
	Originals            *int     `yaml:"originals,omitempty"`
	Copies               *int     `yaml:"copies,omitempty"`
	Form                 *string  `yaml:"form,omitempty"`
	Condition            *string  `yaml:"condition,omitempty"`
	Alternatives         []string `yaml:"alternatives,omitempty"`
	ElectronicSubstitute *string  `yaml:"electronic_substitute,omitempty"`
	Optional             *bool    `yaml:"optional,omitempty"` // default: condition != null
	Note                 string   `yaml:"note,omitempty"`
	// Case puts the paper in one of the procedure's cases: a case key as
	// `hoso catalog show` prints it (case-2) or a case's heading, new or
	// not. Empty: the paper applies in every case.
	Case string `yaml:"case,omitempty"`
}

var codeRe = regexp.MustCompile(`^[0-9]\.[0-9]{6}$|^[0-9A-Za-z][0-9A-Za-z.\-_]{2,40}$`)

// ParseOverride decodes and validates one override file.
func ParseOverride(data []byte) (Override, error) {
	var o Override
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil {
		if errors.Is(err, io.EOF) {
			return o, dossier.Errorf(dossier.CodeInvalid, "tệp trống (empty override)")
		}
		return o, dossier.Errorf(dossier.CodeInvalid, "YAML không hợp lệ (invalid YAML): %v", err)
	}
	var errs []string
	bad := func(field, format string, args ...any) {
		errs = append(errs, field+": "+fmt.Sprintf(format, args...))
	}
	if !codeRe.MatchString(strings.TrimSpace(o.Code)) {
		bad("code", "thiếu hoặc sai mã thủ tục %q (missing or malformed code)", o.Code)
	}
	if _, err := time.Parse(time.DateOnly, o.EffectiveFrom); err != nil {
		bad("effective_from", "phải là ngày YYYY-MM-DD, có %q (must be a date)", o.EffectiveFrom)
	}
	if o.Name != nil && strings.TrimSpace(*o.Name) == "" {
		bad("name", "không được để trống (must not be empty)")
	}
	if o.ProcessingDays != nil && *o.ProcessingDays < 0 {
		bad("processing_days", "không được âm (must not be negative)")
	}
	if len(o.Requirements) > 0 && (len(o.AddRequirements) > 0 || len(o.RemoveRequirements) > 0) {
		bad("requirements", "không dùng cùng add_requirements/remove_requirements (replace or edit, not both)")
	}
	checkReqs := func(field string, rs []OverrideRequirement) {
		keys := map[string]bool{}
		for i, r := range rs {
			f := fmt.Sprintf("%s[%d]", field, i)
			if strings.TrimSpace(r.Name) == "" {
				bad(f+".name", "không được để trống (must not be empty)")
			}
			if r.Kind != "" && r.Kind != KindSubmit && r.Kind != KindPresent {
				bad(f+".kind", "phải là submit hoặc present, có %q", r.Kind)
			}
			if r.Originals != nil && *r.Originals < 0 {
				bad(f+".originals", "không được âm (must not be negative)")
			}
			if r.Copies != nil && *r.Copies < 0 {
				bad(f+".copies", "không được âm (must not be negative)")
			}
			k := r.Key
			if k == "" {
				k = Slug(r.Name)
			}
			if keys[k] {
				bad(f+".key", "trùng khóa %q (duplicate key)", k)
			}
			keys[k] = true
		}
	}
	checkReqs("requirements", o.Requirements)
	checkReqs("add_requirements", o.AddRequirements)
	for i, d := range o.LegalBasis {
		if strings.TrimSpace(d.Number) == "" {
			bad(fmt.Sprintf("legal_basis[%d].number", i), "không được để trống (must not be empty)")
		}
	}
	if len(errs) > 0 {
		return o, dossier.Errorf(dossier.CodeInvalid, "tệp ghi đè không hợp lệ (invalid override): %s", strings.Join(errs, "; "))
	}
	return o, nil
}

// ValidateOverride checks an override file; its error names every bad field.
func ValidateOverride(data []byte) error {
	_, err := ParseOverride(data)
	return err
}

func (r OverrideRequirement) requirement() Requirement {
	q := Requirement{
		Key: r.Key, Name: vntext.NFC(strings.TrimSpace(r.Name)), Kind: r.Kind, Originals: 1,
		Form: nfcPtr(r.Form), Condition: nfcPtr(r.Condition), Alternatives: []string{},
		ElectronicSubstitute: nfcPtr(r.ElectronicSubstitute), Method: MethodManual, Confidence: 1,
		Note: vntext.NFC(r.Note),
	}
	if q.Kind == "" {
		q.Kind = KindSubmit
	}
	if c := vntext.NFC(strings.TrimSpace(r.Case)); c != "" {
		q.heading = c // resolved against the base's case keys by restructure
		if q.Condition == nil {
			q.Condition = &c
		}
		q.group = true
	}
	if r.Originals != nil {
		q.Originals = *r.Originals
	}
	if r.Copies != nil {
		q.Copies = *r.Copies
		if r.Originals == nil {
			q.Originals = 0
		}
	}
	for _, a := range r.Alternatives {
		q.Alternatives = append(q.Alternatives, vntext.NFC(a))
	}
	q.Optional = q.Condition != nil
	if r.Optional != nil {
		q.Optional = *r.Optional
	}
	return q
}

func nfcPtr(s *string) *string {
	if s == nil {
		return nil
	}
	v := vntext.NFC(*s)
	return &v
}

// apply builds the overridden procedure on base (nil for a hand-written one).
func (o Override) apply(base *Procedure) (Procedure, error) {
	var p Procedure
	if base != nil {
		p = *base
		p.Source = SourceOverride
	} else {
		if o.Name == nil || len(o.Requirements) == 0 {
			return p, dossier.Errorf(dossier.CodeInvalid, "%s: thủ tục chưa có trong danh mục nên phải có name và requirements (a hand-written procedure needs name and requirements)", o.Code)
		}
		p = Procedure{Code: o.Code, Source: SourceManual, ApplicantTypes: []string{}, LegalBasis: []LegalDoc{}}
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = vntext.NFC(*v)
		}
	}
	set(&p.Name, o.Name)
	set(&p.Field, o.Field)
	set(&p.Level, o.Level)
	set(&p.Agency, o.Agency)
	set(&p.Ministry, o.Ministry)
	set(&p.ProcessingTime, o.ProcessingTime)
	set(&p.Fees, o.Fees)
	set(&p.Result, o.Result)
	if o.ProcessingDays != nil {
		p.ProcessingDays = *o.ProcessingDays
	}
	if o.ApplicantTypes != nil {
		p.ApplicantTypes = o.ApplicantTypes
	}
	if o.Linked != nil {
		p.Linked = o.Linked
	}
	if o.LegalBasis != nil {
		p.LegalBasis = nil
		for _, d := range o.LegalBasis {
			num := legalnum.Normalize(d.Number)
			if num == "" { // an override may name a document without a số hiệu
				num = vntext.CollapseSpace(clean(d.Number))
			}
			p.LegalBasis = append(p.LegalBasis, LegalDoc{Number: num, Title: vntext.NFC(d.Title)})
		}
	}
	if len(o.Requirements) > 0 {
		p.Requirements = nil
		for _, r := range o.Requirements {
			p.Requirements = append(p.Requirements, r.requirement())
		}
	} else {
		drop := map[string]bool{}
		for _, k := range o.RemoveRequirements {
			drop[k] = true
		}
		var kept []Requirement
		found := map[string]bool{}
		for _, r := range p.Requirements {
			if drop[r.Key] {
				found[r.Key] = true
				continue
			}
			kept = append(kept, r)
		}
		for _, k := range o.RemoveRequirements {
			if !found[k] {
				return p, dossier.Errorf(dossier.CodeInvalid, "%s: remove_requirements: không có giấy tờ khóa %q (no requirement with this key)", o.Code, k)
			}
		}
		for _, r := range o.AddRequirements {
			kept = append(kept, r.requirement())
		}
		p.Requirements = kept
	}
	// Keep given keys; derive and deduplicate the rest.
	seen := map[string]int{}
	for i := range p.Requirements {
		k := p.Requirements[i].Key
		if k == "" {
			k = Slug(p.Requirements[i].Name)
		}
		seen[k]++
		if n := seen[k]; n > 1 {
			k = fmt.Sprintf("%s-%d", k, n)
		}
		p.Requirements[i].Key = k
	}
	if p.Requirements == nil {
		p.Requirements = []Requirement{}
	}
	restructure(&p)
	p.NeedsReview = false
	p.ReviewReasons = nil
	return p, nil
}

// ApplyOverrides stores a version for every *.yaml/*.yml file in dir, each
// effective on its own date and winning over imported data at equal dates.
// The base of a correction is the imported version in force at that date.
// It returns the number of new versions (identical files are no-ops).
func (s *Store) ApplyOverrides(ctx context.Context, dir string) (int, error) {
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return 0, err
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	n := 0
	var codes []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return n, fmt.Errorf("read override %s: %w", f, err)
		}
		o, err := ParseOverride(data)
		if err != nil {
			return n, fmt.Errorf("%s: %w", f, err)
		}
		eff, _ := time.Parse(time.DateOnly, o.EffectiveFrom)
		base, err := s.getImported(ctx, o.Code, eff)
		if err != nil {
			return n, err
		}
		p, err := o.apply(base)
		if err != nil {
			return n, fmt.Errorf("%s: %w", f, err)
		}
		added, err := s.insertVersions(ctx, []Procedure{p}, p.Source, eff, f)
		if err != nil {
			return n, err
		}
		n += added
		codes = append(codes, o.Code)
	}
	return n, s.refreshCurrent(ctx, codes)
}

// restructure recomputes p's cases and one-of groups from its requirements
// after an override edited them: a kept requirement stays in its case (and
// one every case listed stays in each), an added one goes to the case its
// `case` names (a key of p's cases or a heading), and a group keeps the
// kind it had. Without this an override that replaced the requirements kept
// the old cases, naming keys that no longer exist.
func restructure(p *Procedure) {
	names := map[string]string{}
	listed := map[string]int{}
	var all []string
	for _, c := range p.Cases {
		names[c.Key] = c.Name
		all = append(all, c.Name)
		for _, k := range c.Requirements {
			listed[k]++
		}
	}
	kinds := map[string]string{}
	for _, g := range p.Groups {
		kinds[g.Requirement] = g.Kind
	}
	for i := range p.Requirements {
		r := &p.Requirements[i]
		switch {
		case r.heading != "":
			if n, ok := names[r.heading]; ok { // a case key
				r.heading = n
				r.Condition = &n
			}
		case r.Case != "":
			r.heading = names[r.Case]
		case len(p.Cases) >= 2 && listed[r.Key] == len(p.Cases):
			r.everyCase = all
		}
		r.Case = ""
		if r.groupKind == "" {
			r.groupKind = kinds[r.Key]
		}
	}
	p.Cases, p.Groups, p.Uncertain = structure(p.Requirements)
}
