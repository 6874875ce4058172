package donationdb_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/config"
	"ohcs/shared/donation"
	"ohcs/shared/donation/donationdb"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// campaignOn is a donation service over db, at clock, with a EUR campaign.
func campaignOn(t *testing.T, db *dynamodb.Client, cfg config.Config, clock time.Time) (*donation.Service, donation.Campaign) {
	t.Helper()
	svc := &donation.Service{
		Store: &donationdb.Store{DB: db, Table: cfg.Table(tables.Donations), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID},
		Now:   func() time.Time { return clock }, NewID: platform.NewULID,
	}
	c, err := svc.CreateCampaign(context.Background(), donation.Campaign{Title: "Malaria nets", Description: "Nets", Currency: "EUR", GoalAmount: 100000,
		Designation: "general", StartsAt: clock.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return svc, c
}

// TestMonthlyPledges: a monthly gift starts a pledge; the scheduled run
// gives once per month however often it runs, with exact totals and the
// next receipt.
func TestMonthlyPledges(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	clock := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	svc, c := campaignOn(t, db, cfg, clock)
	first, err := svc.Give(ctx, "D1", donation.Gift{CampaignID: c.ID, Amount: 1500, Currency: "EUR", Recurrence: "monthly"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.GiveDue(ctx, clock.AddDate(0, 0, 20)); err != nil || n != 0 {
		t.Fatalf("before the month: %d, %v", n, err)
	}
	for run := range 3 {
		n, err := svc.GiveDue(ctx, clock.AddDate(0, 1, 1))
		want := 0
		if run == 0 {
			want = 1
		}
		if err != nil || n != want {
			t.Fatalf("run %d a month later: got %d, %v; want %d", run, n, err, want)
		}
	}
	if n, err := svc.GiveDue(ctx, clock.AddDate(0, 2, 1)); err != nil || n != 1 {
		t.Fatalf("two months later: %d, %v", n, err)
	}
	got, err := svc.Store.GetCampaign(ctx, c.ID)
	if err != nil || got.RaisedAmount != 4500 || got.DonorCount != 1 {
		t.Errorf("totals: %d from %d donors, %v; want 4500 from 1", got.RaisedAmount, got.DonorCount, err)
	}
	page, err := svc.Store.ListGifts(ctx, "D1", 10, nil)
	if err != nil || len(page.Items) != 3 {
		t.Fatalf("gifts: %d, %v; want 3", len(page.Items), err)
	}
	receipts := map[string]bool{}
	for _, g := range page.Items {
		receipts[g.ReceiptNumber] = true
	}
	if !receipts["2026-000001"] || !receipts["2026-000002"] || !receipts["2026-000003"] || first.ReceiptNumber != "2026-000001" {
		t.Errorf("receipts: %v", receipts)
	}
}

// failingPledge is the real store, except that one pledge's gift cannot be
// given (as a throttled or failing store would answer).
type failingPledge struct {
	donation.Store
	id string
}

func (f failingPledge) GiveFromPledge(ctx context.Context, p donation.Pledge, g donation.Gift) (donation.Gift, error) {
	if p.ID == f.id {
		return donation.Gift{}, errors.New("the store is down for this pledge")
	}
	return f.Store.GiveFromPledge(ctx, p, g)
}

// TestPledgesEndAndNeverBlockEachOther: a pledge whose first gift was
// cancelled stops; a pledge whose campaign has ended stops; a pledge that
// fails is reported and does not stop the ones after it.
func TestPledgesEndAndNeverBlockEachOther(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	clock := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	real := &donationdb.Store{DB: db, Table: cfg.Table(tables.Donations), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	svc := &donation.Service{Store: real, Now: func() time.Time { return clock }, NewID: platform.NewULID}
	open, err := svc.CreateCampaign(ctx, donation.Campaign{Title: "Nets", Description: "Nets", Currency: "EUR", GoalAmount: 100000,
		Designation: "general", StartsAt: clock.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	ending, err := svc.CreateCampaign(ctx, donation.Campaign{Title: "Flood", Description: "Flood", Currency: "EUR", GoalAmount: 100000,
		Designation: "general", StartsAt: clock.Add(-time.Hour), EndsAt: clock.AddDate(0, 0, 20)})
	if err != nil {
		t.Fatal(err)
	}
	give := func(donor, campaign string) donation.Gift {
		g, err := svc.Give(ctx, donor, donation.Gift{CampaignID: campaign, Amount: 1500, Currency: "EUR", Recurrence: "monthly"})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	cancelled, ended, failing, kept := give("D1", open.ID), give("D2", ending.ID), give("D3", open.ID), give("D4", open.ID)
	if _, err := svc.SetStatus(ctx, cancelled.ID, donation.Cancelled, cancelled.Version); err != nil {
		t.Fatal(err)
	}
	svc.Store = failingPledge{Store: real, id: failing.ID}
	n, err := svc.GiveDue(ctx, clock.AddDate(0, 1, 1))
	if n != 1 || err == nil || !strings.Contains(err.Error(), failing.ID) {
		t.Errorf("the run: %d gifts, %v; want the kept pledge's gift and the failing one reported", n, err)
	}
	if _, err := real.GetGift(ctx, donation.MonthGiftID(kept.ID, donation.NextMonthly(kept.CreatedAt, kept.CreatedAt))); err != nil {
		t.Errorf("the pledge after the failing one did not give: %v", err)
	}
	due, err := real.DuePledges(ctx, clock.AddDate(1, 0, 0), 100)
	if err != nil {
		t.Fatal(err)
	}
	left := map[string]bool{}
	for _, p := range due {
		left[p.ID] = true
	}
	if left[cancelled.ID] || left[ended.ID] || !left[failing.ID] || !left[kept.ID] {
		t.Errorf("pledges left: %v; want the failing and the kept ones, not the cancelled or the ended", left)
	}
}

// TestGiftThatCannotBeWrittenStopsAtOnce: a gift whose write fails against
// a counter that does not change (here a counter stored in a shape the
// condition never matches, as the donor lockout once did) is not retried
// as if it raced others: it stops after a few requests with an error (a
// 500, a defect), never a 503 that good clients would retry for ever.
func TestGiftThatCannotBeWrittenStopsAtOnce(t *testing.T) {
	ctx := context.Background()
	raw, cfg := dynamotest.New(t)
	var count dynamoprobe.Counter
	db := count.Instrument(raw)
	clock := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	svc, c := campaignOn(t, db, cfg, clock)
	if _, err := raw.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(cfg.Table(tables.Donations)), Item: map[string]types.AttributeValue{
		tables.PK: &types.AttributeValueMemberS{Value: "RECEIPTS#2026"}, tables.SK: &types.AttributeValueMemberS{Value: "COUNTER"},
		"last": &types.AttributeValueMemberN{Value: "7.5"}}}); err != nil {
		t.Fatal(err)
	}
	gctx := count.Begin(ctx, "give")
	_, err := svc.Give(gctx, "D1", donation.Gift{CampaignID: c.ID, Amount: 1500, Currency: "EUR", Recurrence: "once"})
	if err == nil || problem.CodeOf(err) == problem.Unavailable || problem.CodeOf(err) == problem.Conflict {
		t.Fatalf("got %v; want a defect, not a retry-later", err)
	}
	if u := count.Usage("give"); u.Requests["TransactWriteItems"] > 3 {
		t.Errorf("%d writes tried: %v", u.Requests["TransactWriteItems"], u.Requests)
	}
}
