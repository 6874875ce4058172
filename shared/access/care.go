package access

import (
	"context"
	"time"
)

// How long an appointment holds a care relationship (DOMAIN.md): a booked
// one until 7 days after its start, a completed one for 365 days after.
const (
	BookedWindow    = 7 * 24 * time.Hour
	CompletedWindow = 365 * 24 * time.Hour
)

// CareRelationships is what scheduling tells the policy about
// appointments.
type CareRelationships interface {
	// Care returns the beneficiary's appointments that may hold a care
	// relationship (booked or completed; the policy decides which do at
	// now, LatestBookings). Read by the beneficiary alone, so that it can
	// be asked before the caller's practitioner profile is known.
	Care(ctx context.Context, beneficiaryID string) ([]CareAppointment, error)
}

// NoAppointments is the CareRelationships of a deployment without
// scheduling: no practitioner has a care relationship.
type NoAppointments struct{}

// Care reports no appointment.
func (NoAppointments) Care(context.Context, string) ([]CareAppointment, error) { return nil, nil }

// CareAppointment is an appointment as it bears on a care relationship:
// booked or completed (cancelled and no-show ones hold none).
type CareAppointment struct {
	PractitionerID  string
	Completed       bool
	Start, BookedAt time.Time
}

// Holds reports whether a holds a care relationship at now: booked and
// starting at most BookedWindow before now, or completed and starting at
// most CompletedWindow before.
func (a CareAppointment) Holds(now time.Time) bool {
	if a.Completed {
		return !a.Start.Before(now.Add(-CompletedWindow))
	}
	return !a.Start.Before(now.Add(-BookedWindow))
}

// LatestBookings returns, per practitioner, when the latest of care that
// holds a care relationship at now was booked.
func LatestBookings(care []CareAppointment, now time.Time) map[string]time.Time {
	out := map[string]time.Time{}
	for _, a := range care {
		if a.Holds(now) && a.BookedAt.After(out[a.PractitionerID]) {
			out[a.PractitionerID] = a.BookedAt
		}
	}
	return out
}
