// Package indicators computes the figures the Programme is judged by
// (Decision 2629/QĐ-TTg on digital transformation of administrative
// procedures): how many dossiers the AI pre-checked, how many required
// documents were satisfied by reuse (once-only), how many decisions came
// before the statutory deadline, how often officials agreed with the AI,
// the median time to decision and citizens' satisfaction. Everything is
// computed from hoso's own records, per agency and overall, per calendar
// month in Asia/Ho_Chi_Minh. docs/indicators.md defines each figure.
package indicators

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hoso-vn/hoso/internal/dossier"
	"github.com/hoso-vn/hoso/internal/workcal"
)

// Overall is the agency value of the figures over every agency.
const Overall = "*"

// Figures are one month's indicators for one agency (or Overall).
type Figures struct {
	Month  string `json:"month"`  // YYYY-MM
	Agency string `json:"agency"` // agency code, or "*" for every agency

	// Pre-checked by AI: dossiers submitted in the month whose check stage ran.
	Dossiers       int      `json:"dossiers"`
	PrecheckedByAI int      `json:"prechecked_by_ai"`
	PrecheckShare  *float64 `json:"precheck_share"`

	// Once-only: applicable required documents of those dossiers, and how
	// many the vault satisfied.
	RequiredDocuments int      `json:"required_documents"`
	ReusedDocuments   int      `json:"reused_documents"`
	ReuseShare        *float64 `json:"reuse_share"`

	// On time: dossiers decided (accepted) in the month, and how many by
	// the statutory deadline (working days from submission, workcal).
	Decided     int      `json:"decided"`
	OnTime      int      `json:"decided_on_time"`
	OnTimeShare *float64 `json:"on_time_share"`
	// MedianDecisionHours is the median working hours from submission to
	// decision (8 working hours a working day).
	MedianDecisionHours *float64 `json:"median_decision_working_hours"`

	// Agreement: suggestions officials decided in the month.
	SuggestionsDecided int      `json:"suggestions_decided"`
	ApprovedUnchanged  int      `json:"approved_unchanged"`
	ApprovedEdited     int      `json:"approved_edited"`
	Rejected           int      `json:"rejected"`
	AgreementShare     *float64 `json:"agreement_share"` // approved unchanged / decided
	// Audited pre-checks (the random sample) and how many the reviewer
	// corrected (outcome disagree).
	PrechecksAudited  int      `json:"prechecks_audited"`
	FindingsCorrected int      `json:"findings_corrected"`
	CorrectionShare   *float64 `json:"correction_share"`

	// Satisfaction: ratings first given in the month.
	Ratings           int      `json:"ratings"`
	Satisfied         int      `json:"satisfied"` // score 4 or 5
	SatisfactionShare *float64 `json:"satisfaction_share"`
	MeanScore         *float64 `json:"mean_score"`

	decisionHours []float64
	scoreSum      int
}

// Report is a span of months.
type Report struct {
	From      string    `json:"from"` // first month, YYYY-MM
	To        string    `json:"to"`   // last month, YYYY-MM
	Generated time.Time `json:"generated_at"`
	// Months lists the months in order.
	Months []string `json:"months"`
	// Overall has one entry per month (agency "*").
	Overall []Figures `json:"overall"`
	// Agencies has one entry per month and agency with any activity, by
	// month then agency code.
	Agencies []Figures `json:"agencies"`
}

// ParseMonth reads YYYY-MM as the first instant of that month in Vietnam.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01", s, workcal.Location)
	if err != nil {
		return t, dossier.Errorf(dossier.CodeInvalid, "tháng %q không đúng dạng YYYY-MM, ví dụ 2026-11 (month must be YYYY-MM)", s)
	}
	return t, nil
}

// MonthOf is the month of t in Vietnam, YYYY-MM.
func MonthOf(t time.Time) string { return t.In(workcal.Location).Format("2006-01") }

// MaxMonths bounds a report.
const MaxMonths = 36

// Compute builds the report for months from..to (YYYY-MM, inclusive).
// agency, when set, limits the Agencies part to that agency (Overall stays
// the whole service).
func Compute(ctx context.Context, pool *pgxpool.Pool, from, to, agency string, now time.Time) (Report, error) {
	f, err := ParseMonth(from)
	if err != nil {
		return Report{}, err
	}
	t, err := ParseMonth(to)
	if err != nil {
		return Report{}, err
	}
	if t.Before(f) {
		return Report{}, dossier.Errorf(dossier.CodeInvalid, "tháng cuối %s trước tháng đầu %s (to is before from)", to, from)
	}
	end := t.AddDate(0, 1, 0)
	rep := Report{From: from, To: to, Generated: now.UTC()}
	for m := f; m.Before(end); m = m.AddDate(0, 1, 0) {
		rep.Months = append(rep.Months, MonthOf(m))
	}
	if len(rep.Months) > MaxMonths {
		return Report{}, dossier.Errorf(dossier.CodeInvalid, "tối đa %d tháng (at most %d months)", MaxMonths, MaxMonths)
	}
	st := store{pool: pool}
	cal := workcal.Vietnam()
	figs := map[[2]string]*Figures{}
	get := func(at time.Time, ag string) []*Figures {
		m := MonthOf(at)
		var out []*Figures
		for _, a := range []string{Overall, ag} {
			k := [2]string{m, a}
			if figs[k] == nil {
				figs[k] = &Figures{Month: m, Agency: a}
			}
			out = append(out, figs[k])
		}
		return out
	}
	sub, err := st.submitted(ctx, f, end)
	if err != nil {
		return rep, err
	}
	for _, r := range sub {
		for _, x := range get(r.at, r.agency) {
			x.Dossiers++
			if r.prechecked {
				x.PrecheckedByAI++
			}
			x.RequiredDocuments += r.required
			x.ReusedDocuments += r.reused
		}
	}
	dec, err := st.decisions(ctx, f, end)
	if err != nil {
		return rep, err
	}
	for _, r := range dec {
		onTime := r.processingDays > 0 && !r.at.After(cal.Deadline(r.submitted, r.processingDays))
		h := cal.WorkingHoursBetween(r.submitted, r.at).Hours()
		for _, x := range get(r.at, r.agency) {
			x.Decided++
			if onTime {
				x.OnTime++
			}
			x.decisionHours = append(x.decisionHours, h)
		}
	}
	rev, err := st.reviews(ctx, f, end)
	if err != nil {
		return rep, err
	}
	for _, r := range rev {
		for _, x := range get(r.at, r.agency) {
			x.SuggestionsDecided++
			switch {
			case r.status == "rejected":
				x.Rejected++
			case r.edited:
				x.ApprovedEdited++
			default:
				x.ApprovedUnchanged++
			}
		}
	}
	aud, err := st.audits(ctx, f, end)
	if err != nil {
		return rep, err
	}
	for _, r := range aud {
		for _, x := range get(r.at, r.agency) {
			x.PrechecksAudited++
			if r.disagree {
				x.FindingsCorrected++
			}
		}
	}
	rat, err := st.ratings(ctx, f, end)
	if err != nil {
		return rep, err
	}
	for _, r := range rat {
		for _, x := range get(r.at, r.agency) {
			x.Ratings++
			x.scoreSum += r.score
			if r.score >= 4 {
				x.Satisfied++
			}
		}
	}
	for _, m := range rep.Months {
		x := figs[[2]string{m, Overall}]
		if x == nil {
			x = &Figures{Month: m, Agency: Overall}
		}
		rep.Overall = append(rep.Overall, x.finish())
	}
	var keys [][2]string
	for k := range figs {
		if k[1] != Overall && (agency == "" || k[1] == agency) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		rep.Agencies = append(rep.Agencies, figs[k].finish())
	}
	return rep, nil
}

func share(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

func (x *Figures) finish() Figures {
	x.PrecheckShare = share(x.PrecheckedByAI, x.Dossiers)
	x.ReuseShare = share(x.ReusedDocuments, x.RequiredDocuments)
	x.OnTimeShare = share(x.OnTime, x.Decided)
	x.AgreementShare = share(x.ApprovedUnchanged, x.SuggestionsDecided)
	x.CorrectionShare = share(x.FindingsCorrected, x.PrechecksAudited)
	x.SatisfactionShare = share(x.Satisfied, x.Ratings)
	if x.Ratings > 0 {
		m := float64(x.scoreSum) / float64(x.Ratings)
		x.MeanScore = &m
	}
	if n := len(x.decisionHours); n > 0 {
		h := slices.Clone(x.decisionHours)
		slices.Sort(h)
		med := h[n/2]
		if n%2 == 0 {
			med = (h[n/2-1] + h[n/2]) / 2
		}
		med = math.Round(med*10) / 10
		x.MedianDecisionHours = &med
	}
	return *x
}

// Month returns the figures of one month: overall first, then each agency.
func (r Report) Month(m string) []Figures {
	var out []Figures
	for _, x := range r.Overall {
		if x.Month == m {
			out = append(out, x)
		}
	}
	for _, x := range r.Agencies {
		if x.Month == m {
			out = append(out, x)
		}
	}
	return out
}

// String is for logs.
func (x Figures) String() string {
	return fmt.Sprintf("%s %s: %d dossiers, %d decided", x.Month, x.Agency, x.Dossiers, x.Decided)
}
