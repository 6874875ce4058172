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
	"sort"
	"strconv"
	"strings"
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

// Location returns the schedule's time zone.
func (s Schedule) Location() *time.Location {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// covers reports whether the local date is in the schedule's period.
func (s Schedule) covers(date string) bool {
	return date >= s.EffectiveFrom && date <= s.EffectiveTo
}

// SlotsOn returns the slots of the local date of date (in the schedule's
// zone; pass a time of that day such as noon) that the
// schedule's rules or exception for that day give. Wall-clock times stay
// put across daylight-saving changes: a 09:00 rule gives 09:00 local on
// both sides of a change; a slot in the hour a spring change skips is not
// offered. defaultModes are offered where a rule names none.
func (s Schedule) SlotsOn(date time.Time, defaultModes []string) []Slot {
	loc := s.Location()
	y, m, d := date.Date()
	key := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	type window struct {
		start, end int
		modes      []string
	}
	var windows []window
	if i := slices.IndexFunc(s.Exceptions, func(e Exception) bool { return e.Date == key }); i >= 0 {
		e := s.Exceptions[i]
		if e.Unavailable {
			return nil
		}
		windows = append(windows, window{e.Start, e.End, defaultModes})
	} else {
		wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
		for _, r := range s.Rules {
			if r.Day == wd {
				modes := r.Modes
				if len(modes) == 0 {
					modes = defaultModes
				}
				windows = append(windows, window{r.Start, r.End, modes})
			}
		}
	}
	var out []Slot
	step := s.SlotMinutes + s.BufferMinutes
	for _, w := range windows {
		for at := w.start; at+s.SlotMinutes <= w.end; at += step {
			start := time.Date(y, m, d, 0, at, 0, 0, loc)
			if start.Hour()*60+start.Minute() != at%(24*60) {
				continue // in a daylight-saving gap
			}
			end := time.Date(y, m, d, 0, at+s.SlotMinutes, 0, 0, loc)
			out = append(out, Slot{PractitionerID: s.PractitionerID, Start: start.UTC(), End: end.UTC(), Modes: w.modes})
		}
	}
	return out
}

// Day is a local date of a practitioner's schedule and its slots.
type Day struct {
	Date     string // YYYY-MM-DD in the schedule's zone
	Schedule *Schedule
	Slots    []Slot
}

// Days returns, for every local date touching [from, to), the slots of the
// newest schedule that covers it; schedules are in any order.
func DaysBetween(schedules []Schedule, from, to time.Time, defaultModes []string) []Day {
	sorted := slices.Clone(schedules)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].CreatedAt.After(sorted[j].CreatedAt) })
	claimed := map[string]bool{}
	var days []Day
	for i := range sorted {
		s := &sorted[i]
		loc := s.Location()
		first := from.In(loc)
		// Days are walked at noon: midnight does not exist on every date
		// (Sao Paulo's clocks jumped from 00:00 to 01:00).
		d := time.Date(first.Year(), first.Month(), first.Day(), 12, 0, 0, 0, loc)
		for ; time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc).Before(to); d = d.AddDate(0, 0, 1) {
			key := d.Format(time.DateOnly)
			if claimed[key] || !s.covers(key) {
				continue
			}
			claimed[key] = true
			var slots []Slot
			for _, sl := range s.SlotsOn(d, defaultModes) {
				if !sl.Start.Before(from) && !sl.End.After(to) {
					slots = append(slots, sl)
				}
			}
			days = append(days, Day{Date: key, Schedule: s, Slots: slots})
		}
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	return days
}

// LocalDate returns the schedule-zone date of an instant.
func (s Schedule) LocalDate(t time.Time) string { return t.In(s.Location()).Format(time.DateOnly) }
