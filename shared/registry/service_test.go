package registry_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ohcs/shared/problem"
	"ohcs/shared/registry"
	"ohcs/shared/registry/registrytest"
)

func service() *registry.Service {
	prac := registry.Member{Type: "practitioner", ID: "P1"}
	ben := registry.Member{Type: "beneficiary", ID: "B1"}
	n := 0
	return &registry.Service{Store: &registrytest.Store{},
		Directory: registrytest.Directory{Profiles: map[registry.Member]bool{prac: true, ben: true},
			Subs: map[string][]registry.Member{"p1": {prac}, "b1": {ben}}},
		Now: func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }, NewID: func() string { n++; return fmt.Sprintf("O%d", n) }}
}

// code is err's problem code, "" for none.
func code(err error) problem.Code {
	if err == nil {
		return ""
	}
	return problem.CodeOf(err)
}

// TestMemberships: only existing profiles join existing organisations,
// once; members see the organisation's practitioners, others nothing, as
// if it did not exist.
func TestMemberships(t *testing.T) {
	ctx := context.Background()
	s := service()
	o, err := s.CreateOrganization(ctx, registry.Organization{Name: "Clinic", Kind: "facility", Country: "MZ"})
	if err != nil || o.ID != "O1" || o.Version != 1 || o.CreatedAt.IsZero() {
		t.Fatalf("create: %+v %v", o, err)
	}
	for _, tc := range []struct {
		name   string
		org    string
		member registry.Member
		code   problem.Code
	}{
		{"no such organisation", "O9", registry.Member{Type: "practitioner", ID: "P1"}, problem.NotFound},
		{"no such profile", "O1", registry.Member{Type: "practitioner", ID: "P2"}, problem.Invalid},
		{"a practitioner", "O1", registry.Member{Type: "practitioner", ID: "P1"}, ""},
		{"again", "O1", registry.Member{Type: "practitioner", ID: "P1"}, problem.Conflict},
		{"a beneficiary", "O1", registry.Member{Type: "beneficiary", ID: "B1"}, ""},
	} {
		_, err := s.AddMembership(ctx, tc.org, tc.member, "nurse")
		if code(err) != tc.code {
			t.Errorf("%s: got %v; want %q", tc.name, err, tc.code)
		}
	}
	for _, tc := range []struct {
		sub   string
		admin bool
		want  string
		code  problem.Code
	}{
		{"admin", true, "", ""},
		{"p1", false, "practitioner", ""},
		{"b1", false, "practitioner", ""},
		{"stranger", false, "", problem.NotFound},
	} {
		got, err := s.MembersVisible(ctx, tc.sub, tc.admin, "O1")
		if got != tc.want || code(err) != tc.code {
			t.Errorf("%s sees %q, %v; want %q, %q", tc.sub, got, err, tc.want, tc.code)
		}
	}
	if _, err := s.MembersVisible(ctx, "admin", true, "O9"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("an organisation that does not exist: got %v; want NotFound", err)
	}
	ms, err := s.MembershipsOf(ctx, "p1")
	if err != nil || len(ms) != 1 || ms[0].OrganizationID != "O1" || ms[0].Role != "nurse" {
		t.Errorf("memberships of p1: %+v %v", ms, err)
	}
	if _, err := s.RemoveMembership(ctx, "O1", registry.Member{Type: "practitioner", ID: "P1"}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.MembersVisible(ctx, "p1", false, "O1"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("a former member sees %q, %v; want NotFound", got, err)
	}
}

// TestMembershipsOfAreBounded: a person's memberships listed stop at
// MaxMemberships whatever it holds.
func TestMembershipsOfAreBounded(t *testing.T) {
	ctx := context.Background()
	s := service()
	for range registry.MaxMemberships + 5 {
		o, err := s.CreateOrganization(ctx, registry.Organization{Name: "Clinic", Kind: "facility", Country: "MZ"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMembership(ctx, o.ID, registry.Member{Type: "practitioner", ID: "P1"}, ""); err != nil {
			t.Fatal(err)
		}
	}
	if ms, err := s.MembershipsOf(ctx, "p1"); err != nil || len(ms) != registry.MaxMemberships {
		t.Errorf("memberships: %d, %v; want %d", len(ms), err, registry.MaxMemberships)
	}
}
