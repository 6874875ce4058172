package practitionerdb_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/practitioner"
	"ohcs/shared/practitioner/practitionerdb"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

func store(t *testing.T) *practitionerdb.Store {
	t.Helper()
	db, cfg := dynamotest.New(t)
	return &practitionerdb.Store{DB: db, Table: cfg.Table(tables.Practitioners)}
}

var t0 = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

func sample(id, sub, name string, v practitioner.Verification) practitioner.Practitioner {
	lat, lon := -25.97, 32.57
	return practitioner.Practitioner{
		ID: id, Sub: sub, Verification: v, Version: 1, CreatedAt: t0, UpdatedAt: t0,
		Profile: practitioner.Profile{
			FullName: name, Phone: "+258841234567", Email: "a@example.org", BirthDate: "1980-01-02",
			Specialties: []practitioner.Specialty{{Code: "pediatrics", Display: "Pediatrics"}},
			Languages:   []string{"pt-MZ"}, Modes: []practitioner.Mode{practitioner.Video},
			Location: practitioner.Location{Address: practitioner.Address{City: "Maputo", Country: "MZ"},
				Latitude: &lat, Longitude: &lon},
			TimeZone: "Africa/Maputo",
			Licenses: []practitioner.License{{Number: "L1", Issuer: "Ordem", Country: "MZ", ValidFrom: "2020-01-01"}},
		},
	}
}

func TestCreateGetUpdate(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	p := sample("P1", "sub-1", "Ana", practitioner.Pending)
	if err := s.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "P1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if bySub, err := s.GetBySub(ctx, "sub-1"); err != nil || bySub.ID != "P1" {
		t.Errorf("GetBySub: got %v, %v; want P1", bySub.ID, err)
	}
	if err := s.Create(ctx, sample("P2", "sub-1", "Ana", practitioner.Pending)); problem.CodeOf(err) != problem.Conflict {
		t.Errorf("second profile of a sub: got %v; want conflict", err)
	}
	if _, err := s.Get(ctx, "P2"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("the refused profile was written: %v", err)
	}
	if _, err := s.GetBySub(ctx, "nobody"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("GetBySub unknown: got %v; want not found", err)
	}

	next := p
	next.Version, next.FullName = 2, "Ana Maria"
	if err := s.Update(ctx, p, next); err != nil {
		t.Fatal(err)
	}
	stale := p
	stale.FullName = "Lost update"
	stale.Version = 2
	if err := s.Update(ctx, p, stale); problem.CodeOf(err) != problem.PreconditionFailed {
		t.Errorf("update from a stale version: got %v; want precondition failed", err)
	}
	if got, _ := s.Get(ctx, "P1"); got.FullName != "Ana Maria" {
		t.Errorf("after the stale update: got %q; want Ana Maria", got.FullName)
	}
}

// TestConcurrentUpdates lets many writers race from the same version: one
// wins, the others get PreconditionFailed, nothing is lost silently.
func TestConcurrentUpdates(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	p := sample("P1", "sub-1", "Ana", practitioner.Verified)
	if err := s.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := p
			next.Version, next.Bio = 2, fmt.Sprint("writer ", i)
			results[i] = s.Update(ctx, p, next)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range results {
		switch {
		case err == nil:
			wins++
		case problem.CodeOf(err) != problem.PreconditionFailed:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if wins != 1 {
		t.Errorf("winners: got %d; want 1", wins)
	}
}

func names(page practitioner.Page) []string {
	var out []string
	for _, p := range page.Items {
		out = append(out, p.FullName)
	}
	return out
}

func TestSearchFacets(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	people := []practitioner.Practitioner{
		sample("P1", "s1", "Zé Mário", practitioner.Verified),
		sample("P2", "s2", "Élia Tembe", practitioner.Verified),
		sample("P3", "s3", "ana cossa", practitioner.Verified),
		sample("P4", "s4", "Bento", practitioner.Pending),
	}
	people[1].Languages = []string{"en", "sw"}
	people[1].Specialties = []practitioner.Specialty{{Code: "obstetrics", Display: "Obstetrics"}}
	people[2].Modes = []practitioner.Mode{practitioner.InPerson, practitioner.Phone}
	for _, p := range people {
		if err := s.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		q    practitioner.Query
		want []string
	}{
		{"all verified, by folded name", practitioner.Query{}, []string{"ana cossa", "Élia Tembe", "Zé Mário"}},
		{"specialty", practitioner.Query{Specialty: "pediatrics"}, []string{"ana cossa", "Zé Mário"}},
		{"primary language", practitioner.Query{Language: "PT"}, []string{"ana cossa", "Zé Mário"}},
		{"full language tag", practitioner.Query{Language: "pt-mz"}, []string{"ana cossa", "Zé Mário"}},
		{"mode", practitioner.Query{Mode: practitioner.Phone}, []string{"ana cossa"}},
		{"specialty and mode", practitioner.Query{Specialty: "pediatrics", Mode: practitioner.Video}, []string{"Zé Mário"}},
		{"name without accent", practitioner.Query{NamePrefix: "eli"}, []string{"Élia Tembe"}},
		{"name with accent and case", practitioner.Query{NamePrefix: "ZÉ M"}, []string{"Zé Mário"}},
		{"nothing", practitioner.Query{Specialty: "surgery"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.q.Limit = 10
			page, err := s.Search(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, names(page)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if page.Next != nil {
				t.Errorf("a single page has a next position")
			}
		})
	}

	// Verification off: the facets go, in the same transaction.
	old := people[0]
	next := old
	next.Version, next.Verification = 2, practitioner.Pending
	if err := s.Update(ctx, old, next); err != nil {
		t.Fatal(err)
	}
	page, _ := s.Search(ctx, practitioner.Query{Limit: 10})
	if slices.Contains(names(page), "Zé Mário") {
		t.Errorf("an unverified practitioner is still searchable")
	}
	// A changed specialty moves the facet.
	old = people[2]
	next = old
	next.Version, next.Specialties = 2, []practitioner.Specialty{{Code: "nursing", Display: "Nursing"}}
	if err := s.Update(ctx, old, next); err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Search(ctx, practitioner.Query{Specialty: "pediatrics", Limit: 10}); len(page.Items) != 0 {
		t.Errorf("old specialty still finds: %v", names(page))
	}
	if page, _ := s.Search(ctx, practitioner.Query{Specialty: "nursing", Limit: 10}); len(page.Items) != 1 {
		t.Errorf("new specialty does not find: %v", names(page))
	}
}

func TestSearchPages(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	var want []string
	for i := range 23 {
		p := sample(fmt.Sprintf("P%02d", i), fmt.Sprintf("s%02d", i), fmt.Sprintf("Name %02d", i), practitioner.Verified)
		if i%2 == 1 {
			p.Modes = []practitioner.Mode{practitioner.Phone}
		} else {
			want = append(want, p.FullName)
		}
		if err := s.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	// Filtered on a set, so pages are assembled over several queries.
	var got []string
	q := practitioner.Query{Language: "pt", Mode: practitioner.Video, Limit: 5}
	for range 10 {
		page, err := s.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > 5 {
			t.Fatalf("page of %d", len(page.Items))
		}
		got = append(got, names(page)...)
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

// TestBySubIsOneReadOfTheProfileAsItIsNow: the uniqueness row carries the
// profile, written with it: the access policy learns a caller's profile in
// one read, and a verification withdrawn is seen by the next one. A row
// written before it carried the profile still leads to it.
func TestBySubIsOneReadOfTheProfileAsItIsNow(t *testing.T) {
	ctx := context.Background()
	raw, cfg := dynamotest.New(t)
	var counter dynamoprobe.Counter
	s := &practitionerdb.Store{DB: counter.Instrument(raw), Table: cfg.Table(tables.Practitioners)}
	p := sample("P1", "sub-1", "Ana", practitioner.Verified)
	if err := s.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	bySub := func(want practitioner.Verification) {
		t.Helper()
		before := counter.Usage("read")
		got, err := s.GetBySub(counter.Begin(ctx, "read"), "sub-1")
		if err != nil || got.ID != "P1" || got.Verification != want {
			t.Fatalf("GetBySub: %s %s, %v; want P1 %s", got.ID, got.Verification, err, want)
		}
		if u := counter.Usage("read").Sub(before); u.Total() != 1 {
			t.Errorf("GetBySub took %d requests (%v); want 1", u.Total(), u.Requests)
		}
	}
	bySub(practitioner.Verified)
	suspended := p
	suspended.Verification, suspended.Version = practitioner.Suspended, 2
	if err := s.Update(ctx, p, suspended); err != nil {
		t.Fatal(err)
	}
	bySub(practitioner.Suspended)

	// A uniqueness row of before: the id only.
	legacy := sample("P2", "sub-2", "Bea", practitioner.Verified)
	if err := s.Create(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Table), Item: map[string]types.AttributeValue{
		tables.PK: &types.AttributeValueMemberS{Value: "SUB#sub-2"}, tables.SK: &types.AttributeValueMemberS{Value: "PRACTITIONER"},
		"practitionerId": &types.AttributeValueMemberS{Value: "P2"}}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetBySub(ctx, "sub-2"); err != nil || got.ID != "P2" || got.FullName != "Bea" {
		t.Errorf("GetBySub of an id-only row: %+v, %v; want P2", got, err)
	}
}

// TestVerifiedListsTheVerified: the list that notices to every
// practitioner page through holds the verified ones only, in name order,
// page after page.
func TestVerifiedListsTheVerified(t *testing.T) {
	ctx := context.Background()
	s := store(t)
	for _, p := range []practitioner.Practitioner{
		sample("P1", "sub-1", "Zara", practitioner.Verified), sample("P2", "sub-2", "Ana", practitioner.Verified),
		sample("P3", "sub-3", "Bea", practitioner.Pending), sample("P4", "sub-4", "Caio", practitioner.Suspended),
	} {
		if err := s.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	var after map[string]string
	for range 5 {
		page, err := s.Verified(ctx, 1, after)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, names(page)...)
		if after = page.Next; after == nil {
			break
		}
	}
	if fmt.Sprint(got) != "[Ana Zara]" {
		t.Errorf("verified: %v; want [Ana Zara]", got)
	}
}
