package web

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/dossier"
)

// queueLimit bounds how many of an agency's dossiers the queue considers; the
// filters, counts and deadlines are computed over them in Go because the
// deadlines depend on the working-day calendar.
const queueLimit = 5000

// pageSize is the number of rows on one page of the queue.
const pageSize = 50

// ackHours is the acknowledgement time of Decree 45/2020/NĐ-CP, Điều 15:
// an electronic dossier is acknowledged within 8 working hours.
const ackHours = 8 * time.Hour

// QueueItem is one dossier in the queue.
type QueueItem struct {
	ID             string
	ProcedureCode  string
	ProcedureName  string
	Agency         string
	AgencyName     string
	Applicant      string
	Status         string
	Stage          string
	SubmittedAt    time.Time
	Documents      int
	MinConfidence  float64 // -1 without documents
	Pending        int     // suggestions pending review
	Problems       int     // findings missing, invalid or needing review
	AckDeadline    time.Time
	Deadline       time.Time // processing deadline; zero when unknown
	DueAt          time.Time // the deadline the queue sorts by
	DueState       string    // overdue | soon | ok
	LeftHours      time.Duration
	Sampled        bool // in the random audit sample
	SampleReviewed bool
}

// Facet is one option of a filter with its count.
type Facet struct {
	Value string
	Label string
	Count int
	On    bool
}

type queueView struct {
	Items      []QueueItem
	Total      int
	All        int
	Page       int
	Pages      int
	Query      url.Values
	Sort       string
	Statuses   []Facet
	Procedures []Facet
	Confidence []Facet
	Deadlines  []Facet
	Agencies   []Facet // administrators only: their queue spans every agency
	Sample     Facet
	Rate       int
}

// queueFilter is the queue's query string.
type queueFilter struct {
	Status, Procedure, Confidence, Due, Sort, Agency string
	Sample                                           bool
	Page                                             int
}

func parseQueueFilter(q url.Values) queueFilter {
	f := queueFilter{Status: q.Get("status"), Procedure: q.Get("procedure"), Confidence: q.Get("confidence"),
		Due: q.Get("due"), Sort: q.Get("sort"), Sample: q.Get("sample") == "1", Agency: q.Get("agency")}
	if !q.Has("status") {
		f.Status = dossier.StatusPrechecked // the queue proper: awaiting officials
	}
	if f.Status == "all" {
		f.Status = ""
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	if f.Page < 1 {
		f.Page = 1
	}
	if !slices.Contains([]string{"due", "submitted", "-submitted", "confidence", "procedure"}, f.Sort) {
		f.Sort = "due"
	}
	return f
}

// Sampled reports whether the random audit sample selects dossier id at rate:
// a hash of the id, so the choice is stable across requests and restarts,
// spread evenly, and not something an official can steer.
func Sampled(id string, rate float64) bool {
	if rate <= 0 {
		return false
	}
	h := sha256.Sum256([]byte("hoso-audit-sample:" + id))
	x := float64(binary.BigEndian.Uint64(h[:8])) / math.Exp2(64)
	return x < rate
}

func confidenceBucket(it QueueItem) string {
	switch {
	case it.Documents == 0 || it.MinConfidence < 0:
		return "none"
	case it.MinConfidence < 0.6:
		return "low"
	case it.MinConfidence < 0.9:
		return "medium"
	}
	return "high"
}

func (f queueFilter) match(it QueueItem, skip string) bool {
	if skip != "status" && f.Status != "" && it.Status != f.Status {
		return false
	}
	if skip != "procedure" && f.Procedure != "" && it.ProcedureCode != f.Procedure {
		return false
	}
	if skip != "confidence" && f.Confidence != "" && confidenceBucket(it) != f.Confidence {
		return false
	}
	if skip != "due" && f.Due != "" && it.DueState != f.Due {
		return false
	}
	if skip != "agency" && f.Agency != "" && it.Agency != f.Agency {
		return false
	}
	if skip != "sample" && f.Sample && !it.Sampled {
		return false
	}
	return true
}

// auditRate is the audit rate of the active pipeline version.
func (c *Console) auditRate() float64 {
	_, rate := c.auditRule("")
	return rate
}

// sampled reports whether a pre-check goes to a reviewer's random audit:
// it is high-confidence and falls in the audit rate, both as the pipeline
// version the dossier ran under sets them (thresholds.high_confidence,
// audit_rate), so that an activated change of the rate applies to new
// dossiers; the console's configuration serves when the version is unknown.
func (c *Console) sampled(it QueueItem, version string) bool {
	hc, rate := c.auditRule(version)
	return it.Status == dossier.StatusPrechecked && it.Documents > 0 && it.MinConfidence >= hc && Sampled(it.ID, rate)
}

// auditRule is the high-confidence threshold and audit rate of version
// ("" for the active one).
func (c *Console) auditRule(version string) (highConfidence, rate float64) {
	if r := c.d.Registry; r != nil {
		def := r.Current()
		if version != "" {
			def, _ = r.Version(version)
		}
		if def != nil {
			return def.Thresholds.HighConfidence, def.AuditRate
		}
	}
	return c.cfg.HighConfidence, c.cfg.AuditSampleRate
}

type procInfo struct {
	name string
	days float64
}

// procedure returns a procedure's name and processing time in working days,
// from the catalog only: the version in force when the dossier was
// submitted, else current, the catalog's current version (procedure_names).
// Nothing a submitter sends (metadata.procedure_name, processing_days) can
// rename a procedure or move a deadline. The cache is per request and per
// code: within one queue page a procedure's processing time is taken from
// the version of its first dossier, as versions rarely change it.
func (c *Console) procedure(ctx context.Context, cache map[string]procInfo, code string, at time.Time, current procInfo) procInfo {
	p, ok := cache[code]
	if !ok {
		p = current
		if c.d.Procedures != nil {
			if cp, err := c.d.Procedures.Get(ctx, code, at); err == nil && cp != nil {
				p = procInfo{name: cmp.Or(cp.Name, current.name), days: cmp.Or(cp.ProcessingDays, current.days)}
			} else if err != nil && dossier.ErrorCode(err) != dossier.CodeNotFound {
				c.log.Warn("console: catalog lookup failed", "procedure", code, "err", err)
			}
		}
		cache[code] = p
	}
	return p
}

func (c *Console) deadlines(it *QueueItem, days float64, now time.Time) {
	it.AckDeadline = c.cal.AddWorkingHours(it.SubmittedAt, ackHours)
	it.DueAt = it.AckDeadline
	if days > 0 {
		it.Deadline = c.cal.Deadline(it.SubmittedAt, days)
		if it.Status != dossier.StatusReceived {
			it.DueAt = it.Deadline
		}
	}
	it.LeftHours = c.cal.WorkingHoursBetween(now, it.DueAt)
	switch {
	case !now.Before(it.DueAt):
		it.DueState = "overdue"
	case it.LeftHours <= 8*time.Hour:
		it.DueState = "soon"
	default:
		it.DueState = "ok"
	}
}

func (c *Console) handleQueue(w http.ResponseWriter, r *http.Request) {
	a, _ := ActorFrom(r.Context())
	scope := a.Agency
	if hasRole(a, auth.RoleAdmin) {
		scope = "" // an administrator sees every agency (as the API does)
	}
	all, err := c.loadQueue(r.Context(), scope)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := parseQueueFilter(r.URL.Query())
	v := queueView{All: len(all), Query: r.URL.Query(), Sort: f.Sort, Rate: int(math.Round(c.auditRate() * 100))}
	if !v.Query.Has("status") {
		v.Query.Set("status", dossier.StatusPrechecked)
	}
	statusCount := map[string]int{}
	procCount := map[string]int{}
	procName := map[string]string{}
	confCount := map[string]int{}
	dueCount := map[string]int{}
	agencyCount := map[string]int{}
	agencyName := map[string]string{}
	statusAll := 0
	for _, it := range all {
		if f.match(it, "status") {
			statusCount[it.Status]++
			statusAll++
		}
		if f.match(it, "procedure") {
			procCount[it.ProcedureCode]++
			if procName[it.ProcedureCode] == "" {
				procName[it.ProcedureCode] = it.ProcedureName
			}
		}
		if f.match(it, "confidence") {
			confCount[confidenceBucket(it)]++
		}
		if f.match(it, "due") {
			dueCount[it.DueState]++
		}
		if f.match(it, "agency") {
			agencyCount[it.Agency]++
			agencyName[it.Agency] = cmp.Or(it.AgencyName, it.Agency)
		}
		if f.match(it, "sample") && it.Sampled {
			v.Sample.Count++
		}
		if f.match(it, "") {
			v.Items = append(v.Items, it)
		}
	}
	v.Sample.On = f.Sample
	v.Statuses = append(v.Statuses, Facet{Value: "all", Label: "all", Count: statusAll, On: f.Status == ""})
	for _, s := range []string{dossier.StatusPrechecked, dossier.StatusProcessing, dossier.StatusReceived, dossier.StatusFailed} {
		v.Statuses = append(v.Statuses, Facet{Value: s, Label: s, Count: statusCount[s], On: f.Status == s})
	}
	codes := make([]string, 0, len(procCount))
	for code := range procCount {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		v.Procedures = append(v.Procedures, Facet{Value: code, Label: strings.TrimSpace(code + " " + procName[code]), Count: procCount[code], On: f.Procedure == code})
	}
	for _, b := range []string{"low", "medium", "high", "none"} {
		v.Confidence = append(v.Confidence, Facet{Value: b, Label: b, Count: confCount[b], On: f.Confidence == b})
	}
	for _, d := range []string{"overdue", "soon", "ok"} {
		v.Deadlines = append(v.Deadlines, Facet{Value: d, Label: d, Count: dueCount[d], On: f.Due == d})
	}
	if scope == "" {
		ags := make([]string, 0, len(agencyCount))
		for code := range agencyCount {
			ags = append(ags, code)
		}
		slices.SortFunc(ags, func(x, y string) int { return cmp.Compare(agencyName[x], agencyName[y]) })
		for _, code := range ags {
			v.Agencies = append(v.Agencies, Facet{Value: code, Label: agencyName[code], Count: agencyCount[code], On: f.Agency == code})
		}
	}
	sortQueue(v.Items, f.Sort)
	v.Total = len(v.Items)
	v.Pages = max(1, (v.Total+pageSize-1)/pageSize)
	v.Page = min(f.Page, v.Pages)
	lo := (v.Page - 1) * pageSize
	v.Items = v.Items[lo:min(lo+pageSize, v.Total)]
	c.render(w, r, http.StatusOK, "queue", v)
}

func sortQueue(items []QueueItem, by string) {
	slices.SortStableFunc(items, func(a, b QueueItem) int {
		switch by {
		case "submitted":
			return a.SubmittedAt.Compare(b.SubmittedAt)
		case "-submitted":
			return b.SubmittedAt.Compare(a.SubmittedAt)
		case "confidence":
			if a.MinConfidence != b.MinConfidence {
				if a.MinConfidence < b.MinConfidence {
					return -1
				}
				return 1
			}
		case "procedure":
			if c := strings.Compare(a.ProcedureCode, b.ProcedureCode); c != 0 {
				return c
			}
		}
		if c := a.DueAt.Compare(b.DueAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
