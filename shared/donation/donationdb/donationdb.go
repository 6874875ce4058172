// Package donationdb stores campaigns and gifts in the donations table.
//
// Items:
//   - campaigns:  pk CAMPAIGN#<id>, sk CAMPAIGN, with the totals raisedAmount
//     and donorCount as numbers changed only by ADD in the transactions of
//     gifts; gsi1pk CAMPAIGNS, gsi1sk <createdAt>#<id> lists them
//   - donors:     pk CAMPAIGN#<id>, sk DONOR#<donorId>: how many of the
//     donor's gifts count, so donorCount counts distinct donors
//   - gifts:      pk DONATION#<id>, sk DONATION; gsi1pk DONOR#<id>, gsi1sk
//     <createdAt>#<id>
//   - counters:   pk RECEIPTS#<year>, sk COUNTER: the last receipt number,
//     advanced in the gift's transaction, so numbers have no gaps
package donationdb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/donation"
	"ohcs/shared/dynamo"
	"ohcs/shared/outbox"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Store is the DynamoDB donation store.
type Store struct {
	DB          *dynamodb.Client
	Table       string
	OutboxTable string
	NewID       func() string
}

var _ donation.Store = (*Store)(nil)

// retries bounds the optimistic retries of a gift racing others for the
// receipt counter: every lost round lets one other gift through, so a gift
// retries only while others progress. One whose write fails twice against
// the same counter and marker is not racing anyone: that is answered as
// the defect it is, not retried until a 503.
const retries = 32

type campaignItem struct {
	ID             string `dynamodbav:"id"`
	Title          string `dynamodbav:"title"`
	Description    string `dynamodbav:"description"`
	Currency       string `dynamodbav:"currency"`
	GoalAmount     int64  `dynamodbav:"goalAmount"`
	Designation    string `dynamodbav:"designation"`
	OrganizationID string `dynamodbav:"organizationId,omitempty"`
	SpecialtyCode  string `dynamodbav:"specialtyCode,omitempty"`
	StartsAt       string `dynamodbav:"startsAt"`
	EndsAt         string `dynamodbav:"endsAt,omitempty"`
	RaisedAmount   int64  `dynamodbav:"raisedAmount"`
	DonorCount     int64  `dynamodbav:"donorCount"`
	dynamo.Stamps
}

// CreateCampaign stores a campaign.
func (st *Store) CreateCampaign(ctx context.Context, c donation.Campaign) error {
	item, err := attributevalue.MarshalMap(campaignItem{ID: c.ID, Title: c.Title, Description: c.Description, Currency: c.Currency,
		GoalAmount: c.GoalAmount, Designation: c.Designation, OrganizationID: c.OrganizationID, SpecialtyCode: c.SpecialtyCode,
		StartsAt: dynamo.Time(c.StartsAt), EndsAt: dynamo.Time(c.EndsAt), Stamps: dynamo.StampsOf(c.CreatedAt, c.UpdatedAt, c.Version)})
	if err != nil {
		return fmt.Errorf("marshal campaign: %w", err)
	}
	for k, v := range dynamo.Key("CAMPAIGN#"+c.ID, "CAMPAIGN") {
		item[k] = v
	}
	item[tables.GSI1PK], item[tables.GSI1SK] = dynamo.S("CAMPAIGNS"), dynamo.S(dynamo.Time(c.CreatedAt)+"#"+c.ID)
	return dynamo.Err(dynamo.PutNew(ctx, st.DB, st.Table, item, "pk", "sk"), "create campaign")
}

func decodeCampaign(item map[string]types.AttributeValue) (donation.Campaign, error) {
	var it campaignItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return donation.Campaign{}, fmt.Errorf("unmarshal campaign: %w", err)
	}
	return donation.Campaign{ID: it.ID, Title: it.Title, Description: it.Description, Currency: it.Currency, GoalAmount: it.GoalAmount,
		Designation: it.Designation, OrganizationID: it.OrganizationID, SpecialtyCode: it.SpecialtyCode, StartsAt: dynamo.ParseTime(it.StartsAt),
		EndsAt: dynamo.ParseTime(it.EndsAt), RaisedAmount: it.RaisedAmount, DonorCount: it.DonorCount, CreatedAt: dynamo.ParseTime(it.CreatedAt),
		UpdatedAt: dynamo.ParseTime(it.UpdatedAt), Version: it.Version}, nil
}

// GetCampaign reads a campaign with its totals.
func (st *Store) GetCampaign(ctx context.Context, id string) (donation.Campaign, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("CAMPAIGN#"+id, "CAMPAIGN"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return donation.Campaign{}, dynamo.Err(err, "get campaign")
	}
	if out.Item == nil {
		return donation.Campaign{}, problem.New(problem.NotFound, "no campaign %s", id)
	}
	return decodeCampaign(out.Item)
}

// page queries one page of an index, newest first.
func (st *Store) page(ctx context.Context, pk string, limit int, after map[string]string) ([]map[string]types.AttributeValue, map[string]string, error) {
	keys := []string{tables.PK, tables.SK, tables.GSI1PK, tables.GSI1SK}
	in := &dynamodb.QueryInput{TableName: aws.String(st.Table), IndexName: aws.String(tables.GSI1.Name),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(pk)},
		ScanIndexForward:          aws.Bool(false)}
	return dynamo.Page(ctx, st.DB, in, keys, limit, after, false, "list")
}

// ListCampaigns pages through campaigns.
func (st *Store) ListCampaigns(ctx context.Context, limit int, after map[string]string) (page.Of[donation.Campaign], error) {
	items, next, err := st.page(ctx, "CAMPAIGNS", limit, after)
	if err != nil {
		return page.Of[donation.Campaign]{}, err
	}
	listed, err := dynamo.Decode(items, decodeCampaign)
	return page.Of[donation.Campaign]{Items: listed, Next: next}, err
}

type giftItem struct {
	ID            string `dynamodbav:"id"`
	CampaignID    string `dynamodbav:"campaignId"`
	DonorID       string `dynamodbav:"donorId"`
	Amount        int64  `dynamodbav:"amount"`
	Currency      string `dynamodbav:"currency"`
	Recurrence    string `dynamodbav:"recurrence"`
	Anonymous     bool   `dynamodbav:"anonymous"`
	Message       string `dynamodbav:"message,omitempty"`
	Status        string `dynamodbav:"status"`
	ReceiptNumber string `dynamodbav:"receiptNumber"`
	dynamo.Stamps
}

func giftItemOf(g donation.Gift) (map[string]types.AttributeValue, error) {
	item, err := attributevalue.MarshalMap(giftItem{ID: g.ID, CampaignID: g.CampaignID, DonorID: g.DonorID, Amount: g.Amount, Currency: g.Currency,
		Recurrence: g.Recurrence, Anonymous: g.Anonymous, Message: g.Message, Status: string(g.Status), ReceiptNumber: g.ReceiptNumber,
		Stamps: dynamo.StampsOf(g.CreatedAt, g.UpdatedAt, g.Version)})
	if err != nil {
		return nil, fmt.Errorf("marshal gift: %w", err)
	}
	for k, v := range dynamo.Key("DONATION#"+g.ID, "DONATION") {
		item[k] = v
	}
	item[tables.GSI1PK], item[tables.GSI1SK] = dynamo.S("DONOR#"+g.DonorID), dynamo.S(dynamo.Time(g.CreatedAt)+"#"+g.ID)
	return item, nil
}

func decodeGift(item map[string]types.AttributeValue) (donation.Gift, error) {
	var it giftItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return donation.Gift{}, fmt.Errorf("unmarshal gift: %w", err)
	}
	return donation.Gift{ID: it.ID, CampaignID: it.CampaignID, DonorID: it.DonorID, Amount: it.Amount, Currency: it.Currency,
		Recurrence: it.Recurrence, Anonymous: it.Anonymous, Message: it.Message, Status: donation.Status(it.Status),
		ReceiptNumber: it.ReceiptNumber, CreatedAt: dynamo.ParseTime(it.CreatedAt), UpdatedAt: dynamo.ParseTime(it.UpdatedAt), Version: it.Version}, nil
}

func (st *Store) get(ctx context.Context, k map[string]types.AttributeValue) (map[string]types.AttributeValue, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dynamo.Err(err, "read")
	}
	return out.Item, nil
}

// condition returns "absent" for an item read absent, else "count is c": a
// stored count of 0 (a donor whose only counted gift was cancelled) is a
// count like any other, not an absence.
func condition(item map[string]types.AttributeValue, attr string, c int64) (*string, map[string]types.AttributeValue) {
	if item == nil {
		return aws.String("attribute_not_exists(pk)"), nil
	}
	return aws.String(attr + " = :c"), map[string]types.AttributeValue{":c": dynamo.N(c)}
}

func backoff(attempt int) {
	time.Sleep(time.Duration(rand.IntN(1+min(attempt, 20))) * time.Millisecond)
}

// Give stores a gift, advancing the year's receipt counter and the
// campaign's totals in one transaction; a monthly gift also starts its
// pledge.
func (st *Store) Give(ctx context.Context, g donation.Gift) (donation.Gift, error) {
	var extra []types.TransactWriteItem
	if g.Recurrence == "monthly" {
		p, err := pledgeItem(donation.Pledge{ID: g.ID, Gift: g, NextDueAt: donation.NextMonthly(g.CreatedAt, g.CreatedAt)})
		if err != nil {
			return donation.Gift{}, err
		}
		extra = append(extra, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: p,
			ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	}
	return st.give(ctx, g, extra, problem.New(problem.Conflict, "gift %s already exists", g.ID))
}

// give writes gift g with the extra items (the pledge's, named "pledge"):
// exists is the answer when the gift or the pledge is there already.
func (st *Store) give(ctx context.Context, g donation.Gift, extra []types.TransactWriteItem, exists error) (donation.Gift, error) {
	year := g.CreatedAt.UTC().Year()
	counterKey := dynamo.Key(fmt.Sprintf("RECEIPTS#%d", year), "COUNTER")
	markerKey := dynamo.Key("CAMPAIGN#"+g.CampaignID, "DONOR#"+g.DonorID)
	var seen [2]int64
	stuck := 0
	for attempt := range retries {
		counter, err := st.get(ctx, counterKey)
		if err != nil {
			return donation.Gift{}, err
		}
		marker, err := st.get(ctx, markerKey)
		if err != nil {
			return donation.Gift{}, err
		}
		last, counted := dynamo.Num(counter["last"]), dynamo.Num(marker["count"])
		if attempt > 0 && seen == [2]int64{last, counted} {
			if stuck++; stuck == 2 {
				return donation.Gift{}, fmt.Errorf("give: the write fails against an unchanged receipt counter (%d) and donor marker (%d)", last, counted)
			}
		}
		seen = [2]int64{last, counted}
		g.ReceiptNumber = donation.ReceiptNumber(year, last+1)
		item, err := giftItemOf(g)
		if err != nil {
			return donation.Gift{}, err
		}
		msg, err := outbox.Put(st.OutboxTable, outbox.Message{ID: st.NewID(), Kind: outbox.DonationReceipt, DonationID: g.ID,
			DonorID: g.DonorID, DueAt: g.CreatedAt, CreatedAt: g.CreatedAt})
		if err != nil {
			return donation.Gift{}, err
		}
		newDonor := int64(0)
		if counted == 0 {
			newDonor = 1
		}
		counterCond, counterVals := condition(counter, "#last", last)
		markerCond, markerVals := condition(marker, "#count", counted)
		counterItem, markerItem := maps(counterKey), maps(markerKey)
		counterItem["last"], markerItem["count"] = dynamo.N(last+1), dynamo.N(counted+1)
		var tx dynamo.Tx
		tx.Add("counter", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: counterItem, ConditionExpression: counterCond,
			ExpressionAttributeNames: names(counterCond, "#last", "last"), ExpressionAttributeValues: counterVals}})
		tx.Add("campaign", types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: dynamo.Key("CAMPAIGN#"+g.CampaignID, "CAMPAIGN"),
			UpdateExpression:          aws.String("ADD raisedAmount :amount, donorCount :donor"),
			ConditionExpression:       aws.String("attribute_exists(pk) AND currency = :currency"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":amount": dynamo.N(g.Amount), ":donor": dynamo.N(newDonor), ":currency": dynamo.S(g.Currency)}}})
		tx.Add("marker", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: markerItem, ConditionExpression: markerCond,
			ExpressionAttributeNames: names(markerCond, "#count", "count"), ExpressionAttributeValues: markerVals}})
		tx.Add("gift", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
		tx.Add("outbox", msg)
		for _, it := range extra {
			tx.Add("pledge", it)
		}
		err = tx.Run(ctx, st.DB)
		switch {
		case err == nil:
			return g, nil
		case tx.Failed(err, "campaign"):
			return donation.Gift{}, problem.Field("campaignId", "no campaign in this currency has this id")
		case tx.Failed(err, "gift"), tx.Failed(err, "pledge"):
			return donation.Gift{}, exists
		case tx.Retry(err):
			backoff(attempt)
			continue
		default:
			return donation.Gift{}, dynamo.Err(err, "give")
		}
	}
	return donation.Gift{}, &problem.Error{Code: problem.Unavailable, Message: "too many gifts at once, retry", RetryAfter: 1}
}

func maps(k map[string]types.AttributeValue) map[string]types.AttributeValue {
	out := map[string]types.AttributeValue{}
	for a, b := range k {
		out[a] = b
	}
	return out
}

// names returns the attribute names a condition uses, or nil.
func names(cond *string, placeholder, name string) map[string]string {
	if cond != nil && *cond != "attribute_not_exists(pk)" {
		return map[string]string{placeholder: name}
	}
	return nil
}

// GetGift reads a gift.
func (st *Store) GetGift(ctx context.Context, id string) (donation.Gift, error) {
	item, err := st.get(ctx, dynamo.Key("DONATION#"+id, "DONATION"))
	if err != nil {
		return donation.Gift{}, err
	}
	if item == nil {
		return donation.Gift{}, problem.New(problem.NotFound, "no donation %s", id)
	}
	return decodeGift(item)
}

// ListGifts pages through a donor's gifts.
func (st *Store) ListGifts(ctx context.Context, donorID string, limit int, after map[string]string) (page.Of[donation.Gift], error) {
	items, next, err := st.page(ctx, "DONOR#"+donorID, limit, after)
	if err != nil {
		return page.Of[donation.Gift]{}, err
	}
	listed, err := dynamo.Decode(items, decodeGift)
	return page.Of[donation.Gift]{Items: listed, Next: next}, err
}

// SetStatus stores the gift's new status; a gift that stops counting
// leaves the totals (and, with its donor's last counted gift, the donor
// count) in the same transaction.
func (st *Store) SetStatus(ctx context.Context, old, updated donation.Gift) error {
	item, err := giftItemOf(updated)
	if err != nil {
		return err
	}
	put := types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item,
		ConditionExpression: aws.String("version = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": dynamo.N(old.Version)}}}
	leaves := old.Status.Counted() && !updated.Status.Counted()
	markerKey := dynamo.Key("CAMPAIGN#"+old.CampaignID, "DONOR#"+old.DonorID)
	for attempt := range retries {
		var tx dynamo.Tx
		tx.Add("gift", put)
		if leaves {
			marker, err := st.get(ctx, markerKey)
			if err != nil {
				return err
			}
			counted := dynamo.Num(marker["count"])
			lostDonor := int64(0)
			if counted <= 1 {
				lostDonor = 1
			}
			tx.Add("campaign", types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: dynamo.Key("CAMPAIGN#"+old.CampaignID, "CAMPAIGN"),
				UpdateExpression:          aws.String("ADD raisedAmount :amount, donorCount :donor"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":amount": dynamo.N(-old.Amount), ":donor": dynamo.N(-lostDonor)}}})
			tx.Add("marker", types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: markerKey,
				UpdateExpression: aws.String("SET #count = :next"), ConditionExpression: aws.String("#count = :c"),
				ExpressionAttributeNames:  map[string]string{"#count": "count"},
				ExpressionAttributeValues: map[string]types.AttributeValue{":next": dynamo.N(max(counted-1, 0)), ":c": dynamo.N(counted)}}})
		}
		err := tx.Run(ctx, st.DB)
		switch {
		case err == nil:
			return nil
		case tx.Failed(err, "gift"):
			return problem.New(problem.PreconditionFailed, "the gift changed since version %d: read it again", old.Version)
		case tx.Retry(err):
			backoff(attempt)
			continue
		default:
			return dynamo.Err(err, "set gift status")
		}
	}
	return &problem.Error{Code: problem.Unavailable, Message: "the campaign is busy, retry", RetryAfter: 1}
}
