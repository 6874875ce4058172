// Package dynamo owns the DynamoDB client of OHCS: the one factory that
// works against AWS and against a local DynamoDB-compatible endpoint, table
// creation from the table definitions, and the translation of DynamoDB
// errors into problem codes.
package dynamo

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"ohcs/shared/config"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// NewClient returns a DynamoDB client for cfg: AWS's regional endpoint and
// the role's credentials, or cfg.DynamoDBEndpoint with static local
// credentials.
func NewClient(ctx context.Context, cfg config.Config) (*dynamodb.Client, error) {
	if cfg.DynamoDBEndpoint != "" && cfg.Credentials.AccessKeyID == "" {
		cfg.Credentials = config.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}
	}
	return dynamodb.NewFromConfig(cfg.AWS(), func(o *dynamodb.Options) {
		if cfg.DynamoDBEndpoint != "" {
			o.BaseEndpoint = aws.String(cfg.DynamoDBEndpoint)
			// Local stand-ins send no X-Amz-Crc32 header.
			o.DisableValidateResponseChecksum = true
		}
	}), nil
}

// CreateTables creates every table of defs under its physical name in names
// (logical to physical), for the local server and the tests. In AWS the CDK
// stack creates the tables.
func CreateTables(ctx context.Context, db *dynamodb.Client, defs []tables.Table, names map[string]string) error {
	for _, t := range defs {
		in := &dynamodb.CreateTableInput{
			TableName:   aws.String(names[t.Name]),
			BillingMode: types.BillingModePayPerRequest,
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String(t.PartitionKey), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String(t.SortKey), KeyType: types.KeyTypeRange},
			},
		}
		attrs := map[string]bool{t.PartitionKey: true, t.SortKey: true}
		for _, ix := range t.Indexes {
			in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{
				IndexName: aws.String(ix.Name),
				KeySchema: []types.KeySchemaElement{
					{AttributeName: aws.String(ix.PartitionKey), KeyType: types.KeyTypeHash},
					{AttributeName: aws.String(ix.SortKey), KeyType: types.KeyTypeRange},
				},
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
			})
			attrs[ix.PartitionKey], attrs[ix.SortKey] = true, true
		}
		for name := range attrs {
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
				AttributeName: aws.String(name), AttributeType: types.ScalarAttributeTypeS,
			})
		}
		if _, err := db.CreateTable(ctx, in); err != nil {
			var inUse *types.ResourceInUseException
			if errors.As(err, &inUse) {
				continue
			}
			return fmt.Errorf("create table %s: %w", names[t.Name], err)
		}
	}
	return nil
}

// Err translates a DynamoDB error into a problem: throttling and service
// faults become Unavailable, anything else Internal. Condition failures are
// the caller's to interpret (see CancellationCodes and IsConditionFailed).
func Err(err error, action string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return problem.Wrap(problem.Unavailable, fmt.Errorf("%s: %w", action, err), "the data store did not answer in time, retry later")
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
			"InternalServerError", "ServiceUnavailable", "TransactionInProgressException":
			return problem.Wrap(problem.Unavailable, fmt.Errorf("%s: %w", action, err), "the data store is busy, retry later")
		}
	}
	return fmt.Errorf("%s: %w", action, err)
}

// IsConditionFailed reports whether err is a failed condition expression of
// a single-item write.
func IsConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// CancellationCodes returns the per-item cancellation codes of a cancelled
// transaction ("None", "ConditionalCheckFailed", ...), or nil when err is
// not a cancelled transaction.
func CancellationCodes(err error) []string {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil
	}
	codes := make([]string, len(tce.CancellationReasons))
	for i, r := range tce.CancellationReasons {
		codes[i] = aws.ToString(r.Code)
	}
	return codes
}

// PutNew stores a new item under a key nobody else can hold (a fresh id):
// it must not exist yet. When the condition fails because an earlier
// attempt of this same request was stored and its answer lost (the SDK
// retries a timed-out or 5xx PutItem, and DynamoDB may have applied it),
// the stored item is the one sent: that is success, not a conflict. A
// different item under the key is the condition failure it is.
func PutNew(ctx context.Context, db *dynamodb.Client, table string, item map[string]types.AttributeValue, keyNames ...string) error {
	_, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(" + keyNames[0] + ")")})
	if err == nil || !IsConditionFailed(err) {
		return err
	}
	key := map[string]types.AttributeValue{}
	for _, k := range keyNames {
		key[k] = item[k]
	}
	got, gerr := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
	if gerr != nil {
		return gerr
	}
	if reflect.DeepEqual(got.Item, item) {
		return nil
	}
	return err
}

// BatchGet reads the items of keys from table, 100 keys a request, with at
// most three rounds of unprocessed keys each (then Unavailable): a batch
// read costs a bounded number of requests whatever DynamoDB hands back.
func BatchGet(ctx context.Context, db *dynamodb.Client, table string, keys []map[string]types.AttributeValue, consistent bool) ([]map[string]types.AttributeValue, error) {
	var out []map[string]types.AttributeValue
	for start := 0; start < len(keys); start += 100 {
		req := map[string]types.KeysAndAttributes{table: {Keys: keys[start:min(len(keys), start+100)], ConsistentRead: aws.Bool(consistent)}}
		if err := batchRounds(ctx, db, req, func(_ string, item map[string]types.AttributeValue) {
			out = append(out, item)
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// batchRounds sends one BatchGetItem of req and asks again for what it
// leaves unprocessed, at most three rounds (then Unavailable), handing
// each item read to found with its table.
func batchRounds(ctx context.Context, db *dynamodb.Client, req map[string]types.KeysAndAttributes, found func(table string, item map[string]types.AttributeValue)) error {
	for round := 0; len(req) > 0; round++ {
		if round == 3 {
			return problem.New(problem.Unavailable, "the data store is busy, retry later")
		}
		resp, err := db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return Err(err, "batch read")
		}
		for table, items := range resp.Responses {
			for _, it := range items {
				found(table, it)
			}
		}
		req = resp.UnprocessedKeys
	}
	return nil
}

// Get is one item of a batch read across tables (GetAll): where it is, and
// what to do with it.
type Get struct {
	Table string
	Key   map[string]types.AttributeValue
	// Found receives the item, or nil when there is none.
	Found func(ctx context.Context, item map[string]types.AttributeValue) error
}

// GetAll reads the items of gets, in any tables of the account, in
// strongly consistent BatchGetItem requests of at most 100 distinct items
// (one request for up to 100, the requests of more sent at once), each
// with at most three rounds of unprocessed keys (then Unavailable), and
// hands each item to its Found. Two gets of one item read it once.
func GetAll(ctx context.Context, db *dynamodb.Client, gets ...Get) error {
	id := func(table string, k map[string]types.AttributeValue) string {
		return table + "\x1f" + Str(k[tables.PK]) + "\x1f" + Str(k[tables.SK])
	}
	var reqs []map[string]types.KeysAndAttributes
	seen := map[string]bool{}
	for _, g := range gets {
		if k := id(g.Table, g.Key); !seen[k] {
			if len(seen)%100 == 0 {
				reqs = append(reqs, map[string]types.KeysAndAttributes{})
			}
			seen[k] = true
			req := reqs[len(reqs)-1]
			ka := req[g.Table]
			ka.Keys, ka.ConsistentRead = append(ka.Keys, g.Key), aws.Bool(true)
			req[g.Table] = ka
		}
	}
	found := map[string]map[string]types.AttributeValue{}
	var (
		mu   sync.Mutex
		all  sync.WaitGroup
		errs = make([]error, len(reqs))
	)
	for i, req := range reqs {
		all.Go(func() {
			errs[i] = batchRounds(ctx, db, req, func(table string, it map[string]types.AttributeValue) {
				mu.Lock()
				defer mu.Unlock()
				found[id(table, it)] = it
			})
		})
	}
	all.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, g := range gets {
		if err := g.Found(ctx, found[id(g.Table, g.Key)]); err != nil {
			return err
		}
	}
	return nil
}
