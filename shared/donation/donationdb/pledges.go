package donationdb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/donation"
	"ohcs/shared/dynamo"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

type pledgeRecord struct {
	ID        string `dynamodbav:"id"`
	NextDueAt string `dynamodbav:"nextDueAt"`
}

func pledgeItem(p donation.Pledge) (map[string]types.AttributeValue, error) {
	tmpl, err := giftItemOf(p.Gift)
	if err != nil {
		return nil, err
	}
	item, err := attributevalue.MarshalMap(pledgeRecord{ID: p.ID, NextDueAt: dynamo.Time(p.NextDueAt)})
	if err != nil {
		return nil, fmt.Errorf("marshal pledge: %w", err)
	}
	delete(tmpl, tables.PK)
	delete(tmpl, tables.SK)
	delete(tmpl, tables.GSI1PK)
	delete(tmpl, tables.GSI1SK)
	item["gift"] = &types.AttributeValueMemberM{Value: tmpl}
	for k, v := range dynamo.Key("PLEDGE#"+p.ID, "PLEDGE") {
		item[k] = v
	}
	item[tables.GSI1PK], item[tables.GSI1SK] = dynamo.S("PLEDGES"), dynamo.S(dynamo.Time(p.NextDueAt)+"#"+p.ID)
	return item, nil
}

// DuePledges queries the pledges due at now, earliest first.
func (st *Store) DuePledges(ctx context.Context, now time.Time, limit int) ([]donation.Pledge, error) {
	out, err := st.DB.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(st.Table), IndexName: aws.String(tables.GSI1.Name),
		KeyConditionExpression:    aws.String("gsi1pk = :pk AND gsi1sk <= :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("PLEDGES"), ":now": dynamo.S(dynamo.Time(now) + "#~")},
		Limit:                     aws.Int32(int32(limit))})
	if err != nil {
		return nil, dynamo.Err(err, "due pledges")
	}
	var ps []donation.Pledge
	for _, item := range out.Items {
		var rec pledgeRecord
		if err := attributevalue.UnmarshalMap(item, &rec); err != nil {
			return nil, fmt.Errorf("unmarshal pledge: %w", err)
		}
		tmpl, _ := item["gift"].(*types.AttributeValueMemberM)
		if tmpl == nil {
			return nil, fmt.Errorf("pledge %s has no gift", rec.ID)
		}
		g, err := decodeGift(tmpl.Value)
		if err != nil {
			return nil, err
		}
		ps = append(ps, donation.Pledge{ID: rec.ID, Gift: g, NextDueAt: dynamo.ParseTime(rec.NextDueAt)})
	}
	return ps, nil
}

// GiveFromPledge gives a pledge's monthly gift and moves its next due date
// a month on, conditioned on the due date it read.
func (st *Store) GiveFromPledge(ctx context.Context, p donation.Pledge, g donation.Gift) (donation.Gift, error) {
	next := p
	next.NextDueAt = donation.NextMonthly(p.Gift.CreatedAt, p.NextDueAt)
	item, err := pledgeItem(next)
	if err != nil {
		return donation.Gift{}, err
	}
	extra := []types.TransactWriteItem{{Put: &types.Put{TableName: aws.String(st.Table), Item: item,
		ConditionExpression:       aws.String("nextDueAt = :due"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":due": dynamo.S(dynamo.Time(p.NextDueAt))}}}}
	return st.give(ctx, g, extra, problem.New(problem.Conflict, "this month's gift of pledge %s exists", p.ID))
}

// EndPledge deletes a pledge still at the due date it was read with; one
// already moved on or ended is left as it is.
func (st *Store) EndPledge(ctx context.Context, p donation.Pledge) error {
	_, err := st.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("PLEDGE#"+p.ID, "PLEDGE"),
		ConditionExpression:       aws.String("nextDueAt = :due"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":due": dynamo.S(dynamo.Time(p.NextDueAt))}})
	if dynamo.IsConditionFailed(err) {
		return nil
	}
	return dynamo.Err(err, "end pledge")
}
