package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"ohcs/shared/tables"
)

// TestGrantsAreEnforced holds the functions to the IAM grants the stack
// gives them: a function that reads a table it was not granted gets
// AccessDeniedException, as in AWS, and a transaction is checked item by
// item.
func TestGrantsAreEnforced(t *testing.T) {
	c := start(t, nil)
	s := c.server
	db, cfg := s.Env.DynamoDB, s.Env.Config
	denied := func(err error) bool {
		var apiErr smithy.APIError
		return errors.As(err, &apiErr) && apiErr.ErrorCode() == "AccessDeniedException"
	}
	query := &dynamodb.QueryInput{TableName: aws.String(cfg.Table(tables.Scheduling)),
		KeyConditionExpression:    aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "x"}}}
	if _, err := db.Query(s.Requests.Begin(context.Background(), "getMe"), query); !denied(err) {
		t.Errorf("getMe queried the scheduling table: got %v; want AccessDeniedException", err)
	}
	if _, err := db.Query(s.Requests.Begin(context.Background(), "getBeneficiary"), query); err != nil {
		t.Errorf("getBeneficiary (the access policy reads appointments) was refused the scheduling table: %v", err)
	}
	// A transaction is checked per item: one item on an ungranted table
	// refuses the whole request.
	tx := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(cfg.Table(tables.Audit)), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "grants"}, "sk": &types.AttributeValueMemberS{Value: "1"}}}},
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String(cfg.Table(tables.Donations)), ConditionExpression: aws.String("attribute_not_exists(pk)"),
			Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "x"}, "sk": &types.AttributeValueMemberS{Value: "x"}}}},
	}}
	if _, err := db.TransactWriteItems(s.Requests.Begin(context.Background(), "getBeneficiary"), tx); !denied(err) {
		t.Errorf("a transaction with an item on an ungranted table: got %v; want AccessDeniedException", err)
	}
	if got := s.Grants.TakeDenied(); len(got) != 2 {
		t.Errorf("denials recorded: got %v; want 2", got)
	}
}
