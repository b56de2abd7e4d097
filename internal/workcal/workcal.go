// Package workcal provides Vietnam's working-day calendar for statutory
// deadlines: Monday to Friday, office hours 7:30–11:30 and 13:00–17:00, minus
// public holidays (Bộ luật Lao động 2019, Điều 112):
//
//   - Tết Dương lịch: 1/1;
//   - Tết Nguyên đán: 5 days (lunar new year's eve and days 1–4; the lunar
//     dates are a table, 2024–2030, computed for UTC+7 — Vietnam's Tết 2030
//     is 2 February, not China's 3 February);
//   - Giỗ Tổ Hùng Vương: 10/3 âm lịch (table);
//   - 30/4 and 1/5;
//   - Quốc khánh: 2/9 and one adjacent day;
//
// and a holiday that falls on a weekend is compensated (nghỉ bù) on the next
// working day. For 2024 and 2025 the Tết days are the ones the government
// actually fixed. Swapped Saturdays (làm bù) are not modelled.
//
// The 8-working-hours rule of Decree 45/2020/NĐ-CP (acknowledging an
// electronic dossier) is AddWorkingHours(received, 8*time.Hour); processing
// times from the catalog are AddWorkingDays or Deadline.
//
// A Calendar is immutable after construction and safe for concurrent use.
package workcal

import (
	"fmt"
	"math"
	"time"
)

// Location is Vietnam's time zone (UTC+7, no daylight saving).
var Location = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return l
	}
	return time.FixedZone("ICT", 7*3600)
}()

type date struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) date { y, m, d := t.Date(); return date{y, m, d} }
func (d date) time(loc *time.Location) time.Time {
	return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, loc)
}
func (d date) add(n int) date { return dateOf(time.Date(d.y, d.m, d.d+n, 0, 0, 0, 0, time.UTC)) }
func (d date) weekend() bool {
	wd := time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// lunarNewYear is mùng 1 Tết (1/1 âm lịch) in Vietnam.
var lunarNewYear = map[int]date{
	2024: {2024, time.February, 10},
	2025: {2025, time.January, 29},
	2026: {2026, time.February, 17},
	2027: {2027, time.February, 6},
	2028: {2028, time.January, 26},
	2029: {2029, time.February, 13},
	2030: {2030, time.February, 2},
}

// hungKings is Giỗ Tổ Hùng Vương (10/3 âm lịch).
var hungKings = map[int]date{
	2024: {2024, time.April, 18},
	2025: {2025, time.April, 7},
	2026: {2026, time.April, 26},
	2027: {2027, time.April, 16},
	2028: {2028, time.April, 4},
	2029: {2029, time.April, 23},
	2030: {2030, time.April, 12},
}

// tetDecided are the weekdays off for Tết that the government fixed where
// they differ from the general rule (its decisions moved a day before the
// eve instead of after the span).
var tetDecided = map[int][]date{
	2024: {{2024, 2, 8}, {2024, 2, 9}, {2024, 2, 12}, {2024, 2, 13}, {2024, 2, 14}},
	2025: {{2025, 1, 27}, {2025, 1, 28}, {2025, 1, 29}, {2025, 1, 30}, {2025, 1, 31}},
}

// FirstYear and LastYear bound the years whose lunar holidays are known.
const (
	FirstYear = 2024
	LastYear  = 2030
)

// Calendar answers working-day questions in one time zone.
type Calendar struct {
	loc      *time.Location
	holidays map[date]string
	// Office hours as minutes after midnight: [start, end) pairs.
	shifts [][2]int
}

// Vietnam returns the calendar of Vietnamese public offices.
func Vietnam() *Calendar {
	c := &Calendar{loc: Location, holidays: map[date]string{}, shifts: [][2]int{{7*60 + 30, 11*60 + 30}, {13 * 60, 17 * 60}}}
	for y := FirstYear - 1; y <= LastYear+1; y++ {
		c.addYear(y)
	}
	return c
}

// Covers reports whether the lunar holidays of year are in the table; outside
// it only the solar holidays are known.
func (c *Calendar) Covers(year int) bool { return year >= FirstYear && year <= LastYear }

func (c *Calendar) addYear(y int) {
	// Holidays that can fall on a weekend and are then compensated.
	var days []struct {
		d    date
		name string
	}
	add := func(d date, name string) {
		days = append(days, struct {
			d    date
			name string
		}{d, name})
	}
	add(date{y, time.January, 1}, "Tết Dương lịch")
	add(date{y, time.April, 30}, "Ngày Chiến thắng 30/4")
	add(date{y, time.May, 1}, "Quốc tế Lao động 1/5")
	add(date{y, time.September, 2}, "Quốc khánh 2/9")
	add(nationalDayAdjacent(y), "Quốc khánh (ngày liền kề)")
	if d, ok := hungKings[y]; ok {
		add(d, "Giỗ Tổ Hùng Vương")
	}
	if decided, ok := tetDecided[y]; ok {
		for _, d := range decided {
			c.holidays[d] = "Tết Nguyên đán"
		}
	} else if ny, ok := lunarNewYear[y]; ok {
		for i := -1; i <= 3; i++ {
			add(ny.add(i), "Tết Nguyên đán")
		}
	}
	// Weekday holidays first, so that compensation days skip them.
	for _, h := range days {
		if !h.d.weekend() {
			c.holidays[h.d] = h.name
		}
	}
	for _, h := range days {
		if !h.d.weekend() {
			continue
		}
		d := h.d.add(1)
		for d.weekend() || c.holidays[d] != "" {
			d = d.add(1)
		}
		c.holidays[d] = "Nghỉ bù " + h.name
	}
}

// nationalDayAdjacent is the day off next to 2/9: the one that joins the
// holiday to a weekend (2024: 3/9, Tuesday; 2025: 1/9, Monday).
func nationalDayAdjacent(y int) date {
	switch time.Date(y, time.September, 2, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Monday, time.Thursday, time.Sunday:
		return date{y, time.September, 3}
	default:
		return date{y, time.September, 1}
	}
}

// Holiday returns the name of the public holiday on t's date, if any.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	n, ok := c.holidays[dateOf(t.In(c.loc))]
	return n, ok
}

// IsWorkingDay reports whether t's date (in Vietnam) is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	d := dateOf(t.In(c.loc))
	return !d.weekend() && c.holidays[d] == ""
}

// AddWorkingHours returns the moment when d of office time has passed after
// t, counting only office hours of working days. A t outside office hours
// starts counting at the next opening. The result can be the closing time of
// a shift (17:00) but never an instant outside office hours otherwise.
func (c *Calendar) AddWorkingHours(t time.Time, d time.Duration) time.Time {
	if d < 0 {
		panic(fmt.Sprintf("workcal: negative duration %s", d))
	}
	cur := t.In(c.loc)
	for range 3660 { // ten years of days bounds the loop
		day := dateOf(cur)
		if c.IsWorkingDay(cur) {
			midnight := day.time(c.loc)
			for _, sh := range c.shifts {
				start := midnight.Add(time.Duration(sh[0]) * time.Minute)
				end := midnight.Add(time.Duration(sh[1]) * time.Minute)
				if !cur.Before(end) {
					continue
				}
				if cur.Before(start) {
					cur = start
				}
				if left := end.Sub(cur); d <= left {
					return cur.Add(d)
				} else {
					d -= left
					cur = end
				}
			}
		}
		cur = day.add(1).time(c.loc)
	}
	panic("workcal: AddWorkingHours did not finish within ten years")
}

// AddWorkingDays returns the end of office hours (17:00) of the n-th working
// day after t's date: a dossier received on Monday with a 3-working-day
// processing time is due on Thursday at 17:00. n = 0 gives the end of t's
// date when that is a working day, else of the next working day.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	day := dateOf(t.In(c.loc))
	if n == 0 {
		for !c.IsWorkingDay(day.time(c.loc)) {
			day = day.add(1)
		}
	}
	for n > 0 {
		day = day.add(1)
		if c.IsWorkingDay(day.time(c.loc)) {
			n--
		}
	}
	last := c.shifts[len(c.shifts)-1][1]
	return day.time(c.loc).Add(time.Duration(last) * time.Minute)
}

// Deadline adds a processing time in working days, which the catalog gives
// as a float: whole days use AddWorkingDays, fractions (½ day) count office
// hours (8 per day).
func (c *Calendar) Deadline(t time.Time, days float64) time.Time {
	if days == math.Trunc(days) {
		return c.AddWorkingDays(t, int(days))
	}
	return c.AddWorkingHours(t, time.Duration(days*8*float64(time.Hour)))
}

// WorkingHoursBetween counts office time from a to b (0 when b ≤ a); the
// console uses it to show how much of a deadline is left.
func (c *Calendar) WorkingHoursBetween(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	var total time.Duration
	cur := a.In(c.loc)
	for !cur.After(b) {
		day := dateOf(cur)
		if c.IsWorkingDay(cur) {
			midnight := day.time(c.loc)
			for _, sh := range c.shifts {
				start := midnight.Add(time.Duration(sh[0]) * time.Minute)
				end := midnight.Add(time.Duration(sh[1]) * time.Minute)
				if cur.After(start) {
					start = cur
				}
				if b.Before(end) {
					end = b
				}
				if end.After(start) {
					total += end.Sub(start)
				}
			}
		}
		cur = day.add(1).time(c.loc)
	}
	return total
}
