package trigger

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// History is one citizen's generated history with the prompts a careful
// official would want sent (the label), for measuring the rules offline.
type History struct {
	Citizen string          `json:"citizen"`
	AsOf    time.Time       `json:"as_of"` // the scheduler runs on this day
	Events  []Event         `json:"events"`
	Records []HistoryRecord `json:"records"`
	// Expected lists the rule ids whose prompts should be made (a rule
	// that makes two suggestions for one event counts once).
	Expected []string `json:"expected"`
	Note     string   `json:"note"` // what the history is, for humans
}

// HistoryRecord is a vault record in a history.
type HistoryRecord struct {
	Type       string     `json:"type"`
	ValidUntil *time.Time `json:"valid_until,omitempty"`
}

// EvalReport is the outcome of EvaluateFalsePositives.
type EvalReport struct {
	Histories      int `json:"histories"`
	Predicted      int `json:"predicted"` // (history, rule) prompts the rules make
	TruePositives  int `json:"true_positives"`
	FalsePositives int `json:"false_positives"`
	FalseNegatives int `json:"false_negatives"`
	// FalsePositiveRate is FP / predicted: the share of prompts officials
	// would have to reject.
	FalsePositiveRate float64             `json:"false_positive_rate"`
	Recall            float64             `json:"recall"`
	ByRule            map[string][3]int   `json:"by_rule"` // rule → [TP, FP, FN]
	Examples          map[string][]string `json:"examples,omitempty"`
}

func (r EvalReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "histories %d, prompts %d, false positives %d (rate %.3f), missed %d (recall %.3f)\n",
		r.Histories, r.Predicted, r.FalsePositives, r.FalsePositiveRate, r.FalseNegatives, r.Recall)
	ids := make([]string, 0, len(r.ByRule))
	for id := range r.ByRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := r.ByRule[id]
		fmt.Fprintf(&b, "  %-20s TP %4d  FP %4d  FN %4d\n", id, c[0], c[1], c[2])
	}
	return b.String()
}

// Predict returns the rule ids whose prompts rs would make for h: its
// events, and the document_expiring events the scheduler would find on
// h.AsOf (the same selection as Scan: the newest record of a type, expiring
// within the rule's window).
func Predict(rs *Rules, h History) []string {
	evs := slices.Clone(h.Events)
	day := time.Date(h.AsOf.Year(), h.AsOf.Month(), h.AsOf.Day(), 0, 0, 0, 0, time.UTC)
	for i, r := range h.Records {
		if r.ValidUntil == nil || r.ValidUntil.Before(day) {
			continue
		}
		newer := false
		for j, o := range h.Records {
			if j != i && o.Type == r.Type && (o.ValidUntil == nil || o.ValidUntil.After(*r.ValidUntil)) {
				newer = true
			}
		}
		if newer {
			continue
		}
		left := int(r.ValidUntil.Sub(day).Hours() / 24)
		evs = append(evs, Event{ID: fmt.Sprintf("expiring:%d", i), Kind: KindDocumentExpiring, CitizenID: h.Citizen,
			Data: map[string]string{"doc_type": r.Type, "days_left": strconv.Itoa(left)}})
	}
	var out []string
	for _, ev := range evs {
		for i := range rs.Rules {
			r := &rs.Rules[i]
			if !r.matches(ev) || slices.Contains(out, r.ID) {
				continue
			}
			for _, sg := range r.Suggest {
				if dataMatches(sg.When, ev.Data) {
					out = append(out, r.ID)
					break
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// EvaluateFalsePositives runs rs over labelled histories and reports the
// false-positive rate of the proactive prompts (and what they miss).
func EvaluateFalsePositives(rs *Rules, hs []History) EvalReport {
	rep := EvalReport{Histories: len(hs), ByRule: map[string][3]int{}, Examples: map[string][]string{}}
	for _, h := range hs {
		got := Predict(rs, h)
		rep.Predicted += len(got)
		for _, id := range got {
			c := rep.ByRule[id]
			if slices.Contains(h.Expected, id) {
				rep.TruePositives++
				c[0]++
			} else {
				rep.FalsePositives++
				c[1]++
				if len(rep.Examples[id]) < 3 {
					rep.Examples[id] = append(rep.Examples[id], h.Note)
				}
			}
			rep.ByRule[id] = c
		}
		for _, id := range h.Expected {
			if !slices.Contains(got, id) {
				rep.FalseNegatives++
				c := rep.ByRule[id]
				c[2]++
				rep.ByRule[id] = c
			}
		}
	}
	if rep.Predicted > 0 {
		rep.FalsePositiveRate = float64(rep.FalsePositives) / float64(rep.Predicted)
	}
	if t := rep.TruePositives + rep.FalseNegatives; t > 0 {
		rep.Recall = float64(rep.TruePositives) / float64(t)
	}
	return rep
}

// GenerateHistories makes n citizen histories from seed, each labelled by
// what a careful official would want sent, independently of the rules. Some
// histories are traps a simple rule falls into: a birth registered through
// the liên thông channel (residence and insurance already done), a card
// whose renewal is already in progress, a household business that needs no
// seal advice.
func GenerateHistories(seed uint64, n int) []History {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	asOf := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	var out []History
	for i := range n {
		h := History{Citizen: fmt.Sprintf("0791%08d", i), AsOf: asOf, Events: []Event{}, Records: []HistoryRecord{}, Expected: []string{}}
		ev := func(kind string, data map[string]string, proc string) {
			h.Events = append(h.Events, Event{ID: fmt.Sprintf("g%d-%d", i, len(h.Events)), Kind: kind, CitizenID: h.Citizen,
				ProcedureCode: proc, OccurredAt: asOf.AddDate(0, 0, -rng.IntN(10)), Data: data})
		}
		until := func(days int) *time.Time { t := asOf.AddDate(0, 0, days); return &t }
		var notes []string
		switch rng.IntN(10) {
		case 0, 1: // a birth registered at the civil registry
			if rng.IntN(4) == 0 {
				ev(KindBirthRegistered, map[string]string{"lien_thong": "true"}, "")
				notes = append(notes, "birth registered through liên thông (already done)")
			} else {
				ev(KindBirthRegistered, nil, "")
				h.Expected = append(h.Expected, "birth-linked")
				notes = append(notes, "birth registered")
			}
		case 2: // hoso accepted a dossier
			if rng.IntN(2) == 0 {
				ev(KindDossierAccepted, nil, "1.001193")
				h.Expected = append(h.Expected, "birth-linked")
				notes = append(notes, "khai sinh dossier accepted")
			} else {
				ev(KindDossierAccepted, nil, "1.004222")
				notes = append(notes, "thường trú dossier accepted")
			}
		case 3, 4, 5: // an identity card with some time left
			left := rng.IntN(120) - 5
			h.Records = append(h.Records, HistoryRecord{Type: "cccd", ValidUntil: until(left)})
			switch {
			case left >= 0 && left <= 30 && rng.IntN(5) == 0:
				// The citizen already applied: the new card is not issued
				// yet, so the vault does not know; a prompt is unwanted.
				notes = append(notes, fmt.Sprintf("card expires in %d days, renewal already in progress", left))
			case left >= 0 && left <= 30:
				h.Expected = append(h.Expected, "id-card-renewal")
				notes = append(notes, fmt.Sprintf("card expires in %d days", left))
			default:
				notes = append(notes, fmt.Sprintf("card expires in %d days (not due)", left))
			}
			if rng.IntN(6) == 0 { // renewed: a newer card supersedes it
				h.Records = append(h.Records, HistoryRecord{Type: "cccd", ValidUntil: until(3650)})
				h.Expected = slices.DeleteFunc(h.Expected, func(s string) bool { return s == "id-card-renewal" })
				notes = append(notes, "and already renewed")
			}
		case 6: // a driving licence
			left := rng.IntN(150)
			h.Records = append(h.Records, HistoryRecord{Type: "giay_phep_lai_xe", ValidUntil: until(left)})
			if left <= 60 {
				h.Expected = append(h.Expected, "licence-renewal")
			}
			notes = append(notes, fmt.Sprintf("licence expires in %d days", left))
		case 7: // a business registered
			if rng.IntN(2) == 0 {
				ev(KindBusinessRegistered, map[string]string{"business_type": "doanh_nghiep"}, "")
			} else {
				ev(KindBusinessRegistered, map[string]string{"business_type": "ho_kinh_doanh"}, "")
			}
			h.Expected = append(h.Expected, "business-followups")
			notes = append(notes, "business registered")
		default: // nothing happened
			notes = append(notes, "no life event")
		}
		h.Note = h.Citizen + ": " + strings.Join(notes, ", ")
		sort.Strings(h.Expected)
		out = append(out, h)
	}
	return out
}
