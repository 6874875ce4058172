package scheduling_test

import (
	"errors"
	"testing"
	"time"

	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
)

func at(h, m int) time.Time { return time.Date(2026, 12, 7, h, m, 0, 0, time.UTC) }

func iv(h1, m1, h2, m2 int) scheduling.Interval {
	return scheduling.Interval{Start: at(h1, m1), End: at(h2, m2)}
}

func appt(id string, h1, m1, h2, m2 int) scheduling.Appointment {
	return scheduling.Appointment{ID: id, Start: at(h1, m1), End: at(h2, m2), LocalDate: "2026-12-07"}
}

func codeOf(err error) problem.Code {
	if err == nil {
		return ""
	}
	return problem.CodeOf(err)
}

// TestCheckBooking: each invariant of a booking on its own, with the
// boundaries that must not refuse (touching intervals, the last place of
// a day, the last upcoming appointment allowed).
func TestCheckBooking(t *testing.T) {
	now := at(6, 0)
	a := appt("A", 9, 0, 9, 30)
	for _, tc := range []struct {
		name   string
		b      scheduling.Booking
		cal    scheduling.Calendar
		code   problem.Code
		detail string
	}{
		{"an empty calendar", scheduling.Booking{Appointment: a}, scheduling.Calendar{}, "", ""},
		{"the same slot taken", scheduling.Booking{Appointment: a}, scheduling.Calendar{Practitioner: map[string]scheduling.Interval{"X": iv(9, 0, 9, 30)}},
			problem.Conflict, "this slot has just been booked by someone else"},
		{"an overlapping booking", scheduling.Booking{Appointment: a}, scheduling.Calendar{Practitioner: map[string]scheduling.Interval{"X": iv(8, 45, 9, 15)}},
			problem.Conflict, "this slot overlaps a booked appointment"},
		{"touching bookings", scheduling.Booking{Appointment: a}, scheduling.Calendar{Practitioner: map[string]scheduling.Interval{"X": iv(8, 30, 9, 0), "Y": iv(9, 30, 10, 0)}},
			"", ""},
		{"its own interval", scheduling.Booking{Appointment: a}, scheduling.Calendar{Practitioner: map[string]scheduling.Interval{"A": iv(9, 0, 9, 30)}}, "", ""},
		{"a full day", scheduling.Booking{Appointment: a, MaxPerDay: 8}, scheduling.Calendar{DayCount: 8}, problem.Conflict,
			"the practitioner is fully booked on 2026-12-07"},
		{"the last place of a day", scheduling.Booking{Appointment: a, MaxPerDay: 8}, scheduling.Calendar{DayCount: 7}, "", ""},
		{"no daily limit", scheduling.Booking{Appointment: a}, scheduling.Calendar{DayCount: 1000}, "", ""},
		{"the beneficiary busy", scheduling.Booking{Appointment: a}, scheduling.Calendar{Beneficiary: map[string]scheduling.Interval{"Z": iv(9, 15, 9, 45)}},
			problem.Conflict, "the beneficiary already has an appointment at that time"},
		{"too many upcoming", scheduling.Booking{Appointment: a, MaxUpcoming: 2},
			scheduling.Calendar{Beneficiary: map[string]scheduling.Interval{"Y": iv(11, 0, 11, 30), "Z": iv(12, 0, 12, 30)}}, problem.Unprocessable,
			"the beneficiary already holds 2 upcoming appointments, the most at a time: attend or cancel one first"},
		{"past appointments do not count", scheduling.Booking{Appointment: a, MaxUpcoming: 2},
			scheduling.Calendar{Beneficiary: map[string]scheduling.Interval{"Y": iv(4, 0, 4, 30), "Z": iv(12, 0, 12, 30)}}, "", ""},
		{"the practitioner first", scheduling.Booking{Appointment: a, MaxPerDay: 1}, scheduling.Calendar{DayCount: 1,
			Practitioner: map[string]scheduling.Interval{"X": iv(9, 0, 9, 30)}}, problem.Conflict, "this slot has just been booked by someone else"},
	} {
		err := scheduling.CheckBooking(tc.b, tc.cal, now)
		if codeOf(err) != tc.code {
			t.Errorf("%s: got %v; want %q", tc.name, err, tc.code)
			continue
		}
		var pe *problem.Error
		if tc.detail != "" && (!errors.As(err, &pe) || pe.Message != tc.detail) {
			t.Errorf("%s: got %q; want %q", tc.name, err, tc.detail)
		}
	}
}

// TestCheckMove: a move needs the new time free for both sides and room
// on a new date; its own old time never refuses it.
func TestCheckMove(t *testing.T) {
	old := appt("A", 9, 0, 9, 30)
	next := appt("A", 9, 15, 9, 45)
	other := next
	other.LocalDate = "2026-12-08"
	for _, tc := range []struct {
		name string
		m    scheduling.Move
		cal  scheduling.Calendar
		code problem.Code
	}{
		{"over its own old time", scheduling.Move{Old: old, New: next}, scheduling.Calendar{Practitioner: map[string]scheduling.Interval{"A": iv(9, 0, 9, 30)},
			Beneficiary: map[string]scheduling.Interval{"A": iv(9, 0, 9, 30)}}, ""},
		{"onto another booking", scheduling.Move{Old: old, New: next}, scheduling.Calendar{Practitioner: map[string]scheduling.Interval{"X": iv(9, 30, 10, 0)}}, problem.Conflict},
		{"onto the beneficiary's other appointment", scheduling.Move{Old: old, New: next}, scheduling.Calendar{Beneficiary: map[string]scheduling.Interval{"Y": iv(9, 40, 10, 0)}}, problem.Conflict},
		{"the same date, full", scheduling.Move{Old: old, New: next, MaxPerDay: 1}, scheduling.Calendar{DayCount: 1}, ""},
		{"another date, full", scheduling.Move{Old: old, New: other, MaxPerDay: 1}, scheduling.Calendar{DayCount: 1}, problem.Conflict},
		{"another date with room", scheduling.Move{Old: old, New: other, MaxPerDay: 2}, scheduling.Calendar{DayCount: 1}, ""},
	} {
		if err := scheduling.CheckMove(tc.m, tc.cal); codeOf(err) != tc.code {
			t.Errorf("%s: got %v; want %q", tc.name, err, tc.code)
		}
	}
}
