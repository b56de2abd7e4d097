package web

// The Programme's indicators page (/console/indicators, administrators):
// Decision 2629/QĐ-TTg's figures per agency and month from
// internal/indicators, with server-side SVG charts of the last six months.

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/hoso-vn/hoso/internal/auth"
	"github.com/hoso-vn/hoso/internal/indicators"
)

// chartMonths is how many months each chart shows, ending at the chosen one.
const chartMonths = 6

func (c *Console) parseIndicators() error {
	for _, lang := range []string{"vi", "en"} {
		t, err := template.New("layout.html").Funcs(c.funcs(lang)).ParseFS(templateFS, "templates/layout.html", "templates/indicators.html")
		if err != nil {
			return fmt.Errorf("web: parse template indicators: %w", err)
		}
		c.pages[lang]["indicators"] = t
	}
	return nil
}

func (c *Console) indicatorRoutes() {
	c.mux.Handle("GET /console/indicators", c.signedIn(c.needAny(c.handleIndicators, auth.RoleAdmin)))
}

// indicatorCard is one indicator: this month's value and its chart.
type indicatorCard struct {
	ID, Title, Value, Detail string
	Chart                    template.HTML
}

// indicatorRow is one agency's line of the table, as written.
type indicatorRow struct {
	Agency, Dossiers, Precheck, Reuse, Decided, OnTime, Median, Agreement, Ratings, Satisfied string
	Overall                                                                                   bool
}

func rowOf(lang string, x indicators.Figures) indicatorRow {
	p := func(f *float64) string {
		if f == nil {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", *f*100)
	}
	med := "—"
	if x.MedianDecisionHours != nil {
		med = decimal(lang, *x.MedianDecisionHours)
	}
	return indicatorRow{Agency: x.Agency, Overall: x.Agency == indicators.Overall, Dossiers: fmt.Sprint(x.Dossiers), Precheck: p(x.PrecheckShare),
		Reuse: p(x.ReuseShare), Decided: fmt.Sprint(x.Decided), OnTime: p(x.OnTimeShare), Median: med, Agreement: p(x.AgreementShare),
		Ratings: fmt.Sprint(x.Ratings), Satisfied: p(x.SatisfactionShare)}
}

type indicatorsView struct {
	Month, Agency string
	Agencies      []string
	Cards         []indicatorCard
	Rows          []indicatorRow // the chosen month, overall first
	APIURL        string
}

func (c *Console) handleIndicators(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	month := strings.TrimSpace(r.URL.Query().Get("month"))
	if month == "" {
		month = indicators.MonthOf(c.cfg.Now())
	}
	agency := strings.TrimSpace(r.URL.Query().Get("agency"))
	end, err := indicators.ParseMonth(month)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	from := indicators.MonthOf(end.AddDate(0, 1-chartMonths, 0))
	rep, err := indicators.Compute(r.Context(), c.d.Pool, from, month, "", c.cfg.Now())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := indicatorsView{Month: month, Agency: agency, APIURL: "/api/v1/indicators?from=" + from + "&to=" + month}
	for _, x := range rep.Month(month) {
		v.Rows = append(v.Rows, rowOf(lang, x))
	}
	seen := map[string]bool{}
	for _, x := range rep.Agencies {
		if !seen[x.Agency] {
			seen[x.Agency] = true
			v.Agencies = append(v.Agencies, x.Agency)
		}
	}
	// The series: overall, or the chosen agency's months.
	series := make([]indicators.Figures, len(rep.Months))
	for i, m := range rep.Months {
		series[i] = indicators.Figures{Month: m, Agency: agency}
		for _, x := range rep.Overall {
			if agency == "" && x.Month == m {
				series[i] = x
			}
		}
		for _, x := range rep.Agencies {
			if agency != "" && x.Agency == agency && x.Month == m {
				series[i] = x
			}
		}
	}
	v.Cards = c.indicatorCards(lang, rep.Months, series)
	c.render(w, r, http.StatusOK, "indicators", v)
}

func (c *Console) indicatorCards(lang string, months []string, s []indicators.Figures) []indicatorCard {
	tr := func(k string) string { return translate(lang, k) }
	labels := make([]string, len(months))
	for i, m := range months {
		labels[i] = m[5:] + "/" + m[2:4] // 11/26
	}
	pct := func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }
	hours := func(f float64) string {
		if lang == "en" {
			return fmt.Sprintf("%.1f h", f)
		}
		return strings.Replace(fmt.Sprintf("%.1f giờ", f), ".", ",", 1)
	}
	last := s[len(s)-1]
	pick := func(get func(indicators.Figures) *float64) []*float64 {
		out := make([]*float64, len(s))
		for i, x := range s {
			out[i] = get(x)
		}
		return out
	}
	val := func(p *float64, f func(float64) string) string {
		if p == nil {
			return "—"
		}
		return f(*p)
	}
	target := func(f float64) *float64 { return &f }
	type def struct {
		id, key string
		get     func(indicators.Figures) *float64
		format  func(float64) string
		max     float64
		target  *float64
		detail  string
	}
	defs := []def{
		{"precheck", "ind.precheck", func(x indicators.Figures) *float64 { return x.PrecheckShare }, pct, 1, nil,
			fmt.Sprintf(tr("ind.precheck.d"), last.PrecheckedByAI, last.Dossiers)},
		{"reuse", "ind.reuse", func(x indicators.Figures) *float64 { return x.ReuseShare }, pct, 1, target(0.8),
			fmt.Sprintf(tr("ind.reuse.d"), last.ReusedDocuments, last.RequiredDocuments)},
		{"ontime", "ind.ontime", func(x indicators.Figures) *float64 { return x.OnTimeShare }, pct, 1, nil,
			fmt.Sprintf(tr("ind.ontime.d"), last.OnTime, last.Decided)},
		{"agreement", "ind.agreement", func(x indicators.Figures) *float64 { return x.AgreementShare }, pct, 1, nil,
			fmt.Sprintf(tr("ind.agreement.d"), last.ApprovedUnchanged, last.ApprovedEdited, last.Rejected, last.FindingsCorrected, last.PrechecksAudited)},
		{"median", "ind.median", func(x indicators.Figures) *float64 { return x.MedianDecisionHours }, hours, 0, nil,
			fmt.Sprintf(tr("ind.median.d"), last.Decided)},
		{"satisfaction", "ind.satisfaction", func(x indicators.Figures) *float64 { return x.SatisfactionShare }, pct, 1, target(0.95),
			fmt.Sprintf(tr("ind.satisfaction.d"), last.Satisfied, last.Ratings, val(last.MeanScore, func(f float64) string { return decimal(lang, f) }))},
	}
	var out []indicatorCard
	for _, d := range defs {
		title := tr(d.key)
		tl := ""
		if d.target != nil {
			tl = fmt.Sprintf(tr("ind.target"), pct(*d.target))
		}
		ch := indicators.Chart{ID: "ch-" + d.id, Title: title + " — " + tr("ind.chart"), Labels: labels, Values: pick(d.get),
			Max: d.max, Target: d.target, TargetLabel: tl, Format: d.format}
		out = append(out, indicatorCard{ID: d.id, Title: title, Value: val(d.get(last), d.format), Detail: d.detail, Chart: ch.SVG()})
	}
	return out
}

// decimal writes f with one decimal, with a decimal comma in Vietnamese.
func decimal(lang string, f float64) string {
	s := fmt.Sprintf("%.1f", f)
	if lang == "vi" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func init() {
	for k, v := range indicatorMessages {
		messages[k] = v
	}
}

var indicatorMessages = map[string][2]string{
	"nav.indicators":     {"Chỉ tiêu", "Indicators"},
	"ind.title":          {"Chỉ tiêu của Đề án (Quyết định 2629/QĐ-TTg)", "The Programme's indicators (Decision 2629/QĐ-TTg)"},
	"ind.intro":          {"Tính từ chính dữ liệu của hoso, theo tháng (giờ Việt Nam). Định nghĩa từng chỉ tiêu: docs/indicators.md.", "Computed from hoso's own records, per month (Vietnam time). Each figure is defined in docs/indicators.md."},
	"ind.month":          {"Tháng", "Month"},
	"ind.agency":         {"Cơ quan", "Agency"},
	"ind.all":            {"Tất cả cơ quan", "Every agency"},
	"ind.show":           {"Xem", "Show"},
	"ind.chart":          {"6 tháng gần nhất", "last 6 months"},
	"ind.target":         {"Mục tiêu %s", "Target %s"},
	"ind.precheck":       {"Hồ sơ được AI kiểm tra trước", "Dossiers pre-checked by AI"},
	"ind.precheck.d":     {"%d/%d hồ sơ nộp trong tháng", "%d of %d dossiers submitted in the month"},
	"ind.reuse":          {"Giấy tờ dùng lại, không phải nộp lại", "Documents reused (once-only)"},
	"ind.reuse.d":        {"%d/%d thành phần hồ sơ bắt buộc", "%d of %d required documents"},
	"ind.ontime":         {"Hồ sơ giải quyết đúng hạn", "Dossiers decided on time"},
	"ind.ontime.d":       {"%d/%d hồ sơ có kết quả trong tháng", "%d of %d dossiers decided in the month"},
	"ind.agreement":      {"Cán bộ đồng ý với đề xuất AI", "Officials agreeing with the AI"},
	"ind.agreement.d":    {"Duyệt nguyên văn %d, sửa rồi duyệt %d, từ chối %d; kiểm tra mẫu: sửa kết quả %d/%d", "Approved as drafted %d, edited %d, rejected %d; audits: findings corrected %d of %d"},
	"ind.median":         {"Thời gian giải quyết (trung vị)", "Median time to decision"},
	"ind.median.d":       {"giờ làm việc, trên %d hồ sơ", "working hours, over %d dossiers"},
	"ind.satisfaction":   {"Người dân hài lòng (4–5 điểm)", "Citizens satisfied (4–5)"},
	"ind.satisfaction.d": {"%d/%d đánh giá; điểm trung bình %s", "%d of %d ratings; mean score %s"},
	"ind.table":          {"Theo cơ quan, tháng %s", "By agency, %s"},
	"ind.col.dossiers":   {"Hồ sơ", "Dossiers"},
	"ind.col.precheck":   {"AI kiểm tra", "AI pre-check"},
	"ind.col.reuse":      {"Dùng lại", "Reuse"},
	"ind.col.decided":    {"Có kết quả", "Decided"},
	"ind.col.ontime":     {"Đúng hạn", "On time"},
	"ind.col.median":     {"Trung vị (giờ)", "Median (h)"},
	"ind.col.agreement":  {"Đồng ý AI", "Agree with AI"},
	"ind.col.ratings":    {"Đánh giá", "Ratings"},
	"ind.col.satisfied":  {"Hài lòng", "Satisfied"},
	"ind.api":            {"Dữ liệu JSON", "JSON data"},
	"ind.export":         {"Dữ liệu mở (đã ẩn số nhỏ hơn 5): hoso indicators export --month %s --format csv", "Open data (counts below 5 suppressed): hoso indicators export --month %s --format csv"},
}
