package delivery_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/local/localmail"
	"ohcs/shared/app"
	"ohcs/shared/cursor"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/notification"
	"ohcs/shared/notification/delivery"
	"ohcs/shared/outbox"
	"ohcs/shared/people"
	"ohcs/shared/people/peopledb"
	"ohcs/shared/platform"
	"ohcs/shared/practitioner"
	"ohcs/shared/practitioner/practitionerdb"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

type fixture struct {
	env    *platform.Env
	clock  *time.Time
	mail   *localmail.Recorder
	router *delivery.Router
	sched  *schedulingdb.Store
	appt   scheduling.Appointment
}

func setup(t *testing.T) *fixture {
	t.Helper()
	db, cfg := dynamotest.New(t)
	sealer, _ := cursor.NewSealer(cfg.CursorKey)
	clock := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	f := &fixture{clock: &clock, mail: &localmail.Recorder{}}
	f.env = &platform.Env{Config: cfg, DynamoDB: db, Cursors: sealer, NewID: platform.NewULID, Now: func() time.Time { return *f.clock },
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	ctx := context.Background()
	ps := &practitionerdb.Store{DB: db, Table: cfg.Table(tables.Practitioners)}
	if err := ps.Create(ctx, practitioner.Practitioner{ID: "P", Sub: "prac", Verification: practitioner.Verified, Version: 1,
		Profile: practitioner.Profile{FullName: "Dr Ana", Email: "ana@example.org", Phone: "+258840000000", Languages: []string{"pt"}, TimeZone: "Africa/Maputo"}}); err != nil {
		t.Fatal(err)
	}
	pe := &peopledb.Store{DB: db, Table: cfg.Table(tables.People)}
	if err := pe.CreateBeneficiary(ctx, people.Beneficiary{ID: "B", Sub: "ben", Version: 1, Profile: people.Profile{FullName: "Rosa",
		Email: "rosa@example.org", PreferredLanguage: "en", TimeZone: "Africa/Maputo"}}); err != nil {
		t.Fatal(err)
	}
	f.sched = &schedulingdb.Store{DB: db, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	f.appt = scheduling.Appointment{ID: "A", PractitionerID: "P", BeneficiaryID: "B", Start: clock.Add(48 * time.Hour), End: clock.Add(48*time.Hour + 30*time.Minute),
		LocalDate: "2027-01-06", Mode: "video", Status: scheduling.Booked, BookedAt: clock, CreatedAt: clock, UpdatedAt: clock, Version: 1}
	if err := f.sched.Book(ctx, scheduling.Booking{Appointment: f.appt}, []scheduling.Message{
		{Kind: "appointmentBooked", DueAt: clock}, {Kind: "appointmentReminder", DueAt: f.appt.Start.Add(-24 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	f.router = app.Of(f.env).Router(f.mail, f.mail)
	return f
}

func (f *fixture) emails(subject string) int {
	n := 0
	for _, m := range f.mail.Sent() {
		if m.Channel == "email" && m.Subject == subject {
			n++
		}
	}
	return n
}

// TestPublishFailuresLoseNothing: the topic fails its first attempts; the
// dispatcher leaves the rows pending and later runs deliver every notice
// exactly once.
func TestPublishFailuresLoseNothing(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	var attempts atomic.Int32
	d := app.Of(f.env).Dispatcher(func(ctx context.Context, m outbox.Message) error {
		if attempts.Add(1) <= 2 {
			return errors.New("topic unavailable")
		}
		return f.router.HandleMessage(ctx, m)
	})
	for run := range 2 {
		if _, err := d.Run(ctx, *f.clock, 100); err == nil {
			t.Fatalf("failing run %d reported no error", run)
		}
		if len(f.mail.Sent()) != 0 {
			t.Fatalf("sent while the topic fails")
		}
	}
	for range 2 {
		if _, err := d.Run(ctx, *f.clock, 100); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.emails("Appointment booked"); got != 1 {
		t.Errorf("booking emails to the beneficiary: %d; want 1", got)
	}
	if got := f.emails("Consulta marcada"); got != 1 {
		t.Errorf("booking emails to the practitioner (pt): %d; want 1", got)
	}
	// Redelivering the same message (SNS at-least-once) sends nothing.
	before := len(f.mail.Sent())
	m := outbox.Message{ID: "again", Kind: outbox.AppointmentBooked, AppointmentID: "A", CreatedAt: *f.clock}
	for range 2 {
		if err := f.router.HandleMessage(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// Two people by email, the practitioner by SMS (the beneficiary has no
	// phone): three sends, once.
	if after := len(f.mail.Sent()); after-before != 3 {
		t.Errorf("one message delivered twice: %d sends; want 3", after-before)
	}
}

// TestSendFailureRetriesOnce: a failing channel gives up its claim and
// the outbox holds the delivery until its retry time; the retry sends it,
// and what was already sent is not sent again.
func TestSendFailureRetriesOnce(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	fails := 1
	f.mail.Fail = func(channel string) error {
		if channel == "email" && fails > 0 {
			fails--
			return errors.New("ses throttled")
		}
		return nil
	}
	// The booking's notice, written by setup, goes out: one email fails.
	d := app.Of(f.env).Dispatcher(f.router.HandleMessage)
	if _, err := d.Run(ctx, *f.clock, 100); err != nil {
		t.Fatalf("a failed send is held by the outbox, not retried by the caller: %v", err)
	}
	if got := f.emails("Appointment booked") + f.emails("Consulta marcada"); got != 1 {
		t.Fatalf("emails before the retry: %d; want 1", got)
	}
	if _, err := d.Run(ctx, *f.clock, 100); err != nil {
		t.Fatal(err)
	}
	if got := f.emails("Appointment booked") + f.emails("Consulta marcada"); got != 1 {
		t.Fatalf("retried before its time: %d emails", got)
	}
	if _, err := d.Run(ctx, f.clock.Add(notification.RetryDelay(1)), 100); err != nil {
		t.Fatal(err)
	}
	sms := 0
	for _, s := range f.mail.Sent() {
		if s.Channel == "sms" {
			sms++
		}
	}
	if f.emails("Appointment booked")+f.emails("Consulta marcada") != 2 || sms != 1 {
		t.Errorf("after the retry: %d emails, %d SMS; want 2 and 1", f.emails("Appointment booked")+f.emails("Consulta marcada"), sms)
	}
}

func TestRetryDelay(t *testing.T) {
	want := []time.Duration{time.Minute, 4 * time.Minute, 16 * time.Minute, 64 * time.Minute, 256 * time.Minute, 6 * time.Hour, 6 * time.Hour}
	total := time.Duration(0)
	for i, w := range want {
		if got := notification.RetryDelay(i + 1); got != w {
			t.Errorf("RetryDelay(%d) = %v; want %v", i+1, got, w)
		}
	}
	for i := 1; i < notification.MaxAttempts; i++ {
		total += notification.RetryDelay(i)
	}
	if total < 12*time.Hour {
		t.Errorf("all retries span %v: an outage of half a day would lose notices", total)
	}
}

// TestReminders: a reminder fires for a booked appointment at its time,
// not for a cancelled one, not for one moved since.
func TestReminders(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	due := f.appt.Start.Add(-24 * time.Hour)
	remind := func(id string) int {
		before := f.emails("Appointment tomorrow")
		if err := f.router.HandleMessage(ctx, outbox.Message{ID: id, Kind: outbox.AppointmentReminder, AppointmentID: "A", DueAt: due, CreatedAt: *f.clock}); err != nil {
			t.Fatal(err)
		}
		return f.emails("Appointment tomorrow") - before
	}
	if got := remind("r1"); got != 1 {
		t.Errorf("reminder of a booked appointment: %d; want 1", got)
	}
	moved := f.appt
	moved.Start, moved.End, moved.Version = f.appt.Start.Add(2*time.Hour), f.appt.End.Add(2*time.Hour), 2
	if err := f.sched.Reschedule(ctx, scheduling.Move{Old: f.appt, New: moved}, nil); err != nil {
		t.Fatal(err)
	}
	if got := remind("r2"); got != 0 {
		t.Errorf("reminder of a moved appointment: %d; want 0", got)
	}
	cancelled := moved
	cancelled.Status, cancelled.Version = scheduling.Cancelled, 3
	if err := f.sched.Cancel(ctx, moved, cancelled, nil); err != nil {
		t.Fatal(err)
	}
	due = moved.Start.Add(-24 * time.Hour)
	if got := remind("r3"); got != 0 {
		t.Errorf("reminder of a cancelled appointment: %d; want 0", got)
	}
}

// TestQuietHours: a normal notice waits for the end of the recipient's
// quiet hours, then goes once.
func TestQuietHours(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if err := f.router.Deliverer.Store.PutPreferences(ctx, "ben", notificationPrefs()); err != nil {
		t.Fatal(err)
	}
	d := app.Of(f.env).Dispatcher(f.router.HandleMessage)
	if _, err := d.Run(ctx, *f.clock, 100); err != nil {
		t.Fatal(err)
	}
	if got := f.emails("Appointment booked"); got != 0 {
		t.Fatalf("sent during quiet hours: %d", got)
	}
	if got := f.emails("Consulta marcada"); got != 1 {
		t.Fatalf("the practitioner has no quiet hours: %d emails", got)
	}
	*f.clock = f.clock.Add(90 * time.Minute) // 09:30, quiet hours ended at 09:00
	for range 2 {
		if _, err := d.Run(ctx, *f.clock, 100); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.emails("Appointment booked"); got != 1 {
		t.Errorf("after the quiet hours: %d; want 1", got)
	}
}

// TestStoreFailsMidDelivery: the store fails at each step of a delivery.
// Nothing is lost: every failure leaves the message to a retry that sends
// what is missing. Nothing is duplicated, except in the one window no
// store can close (sent, then the store stayed down through every attempt
// to record it): after the claim's lease that delivery is sent again
// rather than lost.
func TestStoreFailsMidDelivery(t *testing.T) {
	ctx := context.Background()
	const sends = 3 // two people by email, the practitioner by SMS
	setupFaulty := func(t *testing.T) (*fixture, *dynamoprobe.Faults) {
		f := setup(t)
		faults := &dynamoprobe.Faults{}
		f.env.DynamoDB = faults.Instrument(f.env.DynamoDB)
		f.router = app.Of(f.env).Router(f.mail, f.mail)
		f.router.Deliverer.Pause = func(context.Context, time.Duration) {}
		return f, faults
	}
	// The three steps of a delivery touch its row, sk DELIVERY#...: claim
	// (an update setting claimedAt), settle (a transaction updating it
	// first), release (an update counting attempts).
	// The matchers pick the deliveries of one channel: email (two) or
	// SMS (one), which the recorder sees.
	delivery := func(key map[string]types.AttributeValue, ch string) bool {
		sk, ok := key["sk"].(*types.AttributeValueMemberS)
		return ok && strings.HasPrefix(sk.Value, "DELIVERY#") && strings.HasSuffix(sk.Value, "#"+ch)
	}
	claim := func(ch string) func(any) bool {
		return func(p any) bool {
			in, ok := p.(*dynamodb.UpdateItemInput)
			return ok && strings.Contains(*in.UpdateExpression, "claimedAt") && delivery(in.Key, ch)
		}
	}
	settle := func(ch string) func(any) bool {
		return func(p any) bool {
			in, ok := p.(*dynamodb.TransactWriteItemsInput)
			return ok && in.TransactItems[0].Update != nil && delivery(in.TransactItems[0].Update.Key, ch)
		}
	}
	release := func(ch string) func(any) bool {
		return func(p any) bool {
			in, ok := p.(*dynamodb.UpdateItemInput)
			return ok && strings.Contains(*in.UpdateExpression, "attempts") && delivery(in.Key, ch)
		}
	}
	msg := outbox.Message{ID: "m1", Kind: outbox.AppointmentBooked, AppointmentID: "A"}
	deliver := func(f *fixture) error { msg.CreatedAt = *f.clock; return f.router.HandleMessage(ctx, msg) }

	t.Run("settling fails for a while", func(t *testing.T) {
		f, faults := setupFaulty(t)
		faults.FailMatching("", "TransactWriteItems", settle("email"), dynamoprobe.Throttled, 3)
		if err := deliver(f); err != nil {
			t.Fatalf("settling is retried in place: %v", err)
		}
		if err := deliver(f); err != nil || len(f.mail.Sent()) != sends {
			t.Errorf("after a redelivery: %d sends, %v; want %d", len(f.mail.Sent()), err, sends)
		}
	})

	t.Run("claiming fails", func(t *testing.T) {
		f, faults := setupFaulty(t)
		faults.FailMatching("", "UpdateItem", claim("email"), dynamoprobe.Throttled, 1)
		if err := deliver(f); err == nil {
			t.Fatal("a failed claim reported no error (the message would not be retried)")
		}
		if n := len(f.mail.Sent()); n != sends-1 {
			t.Errorf("sends before the retry: %d; want %d", n, sends-1)
		}
		if err := deliver(f); err != nil || len(f.mail.Sent()) != sends {
			t.Errorf("after the retry: %d sends, %v; want %d", len(f.mail.Sent()), err, sends)
		}
	})

	t.Run("sending and releasing fail", func(t *testing.T) {
		f, faults := setupFaulty(t)
		failed := false
		f.mail.Fail = func(channel string) error {
			if channel == "sms" && !failed {
				failed = true
				return errors.New("sns throttled")
			}
			return nil
		}
		faults.FailMatching("", "UpdateItem", release("sms"), dynamoprobe.Throttled, 1)
		if err := deliver(f); err == nil {
			t.Fatal("a failed send reported no error")
		}
		if err := deliver(f); err == nil || len(f.mail.Sent()) != sends-1 {
			t.Fatalf("within the claim's lease: %d sends, %v; want %d and an error (retry later)", len(f.mail.Sent()), err, sends-1)
		}
		*f.clock = f.clock.Add(notification.DefaultLease + time.Second)
		if err := deliver(f); err != nil || len(f.mail.Sent()) != sends {
			t.Errorf("after the lease: %d sends, %v; want %d", len(f.mail.Sent()), err, sends)
		}
	})

	t.Run("settling fails until the retries run out", func(t *testing.T) {
		f, faults := setupFaulty(t)
		faults.FailMatching("", "TransactWriteItems", settle("sms"), dynamoprobe.Throttled, 4)
		if err := deliver(f); err == nil {
			t.Fatal("an unsettled delivery reported no error")
		}
		if n := len(f.mail.Sent()); n != sends {
			t.Fatalf("sends: %d; want %d", n, sends)
		}
		if err := deliver(f); err == nil || len(f.mail.Sent()) != sends {
			t.Fatalf("within the lease: %d sends, %v; want %d and an error", len(f.mail.Sent()), err, sends)
		}
		*f.clock = f.clock.Add(notification.DefaultLease + time.Second)
		for range 2 {
			if err := deliver(f); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(f.mail.Sent()); n != sends+1 {
			t.Errorf("after the lease: %d sends; want %d (the unsettled one once more, nothing else)", n, sends+1)
		}
	})
}
