// Package schedulingtest holds an in-memory scheduling.Store, for service
// tests that need no DynamoDB. It decides bookings and moves with the same
// pure rules the DynamoDB store applies in its transactions
// (scheduling.CheckBooking, CheckMove), and keeps the outbox messages each
// change wrote.
package schedulingtest

import (
	"context"
	"sort"
	"sync"
	"time"

	"ohcs/shared/audit"
	"ohcs/shared/page"

	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
)

// Store is an in-memory scheduling.Store. Lists come in one page.
type Store struct {
	mu           sync.Mutex
	schedules    []scheduling.Schedule
	appointments map[string]scheduling.Appointment
	// Messages are the outbox messages written, by appointment id.
	Messages map[string][]scheduling.Message
	// Audited are the access decisions written with their bookings.
	Audited []audit.Event
}

var _ scheduling.Store = (*Store)(nil)

func (s *Store) init() {
	if s.appointments == nil {
		s.appointments, s.Messages = map[string]scheduling.Appointment{}, map[string][]scheduling.Message{}
	}
}

// PutSchedule stores a new schedule.
func (s *Store) PutSchedule(_ context.Context, sc scheduling.Schedule) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.schedules = append(s.schedules, sc)
	return nil
}

// Schedules returns a practitioner's schedules that end on or after from.
func (s *Store) Schedules(_ context.Context, pid, from string) ([]scheduling.Schedule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []scheduling.Schedule
	for _, sc := range s.schedules {
		if sc.PractitionerID == pid && (sc.EffectiveTo == "" || sc.EffectiveTo >= from) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// ListSchedules returns a practitioner's schedules, newest first.
func (s *Store) ListSchedules(ctx context.Context, pid string, limit int, _ map[string]string) (page.Of[scheduling.Schedule], error) {
	all, _ := s.Schedules(ctx, pid, "")
	sort.Slice(all, func(i, j int) bool { return all[i].CreatedAt.After(all[j].CreatedAt) })
	return page.Of[scheduling.Schedule]{Items: all[:min(len(all), limit)]}, nil
}

// booked returns the booked appointments that match keep.
func (s *Store) booked(keep func(scheduling.Appointment) bool) map[string]scheduling.Interval {
	out := map[string]scheduling.Interval{}
	for id, a := range s.appointments {
		if a.Status == scheduling.Booked && keep(a) {
			out[id] = scheduling.Interval{Start: a.Start, End: a.End}
		}
	}
	return out
}

func (s *Store) calendar(a scheduling.Appointment) scheduling.Calendar {
	cal := scheduling.Calendar{
		Practitioner: s.booked(func(x scheduling.Appointment) bool { return x.PractitionerID == a.PractitionerID }),
		Beneficiary:  s.booked(func(x scheduling.Appointment) bool { return x.BeneficiaryID == a.BeneficiaryID }),
	}
	for _, x := range s.appointments {
		if x.Status != scheduling.Cancelled && x.PractitionerID == a.PractitionerID && x.LocalDate == a.LocalDate {
			cal.DayCount++
		}
	}
	return cal
}

// Claims returns a practitioner's booked slots that start in [from, to).
func (s *Store) Claims(_ context.Context, pid string, from, to time.Time) ([]scheduling.Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []scheduling.Claim
	for id, a := range s.appointments {
		if a.Status == scheduling.Booked && a.PractitionerID == pid && !a.Start.Before(from) && a.Start.Before(to) {
			out = append(out, scheduling.Claim{Start: a.Start, End: a.End, AppointmentID: id})
		}
	}
	return out, nil
}

// DayCounts returns a practitioner's bookings per local date.
func (s *Store) DayCounts(_ context.Context, pid, fromDate, toDate string) (map[string]int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for _, a := range s.appointments {
		if a.Status != scheduling.Cancelled && a.PractitionerID == pid && a.LocalDate >= fromDate && a.LocalDate <= toDate {
			out[a.LocalDate]++
		}
	}
	return out, nil
}

// Look reads nothing: the in-memory store decides on what it holds when
// it books.
func (s *Store) Look(context.Context, string, string, scheduling.Interval) (scheduling.Look, error) {
	return scheduling.Look{}, nil
}

// Book stores a booking the rules allow.
func (s *Store) Book(_ context.Context, b scheduling.Booking, msgs []scheduling.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	a := b.Appointment
	if err := scheduling.CheckBooking(b, s.calendar(a), a.CreatedAt); err != nil {
		return err
	}
	s.appointments[a.ID] = a
	s.Messages[a.ID] = append(s.Messages[a.ID], msgs...)
	if b.Audit != nil {
		s.Audited = append(s.Audited, *b.Audit)
	}
	return nil
}

// Get returns an appointment; NotFound.
func (s *Store) Get(_ context.Context, id string) (scheduling.Appointment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.appointments[id]
	if !ok {
		return a, problem.New(problem.NotFound, "no appointment %s", id)
	}
	return a, nil
}

// replace stores updated if old is still the stored version.
func (s *Store) replace(old, updated scheduling.Appointment, msgs []scheduling.Message) error {
	s.init()
	if cur, ok := s.appointments[old.ID]; !ok || cur.Version != old.Version {
		return problem.New(problem.PreconditionFailed, "the appointment changed since version %d: read it again", old.Version)
	}
	s.appointments[old.ID] = updated
	s.Messages[old.ID] = append(s.Messages[old.ID], msgs...)
	return nil
}

// Cancel stores the cancelled appointment.
func (s *Store) Cancel(_ context.Context, old, cancelled scheduling.Appointment, msgs []scheduling.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.replace(old, cancelled, msgs)
}

// Reschedule moves an appointment if the rules allow.
func (s *Store) Reschedule(_ context.Context, m scheduling.Move, msgs []scheduling.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if err := scheduling.CheckMove(m, s.calendar(m.New)); err != nil {
		return err
	}
	return s.replace(m.Old, m.New, msgs)
}

// SetStatus stores a completed or no-show appointment.
func (s *Store) SetStatus(_ context.Context, old, updated scheduling.Appointment, msgs []scheduling.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.replace(old, updated, msgs)
}

// List returns the appointments q selects, earliest first, in one page.
func (s *Store) List(_ context.Context, q scheduling.AppointmentQuery) (page.Of[scheduling.Appointment], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []scheduling.Appointment
	for _, a := range s.appointments {
		switch {
		case q.PractitionerID != "" && a.PractitionerID != q.PractitionerID, q.BeneficiaryID != "" && a.BeneficiaryID != q.BeneficiaryID,
			q.Status != "" && a.Status != q.Status, !q.From.IsZero() && a.Start.Before(q.From), !q.To.IsZero() && !a.Start.Before(q.To):
			continue
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	if q.Limit > 0 {
		out = out[:min(len(out), q.Limit)]
	}
	return page.Of[scheduling.Appointment]{Items: out}, nil
}
