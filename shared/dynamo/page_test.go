package dynamo_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/tables"
)

// TestPageGoesOnAfterAShortAnswer: DynamoDB may answer a Query with fewer
// items than its Limit and a LastEvaluatedKey (its 1 MB page, or a filter
// applied after the Limit); only an answer without LastEvaluatedKey ends
// the result. dynamo.Page reads on, so a short answer never ends a list
// early. Here a filter keeps every other item of ten.
func TestPageGoesOnAfterAShortAnswer(t *testing.T) {
	db, cfg := dynamotest.New(t)
	ctx := context.Background()
	table := cfg.Table(tables.Audit)
	for i := range 10 {
		item := dynamo.Key("PAGE", fmt.Sprintf("%02d", i))
		item["even"] = &types.AttributeValueMemberBOOL{Value: i%2 == 0}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	query := func() *dynamodb.QueryInput {
		return &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :pk"),
			FilterExpression:          aws.String("even = :t"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("PAGE"), ":t": &types.AttributeValueMemberBOOL{Value: true}}}
	}
	keys := []string{tables.PK, tables.SK}
	var got []string
	var after map[string]string
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("the pages do not end")
		}
		items, next, err := dynamo.Page(ctx, db, query(), keys, 2, after, false, "page")
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			got = append(got, dynamo.Str(it[tables.SK]))
		}
		if next == nil {
			break
		}
		after = next
	}
	if fmt.Sprint(got) != "[00 02 04 06 08]" {
		t.Errorf("pages of 2 read %v; want every even item once, in order", got)
	}
}

// TestAllReadsEveryPage: All reads a query to its end, whatever pages
// DynamoDB cuts it into (here one item a page, as its 1 MB pages would
// cut a long one), so that a whole answer is whole.
func TestAllReadsEveryPage(t *testing.T) {
	db, cfg := dynamotest.New(t)
	ctx := context.Background()
	table := cfg.Table(tables.Audit)
	for i := range 7 {
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: dynamo.Key("ALL", fmt.Sprintf("%02d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err := dynamo.All(ctx, db, &dynamodb.QueryInput{TableName: aws.String(table), Limit: aws.Int32(1),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("ALL")}}, "read all", func(item map[string]types.AttributeValue) error {
		got = append(got, dynamo.Str(item[tables.SK]))
		return nil
	})
	if err != nil || len(got) != 7 || got[0] != "00" || got[6] != "06" {
		t.Fatalf("read %v (%v); want the seven items in order", got, err)
	}
}

// TestDecodeKeepsTheOrderAndStopsAtAnError: a page's items decode in the
// order the query gave them; an item that does not decode is the error of
// the whole, with no part of the page.
func TestDecodeKeepsTheOrderAndStopsAtAnError(t *testing.T) {
	items := []map[string]types.AttributeValue{{"n": dynamo.N(3)}, {"n": dynamo.N(1)}, {"n": dynamo.N(2)}}
	num := func(it map[string]types.AttributeValue) (int64, error) {
		if _, ok := it["n"]; !ok {
			return 0, fmt.Errorf("no n")
		}
		return dynamo.Num(it["n"]), nil
	}
	got, err := dynamo.Decode(items, num)
	if err != nil || fmt.Sprint(got) != "[3 1 2]" {
		t.Fatalf("Decode: got %v, %v; want [3 1 2]", got, err)
	}
	if got, err := dynamo.Decode(append(items, map[string]types.AttributeValue{}), num); err == nil || got != nil {
		t.Errorf("Decode of a bad item: got %v, %v; want its error and nothing", got, err)
	}
	if got, err := dynamo.Decode(nil, num); err != nil || len(got) != 0 {
		t.Errorf("Decode of no items: got %v, %v", got, err)
	}
}
