// Package knowledgedb stores articles and their inverted index in the
// knowledge table.
//
// Items:
//   - latest:   pk ARTICLE#<id>, sk LATEST: the latest version, its status
//     and index terms; every change is conditioned on its version
//   - versions: pk ARTICLE#<id>, sk VERSION#<000001>: every version as
//     published, readable by number
//   - postings: pk TERM#<lang>#<term>, sk <article id>: the term's
//     frequencies in title, summary and body, the article's length and its
//     filter fields; a query reads only the partitions of its terms
//   - stats:    pk STATS#<lang>, sk STATS: articles and total length, for
//     BM25's average length
package knowledgedb

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/knowledge"
	"ohcs/shared/problem"
)

// Store is the DynamoDB knowledge store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	// AuthorGet, when set, reads whether an author is a verified
	// practitioner now as a get of a batch across tables: a search reads
	// its candidates' authors in the request that reads the candidates.
	AuthorGet func(id string, done func(verified bool)) dynamo.Get
}

var _ knowledge.Store = (*Store)(nil)

type codeItem struct {
	System string `dynamodbav:"system"`
	Code   string `dynamodbav:"code"`
}

type articleItem struct {
	ID             string     `dynamodbav:"id"`
	Title          string     `dynamodbav:"title"`
	Summary        string     `dynamodbav:"summary"`
	Body           string     `dynamodbav:"body"`
	Language       string     `dynamodbav:"language"`
	Tags           []string   `dynamodbav:"tags,omitempty"`
	ConditionCodes []codeItem `dynamodbav:"conditionCodes,omitempty"`
	Audience       string     `dynamodbav:"audience"`
	AuthorID       string     `dynamodbav:"authorId"`
	AuthorSub      string     `dynamodbav:"authorSub"`
	Status         string     `dynamodbav:"status"`
	dynamo.Stamps
	Terms []string `dynamodbav:"terms,omitempty"`
}

func itemOf(a knowledge.Article, sk string) (map[string]types.AttributeValue, error) {
	// An empty list is stored as no attribute: the embedded store hands an
	// empty list back as a string, which no reader could decode.
	it := articleItem{ID: a.ID, Title: a.Title, Summary: a.Summary, Body: a.Body, Language: a.Language, Tags: nonEmpty(a.Tags),
		Audience: a.Audience, AuthorID: a.AuthorID, AuthorSub: a.AuthorSub, Status: a.Status,
		Stamps: dynamo.StampsOf(a.CreatedAt, a.UpdatedAt, a.Version)}
	if sk == "LATEST" {
		it.Terms = a.Terms
	}
	for _, c := range a.ConditionCodes {
		it.ConditionCodes = append(it.ConditionCodes, codeItem(c))
	}
	item, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, fmt.Errorf("marshal article: %w", err)
	}
	for k, v := range dynamo.Key("ARTICLE#"+a.ID, sk) {
		item[k] = v
	}
	return item, nil
}

func decode(item map[string]types.AttributeValue) (knowledge.Article, error) {
	var it articleItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return knowledge.Article{}, fmt.Errorf("unmarshal article: %w", err)
	}
	a := knowledge.Article{ID: it.ID, Title: it.Title, Summary: it.Summary, Body: it.Body, Language: it.Language, Tags: it.Tags,
		Audience: it.Audience, AuthorID: it.AuthorID, AuthorSub: it.AuthorSub, Status: it.Status, Terms: it.Terms}
	a.CreatedAt, a.UpdatedAt, a.Version = it.Values()
	for _, c := range it.ConditionCodes {
		a.ConditionCodes = append(a.ConditionCodes, knowledge.Code(c))
	}
	return a, nil
}

func versionSK(v int64) string { return fmt.Sprintf("VERSION#%06d", v) }

func (st *Store) write(ctx context.Context, a knowledge.Article, cond *string, vals map[string]types.AttributeValue) error {
	latest, err := itemOf(a, "LATEST")
	if err != nil {
		return err
	}
	version, err := itemOf(a, versionSK(a.Version))
	if err != nil {
		return err
	}
	var tx dynamo.Tx
	tx.Add("latest", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: latest, ConditionExpression: cond, ExpressionAttributeValues: vals}})
	tx.Add("version", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: version, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	err = tx.Run(ctx, st.DB)
	if tx.Failed(err, "latest") || tx.Failed(err, "version") {
		return problem.New(problem.PreconditionFailed, "the article changed: read it again")
	}
	return dynamo.Err(err, "write article")
}

// Create stores the first version.
func (st *Store) Create(ctx context.Context, a knowledge.Article) error {
	return st.write(ctx, a, aws.String("attribute_not_exists(pk)"), nil)
}

// Update stores a new version if old is still the latest.
func (st *Store) Update(ctx context.Context, old, updated knowledge.Article) error {
	return st.write(ctx, updated, aws.String("version = :v"),
		map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(old.Version, 10)}})
}

func (st *Store) get(ctx context.Context, k map[string]types.AttributeValue, id string) (knowledge.Article, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return knowledge.Article{}, dynamo.Err(err, "get article")
	}
	if out.Item == nil {
		return knowledge.Article{}, problem.New(problem.NotFound, "no article %s", id)
	}
	return decode(out.Item)
}

// Latest reads the latest version.
func (st *Store) Latest(ctx context.Context, id string) (knowledge.Article, error) {
	return st.get(ctx, dynamo.Key("ARTICLE#"+id, "LATEST"), id)
}

// Version reads one version.
func (st *Store) Version(ctx context.Context, id string, v int64) (knowledge.Article, error) {
	return st.get(ctx, dynamo.Key("ARTICLE#"+id, versionSK(v)), id)
}

// Latests reads the latest versions of articles and, when AuthorGet is
// set, whether their authors are verified, in one request (at most 100
// gets: a search asks for at most 2 x 100 candidates' articles in pages
// of its limit, and their authors).
func (st *Store) Latests(ctx context.Context, ids, authors []string) (map[string]knowledge.Article, map[string]bool, error) {
	out := map[string]knowledge.Article{}
	var verified map[string]bool
	var gets []dynamo.Get
	for _, id := range ids {
		gets = append(gets, dynamo.Get{Table: st.Table, Key: dynamo.Key("ARTICLE#"+id, "LATEST"), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
			if item == nil {
				return nil
			}
			a, err := decode(item)
			out[a.ID] = a
			return err
		}})
	}
	if st.AuthorGet != nil && len(authors) > 0 {
		verified = map[string]bool{}
		for _, id := range authors {
			gets = append(gets, st.AuthorGet(id, func(v bool) { verified[id] = v }))
		}
	}
	if err := dynamo.GetAll(ctx, st.DB, gets...); err != nil {
		return nil, nil, err
	}
	return out, verified, nil
}

type postingItem struct {
	PK         string   `dynamodbav:"pk"`
	SK         string   `dynamodbav:"sk"`
	Version    int64    `dynamodbav:"version"`
	TitleTF    int      `dynamodbav:"tt"`
	SummaryTF  int      `dynamodbav:"st"`
	BodyTF     int      `dynamodbav:"bt"`
	Length     int      `dynamodbav:"len"`
	Audience   string   `dynamodbav:"aud"`
	Language   string   `dynamodbav:"lang"`
	Tags       []string `dynamodbav:"tags,omitempty"`
	Conditions []string `dynamodbav:"conds,omitempty"`
	AuthorID   string   `dynamodbav:"au,omitempty"`
}

// termPK is a term's partition, one across languages: a search looks a term
// up once whatever the languages it covers (each posting names its
// language).
func termPK(_, term string) string { return "TERM#" + term }

// Index puts the postings and deletes the stale terms' postings, 25 writes
// a request.
func (st *Store) Index(ctx context.Context, a knowledge.Article, postings map[string]knowledge.Posting, stale []string) error {
	lang := knowledge.IndexLanguage(a.Language)
	var writes []types.WriteRequest
	for term, p := range postings {
		item, err := attributevalue.MarshalMap(postingItem{PK: termPK(lang, term), SK: p.ArticleID, Version: p.Version,
			TitleTF: p.TitleTF, SummaryTF: p.SummaryTF, BodyTF: p.BodyTF, Length: p.Length, Audience: p.Audience,
			Language: p.Language, Tags: nonEmpty(p.Tags), Conditions: nonEmpty(p.Conditions), AuthorID: p.AuthorID})
		if err != nil {
			return fmt.Errorf("marshal posting: %w", err)
		}
		writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	for _, term := range stale {
		writes = append(writes, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: dynamo.Key(termPK(lang, term), a.ID)}})
	}
	for start := 0; start < len(writes); start += 25 {
		req := map[string][]types.WriteRequest{st.Table: writes[start:min(len(writes), start+25)]}
		for attempt := 0; len(req) > 0; attempt++ {
			if attempt > 10 {
				return problem.New(problem.Unavailable, "the index is busy, retry")
			}
			out, err := st.DB.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: req})
			if err != nil {
				return dynamo.Err(err, "index article")
			}
			req = out.UnprocessedItems
			if len(req) > 0 {
				time.Sleep(time.Duration(10*(attempt+1)) * time.Millisecond)
			}
		}
	}
	return nil
}

// Postings queries a term's postings.
func (st *Store) Postings(ctx context.Context, term string) ([]knowledge.Posting, error) {
	var out []knowledge.Posting
	page, err := st.DB.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(st.Table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(termPK("", term))}})
	if err != nil {
		return nil, dynamo.Err(err, "read postings")
	}
	for _, item := range page.Items {
		var it postingItem
		if err := attributevalue.UnmarshalMap(item, &it); err != nil {
			return nil, fmt.Errorf("unmarshal posting: %w", err)
		}
		out = append(out, knowledge.Posting{ArticleID: it.SK, Version: it.Version, TitleTF: it.TitleTF, SummaryTF: it.SummaryTF,
			BodyTF: it.BodyTF, Length: it.Length, Audience: it.Audience, Language: it.Language, Tags: it.Tags, Conditions: it.Conditions,
			AuthorID: it.AuthorID})
	}
	return out, nil
}

// Stats reads the statistics of the partitions langs, summed, in one
// batch read.
func (st *Store) Stats(ctx context.Context, langs []string) (int64, int64, error) {
	var keys []map[string]types.AttributeValue
	for _, lang := range langs {
		keys = append(keys, dynamo.Key("STATS#"+lang, "STATS"))
	}
	num := func(item map[string]types.AttributeValue, name string) int64 {
		if v, ok := item[name].(*types.AttributeValueMemberN); ok {
			n, _ := strconv.ParseInt(v.Value, 10, 64)
			return n
		}
		return 0
	}
	items, err := dynamo.BatchGet(ctx, st.DB, st.Table, keys, false)
	if err != nil {
		return 0, 0, err
	}
	var docs, length int64
	for _, item := range items {
		docs, length = docs+num(item, "docs"), length+num(item, "length")
	}
	return docs, length, nil
}

// AddStats adds to a partition's statistics.
func (st *Store) AddStats(ctx context.Context, lang string, docs, length int64) error {
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("STATS#"+lang, "STATS"),
		UpdateExpression: aws.String("ADD docs :d, #len :l"), ExpressionAttributeNames: map[string]string{"#len": "length"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":d": &types.AttributeValueMemberN{Value: strconv.FormatInt(docs, 10)},
			":l": &types.AttributeValueMemberN{Value: strconv.FormatInt(length, 10)},
		}})
	return dynamo.Err(err, "update index statistics")
}

// nonEmpty is nil for an empty list, so that it is stored as no attribute.
func nonEmpty[T any](list []T) []T {
	if len(list) == 0 {
		return nil
	}
	return list
}
