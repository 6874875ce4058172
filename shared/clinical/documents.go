package clinical

import (
	"context"
	"time"

	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// Patients tells clinical about the beneficiary a record belongs to.
type Patients interface {
	// Patient returns the beneficiary as the record's documents show it;
	// NotFound.
	Patient(ctx context.Context, beneficiaryID string) (FHIRPatient, error)
}

// Appointments tells clinical about appointments.
type Appointments interface {
	// Appointment returns an appointment; NotFound.
	Appointment(ctx context.Context, id string) (Appointment, error)
	// OfBeneficiary returns the first MaxAppointments of a beneficiary's
	// appointments; with upcoming, only the booked ones that start at or
	// after from.
	OfBeneficiary(ctx context.Context, beneficiaryID string, upcoming bool, from time.Time) ([]Appointment, error)
}

// MaxAppointments is how many appointments a document lists.
const MaxAppointments = 100

// Whole-record reads go in pages of WholePage items (DynamoDB returns at
// most 1 MB a request, so a page is one to a few requests), at most
// WholePages of them per kind: a bounded cost per request, and a record
// beyond it is refused whole rather than exported or reported in part.
const WholePage, WholePages = 1000, 50

// All pages through a list to its end; Unprocessable past WholePages.
func All[T any](ctx context.Context, q ListQuery, list func(context.Context, ListQuery) (page.Of[T], error)) ([]T, error) {
	var out []T
	q.Limit = WholePage
	for range WholePages {
		page, err := list(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			return out, nil
		}
		q.After = page.Next
	}
	return nil, problem.New(problem.Unprocessable, "the record holds more than %d items of one kind, more than one document holds: nothing was left out, nothing was produced", WholePage*WholePages)
}

// record is a beneficiary's whole record.
type record struct {
	entries       []Entry
	consultations []Consultation
	plans         []Plan
	patient       FHIRPatient
}

func (s *Service) record(ctx context.Context, beneficiaryID string) (record, error) {
	var r record
	var err error
	q := ListQuery{BeneficiaryID: beneficiaryID}
	if r.entries, err = All(ctx, q, s.Store.Entries); err != nil {
		return r, err
	}
	if r.consultations, err = All(ctx, q, s.Store.Consultations); err != nil {
		return r, err
	}
	if r.plans, err = All(ctx, q, s.Store.Plans); err != nil {
		return r, err
	}
	r.patient, err = s.Patients.Patient(ctx, beneficiaryID)
	return r, err
}

// ReportRequest asks for a health report.
type ReportRequest struct {
	BeneficiaryID, AuthorID string
	PeriodStart, PeriodEnd  string    // as asked, dates
	From, To                time.Time // the period's first and last day
}

// ProduceReport builds and stores the health report of a beneficiary's
// whole record by a practitioner the caller has authorized: it holds only
// what the practitioner could read directly (its own upcoming
// appointments, not the others'). Unprocessable for a record too large.
func (s *Service) ProduceReport(ctx context.Context, in ReportRequest) (Report, error) {
	rec, err := s.record(ctx, in.BeneficiaryID)
	if err != nil {
		return Report{}, err
	}
	now := s.Now().UTC()
	appts, err := s.Appointments.OfBeneficiary(ctx, in.BeneficiaryID, true, now)
	if err != nil {
		return Report{}, err
	}
	upcoming := []map[string]any{}
	for _, a := range appts {
		if a.PractitionerID == in.AuthorID {
			upcoming = append(upcoming, map[string]any{"id": a.ID, "start": a.Start.UTC().Format(time.RFC3339), "practitionerId": a.PractitionerID, "mode": a.Mode})
		}
	}
	report := Report{ID: s.NewID(), BeneficiaryID: in.BeneficiaryID, AuthorID: in.AuthorID, PeriodStart: in.PeriodStart,
		PeriodEnd: in.PeriodEnd, CreatedAt: now, Version: 1,
		Sections: BuildSections(ReportInputs{
			Demographics: map[string]any{"fullName": rec.patient.Name, "birthDate": rec.patient.BirthDate, "sex": rec.patient.Sex},
			Entries:      rec.entries, Consultations: rec.consultations, Plans: rec.plans, Upcoming: upcoming,
			From: in.From, To: in.To.Add(24 * time.Hour),
		})}
	if err := s.Store.PutReport(ctx, report); err != nil {
		return Report{}, err
	}
	return report, nil
}

// Bundle gathers a beneficiary's whole record into a FHIR Bundle; with
// onlyOf, only the appointments with that practitioner. Unprocessable for
// a record too large.
func (s *Service) Bundle(ctx context.Context, beneficiaryID, onlyOf string) (map[string]any, error) {
	rec, err := s.record(ctx, beneficiaryID)
	if err != nil {
		return nil, err
	}
	appts, err := s.Appointments.OfBeneficiary(ctx, beneficiaryID, false, time.Time{})
	if err != nil {
		return nil, err
	}
	in := FHIRInputs{Patient: rec.patient, Entries: rec.entries, Consultations: rec.consultations, Plans: rec.plans, Now: s.Now()}
	for _, a := range appts {
		if onlyOf == "" || a.PractitionerID == onlyOf {
			in.Appointments = append(in.Appointments, FHIRAppointment{ID: a.ID, Status: a.Status, Start: a.Start, End: a.End})
		}
	}
	return FHIRBundle(in), nil
}

// OwnAppointment returns the appointment id if practitioner pid holds it;
// NotFound otherwise, as for one that does not exist.
func (s *Service) OwnAppointment(ctx context.Context, pid, id string) (Appointment, error) {
	a, err := s.Appointments.Appointment(ctx, id)
	if err == nil && a.PractitionerID != pid {
		err = problem.New(problem.NotFound, "no appointment %s", id)
	}
	return a, err
}

// Consultation returns a consultation; NotFound. Callers authorize.
func (s *Service) Consultation(ctx context.Context, id string) (Consultation, error) {
	return s.Store.Consultation(ctx, id)
}

// Entry returns a health record entry; NotFound. Callers authorize.
func (s *Service) Entry(ctx context.Context, id string) (Entry, error) { return s.Store.Entry(ctx, id) }

// Plan returns a treatment plan; NotFound. Callers authorize.
func (s *Service) Plan(ctx context.Context, id string) (Plan, error) { return s.Store.Plan(ctx, id) }

// Report returns a health report; NotFound. Callers authorize.
func (s *Service) Report(ctx context.Context, id string) (Report, error) {
	return s.Store.Report(ctx, id)
}

// Consultations pages through a beneficiary's consultations.
func (s *Service) Consultations(ctx context.Context, q ListQuery) (page.Of[Consultation], error) {
	return s.Store.Consultations(ctx, q)
}

// Entries pages through a beneficiary's health record entries.
func (s *Service) Entries(ctx context.Context, q ListQuery) (page.Of[Entry], error) {
	return s.Store.Entries(ctx, q)
}

// Plans pages through a beneficiary's treatment plans.
func (s *Service) Plans(ctx context.Context, q ListQuery) (page.Of[Plan], error) {
	return s.Store.Plans(ctx, q)
}

// Reports pages through a beneficiary's health reports.
func (s *Service) Reports(ctx context.Context, q ListQuery) (page.Of[Report], error) {
	return s.Store.Reports(ctx, q)
}
