package clinical_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
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

// TestShapesAreTheirPatterns: the hand-written code shapes accept exactly
// what their patterns accept, on the edges and on 200,000 random strings
// of the alphabets that matter.
func TestShapesAreTheirPatterns(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern *regexp.Regexp
		check   func(string) bool
		edges   []string
	}{
		{"ICD-10", regexp.MustCompile(`^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$`), clinical.IsICD10,
			[]string{"", "A0", "A00", "A0B", "a00", "A00.", "A00.1", "A00.1234", "A00.12345", "E11.9", "J45.909", "00A", "A00-1", "AA0"}},
		{"LOINC", regexp.MustCompile(`^[0-9]{1,7}-[0-9]$`), clinical.IsLOINC,
			[]string{"", "-1", "1-", "1-1", "8867-4", "1234567-8", "12345678-9", "12-34", "a-1", "1-a", "11"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, s := range tc.edges {
				if tc.check(s) != tc.pattern.MatchString(s) {
					t.Errorf("%q: got %v; the pattern says %v", s, tc.check(s), tc.pattern.MatchString(s))
				}
			}
			const alphabet = "A Z0 9.-aB5"
			r := rand.New(rand.NewPCG(1, 2))
			for range 200_000 {
				b := make([]byte, r.IntN(11))
				for i := range b {
					b[i] = alphabet[r.IntN(len(alphabet))]
				}
				if s := string(b); tc.check(s) != tc.pattern.MatchString(s) {
					t.Fatalf("%q: got %v; the pattern says %v", s, tc.check(s), tc.pattern.MatchString(s))
				}
			}
		})
	}
}
