package schedulingdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/shared/access"
	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/platform"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

// TestCareFollowsTheAppointment: the care relationships the access policy
// reads are the beneficiary's bookings item, written in each change's own
// transaction, so they are what the appointments are now: booked, moved,
// completed (by a consultation's transaction) they hold; cancelled or a
// no-show they hold none at once; read by key, strongly consistent, never
// from an index (whose reads are eventually consistent).
func TestCareFollowsTheAppointment(t *testing.T) {
	ctx := context.Background()
	raw, cfg := dynamotest.New(t)
	var counter dynamoprobe.Counter
	db := counter.Instrument(raw)
	st := &schedulingdb.Store{DB: db, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	now := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	care := func() map[string]time.Time {
		t.Helper()
		before := counter.Usage("care")
		got, err := st.LatestBookings(counter.Begin(ctx, "care"), "B", now.Add(-access.BookedWindow), now.Add(-access.CompletedWindow))
		if err != nil {
			t.Fatal(err)
		}
		if u := counter.Usage("care").Sub(before); u.Total() != 1 || u.Requests["GetItem"] != 1 {
			t.Fatalf("the care relationships were read with %v; want one GetItem", u.Requests)
		}
		var batch []access.CareAppointment
		if err := dynamo.GetAll(ctx, raw, st.CareGet("B", func(c []access.CareAppointment) { batch = c })); err != nil {
			t.Fatal(err)
		}
		if fromBatch := access.LatestBookings(batch, now); len(fromBatch) != len(got) || fromBatch["P1"] != got["P1"] || fromBatch["P2"] != got["P2"] {
			t.Fatalf("the batch's get reads %v, the store %v", fromBatch, got)
		}
		return got
	}
	a := appointment("A1", "P1", "B", now.Add(48*time.Hour), 30, now)
	b := appointment("A2", "P2", "B", now.Add(72*time.Hour), 30, now.Add(time.Minute))
	for _, x := range []scheduling.Appointment{a, b} {
		if err := st.Book(ctx, scheduling.Booking{Appointment: x}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := care(); len(got) != 2 || !got["P1"].Equal(now) || !got["P2"].Equal(now.Add(time.Minute)) {
		t.Fatalf("after two bookings: %v", got)
	}
	// Cancelled: P1 holds none at once.
	cancelled := a
	cancelled.Status, cancelled.Version = scheduling.Cancelled, 2
	if err := st.Cancel(ctx, a, cancelled, nil); err != nil {
		t.Fatal(err)
	}
	if got := care(); len(got) != 1 || got["P1"] != (time.Time{}) {
		t.Fatalf("after the cancellation: %v; want P2 alone", got)
	}
	// Moved: still held. Completed by a consultation: held for a year.
	moved := b
	moved.Start, moved.End, moved.Version = b.Start.Add(24*time.Hour), b.End.Add(24*time.Hour), 2
	if err := st.Reschedule(ctx, scheduling.Move{Old: b, New: moved}, nil); err != nil {
		t.Fatal(err)
	}
	tx := st.Completion(moved, moved.Start)
	if _, err := raw.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx}); err != nil {
		t.Fatal(err)
	}
	later := now.Add(200 * 24 * time.Hour)
	got, err := st.LatestBookings(ctx, "B", later.Add(-access.BookedWindow), later.Add(-access.CompletedWindow))
	if err != nil || !got["P2"].Equal(b.BookedAt) {
		t.Fatalf("200 days after a completed appointment: %v %v; want P2's booking", got, err)
	}
	// A no-show holds none.
	c := appointment("A3", "P1", "B", now.Add(120*time.Hour), 30, now.Add(2*time.Minute))
	if err := st.Book(ctx, scheduling.Booking{Appointment: c}, nil); err != nil {
		t.Fatal(err)
	}
	if got := care(); !got["P1"].Equal(c.BookedAt) {
		t.Fatalf("after booking P1 again: %v", got)
	}
	noShow := c
	noShow.Status, noShow.Version = scheduling.NoShow, 2
	if err := st.SetStatus(ctx, c, noShow, nil); err != nil {
		t.Fatal(err)
	}
	if got := care(); got["P1"] != (time.Time{}) || !got["P2"].Equal(b.BookedAt) {
		t.Fatalf("after the no-show: %v; want P2 alone", got)
	}
}
