package dynamoprobe_test

import (
	"reflect"
	"sort"
	"testing"

	"ohcs/shared/dynamo/dynamoprobe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestWrittenTables(t *testing.T) {
	for _, c := range []struct {
		in   any
		want []string
	}{
		{&dynamodb.GetItemInput{TableName: aws.String("a")}, nil},
		{&dynamodb.QueryInput{TableName: aws.String("a")}, nil},
		{&dynamodb.PutItemInput{TableName: aws.String("a")}, []string{"a"}},
		{&dynamodb.UpdateItemInput{TableName: aws.String("b")}, []string{"b"}},
		{&dynamodb.DeleteItemInput{TableName: aws.String("c")}, []string{"c"}},
		{&dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String("a")}}, {Update: &types.Update{TableName: aws.String("b")}},
			{Delete: &types.Delete{TableName: aws.String("a")}}, {ConditionCheck: &types.ConditionCheck{TableName: aws.String("z")}},
		}}, []string{"a", "a", "b"}},
		{&dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"k": {{}, {}}}}, []string{"k", "k"}},
	} {
		got := dynamoprobe.WrittenTables(c.in)
		sort.Strings(got)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%T: %v; want %v", c.in, got, c.want)
		}
	}
}
