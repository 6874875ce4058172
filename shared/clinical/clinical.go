// Package clinical owns the practitioner's daily work and the
// beneficiary's record: consultations, health record entries, treatment
// plans and NEWS2 risk assessments. Who may see and write what is decided
// by package access; its Store is clinicaldb, its handlers clinicalhttp.
package clinical

import (
	"context"
	"time"

	"ohcs/shared/page"
)

// Code is a coded concept.
type Code struct{ System, Code, Display string }

// Diagnosis is an ICD-10 diagnosis.
type Diagnosis = Code

// Observation is a LOINC observation with a UCUM unit.
type Observation struct {
	Code, Display string
	Value         float64
	Unit          string
	EffectiveAt   time.Time
}

// Prescription is a medication order.
type Prescription struct {
	Medication, Dose, Frequency string
	DurationDays                int
	Instructions                string
}

// Consultation is a recorded visit.
type Consultation struct {
	ID             string
	AppointmentID  string
	PractitionerID string
	BeneficiaryID  string
	Summary        string
	Diagnoses      []Diagnosis
	Observations   []Observation
	Prescriptions  []Prescription
	FollowUpInDays int
	CreatedAt      time.Time
	Version        int64
}

// Entry is a health record entry.
type Entry struct {
	ID             string
	BeneficiaryID  string
	Kind           string
	Code           *Code
	Value          *float64
	Unit           string
	Status         string
	RecordedAt     time.Time
	Note           string
	Source         string // practitioner, self, consultation, riskAssessment
	AuthorID       string
	ConsultationID string
	CreatedAt      time.Time
	Version        int64
}

// Goal and Activity are parts of a plan.
type (
	Goal struct {
		Description, Target, DueDate string
	}
	Activity struct {
		Kind, Description string
		Frequency         string
		Times             []string
		StartDate         string
		EndDate           string
		ArticleID         string
	}
)

// Plan is a treatment plan.
type Plan struct {
	ID             string
	BeneficiaryID  string
	AuthorID       string
	AuthorSub      string
	Title          string
	Description    string
	ConditionCodes []Code
	Goals          []Goal
	Activities     []Activity
	Start, End     string
	Status         string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64
}

// planNext lists the statuses a plan may move to.
var planNext = map[string][]string{
	"draft":  {"active", "revoked"},
	"active": {"completed", "revoked"},
}

// Report is a stored health report: a snapshot of sections.
type Report struct {
	ID            string
	BeneficiaryID string
	AuthorID      string
	PeriodStart   string
	PeriodEnd     string
	Sections      Sections
	CreatedAt     time.Time
	Version       int64
}

// Sections are a report's contents.
type Sections struct {
	Demographics         map[string]any   `json:"demographics"`
	ActiveConditions     []map[string]any `json:"activeConditions"`
	Allergies            []map[string]any `json:"allergies"`
	Medications          []map[string]any `json:"medications"`
	Vitals               []VitalSeries    `json:"vitals"`
	Consultations        []map[string]any `json:"consultations"`
	TreatmentPlans       []map[string]any `json:"treatmentPlans"`
	RiskAssessments      []map[string]any `json:"riskAssessments"`
	UpcomingAppointments []map[string]any `json:"upcomingAppointments"`
}

// VitalSeries is one vital sign over a period.
type VitalSeries struct {
	Code    string  `json:"code"`
	Display string  `json:"display,omitempty"`
	Unit    string  `json:"unit"`
	Points  []Point `json:"points"`
	Latest  float64 `json:"latest"`
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
}

// Point is a value at a time.
type Point struct {
	At    string  `json:"at"`
	Value float64 `json:"value"`
}

// ListQuery selects a beneficiary's items.
type ListQuery struct {
	BeneficiaryID string
	Kind          string // entries
	Status        string // plans
	Since         time.Time
	Limit         int
	After         map[string]string
}

// Store keeps clinical data.
type Store interface {
	// Record stores a consultation, its entries, the outbox events of the
	// given kinds, and completes its appointment a (at a.Version) in one
	// transaction; Conflict when the appointment changed.
	Record(ctx context.Context, c Consultation, entries []Entry, a Appointment, events []string) error
	// Consultation returns a consultation; NotFound.
	Consultation(ctx context.Context, id string) (Consultation, error)
	// Consultations pages through a beneficiary's consultations.
	Consultations(ctx context.Context, q ListQuery) (page.Of[Consultation], error)
	// AddEntry stores an entry.
	AddEntry(ctx context.Context, e Entry) error
	// Entry returns an entry; NotFound.
	Entry(ctx context.Context, id string) (Entry, error)
	// Entries pages through a beneficiary's entries, newest first.
	Entries(ctx context.Context, q ListQuery) (page.Of[Entry], error)
	// PutPlan stores a new plan, or a new version of one (old at version
	// prev); PreconditionFailed.
	PutPlan(ctx context.Context, p Plan, prev int64) error
	// Plan returns a plan; NotFound.
	Plan(ctx context.Context, id string) (Plan, error)
	// Plans pages through a beneficiary's plans.
	Plans(ctx context.Context, q ListQuery) (page.Of[Plan], error)
	// PutReport stores a report.
	PutReport(ctx context.Context, r Report) error
	// Report returns a report; NotFound.
	Report(ctx context.Context, id string) (Report, error)
	// Reports pages through a beneficiary's reports.
	Reports(ctx context.Context, q ListQuery) (page.Of[Report], error)
}

// IsICD10 reports whether code has the shape of an ICD-10 code: a capital
// letter, a digit, a digit or capital letter, and optionally a point and 1
// to 4 digits or capital letters (^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$).
// Checked by hand, not by a regular expression compiled at every cold
// start of every function (TestShapesAreTheirPatterns).
func IsICD10(code string) bool {
	upper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	if len(code) < 3 || !upper(code[0]) || !digit(code[1]) || !(digit(code[2]) || upper(code[2])) {
		return false
	}
	rest := code[3:]
	if rest == "" {
		return true
	}
	if rest[0] != '.' || len(rest) < 2 || len(rest) > 5 {
		return false
	}
	for i := 1; i < len(rest); i++ {
		if !digit(rest[i]) && !upper(rest[i]) {
			return false
		}
	}
	return true
}

// IsLOINC reports whether code has the shape of a LOINC code: 1 to 7
// digits, a hyphen and a check digit (^[0-9]{1,7}-[0-9]$).
func IsLOINC(code string) bool {
	n := len(code)
	if n < 3 || n > 9 || code[n-2] != '-' || code[n-1] < '0' || code[n-1] > '9' {
		return false
	}
	for i := 0; i < n-2; i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}
