package clinical_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/clinical"
	"ohcs/shared/clinical/clinicaldb"
	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// TestRecordConsultation: a consultation of its practitioner's booked or
// completed appointment is stored with its diagnoses and observations as
// record entries, in the transaction that completes the appointment (here
// a marker item stands for the scheduling table's); another's appointment
// reads as absent, a cancelled one is refused, codes are checked.
func TestRecordConsultation(t *testing.T) {
	db, cfg := dynamotest.New(t)
	table := cfg.Table(tables.Clinical)
	completed := func(id string) bool {
		out, err := db.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: dynamo.Key("TEST#"+id, "COMPLETED")})
		return err == nil && out.Item != nil
	}
	n := 0
	newID := func() string { n++; return fmt.Sprintf("K%d", n) }
	s := &clinical.Service{Store: &clinicaldb.Store{DB: db, Table: table, OutboxTable: cfg.Table(tables.Outbox), NewID: newID,
		Completion: func(a clinical.Appointment, _ time.Time) (types.TransactWriteItem, types.TransactWriteItem) {
			return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: dynamo.Key("TEST#"+a.ID, "COMPLETED")}},
				types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: dynamo.Key("TEST#"+a.ID, "CARE")}}
		}},
		Now: func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }, NewID: newID}
	ctx := context.Background()
	booked := clinical.Appointment{ID: "A1", PractitionerID: "P1", BeneficiaryID: "B1", Status: "booked", Version: 1}
	visit := clinical.Consultation{Summary: "Wheezing; inhaler reviewed.",
		Diagnoses:    []clinical.Diagnosis{{System: "icd10", Code: "J45.909", Display: "Asthma"}},
		Observations: []clinical.Observation{{Code: "8867-4", Display: "Heart rate", Value: 88, Unit: "/min"}}}
	if _, err := s.Record(ctx, "P2", booked, visit); !problem.Is(err, problem.NotFound) {
		t.Errorf("another practitioner's appointment: %v; want NotFound", err)
	}
	cancelled := booked
	cancelled.Status = "cancelled"
	if _, err := s.Record(ctx, "P1", cancelled, visit); !problem.Is(err, problem.Unprocessable) {
		t.Errorf("a cancelled appointment: %v; want Unprocessable", err)
	}
	bad := visit
	bad.Diagnoses = []clinical.Diagnosis{{System: "icd10", Code: "asthma"}}
	if _, err := s.Record(ctx, "P1", booked, bad); !problem.Is(err, problem.Invalid) {
		t.Errorf("a diagnosis that is no ICD-10 code: %v; want Invalid", err)
	}
	if completed("A1") {
		t.Fatal("a refused consultation completed the appointment")
	}
	c, err := s.Record(ctx, "P1", booked, visit)
	if err != nil || c.BeneficiaryID != "B1" || c.PractitionerID != "P1" || c.Version != 1 {
		t.Fatalf("record: %+v %v", c, err)
	}
	if !completed("A1") {
		t.Error("the appointment was not completed with its consultation")
	}
	entries, err := s.Entries(ctx, clinical.ListQuery{BeneficiaryID: "B1", Limit: 10})
	if err != nil || len(entries.Items) != 2 {
		t.Fatalf("record entries: %+v %v; want the diagnosis and the observation", entries.Items, err)
	}
	for _, e := range entries.Items {
		if e.ConsultationID != c.ID || e.AuthorID != "P1" || e.Source != "consultation" {
			t.Errorf("entry %+v; want one of consultation %s by P1", e, c.ID)
		}
	}
	if got, err := s.Consultation(ctx, c.ID); err != nil || got.Summary != visit.Summary {
		t.Errorf("read back: %+v %v", got, err)
	}
}
