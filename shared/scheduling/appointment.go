package scheduling

import (
	"context"
	"time"

	"ohcs/shared/audit"
	"ohcs/shared/page"
)

// Status is an appointment's state: booked, then cancelled, completed or
// noShow, never back.
type Status string

// The statuses.
const (
	Booked    Status = "booked"
	Cancelled Status = "cancelled"
	Completed Status = "completed"
	NoShow    Status = "noShow"
)

// Statuses lists every status.
var Statuses = []Status{Booked, Cancelled, Completed, NoShow}

// Appointment is a booked slot.
type Appointment struct {
	ID             string
	PractitionerID string
	BeneficiaryID  string
	SlotID         string
	Start, End     time.Time
	// LocalDate is the practitioner's date of Start, for its daily limit.
	LocalDate    string
	Mode         string
	Status       Status
	BookedBy     string
	BookedAt     time.Time
	Reason       string
	CancelReason string
	CancelledBy  string
	CancelledAt  time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int64
}

// Claim is a booked slot of a practitioner.
type Claim struct {
	Start, End    time.Time
	AppointmentID string
}

// Booking is a new appointment and the limit of its day.
type Booking struct {
	Appointment Appointment
	// MaxPerDay is the practitioner's limit for the day; 0 means none.
	MaxPerDay int
	// MaxUpcoming is the most appointments the beneficiary may hold that
	// have not ended yet; 0 means none.
	MaxUpcoming int
	// Audit, when set, is the access decision that allowed the booking:
	// written in the booking's own write, so that the booking is never
	// stored without it.
	Audit *audit.Event
	// Look, when set, is the store's Look for this booking, read while the
	// caller was being authorized: the first attempt decides on it.
	Look Look
}

// Look is a store's first read of what a booking decides on (Store.Look).
type Look struct {
	// Practitioner is the practitioner (or PractitionerErr, NotFound), when
	// the store read it in the same request; nil when it did not.
	Practitioner    *Practitioner
	PractitionerErr error
	// Calendar is the store's own snapshot, opaque to the service, which
	// hands the Look back to Book in Booking.Look.
	Calendar any
}

// MaxUpcoming is how many appointments that have not ended yet a
// beneficiary may hold at a time: enough for any course of care, too few to
// hoard a practitioner's week.
const MaxUpcoming = 10

// Move is a reschedule: the appointment before and after, and the limit of
// the new day.
type Move struct {
	Old, New  Appointment
	MaxPerDay int
}

// AppointmentQuery selects appointments of a practitioner or a beneficiary.
type AppointmentQuery struct {
	PractitionerID string
	BeneficiaryID  string
	Status         Status
	From, To       time.Time
	Limit          int
	After          map[string]string
}

// Store keeps schedules and appointments.
type Store interface {
	// PutSchedule stores a new schedule.
	PutSchedule(ctx context.Context, s Schedule) error
	// Schedules returns every schedule of a practitioner that ends on or
	// after the local date from.
	Schedules(ctx context.Context, practitionerID, from string) ([]Schedule, error)
	// ListSchedules pages through a practitioner's schedules, newest first.
	ListSchedules(ctx context.Context, practitionerID string, limit int, after map[string]string) (page.Of[Schedule], error)
	// Claims returns the booked slots of a practitioner that start in
	// [from, to).
	Claims(ctx context.Context, practitionerID string, from, to time.Time) ([]Claim, error)
	// DayCounts returns the bookings per local date in [fromDate, toDate].
	DayCounts(ctx context.Context, practitionerID, fromDate, toDate string) (map[string]int, error)
	// Look reads what a booking of iv for the practitioner and the
	// beneficiary decides on, for Booking.Look; a store that reads in its
	// own write may return nil.
	Look(ctx context.Context, practitionerID, beneficiaryID string, iv Interval) (Look, error)
	// Book stores a booking with its outbox messages: Conflict when the
	// slot is taken, the day is full, or the beneficiary holds an
	// overlapping appointment.
	Book(ctx context.Context, b Booking, messages []Message) error
	// Get returns an appointment; NotFound.
	Get(ctx context.Context, id string) (Appointment, error)
	// Cancel stores the cancelled appointment and frees its slot;
	// PreconditionFailed when old is no longer the stored version.
	Cancel(ctx context.Context, old, cancelled Appointment, messages []Message) error
	// Reschedule moves an appointment to a new slot atomically: Conflict
	// when the new slot is taken or the new day is full;
	// PreconditionFailed when old is no longer the stored version.
	Reschedule(ctx context.Context, m Move, messages []Message) error
	// SetStatus stores a completed or no-show appointment;
	// PreconditionFailed.
	SetStatus(ctx context.Context, old, updated Appointment, messages []Message) error
	// List pages through appointments, earliest first.
	List(ctx context.Context, q AppointmentQuery) (page.Of[Appointment], error)
}

// Message is an outbox message to write with a change.
type Message struct {
	Kind  string
	DueAt time.Time
}
