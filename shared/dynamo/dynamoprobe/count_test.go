package dynamoprobe_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/tables"
)

func TestCounter(t *testing.T) {
	raw, cfg := dynamotest.New(t)
	var c dynamoprobe.Counter
	db := c.Instrument(raw)
	table := aws.String(cfg.Table(tables.Practitioners))
	key := map[string]types.AttributeValue{tables.PK: &types.AttributeValueMemberS{Value: "a"}, tables.SK: &types.AttributeValueMemberS{Value: "b"}}

	ctx := c.Begin(context.Background(), "getPractitioner")
	for range 2 {
		if _, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: key}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Scan(context.Background(), &dynamodb.ScanInput{TableName: table}); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.GetItem(ctx, &dynamodb.GetItemInput{TableName: table, Key: key}); err != nil {
		t.Fatal(err)
	}

	u := c.Usage("getPractitioner")
	if u.Calls != 1 || u.Total() != 2 || u.Requests["GetItem"] != 2 {
		t.Errorf("getPractitioner: %+v; want 1 call, 2 GetItem (the uninstrumented client is not counted)", u)
	}
	if bg := c.Usage(dynamoprobe.Background); bg.Requests["Scan"] != 1 || bg.Total() != 1 {
		t.Errorf("background: %+v; want the one Scan", bg)
	}
	if d := c.Usage("getPractitioner").Sub(u); d.Calls != 0 || d.Total() != 0 {
		t.Errorf("usage since the snapshot: %+v; want none", d)
	}
	if ops := c.Operations(); len(ops) != 2 {
		t.Errorf("operations: %v; want getPractitioner and the background", ops)
	}
}

// TestCounterLevels counts a call's levels: requests one after another are
// a level each, requests in flight together one.
func TestCounterLevels(t *testing.T) {
	raw, cfg := dynamotest.New(t)
	var c dynamoprobe.Counter
	// Both requests of the parallel level wait in the SDK's stack, inside
	// the counter's window, until the other has arrived: they are in
	// flight together whatever the scheduler does.
	arrived := make(chan struct{}, 2)
	barrier := func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("barrier",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				if ctx.Value(parallelKey{}) != nil {
					arrived <- struct{}{}
					for len(arrived) < 2 {
						time.Sleep(time.Millisecond)
					}
				}
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
	db := dynamodb.New(c.Instrument(raw).Options(), func(o *dynamodb.Options) { o.APIOptions = append(o.APIOptions, barrier) })
	get := func(ctx context.Context) {
		key := map[string]types.AttributeValue{tables.PK: &types.AttributeValueMemberS{Value: "a"}, tables.SK: &types.AttributeValueMemberS{Value: "b"}}
		if _, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(cfg.Table(tables.People)), Key: key}); err != nil {
			t.Error(err)
		}
	}

	ctx := c.Begin(context.Background(), "getBeneficiary")
	get(ctx)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { get(context.WithValue(ctx, parallelKey{}, true)) })
	}
	wg.Wait()
	get(ctx)
	other := c.Begin(context.Background(), "getBeneficiary")
	get(other)

	u := c.Usage("getBeneficiary")
	if u.Calls != 2 || u.Total() != 5 || u.Levels != 4 {
		t.Errorf("usage: %+v; want 2 calls, 5 requests, 4 levels (1, 2 together, 1; then 1)", u)
	}
	if d := c.Usage("getBeneficiary").Sub(u); d.Levels != 0 {
		t.Errorf("levels since the snapshot: %d; want 0", d.Levels)
	}
}

type parallelKey struct{}
