package app

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/clinical"
	"ohcs/shared/clinical/clinicaldb"
	"ohcs/shared/people"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

// Clinical is the clinical service: consultations, records, plans,
// reports and exports.
func (p *Parts) Clinical() *clinical.Service {
	return p.clinical.get(func() *clinical.Service {
		sched := p.Scheduling()
		return &clinical.Service{Store: &clinicaldb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Clinical), Completion: completion(sched),
			OutboxTable: p.env.Config.Table(tables.Outbox), NewID: p.env.NewID},
			Patients: patients{p.People()}, Appointments: clinicalAppointments{sched}, Now: p.env.Now, NewID: p.env.NewID}
	})
}

// patients tells clinical about beneficiaries.
type patients struct{ people people.Store }

// Patient returns the beneficiary as the record's documents show it.
func (pt patients) Patient(ctx context.Context, id string) (clinical.FHIRPatient, error) {
	b, err := pt.people.GetBeneficiary(ctx, id)
	return clinical.FHIRPatient{ID: b.ID, Name: b.FullName, Sex: b.Sex, BirthDate: b.BirthDate, Phone: b.Phone, Email: b.Email}, err
}

// clinicalAppointments tells clinical about appointments.
type clinicalAppointments struct{ store *schedulingdb.Store }

func clinicalAppointment(a scheduling.Appointment) clinical.Appointment {
	return clinical.Appointment{ID: a.ID, PractitionerID: a.PractitionerID, BeneficiaryID: a.BeneficiaryID, Status: string(a.Status),
		Mode: a.Mode, Start: a.Start, End: a.End, BookedAt: a.BookedAt, Version: a.Version}
}

// completion completes an appointment in a consultation's transaction.
func completion(sched *schedulingdb.Store) func(clinical.Appointment, time.Time) (types.TransactWriteItem, types.TransactWriteItem) {
	return func(a clinical.Appointment, now time.Time) (types.TransactWriteItem, types.TransactWriteItem) {
		return sched.Completion(scheduling.Appointment{ID: a.ID, PractitionerID: a.PractitionerID, BeneficiaryID: a.BeneficiaryID,
			Start: a.Start, End: a.End, BookedAt: a.BookedAt, Version: a.Version}, now)
	}
}

// Appointment returns an appointment.
func (c clinicalAppointments) Appointment(ctx context.Context, id string) (clinical.Appointment, error) {
	a, err := c.store.Get(ctx, id)
	return clinicalAppointment(a), err
}

// OfBeneficiary returns the first appointments of a beneficiary.
func (c clinicalAppointments) OfBeneficiary(ctx context.Context, beneficiaryID string, upcoming bool, from time.Time) ([]clinical.Appointment, error) {
	q := scheduling.AppointmentQuery{BeneficiaryID: beneficiaryID, Limit: clinical.MaxAppointments}
	if upcoming {
		q.Status, q.From = scheduling.Booked, from
	}
	page, err := c.store.List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]clinical.Appointment, len(page.Items))
	for i, a := range page.Items {
		out[i] = clinicalAppointment(a)
	}
	return out, nil
}
