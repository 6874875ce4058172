package registrydb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/registry"
	"ohcs/shared/registry/registrydb"
	"ohcs/shared/tables"
)

// TestMembersWalkEveryPage: an organisation's members, of one type or
// all, are walked whole through the pages' positions, each once and in
// order, and the last page names no next one.
func TestMembersWalkEveryPage(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	s := &registrydb.Store{DB: db, Table: cfg.Table(tables.Registry)}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		kind := "practitioner"
		if i%2 == 1 {
			kind = "caregiver"
		}
		if err := s.AddMembership(ctx, registry.Membership{OrganizationID: "O1", MemberType: kind, MemberID: fmt.Sprintf("M%d", i), CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(memberType string) (ids []string, pages int) {
		var after map[string]string
		for {
			p, err := s.Members(ctx, "O1", memberType, 2, after)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, m := range p.Items {
				ids = append(ids, m.MemberID)
			}
			if p.Next == nil {
				return ids, pages
			}
			after = p.Next
		}
	}
	if ids, pages := walk(""); strings.Join(ids, ",") != "M1,M3,M0,M2,M4" || pages != 3 {
		t.Errorf("every member: %v in %d pages; want caregivers then practitioners, in 3 pages", ids, pages)
	}
	if ids, pages := walk("practitioner"); strings.Join(ids, ",") != "M0,M2,M4" || pages != 2 {
		t.Errorf("practitioners: %v in %d pages; want M0, M2, M4 in 2 pages", ids, pages)
	}
}
