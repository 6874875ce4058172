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
	// DynamoDB refuses more than 100 items a request (a ValidationException):
	// GetAll sends 201 distinct gets as three requests, and 150 gets of
	// one item as one.
	many := make([]dynamo.Get, 0, 201)
	seen := 0
	for i := range 201 {
		many = append(many, dynamo.Get{Table: people, Key: key(fmt.Sprint("X", i)), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
			if item != nil {
				t.Errorf("X%d: an item that is not there", i)
			}
			seen++
			return nil
		}})
	}
	before := counter.Usage("many")
	if err := dynamo.GetAll(counter.Begin(ctx, "many"), db, many...); err != nil {
		t.Fatalf("201 gets: %v", err)
	}
	if u := counter.Usage("many").Sub(before); seen != 201 || u.Requests["BatchGetItem"] != 3 {
		t.Errorf("201 gets: %d handed, %v; want 201, three BatchGetItem", seen, u.Requests)
	}
	same := make([]dynamo.Get, 150)
	for i := range same {
		same[i] = get("same", people, "B1")
	}
	if err := dynamo.GetAll(counter.Begin(ctx, "same"), db, same...); err != nil || got["same"] != "B1 in "+people {
		t.Fatalf("150 gets of one item: %v, %q", err, got["same"])
	}
	if u := counter.Usage("same"); u.Total() != 1 {
		t.Errorf("150 gets of one item sent %v; want one request", u.Requests)
	}
}
