package dynamoprobe_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

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
