package schedulingdb_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/access"
	"ohcs/shared/audit"
	"ohcs/shared/audit/auditdb"
	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

// TestBookWritesItsOutbox: a booking writes its notices in its own
// transaction, a refused booking writes none, a cancellation frees the
// slot and writes its notice.
func TestBookWritesItsOutbox(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	st := &schedulingdb.Store{DB: db, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	now := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	a := scheduling.Appointment{ID: "A1", PractitionerID: "P", BeneficiaryID: "B", Start: now.Add(48 * time.Hour), End: now.Add(48*time.Hour + 30*time.Minute),
		LocalDate: "2027-01-06", Mode: "video", Status: scheduling.Booked, BookedAt: now, CreatedAt: now, UpdatedAt: now, Version: 1}
	msgs := []scheduling.Message{{Kind: "appointmentBooked", DueAt: now}, {Kind: "appointmentReminder", DueAt: a.Start.Add(-24 * time.Hour)}}
	if err := st.Book(ctx, scheduling.Booking{Appointment: a}, msgs); err != nil {
		t.Fatal(err)
	}
	other := a
	other.ID, other.BeneficiaryID = "A2", "B2"
	if err := st.Book(ctx, scheduling.Booking{Appointment: other}, msgs); problem.CodeOf(err) != problem.Conflict {
		t.Fatalf("second booking of the slot: got %v; want conflict", err)
	}
	pending := func() []string {
		out, err := db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(cfg.Table(tables.Outbox)), IndexName: aws.String("gsi1"),
			KeyConditionExpression:    aws.String("gsi1pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "PENDING"}}})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, it := range out.Items {
			kinds = append(kinds, it["kind"].(*types.AttributeValueMemberS).Value+"/"+it["appointmentId"].(*types.AttributeValueMemberS).Value)
		}
		return kinds
	}
	if got := pending(); len(got) != 2 || got[0] != "appointmentBooked/A1" || got[1] != "appointmentReminder/A1" {
		t.Errorf("outbox after booking: %v", got)
	}
	cancelled := a
	cancelled.Status, cancelled.Version = scheduling.Cancelled, 2
	if err := st.Cancel(ctx, a, cancelled, []scheduling.Message{{Kind: "appointmentCancelled", DueAt: now}}); err != nil {
		t.Fatal(err)
	}
	if got := pending(); len(got) != 3 {
		t.Errorf("outbox after cancelling: %v", got)
	}
	claims, err := st.Claims(ctx, "P", a.Start.Add(-time.Hour), a.End)
	if err != nil || len(claims) != 0 {
		t.Errorf("claims after cancelling: %v %v", claims, err)
	}
	if counts, _ := st.DayCounts(ctx, "P", "2027-01-06", "2027-01-06"); counts["2027-01-06"] != 0 {
		t.Errorf("day count after cancelling: %v", counts)
	}
	if err := st.Cancel(ctx, a, cancelled, nil); problem.CodeOf(err) != problem.PreconditionFailed {
		t.Errorf("cancelling a stale version: got %v", err)
	}
	if err := st.Book(ctx, scheduling.Booking{Appointment: other}, nil); err != nil {
		t.Errorf("the freed slot: %v", err)
	}
}

// TestStatusWritesItsEvent: marking an appointment completed or noShow
// writes the event the population statistics count, in the same
// transaction; a refused change writes none.
func TestStatusWritesItsEvent(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	st := &schedulingdb.Store{DB: db, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	booked := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	now := booked.Add(72 * time.Hour)
	svc := &scheduling.Service{Store: st, Now: func() time.Time { return now }, NewID: platform.NewULID}
	kinds := map[string]string{}
	for i, status := range []scheduling.Status{scheduling.Completed, scheduling.NoShow} {
		a := scheduling.Appointment{ID: "S" + string(status), PractitionerID: "P", BeneficiaryID: "B", Start: booked.Add(time.Duration(24+i) * time.Hour),
			End: booked.Add(time.Duration(24+i)*time.Hour + 30*time.Minute), LocalDate: "2027-01-05", Mode: "video", Status: scheduling.Booked,
			BookedAt: booked, CreatedAt: booked, UpdatedAt: booked, Version: 1}
		if err := st.Book(ctx, scheduling.Booking{Appointment: a}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SetStatus(ctx, a, status, 2); problem.CodeOf(err) != problem.PreconditionFailed {
			t.Fatalf("stale version: %v", err)
		}
		if _, err := svc.SetStatus(ctx, a, status, 1); err != nil {
			t.Fatal(err)
		}
	}
	out, err := db.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(cfg.Table(tables.Outbox)), IndexName: aws.String("gsi1"),
		KeyConditionExpression:    aws.String("gsi1pk = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "PENDING"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range out.Items {
		kinds[it["appointmentId"].(*types.AttributeValueMemberS).Value] += it["kind"].(*types.AttributeValueMemberS).Value
	}
	if len(kinds) != 2 || kinds["Scompleted"] != "appointmentCompleted" || kinds["SnoShow"] != "appointmentNoShow" {
		t.Errorf("events: %v", kinds)
	}
}

// TestBookingWritesItsDecision: the access decision that allowed a booking
// is written in the booking's own transaction, across the two tables: a
// booking is stored with its event, and a transaction that fails stores
// neither.
func TestBookingWritesItsDecision(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	trail := &auditdb.Store{DB: db, Table: cfg.Table(tables.Audit)}
	st := &schedulingdb.Store{DB: db, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID,
		AuditItem: trail.Put}
	now := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	a := scheduling.Appointment{ID: "A1", PractitionerID: "P", BeneficiaryID: "B", Start: now.Add(48 * time.Hour), End: now.Add(48*time.Hour + 30*time.Minute),
		LocalDate: "2027-01-06", Mode: "video", Status: scheduling.Booked, BookedAt: now, CreatedAt: now, UpdatedAt: now, Version: 1}
	event := func(id string) *audit.Event {
		return &audit.Event{ID: id, Time: now, ActorSub: "sub-b", ActorRole: "self", Action: "makeAppointment", ResourceType: "appointment",
			BeneficiaryID: "B", Outcome: audit.Allowed}
	}
	if err := st.Book(ctx, scheduling.Booking{Appointment: a, Audit: event("E1")}, nil); err != nil {
		t.Fatal(err)
	}
	// The same appointment id at another time: its checks pass, its
	// transaction fails on the appointment item.
	clash := a
	clash.Start, clash.End, clash.SlotID = a.Start.Add(2*time.Hour), a.End.Add(2*time.Hour), "other"
	if err := st.Book(ctx, scheduling.Booking{Appointment: clash, Audit: event("E2")}, nil); err == nil {
		t.Fatal("a second appointment under the same id was booked")
	}
	page, err := trail.List(ctx, audit.Query{BeneficiaryID: "B", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range page.Items {
		ids = append(ids, e.ID)
	}
	if len(ids) != 1 || ids[0] != "E1" {
		t.Errorf("audit events stored: %v; want E1 only (with its booking; the failed transaction stored none)", ids)
	}
	denied := event("E3")
	denied.Outcome = audit.Denied
	if err := st.Book(ctx, scheduling.Booking{Appointment: clash, Audit: denied}, nil); err == nil {
		t.Error("a booking carrying a denial was written")
	}
}

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
		read, err := st.Care(counter.Begin(ctx, "care"), "B")
		if err != nil {
			t.Fatal(err)
		}
		got := access.LatestBookings(read, now)
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
	done, careItem := st.Completion(moved, moved.Start)
	if _, err := raw.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{done, careItem}}); err != nil {
		t.Fatal(err)
	}
	later := now.Add(200 * 24 * time.Hour)
	read, err := st.Care(ctx, "B")
	if got := access.LatestBookings(read, later); err != nil || !got["P2"].Equal(b.BookedAt) {
		t.Fatalf("200 days after a completed appointment: %v %v; want P2's booking", read, err)
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
