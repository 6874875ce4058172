package people_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/auth"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/people"
	"ohcs/shared/people/peopledb"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// TestCaregiverFor: a caregiver's profile is shown to itself, to an
// administrator, and to a beneficiary while a link between them is active;
// to anyone else, and once the link ends, it reads as absent.
func TestCaregiverFor(t *testing.T) {
	db, cfg := dynamotest.New(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	s := &people.Service{Store: &peopledb.Store{DB: db, Table: cfg.Table(tables.People)}, Now: func() time.Time { return now },
		NewID: func() string { n++; return fmt.Sprintf("X%d", n) }}
	ctx := context.Background()
	b, err := s.CreateBeneficiary(ctx, "b1", "", people.Profile{FullName: "Rosa", BirthDate: "1990-01-01", Sex: "female", PreferredLanguage: "pt", TimeZone: "Africa/Maputo",
		Phone: "+258841234567"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBeneficiary(ctx, "b2", "", people.Profile{FullName: "Ana", BirthDate: "1991-01-01", Sex: "female", PreferredLanguage: "pt", TimeZone: "Africa/Maputo",
		Phone: "+258841234568"}); err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCaregiver(ctx, "c1", people.Caregiver{FullName: "Joana", Email: "joana@example.org", Phone: "+258841234569"})
	if err != nil {
		t.Fatal(err)
	}
	who := func(sub string, r auth.Role) auth.Principal { return auth.Principal{Sub: sub, Roles: []auth.Role{r}} }
	sees := func(p auth.Principal) bool {
		t.Helper()
		got, err := s.CaregiverFor(ctx, p, c.ID)
		if err != nil && !problem.Is(err, problem.NotFound) {
			t.Fatal(err)
		}
		return err == nil && got.ID == c.ID
	}
	check := func(stage string, want map[string]bool) {
		t.Helper()
		for name, p := range map[string]auth.Principal{"itself": who("c1", auth.Caregiver), "an administrator": who("a1", auth.Administrator),
			"the linked beneficiary": who("b1", auth.Beneficiary), "another beneficiary": who("b2", auth.Beneficiary)} {
			if got := sees(p); got != want[name] {
				t.Errorf("%s: %s sees the caregiver: %v; want %v", stage, name, got, want[name])
			}
		}
	}
	check("no link", map[string]bool{"itself": true, "an administrator": true})
	l, err := s.Grant(ctx, people.GrantRequest{BeneficiaryID: b.ID, CaregiverID: c.ID, Permissions: []access.Permission{access.ViewRecords}, GrantedBy: "b1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Respond(ctx, c.ID, b.ID, l.ID, true); err != nil {
		t.Fatal(err)
	}
	check("an active link", map[string]bool{"itself": true, "an administrator": true, "the linked beneficiary": true})
	if _, err := s.Revoke(ctx, b.ID, l.ID); err != nil {
		t.Fatal(err)
	}
	check("a revoked link", map[string]bool{"itself": true, "an administrator": true})
	if _, err := s.CaregiverFor(ctx, who("a1", auth.Administrator), "nobody"); !problem.Is(err, problem.NotFound) {
		t.Errorf("a caregiver that does not exist: %v; want NotFound", err)
	}
}
