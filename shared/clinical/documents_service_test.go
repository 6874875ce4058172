package clinical_test

import (
	"context"
	"testing"
	"time"

	"ohcs/shared/clinical"
	"ohcs/shared/clinical/clinicaldb"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

type patients map[string]clinical.FHIRPatient

func (p patients) Patient(_ context.Context, id string) (clinical.FHIRPatient, error) {
	pt, ok := p[id]
	if !ok {
		return pt, problem.New(problem.NotFound, "no beneficiary %s", id)
	}
	return pt, nil
}

// appointments stands for scheduling: what it lists, it was asked for.
type appointments struct {
	all      []clinical.Appointment
	upcoming []bool
}

func (a *appointments) Appointment(_ context.Context, id string) (clinical.Appointment, error) {
	for _, x := range a.all {
		if x.ID == id {
			return x, nil
		}
	}
	return clinical.Appointment{}, problem.New(problem.NotFound, "no appointment %s", id)
}

func (a *appointments) OfBeneficiary(_ context.Context, id string, upcoming bool, _ time.Time) ([]clinical.Appointment, error) {
	a.upcoming = append(a.upcoming, upcoming)
	var out []clinical.Appointment
	for _, x := range a.all {
		if x.BeneficiaryID == id {
			out = append(out, x)
		}
	}
	return out, nil
}

// TestDocumentsHoldOnlyTheirPractitioners: a report and a practitioner's
// export hold only that practitioner's appointments; the beneficiary's
// export holds them all; an appointment is its practitioner's to record.
func TestDocumentsHoldOnlyTheirPractitioners(t *testing.T) {
	db, cfg := dynamotest.New(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	appts := &appointments{all: []clinical.Appointment{
		{ID: "A1", PractitionerID: "P1", BeneficiaryID: "B1", Status: "booked", Mode: "video", Start: now.Add(24 * time.Hour), End: now.Add(25 * time.Hour)},
		{ID: "A2", PractitionerID: "P2", BeneficiaryID: "B1", Status: "booked", Mode: "inPerson", Start: now.Add(48 * time.Hour), End: now.Add(49 * time.Hour)},
	}}
	s := &clinical.Service{Store: &clinicaldb.Store{DB: db, Table: cfg.Table(tables.Clinical), OutboxTable: cfg.Table(tables.Outbox)},
		Patients: patients{"B1": {ID: "B1", Name: "Rosa", Sex: "female", BirthDate: "1990-01-01"}}, Appointments: appts,
		Now: func() time.Time { return now }, NewID: func() string { return "R1" }}
	ctx := context.Background()
	rep, err := s.ProduceReport(ctx, clinical.ReportRequest{BeneficiaryID: "B1", AuthorID: "P1", PeriodStart: "2026-11-01", PeriodEnd: "2026-11-30",
		From: now.AddDate(0, -1, 0), To: now})
	if err != nil {
		t.Fatal(err)
	}
	if up := rep.Sections.UpcomingAppointments; len(up) != 1 || up[0]["id"] != "A1" {
		t.Errorf("report's upcoming appointments: %v; want only A1", up)
	}
	if len(appts.upcoming) != 1 || !appts.upcoming[0] {
		t.Errorf("a report asked for %v; want the upcoming ones", appts.upcoming)
	}
	if stored, err := s.Report(ctx, "R1"); err != nil || stored.AuthorID != "P1" {
		t.Errorf("stored report: %+v %v", stored, err)
	}
	count := func(bundle map[string]any) (n int) {
		for _, e := range bundle["entry"].([]any) {
			if e.(map[string]any)["resource"].(map[string]any)["resourceType"] == "Appointment" {
				n++
			}
		}
		return n
	}
	for onlyOf, want := range map[string]int{"P1": 1, "P2": 1, "": 2, "P3": 0} {
		b, err := s.Bundle(ctx, "B1", onlyOf)
		if err != nil {
			t.Fatal(err)
		}
		if got := count(b); got != want {
			t.Errorf("export for %q: %d appointments; want %d", onlyOf, got, want)
		}
	}
	if _, err := s.Bundle(ctx, "B9", ""); !problem.Is(err, problem.NotFound) {
		t.Errorf("export of a beneficiary that does not exist: %v; want NotFound", err)
	}
	if a, err := s.OwnAppointment(ctx, "P1", "A1"); err != nil || a.ID != "A1" {
		t.Errorf("P1's own appointment: %+v %v", a, err)
	}
	if _, err := s.OwnAppointment(ctx, "P2", "A1"); !problem.Is(err, problem.NotFound) {
		t.Errorf("another practitioner's appointment: %v; want NotFound", err)
	}
}
