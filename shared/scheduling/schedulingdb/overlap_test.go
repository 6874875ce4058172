package schedulingdb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

func appointment(id, pid, bid string, start time.Time, minutes int, now time.Time) scheduling.Appointment {
	end := start.Add(time.Duration(minutes) * time.Minute)
	return scheduling.Appointment{ID: id, PractitionerID: pid, BeneficiaryID: bid, SlotID: id + "-slot", Start: start, End: end,
		LocalDate: start.Format(time.DateOnly), Mode: "video", Status: scheduling.Booked, BookedAt: now, CreatedAt: now, UpdatedAt: now, Version: 1}
}

// together runs fs at the same moment and returns their errors.
func together(fs ...func() error) []error {
	errs := make([]error, len(fs))
	var ready, done sync.WaitGroup
	gate := make(chan struct{})
	for i, f := range fs {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			errs[i] = f()
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()
	return errs
}

// oneWon checks that exactly one of errs is nil and the other a conflict.
func oneWon(t *testing.T, where string, errs []error) int {
	t.Helper()
	won := -1
	for i, err := range errs {
		switch {
		case err == nil && won < 0:
			won = i
		case err == nil:
			t.Fatalf("%s: both won: two overlapping appointments of one practitioner", where)
		case problem.CodeOf(err) != problem.Conflict:
			t.Fatalf("%s: got %v; want a conflict", where, err)
		}
	}
	if won < 0 {
		t.Fatalf("%s: neither won: %v", where, errs)
	}
	return won
}

// noOverlap checks the practitioner's busy times: none overlaps another.
func noOverlap(t *testing.T, st *schedulingdb.Store, pid string, from, to time.Time, want int) {
	t.Helper()
	claims, err := st.Claims(context.Background(), pid, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != want {
		t.Fatalf("%s holds %d booked times; want %d", pid, len(claims), want)
	}
	for i := 1; i < len(claims); i++ {
		if claims[i].Start.Before(claims[i-1].End) {
			t.Fatalf("%s: %v overlaps %v", pid, claims[i-1], claims[i])
		}
	}
}

// TestOverlapHeldInTheTransaction: whatever the schedules offered, two
// appointments of one practitioner never overlap. Twenty rounds each of two
// overlapping bookings at the same moment (at noon, and across midnight
// UTC, where their times are kept in two items), a booking against a
// reschedule into the same time, and the stale look a booking's first check
// may have had (the overlap is refused by the write itself).
func TestOverlapHeldInTheTransaction(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	st := &schedulingdb.Store{DB: db, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	now := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	book := func(a scheduling.Appointment) func() error {
		return func() error { return st.Book(ctx, scheduling.Booking{Appointment: a}, nil) }
	}
	for round := range 20 {
		day := now.AddDate(0, 0, 2+round)
		noon := time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC)
		midnight := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)

		// Two slots of two schedules: 12:00 to 13:00 and 12:30 to 13:30.
		pid := fmt.Sprintf("P%d", round)
		a, b := appointment(fmt.Sprintf("A%d", round), pid, "B1", noon, 60, now), appointment(fmt.Sprintf("B%d", round), pid, "B2", noon.Add(30*time.Minute), 60, now)
		oneWon(t, fmt.Sprintf("round %d at noon", round), together(book(a), book(b)))
		noOverlap(t, st, pid, noon.Add(-time.Hour), noon.Add(2*time.Hour), 1)

		// Across midnight UTC: 23:30 to 00:30 and 00:00 to 01:00.
		pid = fmt.Sprintf("M%d", round)
		a, b = appointment(fmt.Sprintf("MA%d", round), pid, "B1", midnight.Add(-30*time.Minute), 60, now), appointment(fmt.Sprintf("MB%d", round), pid, "B2", midnight, 60, now)
		oneWon(t, fmt.Sprintf("round %d at midnight", round), together(book(a), book(b)))
		noOverlap(t, st, pid, midnight.Add(-2*time.Hour), midnight.Add(2*time.Hour), 1)

		// A reschedule into 12:15 to 13:15 against a booking of 12:45 to
		// 13:45.
		pid = fmt.Sprintf("R%d", round)
		moving := appointment(fmt.Sprintf("RM%d", round), pid, "B3", noon.Add(4*time.Hour), 60, now)
		if err := book(moving)(); err != nil {
			t.Fatal(err)
		}
		moved := moving
		moved.Start, moved.End, moved.Version = noon.Add(15*time.Minute), noon.Add(75*time.Minute), 2
		booking := appointment(fmt.Sprintf("RB%d", round), pid, "B4", noon.Add(45*time.Minute), 60, now)
		won := oneWon(t, fmt.Sprintf("round %d, a reschedule", round), together(
			func() error { return st.Reschedule(ctx, scheduling.Move{Old: moving, New: moved}, nil) },
			book(booking)))
		// The moved one alone, or the booking and the one left at 16:00.
		noOverlap(t, st, pid, noon.Add(-time.Hour), noon.Add(6*time.Hour), 1+won)
	}

	// A first check that saw nothing (the schedules offered 09:00 to 10:00
	// and, replacing them, 09:20 to 10:20): the second write is refused.
	day := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	if err := book(appointment("S1", "S", "B1", day, 60, now))(); err != nil {
		t.Fatal(err)
	}
	if err := book(appointment("S2", "S", "B2", day.Add(20*time.Minute), 60, now))(); problem.CodeOf(err) != problem.Conflict {
		t.Fatalf("an overlapping booking after a stale look: got %v; want a conflict", err)
	}
	// A cancellation frees the time for the other.
	first := appointment("S1", "S", "B1", day, 60, now)
	cancelled := first
	cancelled.Status, cancelled.Version = scheduling.Cancelled, 2
	if err := st.Cancel(ctx, first, cancelled, nil); err != nil {
		t.Fatal(err)
	}
	if err := book(appointment("S2", "S", "B2", day.Add(20*time.Minute), 60, now))(); err != nil {
		t.Fatalf("after the cancellation: %v", err)
	}
	noOverlap(t, st, "S", day.Add(-time.Hour), day.Add(3*time.Hour), 1)
}

// TestDayLimitHeldByItsCount: the day's count is never read by a booking,
// and still the limit holds: of eight bookings of one practitioner's day
// at once, at times that do not meet, exactly the limit's number are
// stored and the others answer that the day is full; a limit set after
// bookings of the day (a new schedule over it) counts them; a
// cancellation counts out, a move to another day counts on that day.
func TestDayLimitHeldByItsCount(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	st := &schedulingdb.Store{DB: db, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	now := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	day := time.Date(2027, 1, 6, 8, 0, 0, 0, time.UTC)
	book := func(a scheduling.Appointment, max int) func() error {
		return func() error { return st.Book(ctx, scheduling.Booking{Appointment: a, MaxPerDay: max}, nil) }
	}
	var all []func() error
	for i := range 8 {
		all = append(all, book(appointment(fmt.Sprintf("L%d", i), "P", fmt.Sprintf("B%d", i), day.Add(time.Duration(i)*time.Hour), 30, now), 3))
	}
	won := 0
	for i, err := range together(all...) {
		switch {
		case err == nil:
			won++
		case problem.CodeOf(err) != problem.Conflict || err.Error() != scheduling.DayFull("2027-01-06").Error():
			t.Fatalf("booking %d: %v; want stored or the day full", i, err)
		}
	}
	counts, err := st.DayCounts(ctx, "P", "2027-01-06", "2027-01-06")
	if won != 3 || err != nil || counts["2027-01-06"] != 3 {
		t.Fatalf("%d bookings stored, the day counts %v (%v); want 3 and 3", won, counts, err)
	}
	noOverlap(t, st, "P", day.Add(-time.Hour), day.Add(10*time.Hour), 3)

	// Two bookings with no limit, then a schedule limiting the day to two.
	q1, q2 := appointment("Q1", "Q", "B1", day, 30, now), appointment("Q2", "Q", "B2", day.Add(time.Hour), 30, now)
	for _, a := range []scheduling.Appointment{q1, q2} {
		if err := book(a, 0)(); err != nil {
			t.Fatal(err)
		}
	}
	q3 := appointment("Q3", "Q", "B3", day.Add(2*time.Hour), 30, now)
	if err := book(q3, 2)(); problem.CodeOf(err) != problem.Conflict {
		t.Fatalf("a third booking under a limit of two set after two bookings: %v; want the day full", err)
	}
	// A cancellation counts out: the third fits.
	cancelled := q1
	cancelled.Status, cancelled.Version = scheduling.Cancelled, 2
	if err := st.Cancel(ctx, q1, cancelled, nil); err != nil {
		t.Fatal(err)
	}
	if err := book(q3, 2)(); err != nil {
		t.Fatalf("after a cancellation: %v", err)
	}
	// A move to a full day is refused; to another day it counts there.
	moved := q2
	moved.Start, moved.End, moved.Version = day.Add(3*time.Hour), day.Add(3*time.Hour+30*time.Minute), 2
	if err := st.Reschedule(ctx, scheduling.Move{Old: q2, New: moved, MaxPerDay: 2}, nil); err != nil {
		t.Fatalf("a move within its day: %v", err)
	}
	next := appointment("Q4", "Q", "B4", day.AddDate(0, 0, 1), 30, now)
	if err := book(next, 1)(); err != nil {
		t.Fatal(err)
	}
	away := moved
	away.Start, away.End, away.LocalDate, away.Version = day.AddDate(0, 0, 1).Add(time.Hour), day.AddDate(0, 0, 1).Add(90*time.Minute), "2027-01-07", 3
	if err := st.Reschedule(ctx, scheduling.Move{Old: moved, New: away, MaxPerDay: 1}, nil); problem.CodeOf(err) != problem.Conflict {
		t.Fatalf("a move to a full day: %v; want the day full", err)
	}
	if err := st.Reschedule(ctx, scheduling.Move{Old: moved, New: away, MaxPerDay: 2}, nil); err != nil {
		t.Fatalf("a move to a day with room: %v", err)
	}
	counts, err = st.DayCounts(ctx, "Q", "2027-01-06", "2027-01-07")
	if err != nil || counts["2027-01-06"] != 1 || counts["2027-01-07"] != 2 {
		t.Fatalf("the days count %v (%v); want 1 on the 6th (Q3) and 2 on the 7th (Q4, Q2)", counts, err)
	}
}
