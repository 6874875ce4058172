// Package ratelimit bounds how often one caller may use a business flow
// (sending notifications, small gifts): a fixed window counter per caller in
// DynamoDB, one conditional update per request, expired by the table's TTL.
// A caller over the limit gets 429 with Retry-After until the window ends.
package ratelimit

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Rule is a limit: at most Limit uses of the flow Name per Window by one
// caller. What describes the uses for the message ("notifications").
type Rule struct {
	Name   string
	What   string
	Limit  int
	Window time.Duration
}

// Limiter counts uses in Table, a table with a TTL attribute (the
// idempotency table: both hold short-lived request state).
type Limiter struct {
	DB    *dynamodb.Client
	Table string
	Now   func() time.Time
}

// Allow counts one use of rule by key and returns a Throttled problem,
// with the seconds to the window's end, when key is over the limit. A
// refused use is not counted.
func (l *Limiter) Allow(ctx context.Context, rule Rule, key string) error {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	t := now().UTC()
	start := t.Truncate(rule.Window)
	end := start.Add(rule.Window)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(l.Table),
		Key: map[string]types.AttributeValue{
			tables.PK: &types.AttributeValueMemberS{Value: "RATE#" + rule.Name + "#" + key},
			tables.SK: &types.AttributeValueMemberS{Value: start.Format(time.RFC3339)},
		},
		UpdateExpression:         aws.String("ADD hits :one SET #exp = :exp"),
		ConditionExpression:      aws.String("attribute_not_exists(hits) OR hits < :limit"),
		ExpressionAttributeNames: map[string]string{"#exp": tables.Idempotency.TTLAttribute},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one":   &types.AttributeValueMemberN{Value: "1"},
			":limit": &types.AttributeValueMemberN{Value: strconv.Itoa(rule.Limit)},
			":exp":   &types.AttributeValueMemberN{Value: strconv.FormatInt(end.Add(time.Hour).Unix(), 10)},
		},
	})
	if dynamo.IsConditionFailed(err) {
		wait := int(end.Sub(t).Seconds()) + 1
		return &problem.Error{Code: problem.Throttled, RetryAfter: wait,
			Message: "at most " + strconv.Itoa(rule.Limit) + " " + rule.What + " per " + span(rule.Window) + ": retry in " + strconv.Itoa(wait) + " seconds"}
	}
	return dynamo.Err(err, "count "+rule.Name)
}

// span says a window in words: "hour", "10 minutes".
func span(d time.Duration) string {
	switch {
	case d == time.Hour:
		return "hour"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + " hours"
	case d == time.Minute:
		return "minute"
	default:
		return strconv.Itoa(int(d/time.Minute)) + " minutes"
	}
}
