// Package trigger provides hoso's proactive service: a small declarative rule
// set (app/trigger/triggers.yaml) that turns life events — a birth registered,
// an identity card about to expire, a dossier left incomplete, a business
// registered — into draft suggestions. A suggestion is only ever written as
// pending_review: it reaches the citizen's inbox when an official approves it
// (internal/review), and the citizen may then accept it, which starts a
// pre-filled draft dossier from the vault, or decline it.
//
// Events arrive on the NATS subject <prefix>.events.<kind> from other
// systems, from hoso's own results (a dossier accepted, written in the same
// transaction as the acceptance) and from the scheduler's pass over the vault
// and the dossiers (expiry, incompleteness). Every event is recorded once by
// id, and every suggestion is keyed by rule and event, so that redelivery and
// re-runs draft nothing twice.
package trigger

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"gopkg.in/yaml.v3"

	"github.com/hoso-vn/hoso/internal/vault"
	"github.com/hoso-vn/hoso/internal/vntext"
)

// Event kinds the rules understand.
const (
	KindBirthRegistered    = "birth_registered"    // civil status registry: a birth was registered
	KindDossierAccepted    = "dossier_accepted"    // hoso: an official accepted a dossier
	KindDocumentExpiring   = "document_expiring"   // scheduler or registry: a document expires soon
	KindDossierIncomplete  = "dossier_incomplete"  // scheduler: a dossier still lacks papers after N days
	KindBusinessRegistered = "business_registered" // business registry: a business was registered
)

// Kinds lists the event kinds.
var Kinds = []string{KindBirthRegistered, KindDossierAccepted, KindDocumentExpiring, KindDossierIncomplete, KindBusinessRegistered}

// Rules is a validated rule set.
type Rules struct {
	Version int    `yaml:"version" json:"version"`
	Rules   []Rule `yaml:"rules" json:"rules"`
}

// Rule turns events of the kinds in On into suggestions.
type Rule struct {
	ID          string `yaml:"id" json:"id"`
	Description string `yaml:"description" json:"description"`
	// On lists the event kinds the rule reacts to.
	On    []string `yaml:"on" json:"on"`
	Match Match    `yaml:"match" json:"match"`
	// WithinDays: document_expiring fires when the document expires within
	// this many days.
	WithinDays int `yaml:"within_days,omitempty" json:"within_days,omitempty"`
	// AfterDays: dossier_incomplete fires when a pre-checked dossier has
	// lacked papers for this many days.
	AfterDays int       `yaml:"after_days,omitempty" json:"after_days,omitempty"`
	Suggest   []Suggest `yaml:"suggest" json:"suggest"`
}

// Match narrows the events a rule accepts; empty fields match anything.
type Match struct {
	// Procedures: the event's procedure code (the accepted dossier's).
	Procedures []string `yaml:"procedures,omitempty" json:"procedures,omitempty"`
	// DocTypes: the vault type of the expiring document.
	DocTypes []string `yaml:"doc_types,omitempty" json:"doc_types,omitempty"`
	// Data: values the event's data must carry (string equality).
	Data map[string]string `yaml:"data,omitempty" json:"data,omitempty"`
	// Unless: the rule does not fire when the event's data carries any of
	// these values (a birth registered through the liên thông channel has
	// its residence and insurance done already).
	Unless map[string]string `yaml:"unless,omitempty" json:"unless,omitempty"`
}

// Suggest is one suggestion a rule drafts.
type Suggest struct {
	// Procedure is the catalog code the suggestion proposes (accepting it
	// starts a draft dossier of it); empty for information only.
	Procedure string `yaml:"procedure,omitempty" json:"procedure,omitempty"`
	Kind      string `yaml:"kind" json:"kind"`
	Risk      string `yaml:"risk,omitempty" json:"risk,omitempty"`
	// When narrows this suggestion further (e.g. the seal follow-up only
	// for enterprises).
	When map[string]string `yaml:"when,omitempty" json:"when,omitempty"`
	// Text and TextEN are text/template sources over View; Rationale says
	// why, for the official.
	Text      string `yaml:"text" json:"text"`
	TextEN    string `yaml:"text_en" json:"text_en"`
	Rationale string `yaml:"rationale" json:"rationale"`
	// Basis is the legal basis quoted in the suggestion, when any.
	Basis *Basis `yaml:"basis,omitempty" json:"basis,omitempty"`

	text, textEN, rationale *template.Template
}

// Basis is a cited provision.
type Basis struct {
	Document string `yaml:"document" json:"document"`
	Article  int    `yaml:"article" json:"article"`
	Clause   int    `yaml:"clause,omitempty" json:"clause,omitempty"`
	Text     string `yaml:"text" json:"text"`
}

var reCode = regexp.MustCompile(`^\d\.\d{6}$`)
var reID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Default returns the rule set shipped in app/trigger/triggers.yaml.
func Default() (*Rules, error) { return Parse(TriggersYAML) }

// Parse decodes and validates a rule set. Errors name the bad field, e.g.
// `rules[2].suggest[0].procedure: "2.98" is not a procedure code`.
func Parse(data []byte) (*Rules, error) {
	var rs Rules
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&rs); err != nil {
		return nil, fmt.Errorf("triggers: %w", err)
	}
	if err := rs.Validate(); err != nil {
		return nil, err
	}
	return &rs, nil
}

// Validate checks every rule and compiles its templates.
func (rs *Rules) Validate() error {
	if rs.Version != 1 {
		return fmt.Errorf("triggers: version: %d is not supported (want 1)", rs.Version)
	}
	if len(rs.Rules) == 0 {
		return fmt.Errorf("triggers: rules: empty")
	}
	seen := map[string]bool{}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		at := fmt.Sprintf("triggers: rules[%d]", i)
		if !reID.MatchString(r.ID) {
			return fmt.Errorf("%s.id: %q must be lower-case letters, digits, - or _", at, r.ID)
		}
		at = fmt.Sprintf("triggers: rules[%d] (%s)", i, r.ID)
		if seen[r.ID] {
			return fmt.Errorf("%s.id: duplicate", at)
		}
		seen[r.ID] = true
		if len(r.On) == 0 {
			return fmt.Errorf("%s.on: empty (kinds: %s)", at, strings.Join(Kinds, ", "))
		}
		for _, k := range r.On {
			if !slices.Contains(Kinds, k) {
				return fmt.Errorf("%s.on: unknown event kind %q (kinds: %s)", at, k, strings.Join(Kinds, ", "))
			}
		}
		if slices.Contains(r.On, KindDocumentExpiring) {
			if r.WithinDays <= 0 {
				return fmt.Errorf("%s.within_days: must be > 0 for %s", at, KindDocumentExpiring)
			}
			if len(r.Match.DocTypes) == 0 {
				return fmt.Errorf("%s.match.doc_types: required for %s", at, KindDocumentExpiring)
			}
		}
		if slices.Contains(r.On, KindDossierIncomplete) && r.AfterDays <= 0 {
			return fmt.Errorf("%s.after_days: must be > 0 for %s", at, KindDossierIncomplete)
		}
		for _, c := range r.Match.Procedures {
			if !reCode.MatchString(c) {
				return fmt.Errorf("%s.match.procedures: %q is not a procedure code like 1.001193", at, c)
			}
		}
		for _, t := range r.Match.DocTypes {
			if _, ok := vault.Type(t); !ok {
				return fmt.Errorf("%s.match.doc_types: %q is not a vault document type", at, t)
			}
		}
		if len(r.Suggest) == 0 {
			return fmt.Errorf("%s.suggest: empty", at)
		}
		for j := range r.Suggest {
			s := &r.Suggest[j]
			sat := fmt.Sprintf("%s.suggest[%d]", at, j)
			if s.Procedure != "" && !reCode.MatchString(s.Procedure) {
				return fmt.Errorf("%s.procedure: %q is not a procedure code like 2.000986", sat, s.Procedure)
			}
			if !reID.MatchString(s.Kind) {
				return fmt.Errorf("%s.kind: %q must be lower-case letters, digits, - or _", sat, s.Kind)
			}
			switch s.Risk {
			case "":
				s.Risk = "normal"
			case "normal", "high":
			default:
				return fmt.Errorf("%s.risk: %q (want normal or high)", sat, s.Risk)
			}
			if strings.TrimSpace(s.Text) == "" {
				return fmt.Errorf("%s.text: empty", sat)
			}
			if strings.TrimSpace(s.Rationale) == "" {
				return fmt.Errorf("%s.rationale: empty (every suggestion says why it was made)", sat)
			}
			if s.Basis != nil && (s.Basis.Document == "" || s.Basis.Article <= 0 || strings.TrimSpace(s.Basis.Text) == "") {
				return fmt.Errorf("%s.basis: document, article and text are required", sat)
			}
			var err error
			for _, t := range []struct {
				name string
				src  string
				dst  **template.Template
			}{{"text", s.Text, &s.text}, {"text_en", s.TextEN, &s.textEN}, {"rationale", s.Rationale, &s.rationale}} {
				*t.dst, err = template.New(t.name).Option("missingkey=error").Parse(vntext.NFC(t.src))
				if err != nil {
					return fmt.Errorf("%s.%s: %v", sat, t.name, err)
				}
				if err := (*t.dst).Execute(&bytes.Buffer{}, sampleView); err != nil {
					return fmt.Errorf("%s.%s: %v", sat, t.name, err)
				}
			}
		}
	}
	return nil
}

// Rule returns the rule with id.
func (rs *Rules) Rule(id string) (*Rule, bool) {
	for i := range rs.Rules {
		if rs.Rules[i].ID == id {
			return &rs.Rules[i], true
		}
	}
	return nil, false
}

// View is what a suggestion's templates can use.
type View struct {
	Citizen       string
	Subject       string // the child, the business
	ProcedureCode string
	ProcedureName string
	Agency        string // cơ quan thực hiện
	Days          string // processing time in working days, "" when unknown
	DocumentName  string // expiring document
	ExpiryDate    string // dd/mm/yyyy
	DaysLeft      int
	Missing       string // consolidated list of what is missing
	MissingCount  int
	SourceDossier string
	Event         string
	Data          map[string]string
}

var sampleView = View{Citizen: "c", Subject: "s", ProcedureCode: "1.000000", ProcedureName: "p", Agency: "a", Days: "1",
	DocumentName: "d", ExpiryDate: "01/01/2030", DaysLeft: 1, Missing: "m", MissingCount: 1, SourceDossier: "hs", Event: "e", Data: map[string]string{}}

func render(t *template.Template, v View) (string, error) {
	if t == nil {
		return "", nil
	}
	var b bytes.Buffer
	if err := t.Execute(&b, v); err != nil {
		return "", err
	}
	return vntext.NFC(strings.Join(strings.Fields(b.String()), " ")), nil
}
