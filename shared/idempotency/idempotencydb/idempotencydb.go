// Package idempotencydb stores idempotency records in DynamoDB, one item per
// (scope, key), with an expiry attribute that DynamoDB's TTL deletes. TTL
// deletion lags, so readers ignore expired items themselves.
package idempotencydb

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/idempotency"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Store is the DynamoDB idempotency store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ idempotency.Store = (*Store)(nil)

func key(scope, k string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		tables.PK: &types.AttributeValueMemberS{Value: "IDEM#" + scope},
		tables.SK: &types.AttributeValueMemberS{Value: k},
	}
}

// Reserve writes a pending record unless an unexpired one holds the key.
func (s *Store) Reserve(ctx context.Context, rec idempotency.Record, now time.Time) error {
	item := key(rec.Scope, rec.Key)
	item["requestHash"] = &types.AttributeValueMemberS{Value: rec.RequestHash}
	item["completed"] = &types.AttributeValueMemberBOOL{Value: false}
	item[tables.Idempotency.TTLAttribute] = &types.AttributeValueMemberN{Value: strconv.FormatInt(rec.ExpiresAt.Unix(), 10)}
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.Table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(#pk) OR #exp < :now"),
		ExpressionAttributeNames: map[string]string{
			"#pk": tables.PK, "#exp": tables.Idempotency.TTLAttribute,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)},
		},
	})
	if dynamo.IsConditionFailed(err) {
		return problem.New(problem.Conflict, "the idempotency key is in use")
	}
	return dynamo.Err(err, "reserve idempotency key")
}

// Get returns the unexpired record of a key.
func (s *Store) Get(ctx context.Context, scope, k string, now time.Time) (idempotency.Record, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(s.Table), Key: key(scope, k), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return idempotency.Record{}, dynamo.Err(err, "get idempotency key")
	}
	rec := idempotency.Record{Scope: scope, Key: k}
	exp, _ := out.Item[tables.Idempotency.TTLAttribute].(*types.AttributeValueMemberN)
	if out.Item == nil || exp == nil {
		return rec, problem.New(problem.NotFound, "no such idempotency key")
	}
	secs, _ := strconv.ParseInt(exp.Value, 10, 64)
	rec.ExpiresAt = time.Unix(secs, 0).UTC()
	if rec.ExpiresAt.Before(now) {
		return rec, problem.New(problem.NotFound, "no such idempotency key")
	}
	if v, ok := out.Item["requestHash"].(*types.AttributeValueMemberS); ok {
		rec.RequestHash = v.Value
	}
	if v, ok := out.Item["completed"].(*types.AttributeValueMemberBOOL); ok {
		rec.Completed = v.Value
	}
	if v, ok := out.Item["status"].(*types.AttributeValueMemberN); ok {
		rec.Status, _ = strconv.Atoi(v.Value)
	}
	if v, ok := out.Item["body"].(*types.AttributeValueMemberB); ok {
		rec.Body = v.Value
	}
	if v, ok := out.Item["header"].(*types.AttributeValueMemberS); ok {
		rec.Header = http.Header{}
		_ = json.Unmarshal([]byte(v.Value), &rec.Header)
	}
	return rec, nil
}

// Complete stores the response of a reserved record.
func (s *Store) Complete(ctx context.Context, rec idempotency.Record) error {
	header, err := json.Marshal(rec.Header)
	if err != nil {
		return err
	}
	update := "SET completed = :t, #st = :status, header = :header"
	values := map[string]types.AttributeValue{
		":t":      &types.AttributeValueMemberBOOL{Value: true},
		":status": &types.AttributeValueMemberN{Value: strconv.Itoa(rec.Status)},
		":header": &types.AttributeValueMemberS{Value: string(header)},
		":hash":   &types.AttributeValueMemberS{Value: rec.RequestHash},
	}
	if len(rec.Body) > 0 {
		update += ", body = :body"
		values[":body"] = &types.AttributeValueMemberB{Value: rec.Body}
	}
	_, err = s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(s.Table),
		Key:                       key(rec.Scope, rec.Key),
		UpdateExpression:          aws.String(update),
		ConditionExpression:       aws.String("requestHash = :hash"),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: values,
	})
	return dynamo.Err(err, "complete idempotency key")
}

// Release deletes a record.
func (s *Store) Release(ctx context.Context, scope, k string) error {
	_, err := s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.Table), Key: key(scope, k)})
	return dynamo.Err(err, "release idempotency key")
}
