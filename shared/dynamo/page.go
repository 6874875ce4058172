package dynamo

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/problem"
)

// MaxRounds is how many requests a page reads at most while a filter drops
// items: a page's cost is bounded, and a short page with a cursor is the
// answer when the filter drops more.
const MaxRounds = 8

// Page reads one page of the query in: at most limit items, starting after
// the position after (nil for the first page), and the position of its
// last item when more may follow. A position holds the key attributes
// keys. Without a filter each request asks for what the page still lacks
// (and one more, to know whether more follow); with one (filtered), 100 at
// a time. Invalid for an after that is not a position of keys.
func Page(ctx context.Context, db *dynamodb.Client, in *dynamodb.QueryInput, keys []string, limit int, after map[string]string, filtered bool, action string) ([]map[string]types.AttributeValue, map[string]string, error) {
	limit = max(limit, 1)
	if after != nil {
		in.ExclusiveStartKey = map[string]types.AttributeValue{}
		for _, k := range keys {
			v, ok := after[k]
			if !ok {
				return nil, nil, problem.Field("cursor", "is not a cursor of this query")
			}
			in.ExclusiveStartKey[k] = S(v)
		}
	}
	var raw []map[string]types.AttributeValue
	var last map[string]types.AttributeValue
	for round := 0; round < MaxRounds && len(raw) <= limit; round++ {
		in.Limit = aws.Int32(int32(limit + 1 - len(raw)))
		if filtered {
			in.Limit = aws.Int32(100)
		}
		out, err := db.Query(ctx, in)
		if err != nil {
			return nil, nil, Err(err, action)
		}
		raw, last = append(raw, out.Items...), out.LastEvaluatedKey
		if last == nil {
			break
		}
		in.ExclusiveStartKey = last
	}
	if len(raw) > limit {
		raw, last = raw[:limit], raw[limit-1]
	}
	return raw, Position(last, keys), nil
}

// Position is the position of item by the key attributes keys (nil for no
// item).
func Position(item map[string]types.AttributeValue, keys []string) map[string]string {
	if item == nil {
		return nil
	}
	pos := map[string]string{}
	for _, k := range keys {
		if v, ok := item[k].(*types.AttributeValueMemberS); ok {
			pos[k] = v.Value
		}
	}
	return pos
}

// All runs the query in to its end (every page DynamoDB cuts it into) and
// hands each item to each: for reads whose answer must be whole (a
// revocation missed would be access kept), bounded by what the key
// selects.
func All(ctx context.Context, db *dynamodb.Client, in *dynamodb.QueryInput, action string, each func(map[string]types.AttributeValue) error) error {
	p := dynamodb.NewQueryPaginator(db, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Err(err, action)
		}
		for _, item := range page.Items {
			if err := each(item); err != nil {
				return err
			}
		}
	}
	return nil
}

// Decode decodes items with decode, in their order; the first item that
// does not decode ends it with its error.
func Decode[T any](items []map[string]types.AttributeValue, decode func(map[string]types.AttributeValue) (T, error)) ([]T, error) {
	var out []T
	for _, it := range items {
		v, err := decode(it)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
