package schedulingdb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

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
