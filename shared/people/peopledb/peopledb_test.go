package peopledb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/people"
	"ohcs/shared/people/peopledb"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func TestStore(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	s := &peopledb.Store{DB: db, Table: cfg.Table(tables.People)}

	b := people.Beneficiary{ID: "B1", Sub: "sub-b", Version: 1, CreatedAt: t0, UpdatedAt: t0, Profile: people.Profile{
		FullName: "Ana", BirthDate: "1990-01-01", Sex: "female", PreferredLanguage: "pt", TimeZone: "Africa/Maputo",
		Address: &validate.Address{City: "Maputo", Country: "MZ"}, EmergencyContact: &people.EmergencyContact{Name: "Rosa", Phone: "+258841234567"},
	}}
	if err := s.CreateBeneficiary(ctx, b); err != nil {
		t.Fatal(err)
	}
	second := b
	second.ID = "B2"
	if err := s.CreateBeneficiary(ctx, second); problem.CodeOf(err) != problem.Conflict {
		t.Errorf("second profile of a sub: got %v; want conflict", err)
	}
	dep := b
	dep.ID, dep.Sub, dep.ManagedBy = "DEP", "", "CG1"
	if err := s.CreateBeneficiary(ctx, dep); err != nil {
		t.Errorf("a dependent has no account: %v", err)
	}
	got, err := s.BeneficiaryBySub(ctx, "sub-b")
	if err != nil || got.ID != "B1" || got.Address.City != "Maputo" || got.EmergencyContact.Name != "Rosa" || got.Version != 1 {
		t.Errorf("BeneficiaryBySub: got %+v, %v", got, err)
	}
	next := got
	next.Version, next.FullName = 2, "Ana Maria"
	if err := s.UpdateBeneficiary(ctx, got, next); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateBeneficiary(ctx, got, next); problem.CodeOf(err) != problem.PreconditionFailed {
		t.Errorf("stale update: got %v", err)
	}

	for _, l := range []people.CareLink{
		{ID: "L1", BeneficiaryID: "B1", CaregiverID: "CG1", Permissions: []access.Permission{access.ViewRecords}, CreatedAt: t0, UpdatedAt: t0, Version: 1},
		{ID: "L2", BeneficiaryID: "B1", CaregiverID: "CG2", Permissions: access.Permissions, ExpiresAt: t0.Add(time.Hour), CreatedAt: t0.Add(time.Second), UpdatedAt: t0, Version: 1},
		{ID: "L3", BeneficiaryID: "DEP", CaregiverID: "CG2", Permissions: []access.Permission{access.BookAppointments}, CreatedAt: t0.Add(2 * time.Second), UpdatedAt: t0, Version: 1},
	} {
		if err := s.CreateLink(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	between, err := s.LinksBetween(ctx, "B1", "CG2")
	if err != nil || len(between) != 1 || between[0].ID != "L2" || !between[0].ExpiresAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("LinksBetween: got %+v, %v", between, err)
	}
	page, err := s.LinksOfCaregiver(ctx, "CG2", 1, nil)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != "L2" || page.Next == nil {
		t.Fatalf("first page of CG2: %+v, %v", page, err)
	}
	page, err = s.LinksOfCaregiver(ctx, "CG2", 1, page.Next)
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != "L3" || page.Next != nil {
		t.Errorf("second page of CG2: %+v, %v", page, err)
	}
	ofB, err := s.LinksOfBeneficiary(ctx, "B1", 10, nil)
	if err != nil || len(ofB.Items) != 2 {
		t.Errorf("links of B1: %+v, %v", ofB, err)
	}

	if _, ok, err := s.RevokedAt(ctx, "B1", "P1"); ok || err != nil {
		t.Errorf("no revocation yet: %v %v", ok, err)
	}
	if err := s.PutRevocation(ctx, people.Revocation{BeneficiaryID: "B1", PractitionerID: "P1", RevokedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if at, ok, err := s.RevokedAt(ctx, "B1", "P1"); !ok || err != nil || !at.Equal(t0) {
		t.Errorf("revocation: got %v %v %v", at, ok, err)
	}
	// A later revocation replaces the first; every practitioner's is one
	// read by the beneficiary, alone or in a batch across tables.
	later := t0.Add(time.Hour)
	for _, r := range []people.Revocation{{BeneficiaryID: "B1", PractitionerID: "P1", RevokedAt: later}, {BeneficiaryID: "B1", PractitionerID: "P2", RevokedAt: t0},
		{BeneficiaryID: "B2", PractitionerID: "P3", RevokedAt: t0}} {
		if err := s.PutRevocation(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Revocations(ctx, "B1")
	if err != nil || len(all) != 2 || !all["P1"].Equal(later) || !all["P2"].Equal(t0) {
		t.Errorf("revocations of B1: %v %v; want P1 at the later time and P2", all, err)
	}
	var batch map[string]time.Time
	if err := dynamo.GetAll(ctx, db, s.RevocationsGet("B1", func(r map[string]time.Time) { batch = r })); err != nil || len(batch) != 2 || !batch["P1"].Equal(later) {
		t.Errorf("revocations of B1 in a batch: %v %v", batch, err)
	}
}

// TestCaregiverIDOfIsItsAccount: the policy learns a caller's caregiver id
// from the account row; an account without one is NotFound.
func TestCaregiverIDOfIsItsAccount(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	s := &peopledb.Store{DB: db, Table: cfg.Table(tables.People)}
	if err := s.CreateCaregiver(ctx, people.Caregiver{ID: "CG1", Sub: "sub-c", FullName: "Rosa", Version: 1, CreatedAt: t0, UpdatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if id, err := s.CaregiverIDOf(ctx, "sub-c"); err != nil || id != "CG1" {
		t.Errorf("CaregiverIDOf(sub-c) = %q, %v; want CG1", id, err)
	}
	if _, err := s.CaregiverIDOf(ctx, "sub-b"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("CaregiverIDOf of an account without a caregiver: %v; want NotFound", err)
	}
}

// TestProfileIDsWalkEveryPage: a notice to a role reaches every profile
// of its kind: the pages of ProfileIDs, followed by their positions, hold
// each id once, in order, and the last page names no next one.
func TestProfileIDsWalkEveryPage(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	s := &peopledb.Store{DB: db, Table: cfg.Table(tables.People)}
	for i := range 5 {
		d := people.Donor{ID: fmt.Sprintf("D%d", i), Sub: fmt.Sprintf("sub-d%d", i), DisplayName: "Donor", Email: "d@example.org", Country: "MZ",
			Version: 1, CreatedAt: t0, UpdatedAt: t0}
		if err := s.CreateDonor(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	var after map[string]string
	for pages := 1; ; pages++ {
		p, err := s.ProfileIDs(ctx, "DONOR", 2, after)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.Items...)
		if p.Next == nil {
			if pages != 3 {
				t.Errorf("%d pages of 2 for 5 donors; want 3", pages)
			}
			break
		}
		after = p.Next
	}
	if strings.Join(ids, ",") != "D0,D1,D2,D3,D4" {
		t.Errorf("walked %v; want every donor once, in order", ids)
	}
	if _, err := s.ProfileIDs(ctx, "DONOR", 2, map[string]string{"pk": "x"}); !problem.Is(err, problem.Invalid) {
		t.Errorf("a position without the index keys: %v; want invalid", err)
	}
}
