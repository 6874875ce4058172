// Package auditdb stores audit events in their DynamoDB table: one item per
// event under its beneficiary (pk BENEFICIARY#<id>, sk <time>#<id>), indexed
// by actor (gsi1pk ACTOR#<sub>, gsi1sk <time>#<id>). Events are put, never
// deleted; the one update is the count of a denial event: repeated denials
// of one actor's action on one beneficiary within audit.DenialWindow add
// to the first one's count, found through a marker item (sk
// ~DENIALS#<window>#<actor>#<action>, outside every listed key range).
package auditdb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/audit"
	"ohcs/shared/dynamo"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Store is the DynamoDB audit store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ audit.Store = (*Store)(nil)

// stamp is a sortable time: RFC 3339 with fixed nanoseconds.
const stamp = dynamo.Stamp

type item struct {
	PK            string `dynamodbav:"pk"`
	SK            string `dynamodbav:"sk"`
	GSI1PK        string `dynamodbav:"gsi1pk"`
	GSI1SK        string `dynamodbav:"gsi1sk"`
	ID            string `dynamodbav:"id"`
	Time          string `dynamodbav:"time"`
	ActorSub      string `dynamodbav:"actorSub"`
	ActorRole     string `dynamodbav:"actorRole,omitempty"`
	Action        string `dynamodbav:"action"`
	ResourceType  string `dynamodbav:"resourceType"`
	ResourceID    string `dynamodbav:"resourceId,omitempty"`
	BeneficiaryID string `dynamodbav:"beneficiaryId"`
	Outcome       string `dynamodbav:"outcome"`
	RequestID     string `dynamodbav:"requestId,omitempty"`
	Count         int    `dynamodbav:"count,omitempty"`
	LastTime      string `dynamodbav:"lastTime,omitempty"`
}

// Append puts an event; an existing event is never overwritten.
func (s *Store) Append(ctx context.Context, e audit.Event) error {
	av, err := itemOf(e)
	if err != nil {
		return err
	}
	if e.Outcome == audit.Denied {
		return s.appendDenial(ctx, e, av)
	}
	if err := dynamo.PutNew(ctx, s.DB, s.Table, av, "pk", "sk"); err != nil {
		return unavailable(err)
	}
	return nil
}

// Put is the write of an allowed event inside another write's transaction
// (the booking it allows): the event is stored with what it allows or not
// at all. Appending the same event after is harmless: Append finds it.
func (s *Store) Put(e audit.Event) (types.TransactWriteItem, error) {
	if e.Outcome != audit.Allowed {
		return types.TransactWriteItem{}, fmt.Errorf("audit: only an allowed event is written in a transaction, not %q", e.Outcome)
	}
	av, err := itemOf(e)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Table), Item: av,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}}, nil
}

func itemOf(e audit.Event) (map[string]types.AttributeValue, error) {
	sortKey := e.Time.UTC().Format(stamp) + "#" + e.ID
	av, err := attributevalue.MarshalMap(item{
		PK: "BENEFICIARY#" + e.BeneficiaryID, SK: sortKey,
		GSI1PK: "ACTOR#" + e.ActorSub, GSI1SK: sortKey,
		ID: e.ID, Time: e.Time.UTC().Format(stamp), ActorSub: e.ActorSub, ActorRole: e.ActorRole,
		Action: e.Action, ResourceType: e.ResourceType, ResourceID: e.ResourceID,
		BeneficiaryID: e.BeneficiaryID, Outcome: string(e.Outcome), RequestID: e.RequestID,
	})
	if err != nil {
		return nil, fmt.Errorf("marshal audit event: %w", err)
	}
	return av, nil
}

func unavailable(err error) error {
	return problem.Wrap(problem.Unavailable, dynamo.Err(err, "append audit event"), "the audit trail is unavailable, retry later")
}

// appendDenial records a denial: the first of its window as an event
// with its marker, in one transaction; a later one adds to that event's
// count.
func (s *Store) appendDenial(ctx context.Context, e audit.Event, av map[string]types.AttributeValue) error {
	pk := av[tables.PK]
	window := e.Time.UTC().Truncate(audit.DenialWindow).Format(stamp)
	marker := map[string]types.AttributeValue{tables.PK: pk,
		tables.SK: &types.AttributeValueMemberS{Value: "~DENIALS#" + window + "#" + e.ActorSub + "#" + e.Action},
		"eventSk": av[tables.SK],
	}
	av["count"], av["lastTime"] = &types.AttributeValueMemberN{Value: "1"}, &types.AttributeValueMemberS{Value: e.Time.UTC().Format(stamp)}
	var tx dynamo.Tx
	tx.Add("marker", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Table), Item: marker, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	tx.Add("event", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.Table), Item: av, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	err := tx.Run(ctx, s.DB)
	if err == nil {
		return nil
	}
	if !tx.Failed(err, "marker") {
		return unavailable(err)
	}
	// Not the first of its window: count it on the first.
	got, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{tables.PK: pk, tables.SK: marker[tables.SK]}})
	if err != nil {
		return unavailable(err)
	}
	first, ok := got.Item["eventSk"]
	if !ok {
		return unavailable(fmt.Errorf("denial marker without its event"))
	}
	_, err = s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(s.Table),
		Key:                      map[string]types.AttributeValue{tables.PK: pk, tables.SK: first},
		UpdateExpression:         aws.String("ADD #count :one SET lastTime = :last"),
		ConditionExpression:      aws.String("attribute_exists(pk)"),
		ExpressionAttributeNames: map[string]string{"#count": "count"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": &types.AttributeValueMemberN{Value: "1"}, ":last": &types.AttributeValueMemberS{Value: e.Time.UTC().Format(stamp)},
		}})
	if err != nil {
		return unavailable(err)
	}
	return nil
}

// List queries the events of a beneficiary, or of an actor, newest first.
func (s *Store) List(ctx context.Context, q audit.Query) (page.Of[audit.Event], error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.Table),
		ScanIndexForward:          aws.Bool(false),
		ExpressionAttributeNames:  map[string]string{"#pk": tables.PK, "#sk": tables.SK},
		ExpressionAttributeValues: map[string]types.AttributeValue{},
	}
	keys := []string{tables.PK, tables.SK}
	if q.BeneficiaryID != "" {
		in.ExpressionAttributeValues[":pk"] = &types.AttributeValueMemberS{Value: "BENEFICIARY#" + q.BeneficiaryID}
	} else {
		in.IndexName = aws.String(tables.GSI1.Name)
		in.ExpressionAttributeNames = map[string]string{"#pk": tables.GSI1PK, "#sk": tables.GSI1SK}
		in.ExpressionAttributeValues[":pk"] = &types.AttributeValueMemberS{Value: "ACTOR#" + q.ActorSub}
		keys = append(keys, tables.GSI1PK, tables.GSI1SK)
	}
	// The sort key starts with the time: a window is a key range.
	from, to := "0", "9"
	if !q.From.IsZero() {
		from = q.From.UTC().Format(stamp)
	}
	if !q.To.IsZero() {
		to = q.To.UTC().Format(stamp)
	}
	in.KeyConditionExpression = aws.String("#pk = :pk AND #sk BETWEEN :from AND :to")
	in.ExpressionAttributeValues[":from"] = &types.AttributeValueMemberS{Value: from}
	in.ExpressionAttributeValues[":to"] = &types.AttributeValueMemberS{Value: to}
	filtered := false
	if q.BeneficiaryID != "" && q.ActorSub != "" {
		in.FilterExpression = aws.String("actorSub = :actor")
		in.ExpressionAttributeValues[":actor"] = &types.AttributeValueMemberS{Value: q.ActorSub}
		filtered = true
	}
	if q.Action != "" {
		cond := "#action = :action"
		if in.FilterExpression != nil {
			cond = *in.FilterExpression + " AND " + cond
		}
		in.FilterExpression = aws.String(cond)
		in.ExpressionAttributeNames["#action"] = "action"
		in.ExpressionAttributeValues[":action"] = &types.AttributeValueMemberS{Value: q.Action}
		filtered = true
	}
	raw, next, err := dynamo.Page(ctx, s.DB, in, keys, q.Limit, q.After, filtered, "list audit events")
	if err != nil {
		return page.Of[audit.Event]{}, err
	}
	out := page.Of[audit.Event]{Next: next}
	for _, av := range raw {
		var it item
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return page.Of[audit.Event]{}, fmt.Errorf("unmarshal audit event: %w", err)
		}
		t, _ := time.Parse(stamp, it.Time)
		e := audit.Event{
			ID: it.ID, Time: t, ActorSub: it.ActorSub, ActorRole: it.ActorRole, Action: it.Action,
			ResourceType: it.ResourceType, ResourceID: it.ResourceID, BeneficiaryID: it.BeneficiaryID,
			Outcome: audit.Outcome(it.Outcome), RequestID: it.RequestID, Count: it.Count,
		}
		if it.LastTime != "" {
			e.LastTime, _ = time.Parse(stamp, it.LastTime)
		}
		out.Items = append(out.Items, e)
	}
	return out, nil
}
