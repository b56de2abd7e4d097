package workcal_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/hoso-vn/hoso/internal/workcal"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, workcal.Location)
	if err != nil {
		panic(err)
	}
	return t
}

func TestHolidays(t *testing.T) {
	t.Parallel()
	c := workcal.Vietnam()
	for _, tc := range []struct {
		day     string
		working bool
	}{
		{"2026-01-01", false}, // Tết Dương lịch, Thursday
		{"2026-01-02", true},
		{"2026-02-16", false}, // 29 Tết (eve)
		{"2026-02-17", false}, // mùng 1
		{"2026-02-20", false}, // mùng 4
		{"2026-02-23", true},
		{"2024-02-08", false}, // decided: 28 Tết 2024
		{"2024-02-15", true},  // decided: back to work
		{"2025-01-27", false},
		{"2025-02-03", true},
		{"2030-02-01", false}, // Vietnam's eve of Tết 2030 (new year 2 Feb, UTC+7)
		{"2026-04-26", false}, // Giỗ Tổ on Sunday …
		{"2026-04-27", false}, // … compensated on Monday
		{"2025-04-07", false}, // Giỗ Tổ, Monday
		{"2026-04-30", false},
		{"2026-05-01", false},
		{"2024-09-02", false},
		{"2024-09-03", false}, // adjacent day 2024
		{"2025-09-01", false}, // adjacent day 2025
		{"2025-09-03", true},
		{"2026-03-07", false}, // Saturday
		{"2026-03-09", true},
	} {
		t.Run(tc.day, func(t *testing.T) {
			if got := c.IsWorkingDay(at(tc.day + " 10:00")); got != tc.working {
				name, _ := c.Holiday(at(tc.day + " 10:00"))
				t.Fatalf("IsWorkingDay(%s) = %v (%q), want %v", tc.day, got, name, tc.working)
			}
		})
	}
}

func TestAddWorkingHours(t *testing.T) {
	t.Parallel()
	c := workcal.Vietnam()
	for _, tc := range []struct{ name, from, want string }{
		{"MorningArrival", "2026-03-02 08:00", "2026-03-03 08:00"},
		{"BeforeOpening", "2026-03-02 06:00", "2026-03-02 17:00"},
		{"LunchBreak", "2026-03-02 12:00", "2026-03-03 11:30"},
		{"AfterClosing", "2026-03-02 18:30", "2026-03-03 17:00"},
		{"FridayAfternoon", "2026-03-06 15:00", "2026-03-09 15:00"},
		{"Weekend", "2026-03-07 10:00", "2026-03-09 17:00"},
		{"BeforeTet", "2026-02-13 16:00", "2026-02-23 16:00"},
		{"AcrossGioTo", "2026-04-24 09:00", "2026-04-28 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := c.AddWorkingHours(at(tc.from), 8*time.Hour)
			if !got.Equal(at(tc.want)) {
				t.Fatalf("AddWorkingHours(%s, 8h) = %s, want %s", tc.from, got.Format("2006-01-02 15:04"), tc.want)
			}
			if back := c.WorkingHoursBetween(at(tc.from), got); back != 8*time.Hour {
				t.Fatalf("WorkingHoursBetween = %s, want 8h", back)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	c := workcal.Vietnam()
	for _, tc := range []struct {
		name, from string
		n          int
		want       string
	}{
		{"ThreeDays", "2026-03-02 10:00", 3, "2026-03-05 17:00"},
		{"OverWeekend", "2026-03-05 10:00", 3, "2026-03-10 17:00"},
		{"ZeroOnWorkingDay", "2026-03-02 10:00", 0, "2026-03-02 17:00"},
		{"ZeroOnSaturday", "2026-03-07 10:00", 0, "2026-03-09 17:00"},
		{"OverTet", "2026-02-12 10:00", 5, "2026-02-26 17:00"},
		{"OverApril30", "2026-04-29 10:00", 2, "2026-05-05 17:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.AddWorkingDays(at(tc.from), tc.n); !got.Equal(at(tc.want)) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, want %s", tc.from, tc.n, got.Format("2006-01-02 15:04"), tc.want)
			}
		})
	}
	t.Run("HalfDay", func(t *testing.T) {
		if got := c.Deadline(at("2026-03-02 08:00"), 0.5); !got.Equal(at("2026-03-02 13:30")) {
			t.Fatalf("Deadline(½) = %s", got)
		}
	})
}

func TestEveryYearHasFiveTetDays(t *testing.T) {
	t.Parallel()
	c := workcal.Vietnam()
	for y := workcal.FirstYear; y <= workcal.LastYear; y++ {
		n := 0
		for d := time.Date(y, 1, 15, 12, 0, 0, 0, workcal.Location); d.Month() < 3; d = d.AddDate(0, 0, 1) {
			if name, ok := c.Holiday(d); ok && (name == "Tết Nguyên đán" || name == "Nghỉ bù Tết Nguyên đán") {
				n++
			}
		}
		if n != 5 {
			t.Errorf("%d: %d weekdays off for Tết, want 5", y, n)
		}
	}
}

func ExampleCalendar_AddWorkingHours() {
	c := workcal.Vietnam()
	// A dossier received on Friday 16:00 must be acknowledged within 8
	// working hours (Decree 45/2020): by Monday 16:00.
	received := time.Date(2026, 3, 6, 16, 0, 0, 0, workcal.Location)
	fmt.Println(c.AddWorkingHours(received, 8*time.Hour).Format("Mon 2006-01-02 15:04"))
	// Output: Mon 2026-03-09 16:00
}
