package dynamoprobe_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

func TestFaults(t *testing.T) {
	raw, cfg := dynamotest.New(t)
	var c dynamoprobe.Counter
	var f dynamoprobe.Faults
	db := f.Instrument(raw)
	table := aws.String(cfg.Table(tables.Practitioners))
	key := map[string]types.AttributeValue{tables.PK: &types.AttributeValueMemberS{Value: "a"}, tables.SK: &types.AttributeValueMemberS{Value: "b"}}
	get := func(ctx context.Context) error {
		_, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: key})
		return dynamo.Err(err, "get")
	}
	f.Fail("getPractitioner", "GetItem", dynamoprobe.Throttled, 1)
	ctx := c.Begin(context.Background(), "getPractitioner")
	if err := get(context.Background()); err != nil {
		t.Fatalf("a request of another operation failed: %v", err)
	}
	if err := get(ctx); !problem.Is(err, problem.Unavailable) {
		t.Fatalf("the chosen request: %v; want unavailable", err)
	}
	if err := get(ctx); err != nil {
		t.Fatalf("the fault outlived its count: %v", err)
	}
	f.Fail("getPractitioner", "GetItem", context.DeadlineExceeded, 1)
	if err := get(ctx); !problem.Is(err, problem.Unavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a timeout: %v; want unavailable", err)
	}
}
