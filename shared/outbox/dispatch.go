package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/tables"
)

// Dispatcher publishes the pending messages whose time has come and marks
// them published. A publish that fails leaves the row pending for the next
// run; a row published but not marked is published again, and delivery is
// idempotent, so nothing is lost and nothing is sent twice.
type Dispatcher struct {
	DB      *dynamodb.Client
	Table   string
	Publish func(ctx context.Context, m Message) error
	// Observe, when set, sees every due message before it is published
	// (the population statistics count them, idempotently). An error leaves
	// the message pending for the next run; it is published all the same.
	Observe func(ctx context.Context, m Message) error
}

// Run publishes up to limit due messages and returns how many it published.
func (d *Dispatcher) Run(ctx context.Context, now time.Time, limit int) (int, error) {
	out, err := d.DB.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(d.Table), IndexName: aws.String(tables.GSI1.Name),
		KeyConditionExpression: aws.String("gsi1pk = :p AND gsi1sk <= :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":p": &types.AttributeValueMemberS{Value: "PENDING"}, ":now": &types.AttributeValueMemberS{Value: dynamo.Time(now) + "#~"},
		},
		Limit: aws.Int32(int32(limit))})
	if err != nil {
		return 0, dynamo.Err(err, "read outbox")
	}
	published := 0
	var firstErr error
	for _, item := range out.Items {
		m, err := Decode(item)
		if err != nil {
			return published, err
		}
		if err := d.handle(ctx, m); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		_, err = d.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(d.Table),
			Key:                       map[string]types.AttributeValue{tables.PK: item[tables.PK], tables.SK: item[tables.SK]},
			UpdateExpression:          aws.String("SET #status = :published, gsi1pk = :done"),
			ExpressionAttributeNames:  map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":published": &types.AttributeValueMemberS{Value: "published"}, ":done": &types.AttributeValueMemberS{Value: "PUBLISHED"}}})
		if err != nil {
			return published, dynamo.Err(err, "mark outbox message published")
		}
		published++
	}
	return published, firstErr
}

// handle counts m and publishes it when it notifies anyone. A failed count
// never holds a notice back: the message is published anyway and left
// pending, so the next run counts it (once) and publishes it again, which
// delivery makes harmless.
func (d *Dispatcher) handle(ctx context.Context, m Message) error {
	var observeErr error
	if d.Observe != nil {
		if err := d.Observe(ctx, m); err != nil {
			observeErr = fmt.Errorf("observe %s: %w", m.ID, err)
		}
	}
	if m.Kind.Notifies() {
		if err := d.Publish(ctx, m); err != nil {
			return fmt.Errorf("publish %s: %w", m.ID, err)
		}
	}
	return observeErr
}
