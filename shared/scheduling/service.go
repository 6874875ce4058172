package scheduling

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"ohcs/shared/audit"
	"ohcs/shared/outbox"
	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// Practitioner is what scheduling needs to know of a practitioner.
type Practitioner struct {
	ID       string
	Sub      string
	Verified bool
	Modes    []string
}

// Practitioners finds practitioners.
type Practitioners interface {
	// Practitioner returns a practitioner; NotFound.
	Practitioner(ctx context.Context, id string) (Practitioner, error)
}

// Service is the scheduling domain's logic.
type Service struct {
	Store         Store
	Practitioners Practitioners
	// Audit records a booking's allowed decision when the booking is not
	// written (its own write carries it otherwise).
	Audit audit.Store
	Now   func() time.Time
	NewID func() string
}

// MaxSchedulesInEffect is the most schedules of one practitioner that may
// be in effect (not ended) at once.
const MaxSchedulesInEffect = 50

// PlaceSchedule publishes sub's schedule for practitioner pid. Forbidden
// (another practitioner's), Unprocessable (not verified), Invalid.
func (s *Service) PlaceSchedule(ctx context.Context, sub, pid string, sch Schedule) (Schedule, error) {
	p, err := s.own(ctx, sub, pid)
	if err != nil {
		return Schedule{}, err
	}
	if !p.Verified {
		return Schedule{}, problem.New(problem.Unprocessable, "only verified practitioners publish availability")
	}
	now := s.Now().UTC()
	if err := sch.Validate(now, p.Modes); err != nil {
		return Schedule{}, err
	}
	// Every slot listing reads the schedules in effect: their number is
	// bounded, so that a listing's cost is.
	inEffect, err := s.Store.Schedules(ctx, pid, now.Format(time.DateOnly))
	if err != nil {
		return Schedule{}, err
	}
	if len(inEffect) >= MaxSchedulesInEffect {
		return Schedule{}, problem.New(problem.Unprocessable, "a practitioner has at most %d schedules in effect; this one would be the %dth", MaxSchedulesInEffect, len(inEffect)+1)
	}
	sch.ID, sch.PractitionerID, sch.CreatedAt, sch.UpdatedAt, sch.Version = s.NewID(), pid, now, now, 1
	if err := s.Store.PutSchedule(ctx, sch); err != nil {
		return Schedule{}, err
	}
	return sch, nil
}

// Appointment returns an appointment; NotFound. Who may see it is the
// caller's to decide (the access policy).
func (s *Service) Appointment(ctx context.Context, id string) (Appointment, error) {
	return s.Store.Get(ctx, id)
}

// Appointments pages through appointments by practitioner or beneficiary.
func (s *Service) Appointments(ctx context.Context, q AppointmentQuery) (page.Of[Appointment], error) {
	return s.Store.List(ctx, q)
}

// ListSchedules pages through sub's own schedules.
func (s *Service) ListSchedules(ctx context.Context, sub, pid string, limit int, after map[string]string) (page.Of[Schedule], error) {
	if _, err := s.own(ctx, sub, pid); err != nil {
		return page.Of[Schedule]{}, err
	}
	return s.Store.ListSchedules(ctx, pid, limit, after)
}

func (s *Service) own(ctx context.Context, sub, pid string) (Practitioner, error) {
	p, err := s.Practitioners.Practitioner(ctx, pid)
	if err != nil {
		return Practitioner{}, err
	}
	if p.Sub != sub {
		return Practitioner{}, problem.New(problem.Forbidden, "a practitioner manages only its own schedules")
	}
	return p, nil
}

// FreeSlots returns the free slots of a verified practitioner that start in
// [from, to), never before now plus the minimum notice; mode filters.
func (s *Service) FreeSlots(ctx context.Context, pid string, from, to time.Time, mode string) ([]Slot, error) {
	if !to.After(from) {
		return nil, problem.Field("to", "must be after from")
	}
	if to.Sub(from) > MaxWindow {
		return nil, problem.Field("to", "must be at most 31 days after from")
	}
	earliest := s.Now().UTC().Add(MinimumNotice)
	if from.Before(earliest) {
		from = earliest
	}
	rd := s.readSlots(ctx, pid, from, to, to.After(from), true)
	if rd.pErr != nil || !rd.p.Verified {
		if rd.pErr == nil || problem.Is(rd.pErr, problem.NotFound) {
			rd.pErr = problem.New(problem.NotFound, "no practitioner %s", pid)
		}
		return nil, rd.pErr
	}
	if !to.After(from) {
		return nil, nil
	}
	if rd.schErr != nil {
		return nil, rd.schErr
	}
	slots := Offered(rd.schedules, from, to, rd.p.Modes)
	if len(slots) == 0 {
		return nil, nil
	}
	if rd.claimErr != nil {
		return nil, rd.claimErr
	}
	var counts map[string]int
	if slices.ContainsFunc(slots, func(sl Slot) bool { return sl.MaxPerDay > 0 }) {
		first, last := slots[0].Date, slots[0].Date
		for _, sl := range slots {
			first, last = min(first, sl.Date), max(last, sl.Date)
		}
		var err error
		if counts, err = s.Store.DayCounts(ctx, rd.p.ID, first, last); err != nil {
			return nil, err
		}
	}
	var out []Slot
	for _, sl := range slots {
		if sl.MaxPerDay > 0 && counts[sl.Date] >= sl.MaxPerDay {
			continue
		}
		if mode != "" && !slices.Contains(sl.Modes, mode) {
			continue
		}
		if overlapsAny(sl, rd.claims) {
			continue
		}
		out = append(out, sl)
	}
	return out, nil
}

func overlapsAny(sl Slot, claims []Claim) bool {
	for _, c := range claims {
		if sl.Start.Before(c.End) && c.Start.Before(sl.End) {
			return true
		}
	}
	return false
}

// HasFreeSlot reports whether a verified practitioner has a free slot in
// [from, to).
func (s *Service) HasFreeSlot(ctx context.Context, pid string, from, to time.Time) (bool, error) {
	slots, err := s.FreeSlots(ctx, pid, from, to, "")
	if problem.Is(err, problem.NotFound) {
		return false, nil
	}
	return len(slots) > 0, err
}

// slotReads are what slots are decided from: the practitioner, its
// schedules in effect from two days before from, and the claims of
// [from - MaxSlotMinutes, to), each with its error.
type slotReads struct {
	p                      Practitioner
	schedules              []Schedule
	claims                 []Claim
	pErr, schErr, claimErr error
}

// schedulesFrom is the local date from which the schedules that may offer
// slots from t on are read: two days before (every zone's date is within
// a day of UTC's).
func schedulesFrom(t time.Time) string { return t.AddDate(0, 0, -2).Format(time.DateOnly) }

// readSlots sends the three reads at once (they depend only on the
// request); the schedules only when calendar is set, the claims only when
// claims is too.
func (s *Service) readSlots(ctx context.Context, pid string, from, to time.Time, calendar, claims bool) slotReads {
	var rd slotReads
	var reads sync.WaitGroup
	reads.Go(func() { rd.p, rd.pErr = s.Practitioners.Practitioner(ctx, pid) })
	if calendar {
		reads.Go(func() {
			rd.schedules, rd.schErr = s.Store.Schedules(ctx, pid, schedulesFrom(from))
		})
		if claims {
			reads.Go(func() { rd.claims, rd.claimErr = s.Store.Claims(ctx, pid, from.Add(-MaxSlotMinutes*time.Minute), to) })
		}
	}
	reads.Wait()
	return rd
}

// offered checks that slotID is a slot the practitioner's schedules offer
// now, in mode. Its two reads (the practitioner, its schedules) depend
// only on the slot id: they go out together. Whether the slot is free is
// the booking's or the move's to decide, in its transaction.
func (s *Service) offered(ctx context.Context, field, slotID, mode string) (Slot, error) {
	want, err := ParseSlotID(field, slotID)
	if err != nil {
		return Slot{}, err
	}
	return s.judge(want, mode, s.readSlots(ctx, want.PractitionerID, want.Start, want.End, true, false))
}

// judge decides from rd whether want is offered now in mode, judging the
// reads' answers in this order: the practitioner, the notice, the
// schedules, the mode.
func (s *Service) judge(want Slot, mode string, rd slotReads) (Slot, error) {
	gone := problem.New(problem.Conflict, "this slot is not available any more: list the free slots again")
	if problem.Is(rd.pErr, problem.NotFound) || (rd.pErr == nil && !rd.p.Verified) {
		return Slot{}, gone
	}
	if rd.pErr != nil {
		return Slot{}, rd.pErr
	}
	if want.Start.Before(s.Now().UTC().Add(MinimumNotice)) {
		return Slot{}, problem.New(problem.Conflict, "this slot starts in less than %d minutes: it can no longer be booked", int(MinimumNotice.Minutes()))
	}
	if rd.schErr != nil {
		return Slot{}, rd.schErr
	}
	sl, ok := Find(rd.schedules, want.Start, want.End, rd.p.Modes)
	if !ok {
		return Slot{}, gone
	}
	if !slices.Contains(sl.Modes, mode) {
		return Slot{}, problem.Field("mode", "this slot is offered in %v", sl.Modes)
	}
	return sl, nil
}

// BookRequest asks for a slot for a beneficiary.
type BookRequest struct {
	BookedBy      string // the sub of whoever books
	BeneficiaryID string
	SlotID        string
	Mode          string
	Reason        string
	// Authorize decides whether the caller may book: the access policy's
	// decision. A refusal it has audited; an allowed decision's event it
	// returns unwritten, and the booking writes it in its own transaction
	// (or, when nothing is booked, Service.Audit appends it before the
	// answer). Required.
	Authorize func(ctx context.Context) (audit.Event, error)
}

// Book books in.SlotID for in.BeneficiaryID once in.Authorize allows it.
// The decision, the slot's reads and the store's look at the calendar go
// out together (none depends on another: the slot id names the
// practitioner and the time); nothing is written before the caller is
// allowed, and a refusal is answered before anything the reads found.
// Invalid, Conflict, the refusal.
func (s *Service) Book(ctx context.Context, in BookRequest) (Appointment, error) {
	if in.Authorize == nil || s.Audit == nil {
		return Appointment{}, errors.New("scheduling: a booking without its authorization or audit trail")
	}
	bookedBy, beneficiaryID, mode, reason := in.BookedBy, in.BeneficiaryID, in.Mode, in.Reason
	var (
		allowed          audit.Event
		look             Look
		rd               slotReads
		authErr, lookErr error
		all              sync.WaitGroup
	)
	want, slotErr := ParseSlotID("slotId", in.SlotID)
	all.Go(func() { allowed, authErr = in.Authorize(ctx) })
	if slotErr == nil {
		pid := want.PractitionerID
		all.Go(func() {
			look, lookErr = s.Store.Look(ctx, pid, beneficiaryID, Interval{Start: want.Start, End: want.End})
		})
		all.Go(func() { rd.schedules, rd.schErr = s.Store.Schedules(ctx, pid, schedulesFrom(want.Start)) })
	}
	all.Wait()
	if authErr != nil {
		return Appointment{}, authErr
	}
	// Every decision is recorded before its answer: with the booking, or
	// alone when there is none (appending an event the booking's write
	// may have stored is harmless).
	unbooked := func(err error) (Appointment, error) {
		if aerr := s.Audit.Append(ctx, allowed); aerr != nil {
			return Appointment{}, aerr
		}
		return Appointment{}, err
	}
	if slotErr != nil {
		return unbooked(slotErr)
	}
	// The practitioner came with the look, or is read now (a store that
	// does not read it there, or a look that failed: the booking then
	// reads its calendar again too).
	if lookErr == nil && look.Practitioner != nil {
		rd.p, rd.pErr = *look.Practitioner, look.PractitionerErr
	} else {
		rd.p, rd.pErr = s.Practitioners.Practitioner(ctx, want.PractitionerID)
	}
	sl, err := s.judge(want, mode, rd)
	if err != nil {
		return unbooked(err)
	}
	now := s.Now().UTC()
	a := Appointment{
		ID: s.NewID(), PractitionerID: sl.PractitionerID, BeneficiaryID: beneficiaryID, SlotID: sl.ID(),
		Start: sl.Start, End: sl.End, LocalDate: sl.Date, Mode: mode, Status: Booked, BookedBy: bookedBy,
		BookedAt: now, Reason: reason, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	msgs := []Message{{Kind: string(outbox.AppointmentBooked), DueAt: now}}
	if r := a.Start.Add(-24 * time.Hour); r.After(now) {
		msgs = append(msgs, Message{Kind: string(outbox.AppointmentReminder), DueAt: r})
	}
	if err := s.Store.Book(ctx, Booking{Appointment: a, MaxPerDay: sl.MaxPerDay, MaxUpcoming: MaxUpcoming, Audit: &allowed, Look: look}, msgs); err != nil {
		return unbooked(err)
	}
	return a, nil
}

// Cancel cancels a booked appointment at version ifMatch. The caller has
// been authorized. PreconditionFailed, Unprocessable.
func (s *Service) Cancel(ctx context.Context, old Appointment, by, reason string, ifMatch int64) (Appointment, error) {
	if err := changeable(old, ifMatch); err != nil {
		return Appointment{}, err
	}
	now := s.Now().UTC()
	if err := notStarted(old, now); err != nil {
		return Appointment{}, err
	}
	next := old
	next.Status, next.CancelReason, next.CancelledBy, next.CancelledAt = Cancelled, reason, by, now
	next.UpdatedAt, next.Version = now, old.Version+1
	if err := s.Store.Cancel(ctx, old, next, []Message{{Kind: string(outbox.AppointmentCancelled), DueAt: now}}); err != nil {
		return Appointment{}, err
	}
	return next, nil
}

// notStarted refuses to cancel or move an appointment that has started:
// after its start only its practitioner marks it completed or noShow.
func notStarted(a Appointment, now time.Time) error {
	if !now.Before(a.Start) {
		return problem.New(problem.Unprocessable, "the appointment has started: only its practitioner marks it completed or noShow")
	}
	return nil
}

func changeable(a Appointment, ifMatch int64) error {
	if a.Version != ifMatch {
		return problem.New(problem.PreconditionFailed, "the appointment is at version %d, not %d: read it again", a.Version, ifMatch)
	}
	if a.Status != Booked {
		return problem.New(problem.Unprocessable, "only a booked appointment can change; this one is %s", a.Status)
	}
	return nil
}

// Reschedule moves a booked appointment to newSlotID of the same
// practitioner. The caller has been authorized.
func (s *Service) Reschedule(ctx context.Context, old Appointment, newSlotID string, ifMatch int64) (Appointment, error) {
	if err := changeable(old, ifMatch); err != nil {
		return Appointment{}, err
	}
	if err := notStarted(old, s.Now().UTC()); err != nil {
		return Appointment{}, err
	}
	want, err := ParseSlotID("newSlotId", newSlotID)
	if err != nil {
		return Appointment{}, err
	}
	if want.PractitionerID != old.PractitionerID {
		return Appointment{}, problem.Field("newSlotId", "must be a slot of the same practitioner")
	}
	if want.Start.Equal(old.Start) {
		return Appointment{}, problem.Field("newSlotId", "is the appointment's current slot")
	}
	sl, err := s.offered(ctx, "newSlotId", newSlotID, old.Mode)
	if err != nil {
		return Appointment{}, err
	}
	now := s.Now().UTC()
	next := old
	next.SlotID, next.Start, next.End, next.LocalDate = sl.ID(), sl.Start, sl.End, sl.Date
	next.UpdatedAt, next.Version = now, old.Version+1
	msgs := []Message{{Kind: string(outbox.AppointmentRescheduled), DueAt: now}}
	if r := next.Start.Add(-24 * time.Hour); r.After(now) {
		msgs = append(msgs, Message{Kind: string(outbox.AppointmentReminder), DueAt: r})
	}
	if err := s.Store.Reschedule(ctx, Move{Old: old, New: next, MaxPerDay: sl.MaxPerDay}, msgs); err != nil {
		return Appointment{}, err
	}
	return next, nil
}

// SetStatus marks a booked appointment completed or noShow after its
// start. The caller is its practitioner.
func (s *Service) SetStatus(ctx context.Context, old Appointment, status Status, ifMatch int64) (Appointment, error) {
	if status != Completed && status != NoShow {
		return Appointment{}, problem.Field("status", "must be completed or noShow")
	}
	if err := changeable(old, ifMatch); err != nil {
		return Appointment{}, err
	}
	now := s.Now().UTC()
	if now.Before(old.Start) {
		return Appointment{}, problem.New(problem.Unprocessable, "the appointment has not started yet")
	}
	next := old
	next.Status, next.UpdatedAt, next.Version = status, now, old.Version+1
	kind := string(outbox.AppointmentCompleted)
	if status == NoShow {
		kind = string(outbox.AppointmentNoShow)
	}
	if err := s.Store.SetStatus(ctx, old, next, []Message{{Kind: kind, DueAt: now}}); err != nil {
		return Appointment{}, err
	}
	return next, nil
}
