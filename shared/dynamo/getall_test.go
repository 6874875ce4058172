package dynamo_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/tables"
)

// TestGetAllReadsTablesInOneRequest: items of two tables, one missing and
// one asked twice, in one BatchGetItem; each get is handed its item, the
// missing one nil.
func TestGetAllReadsTablesInOneRequest(t *testing.T) {
	ctx := context.Background()
	raw, cfg := dynamotest.New(t)
	var counter dynamoprobe.Counter
	db := counter.Instrument(raw)
	people, practitioners := cfg.Table(tables.People), cfg.Table(tables.Practitioners)
	key := func(pk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{tables.PK: dynamo.S(pk), tables.SK: dynamo.S("PROFILE")}
	}
	for table, pk := range map[string]string{people: "B1", practitioners: "P1"} {
		item := key(pk)
		item["name"] = dynamo.S(pk + " in " + table)
		if _, err := raw.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]string{}
	get := func(name, table, pk string) dynamo.Get {
		return dynamo.Get{Table: table, Key: key(pk), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
			if item == nil {
				got[name] = "absent"
			} else {
				got[name] = dynamo.Str(item["name"])
			}
			return nil
		}}
	}
	err := dynamo.GetAll(counter.Begin(ctx, "read"), db, get("b", people, "B1"), get("p", practitioners, "P1"),
		get("again", people, "B1"), get("missing", practitioners, "B1"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"b": "B1 in " + people, "p": "P1 in " + practitioners, "again": "B1 in " + people, "missing": "absent"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q; want %q", k, got[k], v)
		}
	}
	if u := counter.Usage("read"); u.Total() != 1 || u.Requests["BatchGetItem"] != 1 {
		t.Errorf("requests: %v; want one BatchGetItem", u.Requests)
	}
	// DynamoDB refuses more than 100 items a request: so does GetAll,
	// before sending.
	many := make([]dynamo.Get, 101)
	for i := range many {
		many[i] = get("many", people, fmt.Sprint("X", i))
	}
	before := counter.Usage("read")
	if err := dynamo.GetAll(counter.Begin(ctx, "read"), db, many...); err == nil {
		t.Error("101 gets in one batch were sent")
	}
	if u := counter.Usage("read").Sub(before); u.Total() != 0 {
		t.Errorf("a refused batch sent %v", u.Requests)
	}
}
