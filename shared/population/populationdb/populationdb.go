// Package populationdb keeps the population counters in the clinical
// table: one item per scope and day (pk STATS#<scope>, sk DAY#<date>)
// whose attributes are the counters. An event is counted in the same
// transaction that marks its outbox message counted, so a message handed
// over twice is counted once.
package populationdb

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/platform"
	"ohcs/shared/population"
	"ohcs/shared/tables"
)

// Store is the DynamoDB population store.
type Store struct {
	DB          *dynamodb.Client
	Table       string // the clinical table
	OutboxTable string
}

var _ population.Store = (*Store)(nil)

// Add counts t on day in every scope and marks the message counted, in
// one transaction; a message already counted adds nothing.
func (st *Store) Add(ctx context.Context, messageID, day string, scopes []string, t population.Tally) error {
	if len(t) == 0 || len(scopes) == 0 {
		return nil
	}
	names := make([]string, 0, len(t))
	for k := range t {
		names = append(names, k)
	}
	sort.Strings(names)
	expr := "ADD "
	attrNames := map[string]string{}
	values := map[string]types.AttributeValue{}
	for i, k := range names {
		if i > 0 {
			expr += ", "
		}
		expr += fmt.Sprintf("#k%d :v%d", i, i)
		attrNames[fmt.Sprintf("#k%d", i)] = k
		values[fmt.Sprintf(":v%d", i)] = &types.AttributeValueMemberN{Value: strconv.FormatInt(t[k], 10)}
	}
	var tx dynamo.Tx
	tx.Add("message", types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.OutboxTable), Key: dynamo.Key("MSG#"+messageID, "MSG"),
		UpdateExpression:          aws.String("SET counted = :t"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND attribute_not_exists(counted)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberBOOL{Value: true}}}})
	for _, scope := range scopes {
		tx.Add("counter", types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: dynamo.Key("STATS#"+scope, "DAY#"+day),
			UpdateExpression: aws.String(expr), ExpressionAttributeNames: attrNames, ExpressionAttributeValues: values}})
	}
	err := tx.Run(ctx, st.DB)
	if tx.Failed(err, "message") {
		return nil // counted before
	}
	return dynamo.Err(err, "count event")
}

// Sum adds up the counters of scope over the days from..to.
func (st *Store) Sum(ctx context.Context, scope, from, to string) (population.Tally, error) {
	sum := population.Tally{}
	p := dynamodb.NewQueryPaginator(st.DB, &dynamodb.QueryInput{TableName: aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("STATS#" + scope), ":from": dynamo.S("DAY#" + from), ":to": dynamo.S("DAY#" + to),
		}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, dynamo.Err(err, "read population counters")
		}
		for _, it := range page.Items {
			for k, v := range it {
				n, ok := v.(*types.AttributeValueMemberN)
				if !ok {
					continue
				}
				x, err := strconv.ParseInt(n.Value, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("population counter %s: %w", k, err)
				}
				sum[k] += x
			}
		}
	}
	return sum, nil
}

// Tables the counter reads and writes.
var (
	Reads  = []tables.Table{tables.Outbox, tables.Clinical, tables.Practitioners, tables.Registry, tables.Donations}
	Writes = []tables.Table{tables.Outbox, tables.Clinical}
)

// NewStore returns the store of env.
func NewStore(env *platform.Env) *Store {
	return &Store{DB: env.DynamoDB, Table: env.Config.Table(tables.Clinical), OutboxTable: env.Config.Table(tables.Outbox)}
}
