package scheduling_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"ohcs/shared/audit"
	"ohcs/shared/outbox"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingtest"
)

type practitioners map[string]scheduling.Practitioner

func (p practitioners) Practitioner(_ context.Context, id string) (scheduling.Practitioner, error) {
	pr, ok := p[id]
	if !ok {
		return pr, problem.New(problem.NotFound, "no practitioner %s", id)
	}
	return pr, nil
}

// clinic is a practitioner with Monday mornings of 30-minute slots in
// Maputo, over an in-memory store, on a clock the test moves.
func clinic(t *testing.T) (*scheduling.Service, *schedulingtest.Store, *time.Time) {
	t.Helper()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // a Tuesday
	store := &schedulingtest.Store{}
	n := 0
	s := &scheduling.Service{Store: store, Audit: &trail{},
		Practitioners: practitioners{"P1": {ID: "P1", Sub: "p1", Verified: true, Modes: []string{"inPerson", "video"}}},
		Now:           func() time.Time { return now }, NewID: func() string { n++; return fmt.Sprintf("ID%d", n) }}
	if _, err := s.PlaceSchedule(context.Background(), "p1", "P1", scheduling.Schedule{TimeZone: "Africa/Maputo", SlotMinutes: 30, EffectiveFrom: "2026-12-01", EffectiveTo: "2027-03-01",
		Rules: []scheduling.Rule{{Day: time.Monday, Start: 8 * 60, End: 10 * 60, Modes: []string{"inPerson"}}}}); err != nil {
		t.Fatal(err)
	}
	return s, store, &now
}

// allow is the policy allowing a booking: its event, to be written with it.
func allow(context.Context) (audit.Event, error) {
	return audit.Event{ID: "EV-" + time.Now().Format(time.RFC3339Nano), Action: "makeAppointment", Outcome: audit.Allowed}, nil
}

// trail is an audit trail in memory.
type trail struct {
	mu     sync.Mutex
	events []audit.Event
}

func (t *trail) Append(_ context.Context, e audit.Event) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.events = append(t.events, e)
	return nil
}

func (t *trail) List(context.Context, audit.Query) (page.Of[audit.Event], error) {
	return page.Of[audit.Event]{}, nil
}

// TestBookingWaitsForItsAuthorization: the decision and the slot's reads
// go out together, but a refused caller books nothing, and its refusal is
// the answer even when the slot is gone too; a booking without an
// authorization is a defect, never a booking.
func TestBookingWaitsForItsAuthorization(t *testing.T) {
	ctx := context.Background()
	s, store, _ := clinic(t)
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	slots, err := s.FreeSlots(ctx, "P1", monday, monday.Add(24*time.Hour), "")
	if err != nil || len(slots) == 0 {
		t.Fatalf("Monday's slots: %v, %v", slots, err)
	}
	refused := problem.New(problem.NotFound, "no beneficiary B1")
	deny := func(context.Context) (audit.Event, error) { return audit.Event{}, refused }
	if _, err := s.Book(ctx, scheduling.BookRequest{BeneficiaryID: "B1", SlotID: slots[0].ID(), Mode: "inPerson", Authorize: deny}); err != refused {
		t.Errorf("a refused caller: %v; want the refusal", err)
	}
	if _, err := s.Book(ctx, scheduling.BookRequest{BeneficiaryID: "B1", SlotID: slots[0].ID(), Mode: "phone", Authorize: deny}); err != refused {
		t.Errorf("a refused caller for a slot not offered in that mode: %v; want the refusal first", err)
	}
	if _, err := s.Book(ctx, scheduling.BookRequest{BeneficiaryID: "B1", SlotID: slots[0].ID(), Mode: "inPerson"}); problem.CodeOf(err) != problem.Internal {
		t.Errorf("a booking without authorization: %v; want a defect", err)
	}
	if len(store.Messages) != 0 || len(store.Audited) != 0 {
		t.Errorf("refused bookings wrote %d appointments' messages and %d events; want none", len(store.Messages), len(store.Audited))
	}
	if got := s.Audit.(*trail).events; len(got) != 0 {
		t.Errorf("the service recorded %+v for refusals the policy records; want nothing", got)
	}

	// Allowed: the decision is written with the booking, not apart; an
	// allowed booking that books nothing (the slot is taken) records its
	// decision alone before answering.
	if _, err := s.Book(ctx, scheduling.BookRequest{BeneficiaryID: "B1", SlotID: slots[0].ID(), Mode: "inPerson", Authorize: allow}); err != nil {
		t.Fatal(err)
	}
	if len(store.Audited) != 1 || store.Audited[0].Outcome != audit.Allowed || len(s.Audit.(*trail).events) != 0 {
		t.Errorf("a booking's decision: %+v with it, %+v apart; want one with it", store.Audited, s.Audit.(*trail).events)
	}
	if _, err := s.Book(ctx, scheduling.BookRequest{BeneficiaryID: "B2", SlotID: slots[0].ID(), Mode: "inPerson", Authorize: allow}); !problem.Is(err, problem.Conflict) {
		t.Fatalf("the same slot again: %v; want Conflict", err)
	}
	if got := s.Audit.(*trail).events; len(got) != 1 || got[0].Outcome != audit.Allowed || len(store.Audited) != 1 {
		t.Errorf("an allowed booking that booked nothing: %+v recorded apart; want its decision", got)
	}

}

func kinds(msgs []scheduling.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Kind)
	}
	return out
}

// TestAppointmentLife: book, the same slot again, cancel, book again,
// move, and mark done, each with its messages and its refusals, over the
// in-memory store that applies the store's rules.
func TestAppointmentLife(t *testing.T) {
	ctx := context.Background()
	s, store, now := clinic(t)
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	slots, err := s.FreeSlots(ctx, "P1", monday, monday.Add(24*time.Hour), "")
	if err != nil || len(slots) != 4 {
		t.Fatalf("Monday's slots: %d, %v; want 4 (08:00 to 10:00 in Maputo)", len(slots), err)
	}
	book := func(bid string, sl scheduling.Slot) (scheduling.Appointment, error) {
		return s.Book(ctx, scheduling.BookRequest{BookedBy: "b-" + bid, BeneficiaryID: bid, SlotID: sl.ID(), Mode: "inPerson", Authorize: allow})
	}
	a, err := book("B1", slots[0])
	if err != nil || a.Status != scheduling.Booked || a.Version != 1 || !a.Start.Equal(slots[0].Start) {
		t.Fatalf("book: %+v %v", a, err)
	}
	if got := kinds(store.Messages[a.ID]); fmt.Sprint(got) != fmt.Sprint([]string{string(outbox.AppointmentBooked), string(outbox.AppointmentReminder)}) {
		t.Errorf("booking's messages: %v; want booked and a reminder", got)
	}
	if _, err := book("B2", slots[0]); !problem.Is(err, problem.Conflict) {
		t.Errorf("the same slot for another: %v; want Conflict", err)
	}
	if _, err := s.Book(ctx, scheduling.BookRequest{BeneficiaryID: "B2", SlotID: slots[1].ID(), Mode: "video", Authorize: allow}); err == nil {
		t.Error("a mode the rule does not offer: booked")
	}
	if _, err := s.Cancel(ctx, a, "b-B1", "", a.Version+1); !problem.Is(err, problem.PreconditionFailed) {
		t.Errorf("cancel at another version: %v; want PreconditionFailed", err)
	}
	cancelled, err := s.Cancel(ctx, a, "b-B1", "ill", a.Version)
	if err != nil || cancelled.Status != scheduling.Cancelled || cancelled.Version != 2 {
		t.Fatalf("cancel: %+v %v", cancelled, err)
	}
	if _, err := s.Cancel(ctx, cancelled, "b-B1", "", cancelled.Version); !problem.Is(err, problem.Unprocessable) {
		t.Errorf("cancel a cancelled one: %v; want Unprocessable", err)
	}
	b, err := book("B2", slots[0])
	if err != nil {
		t.Fatalf("the freed slot: %v", err)
	}
	if _, err := s.Reschedule(ctx, b, slots[0].ID(), b.Version); !problem.Is(err, problem.Invalid) {
		t.Errorf("move onto its own slot: %v; want Invalid", err)
	}
	moved, err := s.Reschedule(ctx, b, slots[2].ID(), b.Version)
	if err != nil || !moved.Start.Equal(slots[2].Start) || moved.Version != 2 {
		t.Fatalf("move: %+v %v", moved, err)
	}
	if got := kinds(store.Messages[b.ID]); len(got) != 4 || got[2] != string(outbox.AppointmentRescheduled) || got[3] != string(outbox.AppointmentReminder) {
		t.Errorf("move's messages: %v; want rescheduled and a new reminder after the booking's", got)
	}
	if _, err := book("B3", slots[2]); !problem.Is(err, problem.Conflict) {
		t.Errorf("the slot moved onto: %v; want Conflict", err)
	}
	if _, err := book("B3", slots[0]); err != nil {
		t.Errorf("the slot moved from: %v; want it free", err)
	}
	if _, err := s.SetStatus(ctx, moved, scheduling.Completed, moved.Version); !problem.Is(err, problem.Unprocessable) {
		t.Errorf("completed before it starts: %v; want Unprocessable", err)
	}
	*now = moved.Start.Add(10 * time.Minute)
	if _, err := s.Cancel(ctx, moved, "b-B2", "", moved.Version); !problem.Is(err, problem.Unprocessable) {
		t.Errorf("cancel once started: %v; want Unprocessable", err)
	}
	if _, err := s.SetStatus(ctx, moved, scheduling.Cancelled, moved.Version); !problem.Is(err, problem.Invalid) {
		t.Errorf("a status other than completed or noShow: %v; want Invalid", err)
	}
	done, err := s.SetStatus(ctx, moved, scheduling.NoShow, moved.Version)
	if err != nil || done.Status != scheduling.NoShow {
		t.Fatalf("no-show: %+v %v", done, err)
	}
	if got := kinds(store.Messages[b.ID]); got[len(got)-1] != string(outbox.AppointmentNoShow) {
		t.Errorf("no-show's message: %v", got)
	}
}

// TestBookingWithinADay: an appointment less than a day away gets no
// reminder: it would be due before the booking.
func TestBookingWithinADay(t *testing.T) {
	ctx := context.Background()
	s, store, now := clinic(t)
	*now = time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC) // Sunday evening
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	slots, err := s.FreeSlots(ctx, "P1", monday, monday.Add(24*time.Hour), "")
	if err != nil || len(slots) == 0 {
		t.Fatalf("slots: %v", err)
	}
	a, err := s.Book(ctx, scheduling.BookRequest{BeneficiaryID: "B1", SlotID: slots[0].ID(), Mode: "inPerson", Authorize: allow})
	if err != nil {
		t.Fatal(err)
	}
	if got := kinds(store.Messages[a.ID]); len(got) != 1 || got[0] != string(outbox.AppointmentBooked) {
		t.Errorf("messages of a booking within a day: %v; want only booked", got)
	}
}
