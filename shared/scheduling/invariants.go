package scheduling

import (
	"time"

	"ohcs/shared/problem"
)

// Interval is the time an appointment holds.
type Interval struct{ Start, End time.Time }

// Overlaps reports whether iv and o share any instant (touching ends do
// not).
func (iv Interval) Overlaps(o Interval) bool { return iv.Start.Before(o.End) && o.Start.Before(iv.End) }

// Calendar is what a booking or a move is decided against, as read in the
// same transaction that writes it: the practitioner's booked intervals
// near the time, its count of bookings on the local date, and the
// beneficiary's booked intervals, each by appointment id. A store that
// holds the day's limit as the condition of its count's write (the
// DynamoDB store) leaves DayCount 0 and answers DayFull when it fails.
type Calendar struct {
	Practitioner map[string]Interval
	DayCount     int64
	Beneficiary  map[string]Interval
}

// CheckBooking decides whether b may be booked against cal at now: the
// practitioner's time is free, its day not full, the beneficiary free at
// that time and under its limit of upcoming appointments. Conflict or
// Unprocessable, nil when it may.
func CheckBooking(b Booking, cal Calendar, now time.Time) error {
	a := b.Appointment
	if err := practitionerFree(a, cal); err != nil {
		return err
	}
	if b.MaxPerDay > 0 && cal.DayCount >= int64(b.MaxPerDay) {
		return DayFull(a.LocalDate)
	}
	if _, ok := overlapping(cal.Beneficiary, a); ok {
		return problem.New(problem.Conflict, "the beneficiary already has an appointment at that time")
	}
	if b.MaxUpcoming > 0 && upcoming(cal.Beneficiary, now) >= b.MaxUpcoming {
		return problem.New(problem.Unprocessable,
			"the beneficiary already holds %d upcoming appointments, the most at a time: attend or cancel one first", b.MaxUpcoming)
	}
	return nil
}

// CheckMove decides whether m may move its appointment against cal (read
// for the new time and date): the new time is free for both, and a new
// date is not full. Its own old time never stands in its way. Conflict,
// nil when it may.
func CheckMove(m Move, cal Calendar) error {
	next := m.New
	if err := practitionerFree(next, cal); err != nil {
		return err
	}
	if _, ok := overlapping(cal.Beneficiary, next); ok {
		return problem.New(problem.Conflict, "the beneficiary already has an appointment at that time")
	}
	if m.Old.LocalDate != next.LocalDate && m.MaxPerDay > 0 && cal.DayCount >= int64(m.MaxPerDay) {
		return DayFull(next.LocalDate)
	}
	return nil
}

// DayFull is the answer to a booking or a move on a local date that holds
// the practitioner's limit of bookings already.
func DayFull(date string) error {
	return problem.New(problem.Conflict, "the practitioner is fully booked on %s", date)
}

// practitionerFree is nil when a's time overlaps none of the practitioner's
// other booked intervals.
func practitionerFree(a Appointment, cal Calendar) error {
	other, ok := overlapping(cal.Practitioner, a)
	switch {
	case !ok:
		return nil
	case other.Start.Equal(a.Start) && other.End.Equal(a.End):
		return problem.New(problem.Conflict, "this slot has just been booked by someone else")
	}
	return problem.New(problem.Conflict, "this slot overlaps a booked appointment")
}

// overlapping returns the interval, other than a's own, that a's time
// overlaps, if any.
func overlapping(intervals map[string]Interval, a Appointment) (Interval, bool) {
	want := Interval{Start: a.Start, End: a.End}
	for id, iv := range intervals {
		if id != a.ID && want.Overlaps(iv) {
			return iv, true
		}
	}
	return Interval{}, false
}

// upcoming counts the intervals that have not ended at now.
func upcoming(intervals map[string]Interval, now time.Time) int {
	n := 0
	for _, iv := range intervals {
		if iv.End.After(now) {
			n++
		}
	}
	return n
}
