// Package scheduling owns availability and appointments: schedules of
// weekly rules in the practitioner's time zone, the free slots computed
// from them at read time (only booked slots are stored, as claims), and
// appointments with their status machine. Its Store (schedulingdb) enforces
// exactly one booking per slot, the practitioner's bookings per day and a
// beneficiary's non-overlapping appointments with conditional transactions.
package scheduling

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	// The zone database travels with the binary: Lambda hosts may lack one.
	_ "time/tzdata"

	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Limits of DOMAIN.md.
const (
	MinimumNotice = 60 * time.Minute
	MaxWindow     = 31 * 24 * time.Hour
	MaxPeriodDays = 366
	// MaxSlotMinutes bounds how far back a claim can overlap a later slot.
	MaxSlotMinutes = 240
)

// Days are the days of the week as the API writes them.
var Days = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Rule is a weekly window of availability, in local wall-clock minutes.
type Rule struct {
	Day        time.Weekday
	Start, End int // minutes after midnight
	Modes      []string
}

// Exception is a day off, or a day with its own hours.
type Exception struct {
	Date        string
	Unavailable bool
	Start, End  int
}

// Schedule is a practitioner's availability for a period.
type Schedule struct {
	ID                string
	PractitionerID    string
	TimeZone          string
	SlotMinutes       int
	BufferMinutes     int
	EffectiveFrom     string // YYYY-MM-DD, local
	EffectiveTo       string
	Rules             []Rule
	Exceptions        []Exception
	MaxBookingsPerDay int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Version           int64
}

// Slot is a bookable time.
type Slot struct {
	PractitionerID string
	Start, End     time.Time
	Modes          []string
	// Date is the local date, in its schedule's zone, of the window that
	// offers the slot; MaxPerDay is that schedule's limit for the date.
	Date      string
	MaxPerDay int
}

// ID returns the slot's opaque id; it names the practitioner and the time,
// and booking checks it against the schedules, so a forged id books nothing.
func (s Slot) ID() string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%s|%d|%d", s.PractitionerID, s.Start.Unix(), s.End.Unix())))
}

// ParseSlotID reads a slot id; Invalid naming field when it is not one.
func ParseSlotID(field, id string) (Slot, error) {
	bad := problem.Field(field, "is not a slot id")
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return Slot{}, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 3 || parts[0] == "" {
		return Slot{}, bad
	}
	start, err1 := strconv.ParseInt(parts[1], 10, 64)
	end, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || end <= start || end-start > MaxSlotMinutes*60 {
		return Slot{}, bad
	}
	return Slot{PractitionerID: parts[0], Start: time.Unix(start, 0).UTC(), End: time.Unix(end, 0).UTC()}, nil
}

// ParseClock reads HH:MM as minutes after midnight.
func ParseClock(v string) (int, bool) {
	t, err := time.Parse("15:04", v)
	if err != nil || len(v) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// ParseEnd reads the end of a window of hours: HH:MM, or 24:00 for the end
// of the day.
func ParseEnd(v string) (int, bool) {
	if v == "24:00" {
		return 24 * 60, true
	}
	return ParseClock(v)
}

// Clock writes minutes after midnight as HH:MM.
func Clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// Validate checks a schedule; practitionerModes are the modes a rule may
// offer. It returns an Invalid error listing every bad field.
func (s Schedule) Validate(now time.Time, practitionerModes []string) error {
	var l problem.FieldList
	validate.TimeZone(&l, "timeZone", s.TimeZone)
	if s.SlotMinutes < 5 || s.SlotMinutes > MaxSlotMinutes {
		l.Add("slotMinutes", "must be from 5 to 240")
	}
	if s.BufferMinutes < 0 || s.BufferMinutes > 120 {
		l.Add("bufferMinutes", "must be from 0 to 120")
	}
	from, okFrom := validate.Date(&l, "effectiveFrom", s.EffectiveFrom, true)
	to, okTo := validate.Date(&l, "effectiveTo", s.EffectiveTo, true)
	if okFrom && okTo {
		switch {
		case to.Before(from):
			l.Add("effectiveTo", "must not be before effectiveFrom")
		case to.Sub(from) > MaxPeriodDays*24*time.Hour:
			l.Add("effectiveTo", "must be at most %d days after effectiveFrom", MaxPeriodDays)
		case to.Before(now.AddDate(0, 0, -1)):
			l.Add("effectiveTo", "must not be in the past")
		}
	}
	// Bounded as the document bounds them: a schedule is read whole by
	// every slot listing.
	if len(s.Rules) > 50 {
		l.Add("weeklyRules", "at most 50 rules")
	}
	if len(s.Exceptions) > 400 {
		l.Add("exceptions", "at most 400 exceptions")
	}
	if len(s.Rules) == 0 {
		l.Add("weeklyRules", "at least one rule is required")
	}
	for i, r := range s.Rules {
		f := fmt.Sprintf("weeklyRules[%d]", i)
		if r.End <= r.Start {
			l.Add(f+".end", "must be after start")
		} else if r.End-r.Start < s.SlotMinutes {
			l.Add(f+".end", "the window is shorter than one slot")
		}
		for j, m := range r.Modes {
			if !slices.Contains(practitionerModes, m) {
				l.Add(fmt.Sprintf("%s.modes[%d]", f, j), "is not one of the practitioner's consultation modes")
			}
		}
		for j := range i {
			o := s.Rules[j]
			if o.Day == r.Day && r.Start < o.End && o.Start < r.End {
				l.Add(f, "overlaps weeklyRules[%d] on %s", j, Days[r.Day])
			}
		}
	}
	seen := map[string]bool{}
	for i, e := range s.Exceptions {
		f := fmt.Sprintf("exceptions[%d]", i)
		validate.Date(&l, f+".date", e.Date, true)
		if seen[e.Date] {
			l.Add(f+".date", "is listed twice")
		}
		seen[e.Date] = true
		if !e.Unavailable && e.End <= e.Start {
			l.Add(f, "needs unavailable: true, or a start before its end")
		}
		if e.Unavailable && (e.Start != 0 || e.End != 0) {
			l.Add(f, "an unavailable day has no hours")
		}
	}
	if s.MaxBookingsPerDay < 0 || s.MaxBookingsPerDay > 500 {
		l.Add("maxBookingsPerDay", "must be from 1 to 500")
	}
	return l.Err()
}

// locations caches the zones read: time.LoadLocation reads and parses the
// zone's file on every call.
var locations sync.Map // name -> *time.Location

// Location returns the schedule's time zone.
func (s Schedule) Location() *time.Location {
	if loc, ok := locations.Load(s.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	locations.Store(s.TimeZone, loc)
	return loc
}

// covers reports whether the local date is in the schedule's period.
func (s Schedule) covers(date string) bool {
	return date >= s.EffectiveFrom && date <= s.EffectiveTo
}

// window is the real time a rule or exception covers on one local date:
// the instants whose wall clock, on that date, is within its hours. Both
// occurrences of a repeated hour are in it; an hour that the clocks skip is
// not. It is a list of runs of real time, more than one only when the clocks
// go back across the window's start.
type window struct {
	date  string // YYYY-MM-DD, local
	start int    // wall-clock minutes, for ordering windows of a day
	runs  [][2]time.Time
	modes []string
}

// windows returns the schedule's windows on the local date day (midnight
// UTC of that civil date), in wall-clock order.
func (s Schedule) windows(day time.Time, defaultModes []string) []window {
	key := day.Format(time.DateOnly)
	if !s.covers(key) {
		return nil
	}
	loc := s.Location()
	var out []window
	add := func(start, end int, modes []string) {
		if runs := runs(loc, day, start, end); len(runs) > 0 {
			out = append(out, window{date: key, start: start, runs: runs, modes: modes})
		}
	}
	if i := slices.IndexFunc(s.Exceptions, func(e Exception) bool { return e.Date == key }); i >= 0 {
		if e := s.Exceptions[i]; !e.Unavailable {
			add(e.Start, e.End, defaultModes)
		}
		return out
	}
	for _, r := range s.Rules {
		if r.Day == day.Weekday() {
			modes := r.Modes
			if len(modes) == 0 {
				modes = defaultModes
			}
			add(r.Start, r.End, modes)
		}
	}
	slices.SortFunc(out, func(a, b window) int { return a.start - b.start })
	return out
}

// runs returns the runs of real time whose wall clock in loc on the civil
// date day is in [start, end) minutes. Within one period of a zone (between
// two transitions) the wall clock is the instant plus a constant offset, so
// the instants of that period with the wanted wall clock are one interval;
// the runs are those intervals, joined where they touch.
func runs(loc *time.Location, day time.Time, start, end int) [][2]time.Time {
	wallStart, wallEnd := day.Add(time.Duration(start)*time.Minute), day.Add(time.Duration(end)*time.Minute)
	// Offsets are within 15 hours of UTC.
	lo, hi := wallStart.Add(-15*time.Hour), wallEnd.Add(15*time.Hour)
	var out [][2]time.Time
	for t := lo; t.Before(hi); {
		lt := t.In(loc)
		_, offset := lt.Zone()
		_, periodEnd := lt.ZoneBounds()
		if periodEnd.IsZero() || periodEnd.After(hi) {
			periodEnd = hi
		}
		d := time.Duration(offset) * time.Second
		a, b := maxTime(t, wallStart.Add(-d)), minTime(periodEnd, wallEnd.Add(-d))
		if a.Before(b) {
			if n := len(out); n > 0 && out[n-1][1].Equal(a) {
				out[n-1][1] = b
			} else {
				out = append(out, [2]time.Time{a, b})
			}
		}
		t = periodEnd
	}
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// slotsStarting lays the window's slots in real time that start in
// [lo, hi): each lasts exactly SlotMinutes, BufferMinutes apart, from the
// start of a run and within it.
func (w window) slotsStarting(s Schedule, lo, hi time.Time) []Slot {
	length, step := time.Duration(s.SlotMinutes)*time.Minute, time.Duration(s.SlotMinutes+s.BufferMinutes)*time.Minute
	var out []Slot
	for _, r := range w.runs {
		at := r[0]
		if at.Before(lo) {
			// The first slot of the run that starts at or after lo.
			at = at.Add((lo.Sub(at) + step - 1) / step * step)
		}
		for ; !at.Add(length).After(r[1]) && at.Before(hi); at = at.Add(step) {
			out = append(out, Slot{PractitionerID: s.PractitionerID, Start: at.UTC(), End: at.Add(length).UTC(), Modes: w.modes,
				Date: w.date, MaxPerDay: s.MaxBookingsPerDay})
		}
	}
	return out
}

// Offered returns the slots that the schedules offer entirely within
// [from, to), sorted by start, each once, none overlapping another.
//
// A local date belongs to the newest schedule that covers it (a schedule
// replaces older ones on its dates). On each date, a schedule's rules lay
// slots in real time. Where two slots would overlap (two schedules in
// different zones, at the dates where one ends and the other begins), the
// slot of the newer schedule is offered and the other is not. That choice depends only on the schedules, never on the
// window asked for, so a slot listed is a slot that booking finds.
func Offered(schedules []Schedule, from, to time.Time, defaultModes []string) []Slot {
	sorted := slices.Clone(schedules)
	slices.SortStableFunc(sorted, func(a, b Schedule) int { return b.CreatedAt.Compare(a.CreatedAt) })
	// Every slot that could overlap one in [from, to) starts in
	// [from - MaxSlotMinutes, to).
	lo := from.Add(-MaxSlotMinutes * time.Minute)
	type laid struct {
		Slot
		rank int
	}
	var all []laid
	claimed := map[string]bool{}
	for i := range sorted {
		s := sorted[i]
		loc := s.Location()
		first, last := civil(lo.In(loc)), civil(to.In(loc))
		for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
			key := day.Format(time.DateOnly)
			if claimed[key] || !s.covers(key) {
				continue
			}
			claimed[key] = true
			// The slots of one schedule never overlap: each instant
			// has one wall clock and one date, rules of a day do not
			// overlap on the wall clock, and a window's slots are laid
			// one after another. Only another schedule's can.
			for _, w := range s.windows(day, defaultModes) {
				for _, sl := range w.slotsStarting(s, lo, to) {
					all = append(all, laid{sl, i})
				}
			}
		}
	}
	slices.SortStableFunc(all, func(a, b laid) int { return a.Start.Compare(b.Start) })
	var out []Slot
	for k, sl := range all {
		if sl.Start.Before(from) || sl.End.After(to) {
			continue
		}
		beaten := false
		for j := k - 1; j >= 0 && !beaten && all[j].Start.After(sl.Start.Add(-MaxSlotMinutes*time.Minute)); j-- {
			beaten = all[j].rank < sl.rank && all[j].End.After(sl.Start)
		}
		for j := k + 1; j < len(all) && !beaten && all[j].Start.Before(sl.End); j++ {
			beaten = all[j].rank < sl.rank
		}
		if !beaten {
			out = append(out, sl.Slot)
		}
	}
	return out
}

// civil returns midnight UTC of t's civil date.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Find returns the slot the schedules offer from start to end, if any.
func Find(schedules []Schedule, start, end time.Time, defaultModes []string) (Slot, bool) {
	for _, sl := range Offered(schedules, start, end, defaultModes) {
		if sl.Start.Equal(start) && sl.End.Equal(end) {
			return sl, true
		}
	}
	return Slot{}, false
}

// PageAfter returns at most limit of the sorted slots that start after the
// instant after (Unix seconds), and whether more follow.
func PageAfter(slots []Slot, after int64, limit int) ([]Slot, bool) {
	i, _ := slices.BinarySearchFunc(slots, after, func(s Slot, t int64) int {
		if s.Start.Unix() <= t {
			return -1
		}
		return 1
	})
	rest := slots[i:]
	if len(rest) > limit {
		return rest[:limit], true
	}
	return rest, false
}

// LocalDate returns the schedule-zone date of an instant.
func (s Schedule) LocalDate(t time.Time) string { return t.In(s.Location()).Format(time.DateOnly) }
