package scheduling_test

import (
	"archive/zip"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ohcs/shared/scheduling"
)

// zones lists every zone of the tz database that Go carries (the same
// database time/tzdata embeds in the functions).
func zones(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	z, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(out)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Fatalf("the tz database: %v", err)
	}
	defer z.Close()
	var names []string
	for _, f := range z.File {
		if !strings.HasSuffix(f.Name, "/") {
			names = append(names, f.Name)
		}
	}
	if len(names) < 300 {
		t.Fatalf("only %d zones in the tz database", len(names))
	}
	return names
}

// transitions returns the changes of a zone's offset in [from, to).
func transitions(loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	for t := from; ; {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			return out
		}
		out = append(out, end)
		t = end
	}
}

// Rule sets where clinics open: mornings and afternoons, evening clinics
// up to midnight, night hours across the changes, and windows that touch
// (their real times overlap where the clocks go back between them).
var ruleSets = [][][2]string{
	{{"00:00", "03:00"}, {"07:30", "12:00"}, {"14:00", "17:30"}, {"19:00", "24:00"}},
	{{"01:00", "03:00"}, {"08:00", "13:00"}, {"18:00", "22:00"}},
	{{"00:30", "02:30"}, {"02:30", "06:00"}, {"12:00", "24:00"}},
}

var slotLengths = []int{5, 10, 15, 20, 25, 30, 45, 50, 60, 90, 120, 180, 240}

var buffers = []int{0, 5, 15}

func everyDay(windows [][2]string) []scheduling.Rule {
	var rules []scheduling.Rule
	for d := time.Sunday; d <= time.Saturday; d++ {
		for _, w := range windows {
			rules = append(rules, scheduling.Rule{Day: d, Start: clock(w[0]), End: clock(w[1])})
		}
	}
	return rules
}

// minute is one real minute and its wall clock.
type minute struct {
	at   time.Time
	date string
	wall int
}

// wallMinutes steps minute by minute through [from, to): the oracle the
// layout is checked against does not reason about offsets at all.
func wallMinutes(loc *time.Location, from, to time.Time) []minute {
	var out []minute
	for at := from; at.Before(to); at = at.Add(time.Minute) {
		l := at.In(loc)
		out = append(out, minute{at, l.Format(time.DateOnly), l.Hour()*60 + l.Minute()})
	}
	return out
}

// expected lays slots the slow way: the runs of consecutive real minutes
// whose wall clock on one date is in a window, slots laid from each run's
// start.
func expected(mins []minute, windows [][2]string, slot, buffer int, from, to time.Time) []scheduling.Slot {
	var out []scheduling.Slot
	for _, w := range windows {
		a, b := clock(w[0]), clock(w[1])
		for i := 0; i < len(mins); {
			if !(mins[i].wall >= a && mins[i].wall < b) {
				i++
				continue
			}
			j := i
			for j+1 < len(mins) && mins[j+1].date == mins[i].date && mins[j+1].wall >= a && mins[j+1].wall < b {
				j++
			}
			runStart, runEnd := mins[i].at, mins[j].at.Add(time.Minute)
			// A run cut by the edge of the stepped range is not whole.
			if i > 0 && j+1 < len(mins) {
				for at := runStart; !at.Add(time.Duration(slot) * time.Minute).After(runEnd); at = at.Add(time.Duration(slot+buffer) * time.Minute) {
					if end := at.Add(time.Duration(slot) * time.Minute); !at.Before(from) && !end.After(to) {
						out = append(out, scheduling.Slot{Start: at, End: end})
					}
				}
			}
			i = j + 1
		}
	}
	slices.SortFunc(out, func(a, b scheduling.Slot) int { return a.Start.Compare(b.Start) })
	return out
}

// signature is what a listing around a change depends on: the offsets and
// the wall clock around it (dates aside, since the rules are the same
// every day). Zones that share one behave the same.
func signature(loc *time.Location, at, from, to time.Time) string {
	var b strings.Builder
	for _, tr := range append([]time.Time{from}, transitions(loc, from, to)...) {
		l := tr.In(loc)
		_, off := l.Zone()
		fmt.Fprintf(&b, "%d@%d/%s;", off, tr.Sub(at)/time.Second, l.Format("15:04:05"))
	}
	return b.String()
}

// TestSlotsInRealTimeEveryZone: for every change of every zone from 2026
// to 2035, with rules at the hours where clinics open and slot lengths 5
// to 240 with buffers, every slot lasts exactly slotMinutes and starts and
// ends within its rule's wall-clock hours on its date, none overlaps
// another, the listing is sorted and is exactly the slow minute-by-minute
// layout, paging with every limit from 1 to 7 returns each slot once, and
// every listed slot is found by booking's lookup.
func TestSlotsInRealTimeEveryZone(t *testing.T) {
	start, stop := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]bool{}
	var nZones, nTransitions int
	for _, name := range zones(t) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		trs := transitions(loc, start, stop)
		if len(trs) > 0 {
			nZones++
		}
		for _, tr := range trs {
			nTransitions++
			from, to := tr.Add(-36*time.Hour), tr.Add(36*time.Hour)
			sig := signature(loc, tr, from.Add(-48*time.Hour), to.Add(48*time.Hour))
			if seen[sig] {
				continue
			}
			seen[sig] = true
			checkAround(t, name, loc, tr, from, to)
		}
	}
	t.Logf("%d zones with changes, %d changes, %d distinct behaviours checked", nZones, nTransitions, len(seen))
	if nTransitions < 1000 {
		t.Fatalf("only %d changes found from 2026 to 2035", nTransitions)
	}
}

func checkAround(t *testing.T, zone string, loc *time.Location, tr, from, to time.Time) {
	mins := wallMinutes(loc, from.Add(-30*time.Hour), to.Add(30*time.Hour))
	lengths, bufs := slotLengths, buffers
	if testing.Short() {
		// make check: every zone and change, fewer lengths.
		lengths, bufs = []int{5, 45, 240}, []int{0, 15}
	}
	for _, windows := range ruleSets {
		for _, slot := range lengths {
			for _, buffer := range bufs {
				where := fmt.Sprintf("%s change at %s, rules %v, %d+%d min", zone, tr.In(loc).Format(time.RFC3339), windows, slot, buffer)
				s := scheduling.Schedule{PractitionerID: "P", TimeZone: zone, SlotMinutes: slot, BufferMinutes: buffer,
					EffectiveFrom: "2025-01-01", EffectiveTo: "2037-01-01", Rules: everyDay(windows)}
				// A rule shorter than one slot is refused when placed.
				s.Rules = slices.DeleteFunc(s.Rules, func(r scheduling.Rule) bool { return r.End-r.Start < slot })
				var win [][2]string
				for _, w := range windows {
					if clock(w[1])-clock(w[0]) >= slot {
						win = append(win, w)
					}
				}
				got := scheduling.Offered([]scheduling.Schedule{s}, from, to, []string{"video"})
				want := expected(mins, win, slot, buffer, from, to)
				if !sameSlots(got, want) {
					t.Fatalf("%s: got %v; want %v", where, show(got, loc), show(want, loc))
				}
				for i, sl := range got {
					if sl.End.Sub(sl.Start) != time.Duration(slot)*time.Minute {
						t.Fatalf("%s: slot %s lasts %s", where, show(got[i:i+1], loc), sl.End.Sub(sl.Start))
					}
					if i > 0 && got[i-1].End.After(sl.Start) {
						t.Fatalf("%s: %s overlaps the next", where, show(got[i-1:i+1], loc))
					}
					if l := sl.Start.In(loc); l.Format(time.DateOnly) != sl.Date {
						t.Fatalf("%s: slot %s is not on its date %s", where, show(got[i:i+1], loc), sl.Date)
					}
				}
				for limit := 1; limit <= 7; limit++ {
					var paged []scheduling.Slot
					after := int64(-1 << 62)
					for more := true; more; {
						var page []scheduling.Slot
						page, more = scheduling.PageAfter(got, after, limit)
						if len(page) == 0 && more {
							t.Fatalf("%s: empty page with more to come", where)
						}
						paged = append(paged, page...)
						if len(page) > 0 {
							after = page[len(page)-1].Start.Unix()
						}
					}
					if !sameSlots(paged, got) {
						t.Fatalf("%s: paging by %d returned %d of %d slots", where, limit, len(paged), len(got))
					}
				}
				// Booking looks a slot up in its own narrow window: the
				// answer must not depend on the window. Checked for the
				// slots within a day of the change.
				for _, sl := range got {
					if sl.Start.Sub(tr).Abs() > 24*time.Hour {
						continue
					}
					if f, ok := scheduling.Find([]scheduling.Schedule{s}, sl.Start, sl.End, []string{"video"}); !ok || f.Date != sl.Date {
						t.Fatalf("%s: listed slot %s is not bookable", where, show([]scheduling.Slot{sl}, loc))
					}
				}
			}
		}
	}
}

func sameSlots(a, b []scheduling.Slot) bool {
	return slices.EqualFunc(a, b, func(x, y scheduling.Slot) bool { return x.Start.Equal(y.Start) && x.End.Equal(y.End) })
}

func show(slots []scheduling.Slot, loc *time.Location) []string {
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.In(loc).Format("01-02 15:04 -07")+"→"+s.End.In(loc).Format("15:04 -07"))
	}
	return out
}

// TestNamedZonesAtTheirChanges: the cases that broke, each by name.
func TestNamedZonesAtTheirChanges(t *testing.T) {
	for _, tc := range []struct {
		name, zone, date string
		from, to         string
		slot             int
		want             []string // local start→end, with offsets
	}{
		// Egypt's clocks go back at midnight: an evening clinic offers
		// each hour once per occurrence, 60 real minutes each.
		{"Cairo evening clinic as the clocks go back", "Africa/Cairo", "2026-10-29", "21:00", "24:00", 60,
			[]string{"10-29 21:00 +03→22:00 +03", "10-29 22:00 +03→23:00 +03", "10-29 23:00 +03→23:00 +02", "10-29 23:00 +02→00:00 +02"}},
		{"New York, 30 minutes across the repeated hour", "America/New_York", "2026-11-01", "00:30", "02:30", 30,
			[]string{"11-01 00:30 -04→01:00 -04", "11-01 01:00 -04→01:30 -04", "11-01 01:30 -04→01:00 -05", "11-01 01:00 -05→01:30 -05",
				"11-01 01:30 -05→02:00 -05", "11-01 02:00 -05→02:30 -05"}},
		{"Dublin, 30 minutes across the repeated hour", "Europe/Dublin", "2026-10-25", "01:00", "02:30", 30,
			[]string{"10-25 01:00 +01→01:30 +01", "10-25 01:30 +01→01:00 +00", "10-25 01:00 +00→01:30 +00", "10-25 01:30 +00→02:00 +00",
				"10-25 02:00 +00→02:30 +00"}},
		{"Beirut, 30 minutes across the repeated hour at midnight", "Asia/Beirut", "2026-10-24", "23:00", "24:00", 30,
			[]string{"10-24 23:00 +03→23:30 +03", "10-24 23:30 +03→23:00 +02", "10-24 23:00 +02→23:30 +02", "10-24 23:30 +02→00:00 +02"}},
		// West of UTC the clocks go forward: no slot ends before it
		// starts; the slot that would straddle the gap lasts 30 minutes.
		{"New York as the clocks go forward", "America/New_York", "2026-03-08", "01:00", "04:00", 30,
			[]string{"03-08 01:00 -05→01:30 -05", "03-08 01:30 -05→03:00 -04", "03-08 03:00 -04→03:30 -04", "03-08 03:30 -04→04:00 -04"}},
		// East of UTC: two slots never overlap.
		{"Athens as the clocks go forward", "Europe/Athens", "2026-03-29", "02:00", "05:00", 30,
			[]string{"03-29 02:00 +02→02:30 +02", "03-29 02:30 +02→04:00 +03", "03-29 04:00 +03→04:30 +03", "03-29 04:30 +03→05:00 +03"}},
		{"a 240-minute slot across the repeated hour", "America/New_York", "2026-11-01", "00:00", "06:00", 240,
			[]string{"11-01 00:00 -04→03:00 -05"}},
		// A 01:00 to 03:00 rule on the night the clocks go back offers
		// three real hours.
		{"three real hours from 01:00 to 03:00", "Europe/Lisbon", "2026-10-25", "01:00", "03:00", 60,
			[]string{"10-25 01:00 +01→01:00 +00", "10-25 01:00 +00→02:00 +00", "10-25 02:00 +00→03:00 +00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loc, _ := time.LoadLocation(tc.zone)
			d, _ := time.Parse(time.DateOnly, tc.date)
			s := scheduling.Schedule{PractitionerID: "P", TimeZone: tc.zone, SlotMinutes: tc.slot, EffectiveFrom: "2026-01-01", EffectiveTo: "2026-12-31",
				Rules: []scheduling.Rule{{Day: d.Weekday(), Start: clock(tc.from), End: clock(tc.to)}}}
			from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC).Add(-24 * time.Hour)
			got := scheduling.Offered([]scheduling.Schedule{s}, from, from.Add(72*time.Hour), nil)
			if g := show(got, loc); !slices.Equal(g, tc.want) {
				t.Fatalf("got %v\nwant %v", g, tc.want)
			}
			for _, sl := range got {
				if sl.End.Sub(sl.Start) != time.Duration(tc.slot)*time.Minute {
					t.Errorf("%s lasts %s", show([]scheduling.Slot{sl}, loc), sl.End.Sub(sl.Start))
				}
				if _, ok := scheduling.Find([]scheduling.Schedule{s}, sl.Start, sl.End, nil); !ok {
					t.Errorf("%s is listed and not bookable", show([]scheduling.Slot{sl}, loc))
				}
			}
		})
	}
}

// TestSlotsSortedAndOnceAcrossSchedules: a schedule whose afternoon rule
// comes first lists the morning first; two schedules in two zones (a
// practitioner that corrected its zone) list a slot once, never two that
// overlap, and the newer schedule's slot wins.
func TestSlotsSortedAndOnceAcrossSchedules(t *testing.T) {
	afternoonFirst := scheduling.Schedule{PractitionerID: "P", TimeZone: "Africa/Nairobi", SlotMinutes: 60, EffectiveFrom: "2027-03-01", EffectiveTo: "2027-03-31",
		Rules:     []scheduling.Rule{{Day: time.Monday, Start: clock("14:00"), End: clock("16:00")}, {Day: time.Monday, Start: clock("08:00"), End: clock("10:00")}},
		CreatedAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	from, to := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC)
	got := locals(scheduling.Offered([]scheduling.Schedule{afternoonFirst}, from, to, nil), "Africa/Nairobi")
	if want := []string{"08:00-09:00", "09:00-10:00", "14:00-15:00", "15:00-16:00"}; !slices.Equal(got, want) {
		t.Errorf("rule order: got %v; want %v", got, want)
	}
	page, more := scheduling.PageAfter(scheduling.Offered([]scheduling.Schedule{afternoonFirst}, from, to, nil), -1<<62, 2)
	if locals(page, "Africa/Nairobi")[0] != "08:00-09:00" || !more {
		t.Errorf("first page of 2: %v", locals(page, "Africa/Nairobi"))
	}

	// The same hours in Kampala (the same offset as Nairobi) and, newer,
	// in Addis Ababa's zone with the clinic shifted by half an hour.
	sameOffset := afternoonFirst
	sameOffset.TimeZone, sameOffset.CreatedAt = "Africa/Kampala", time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	both := scheduling.Offered([]scheduling.Schedule{afternoonFirst, sameOffset}, from, to, nil)
	if got := locals(both, "Africa/Nairobi"); len(got) != 4 {
		t.Errorf("two schedules with the same hours: got %v; want each slot once", got)
	}
	// A practitioner that moved from New York to Dubai: the last evening
	// in New York (19:00 to 23:00, 00:00 to 04:00 UTC) and the first
	// morning in Dubai (04:00 to 06:00, 00:00 to 02:00 UTC) overlap in
	// real time; the newer schedule's slots are offered, the older's
	// only where they do not overlap them.
	ny := scheduling.Schedule{PractitionerID: "P", TimeZone: "America/New_York", SlotMinutes: 60, EffectiveFrom: "2027-02-01", EffectiveTo: "2027-03-01",
		Rules: []scheduling.Rule{{Day: time.Monday, Start: clock("19:00"), End: clock("23:00")}}, CreatedAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	dubai := scheduling.Schedule{PractitionerID: "P", TimeZone: "Asia/Dubai", SlotMinutes: 60, EffectiveFrom: "2027-03-02", EffectiveTo: "2027-03-31",
		Rules: []scheduling.Rule{{Day: time.Tuesday, Start: clock("04:00"), End: clock("06:00")}}, CreatedAt: time.Date(2027, 2, 20, 0, 0, 0, 0, time.UTC)}
	window := func(from, to time.Time) []string {
		return locals(scheduling.Offered([]scheduling.Schedule{ny, dubai}, from, to, nil), "UTC")
	}
	from, to = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 3, 3, 0, 0, 0, 0, time.UTC)
	if got, want := window(from, to), []string{"00:00-01:00", "01:00-02:00", "02:00-03:00", "03:00-04:00"}; !slices.Equal(got, want) {
		t.Errorf("a move across zones: got %v; want %v", got, want)
	}
	// The New York slot that overlaps is not offered whatever the window
	// asked: booking's narrow lookup agrees with the listing.
	if _, ok := scheduling.Find([]scheduling.Schedule{ny, dubai}, time.Date(2027, 3, 2, 1, 0, 0, 0, time.UTC), time.Date(2027, 3, 2, 2, 0, 0, 0, time.UTC), nil); !ok {
		t.Error("Dubai's 05:00 is listed and not found")
	}
	if got := window(time.Date(2027, 3, 2, 0, 30, 0, 0, time.UTC), time.Date(2027, 3, 2, 2, 0, 0, 0, time.UTC)); !slices.Equal(got, []string{"01:00-02:00"}) {
		t.Errorf("a narrow window: got %v", got)
	}
}
