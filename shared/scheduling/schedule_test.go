package scheduling_test

import (
	"strings"
	"testing"
	"time"

	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
)

func clock(s string) int { m, _ := scheduling.ParseEnd(s); return m }

func day(t *testing.T, date, tz string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	d, err := time.ParseInLocation(time.DateOnly, date, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc)
}

func locals(slots []scheduling.Slot, tz string) []string {
	loc, _ := time.LoadLocation(tz)
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.In(loc).Format("15:04")+"-"+s.End.In(loc).Format("15:04"))
	}
	return out
}

func TestSlotsAcrossDaylightSaving(t *testing.T) {
	for _, tc := range []struct {
		name, tz, date string
		rule           scheduling.Rule
		slot, buffer   int
		wantLocal      []string
		wantFirstUTC   string
	}{
		{"Lisbon winter Monday", "Europe/Lisbon", "2027-03-22", scheduling.Rule{Day: time.Monday, Start: clock("09:00"), End: clock("10:00")}, 30, 0,
			[]string{"09:00-09:30", "09:30-10:00"}, "2027-03-22T09:00:00Z"},
		{"Lisbon summer Monday after the change", "Europe/Lisbon", "2027-03-29", scheduling.Rule{Day: time.Monday, Start: clock("09:00"), End: clock("10:00")}, 30, 0,
			[]string{"09:00-09:30", "09:30-10:00"}, "2027-03-29T08:00:00Z"},
		{"Lisbon spring-forward gap skipped", "Europe/Lisbon", "2027-03-28", scheduling.Rule{Day: time.Sunday, Start: clock("00:30"), End: clock("02:00")}, 30, 0,
			[]string{"00:30-02:00", "02:00-02:30"}[:0], ""},
		{"Sao Paulo 2018 DST start at midnight", "America/Sao_Paulo", "2018-11-04", scheduling.Rule{Day: time.Sunday, Start: clock("00:00"), End: clock("02:00")}, 30, 0,
			[]string{"01:00-01:30", "01:30-02:00"}, "2018-11-04T03:00:00Z"},
		{"Sao Paulo 2019 after DST ended", "America/Sao_Paulo", "2019-02-18", scheduling.Rule{Day: time.Monday, Start: clock("09:00"), End: clock("10:00")}, 30, 0,
			[]string{"09:00-09:30", "09:30-10:00"}, "2019-02-18T12:00:00Z"},
		{"Maputo has no DST", "Africa/Maputo", "2027-03-29", scheduling.Rule{Day: time.Monday, Start: clock("09:00"), End: clock("12:00")}, 60, 0,
			[]string{"09:00-10:00", "10:00-11:00", "11:00-12:00"}, "2027-03-29T07:00:00Z"},
		{"buffer between slots", "Africa/Maputo", "2027-03-29", scheduling.Rule{Day: time.Monday, Start: clock("09:00"), End: clock("11:00")}, 30, 15,
			[]string{"09:00-09:30", "09:45-10:15", "10:30-11:00"}, "2027-03-29T07:00:00Z"},
		{"other weekday", "Africa/Maputo", "2027-03-30", scheduling.Rule{Day: time.Monday, Start: clock("09:00"), End: clock("11:00")}, 30, 0,
			nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := scheduling.Schedule{PractitionerID: "P", TimeZone: tc.tz, SlotMinutes: tc.slot, BufferMinutes: tc.buffer,
				EffectiveFrom: "2018-01-01", EffectiveTo: "2030-01-01", Rules: []scheduling.Rule{tc.rule}}
			if tc.name == "Lisbon spring-forward gap skipped" {
				// 01:00 to 02:00 does not exist in Lisbon that night.
				// 00:30 lasts 30 minutes and ends at 02:00 on the clock.
				tc.wantLocal = []string{"00:30-02:00", "02:00-02:30"}
				s.Rules[0].End = clock("02:30")
			}
			noon := day(t, tc.date, tc.tz)
			slots := scheduling.Offered([]scheduling.Schedule{s}, noon.Add(-14*time.Hour), noon.Add(14*time.Hour), []string{"video"})
			got := locals(slots, tc.tz)
			if len(got) != len(tc.wantLocal) {
				t.Fatalf("got %v; want %v", got, tc.wantLocal)
			}
			for i := range got {
				if got[i] != tc.wantLocal[i] {
					t.Fatalf("got %v; want %v", got, tc.wantLocal)
				}
			}
			if tc.wantFirstUTC != "" && slots[0].Start.Format(time.RFC3339) != tc.wantFirstUTC {
				t.Errorf("first slot: got %s; want %s", slots[0].Start.Format(time.RFC3339), tc.wantFirstUTC)
			}
		})
	}
}

// TestLisbonAcceptance: Monday 09:00 to 12:00 in 30-minute slots over a
// period spanning the end of March starts every Monday at 09:00 Lisbon.
func TestLisbonAcceptance(t *testing.T) {
	s := scheduling.Schedule{PractitionerID: "P", TimeZone: "Europe/Lisbon", SlotMinutes: 30, EffectiveFrom: "2027-03-01", EffectiveTo: "2027-04-30",
		Rules: []scheduling.Rule{{Day: time.Monday, Start: clock("09:00"), End: clock("12:00")}}, CreatedAt: time.Now()}
	from, to := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)
	days := byDate(scheduling.Offered([]scheduling.Schedule{s}, from, to, []string{"video"}))
	lisbon, _ := time.LoadLocation("Europe/Lisbon")
	mondays := 0
	for date, slots := range days {
		mondays++
		if len(slots) != 6 {
			t.Errorf("%s: %d slots; want 6", date, len(slots))
		}
		if got := slots[0].Start.In(lisbon).Format("Mon 15:04"); got != "Mon 09:00" {
			t.Errorf("%s: first slot %s; want Mon 09:00 Lisbon", date, got)
		}
	}
	if mondays != 9 {
		t.Errorf("Mondays with slots: got %d; want 9", mondays)
	}
}

func TestExceptionsAndNewestSchedule(t *testing.T) {
	base := scheduling.Schedule{ID: "old", PractitionerID: "P", TimeZone: "Africa/Maputo", SlotMinutes: 60, EffectiveFrom: "2027-03-01", EffectiveTo: "2027-03-31",
		Rules:      []scheduling.Rule{{Day: time.Monday, Start: clock("09:00"), End: clock("11:00")}, {Day: time.Tuesday, Start: clock("09:00"), End: clock("11:00")}},
		Exceptions: []scheduling.Exception{{Date: "2027-03-08", Unavailable: true}, {Date: "2027-03-09", Start: clock("14:00"), End: clock("15:00")}},
		CreatedAt:  time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	newer := scheduling.Schedule{ID: "new", PractitionerID: "P", TimeZone: "Africa/Maputo", SlotMinutes: 30, EffectiveFrom: "2027-03-15", EffectiveTo: "2027-03-16",
		Rules: []scheduling.Rule{{Day: time.Monday, Start: clock("10:00"), End: clock("11:00")}}, CreatedAt: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}
	from, to := time.Date(2027, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 17, 0, 0, 0, 0, time.UTC)
	got := map[string][]string{}
	for date, slots := range byDate(scheduling.Offered([]scheduling.Schedule{base, newer}, from, to, []string{"video"})) {
		got[date] = locals(slots, "Africa/Maputo")
	}
	for date, want := range map[string][]string{
		"2027-03-08": nil,                            // day off
		"2027-03-09": {"14:00-15:00"},                // its own hours
		"2027-03-15": {"10:00-10:30", "10:30-11:00"}, // the newer schedule
		"2027-03-16": nil,                            // newer has no Tuesday rule: it replaces the old one
	} {
		if len(got[date]) != len(want) || (len(want) > 0 && got[date][0] != want[0]) {
			t.Errorf("%s: got %v; want %v", date, got[date], want)
		}
	}
}

func TestValidate(t *testing.T) {
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := scheduling.Schedule{TimeZone: "Europe/Lisbon", SlotMinutes: 30, EffectiveFrom: "2027-01-01", EffectiveTo: "2027-06-01",
		Rules: []scheduling.Rule{{Day: time.Monday, Start: clock("09:00"), End: clock("12:00")}}}
	if err := ok.Validate(now, []string{"video"}); err != nil {
		t.Fatalf("valid schedule refused: %v", err)
	}
	for name, mutate := range map[string]func(*scheduling.Schedule){
		"overlapping rules": func(s *scheduling.Schedule) {
			s.Rules = append(s.Rules, scheduling.Rule{Day: time.Monday, Start: clock("11:00"), End: clock("13:00")})
		},
		"slot too long":        func(s *scheduling.Schedule) { s.SlotMinutes = 300 },
		"period over 366 days": func(s *scheduling.Schedule) { s.EffectiveTo = "2028-06-01" },
		"end before start":     func(s *scheduling.Schedule) { s.Rules[0].End = clock("08:00") },
		"mode not practised":   func(s *scheduling.Schedule) { s.Rules[0].Modes = []string{"inPerson"} },
		"unknown zone":         func(s *scheduling.Schedule) { s.TimeZone = "Europe/Atlantis" },
		"duplicate exception": func(s *scheduling.Schedule) {
			s.Exceptions = []scheduling.Exception{{Date: "2027-02-01", Unavailable: true}, {Date: "2027-02-01", Unavailable: true}}
		},
		"exception without hours": func(s *scheduling.Schedule) { s.Exceptions = []scheduling.Exception{{Date: "2027-02-01"}} },
	} {
		t.Run(name, func(t *testing.T) {
			s := ok
			s.Rules = append([]scheduling.Rule(nil), ok.Rules...)
			mutate(&s)
			if err := s.Validate(now, []string{"video"}); problem.CodeOf(err) != problem.Invalid {
				t.Errorf("got %v; want invalid", err)
			}
		})
	}
}

func TestSlotIDs(t *testing.T) {
	sl := scheduling.Slot{PractitionerID: "P1", Start: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), End: time.Date(2027, 3, 1, 9, 30, 0, 0, time.UTC)}
	got, err := scheduling.ParseSlotID("slotId", sl.ID())
	if err != nil || got.PractitionerID != "P1" || !got.Start.Equal(sl.Start) || !got.End.Equal(sl.End) {
		t.Errorf("round trip: %+v %v", got, err)
	}
	for _, bad := range []string{"", "%%%", "UDF8MTIz", sl.ID() + "x"} {
		if _, err := scheduling.ParseSlotID("slotId", bad); problem.CodeOf(err) != problem.Invalid {
			t.Errorf("%q: got %v; want invalid", bad, err)
		}
	}
}

// TestDaysWithoutMidnight walks across a date whose midnight does not exist.
func TestDaysWithoutMidnight(t *testing.T) {
	s := scheduling.Schedule{PractitionerID: "P", TimeZone: "America/Sao_Paulo", SlotMinutes: 30, EffectiveFrom: "2018-11-01", EffectiveTo: "2018-11-30",
		Rules: []scheduling.Rule{{Day: time.Sunday, Start: clock("00:00"), End: clock("02:00")}, {Day: time.Saturday, Start: clock("23:00"), End: clock("23:59")}}}
	slots := scheduling.Offered([]scheduling.Schedule{s}, time.Date(2018, 11, 3, 0, 0, 0, 0, time.UTC), time.Date(2018, 11, 6, 0, 0, 0, 0, time.UTC), nil)
	// Saturday 23:00 to 23:30 (and not 23:30, which would end after 23:59),
	// then Sunday from 01:00: midnight to 01:00 did not exist.
	if got, want := strings.Join(locals(slots, "America/Sao_Paulo"), " "), "23:00-23:30 01:00-01:30 01:30-02:00"; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
	if slots[0].Date != "2018-11-03" || slots[1].Date != "2018-11-04" {
		t.Errorf("dates %s %s", slots[0].Date, slots[1].Date)
	}
}

func byDate(slots []scheduling.Slot) map[string][]scheduling.Slot {
	out := map[string][]scheduling.Slot{}
	for _, s := range slots {
		out[s.Date] = append(out[s.Date], s)
	}
	return out
}
