package donation_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"ohcs/shared/donation"
	"ohcs/shared/donation/donationdb"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// TestGifts: a gift is checked against its campaign (its currency, its
// dates), counted in its totals, numbered, and moves only along the
// payment's life; the same status again changes nothing.
func TestGifts(t *testing.T) {
	db, cfg := dynamotest.New(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	s := &donation.Service{Store: &donationdb.Store{DB: db, Table: cfg.Table(tables.Donations), OutboxTable: cfg.Table(tables.Outbox),
		NewID: func() string { n++; return fmt.Sprintf("M%d", n) }},
		Now: func() time.Time { return now }, NewID: func() string { n++; return fmt.Sprintf("X%d", n) }}
	ctx := context.Background()
	c, err := s.CreateCampaign(ctx, donation.Campaign{Title: "Vaccines", Description: "Cold chain", Currency: "MZN", GoalAmount: 100_000,
		Designation: "general", StartsAt: now.Add(-time.Hour), EndsAt: now.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	later, err := s.CreateCampaign(ctx, donation.Campaign{Title: "Next year", Description: "Not yet", Currency: "MZN", GoalAmount: 100,
		Designation: "general", StartsAt: now.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		g     donation.Gift
		code  problem.Code
		field string
	}{
		{"too small", donation.Gift{CampaignID: c.ID, Amount: 0, Currency: "MZN"}, problem.Invalid, "amount"},
		{"another currency", donation.Gift{CampaignID: c.ID, Amount: 1000, Currency: "EUR"}, problem.Invalid, "currency"},
		{"no such campaign", donation.Gift{CampaignID: "none", Amount: 1000, Currency: "MZN"}, problem.Invalid, "campaignId"},
		{"a campaign not open yet", donation.Gift{CampaignID: later.ID, Amount: 1000, Currency: "MZN"}, problem.Unprocessable, ""},
		{"weekly", donation.Gift{CampaignID: c.ID, Amount: 1000, Currency: "MZN", Recurrence: "weekly"}, problem.Invalid, "recurrence"},
	} {
		_, err := s.Give(ctx, "D1", tc.g)
		var pe *problem.Error
		if !problem.Is(err, tc.code) {
			t.Errorf("%s: got %v; want %s", tc.name, err, tc.code)
		} else if tc.field != "" && (!errors.As(err, &pe) || len(pe.Fields) == 0 || pe.Fields[0].Field != tc.field) {
			t.Errorf("%s: got %v; want the field %s", tc.name, err, tc.field)
		}
	}
	g, err := s.Give(ctx, "D1", donation.Gift{CampaignID: c.ID, Amount: 2500, Currency: "MZN"})
	if err != nil || g.Status != donation.Pledged || g.Recurrence != "once" || g.ReceiptNumber == "" {
		t.Fatalf("give: %+v %v", g, err)
	}
	if got, _ := s.Campaign(ctx, c.ID); got.RaisedAmount != 2500 || got.DonorCount != 1 {
		t.Errorf("campaign totals: %d raised, %d donors; want 2500 and 1", got.RaisedAmount, got.DonorCount)
	}
	if _, err := s.SetStatus(ctx, g.ID, donation.Refunded, g.Version); !problem.Is(err, problem.Unprocessable) {
		t.Errorf("a pledged gift refunded: %v; want Unprocessable", err)
	}
	if _, err := s.SetStatus(ctx, g.ID, donation.Received, g.Version+1); !problem.Is(err, problem.PreconditionFailed) {
		t.Errorf("at another version: %v; want PreconditionFailed", err)
	}
	paid, err := s.SetStatus(ctx, g.ID, donation.Received, g.Version)
	if err != nil || paid.Status != donation.Received || paid.Version != 2 {
		t.Fatalf("received: %+v %v", paid, err)
	}
	if again, err := s.SetStatus(ctx, g.ID, donation.Received, 1); err != nil || again.Version != 2 {
		t.Errorf("the same status again: %+v %v; want the gift unchanged", again, err)
	}
	if _, err := s.SetStatus(ctx, g.ID, donation.Refunded, paid.Version); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Campaign(ctx, c.ID); got.RaisedAmount != 0 {
		t.Errorf("a refunded gift still counts: %d raised", got.RaisedAmount)
	}
}
