package dynamo_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/tables"
)

// TestTxNamesItsFailures: a transaction's failure is asked by the name of
// the item whose condition failed, whatever the order of its items.
func TestTxNamesItsFailures(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	table := cfg.Table(tables.Donations)
	item := func(pk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{tables.PK: &types.AttributeValueMemberS{Value: pk}, tables.SK: &types.AttributeValueMemberS{Value: "X"}}
	}
	put := func(pk string) types.TransactWriteItem {
		return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: item(pk), ConditionExpression: aws.String("attribute_not_exists(pk)")}}
	}
	var first dynamo.Tx
	first.Add("taken", put("A"))
	if err := first.Run(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, order := range [][]string{{"fresh", "taken"}, {"taken", "fresh"}} {
		var tx dynamo.Tx
		for _, name := range order {
			pk := "B"
			if name == "taken" {
				pk = "A"
			}
			tx.Add(name, put(pk))
		}
		err := tx.Run(ctx, db)
		if err == nil || !tx.Failed(err, "taken") || tx.Failed(err, "fresh") || tx.Contended(err) {
			t.Errorf("order %v: got %v; want the item named taken to fail alone", order, err)
		}
	}
}
