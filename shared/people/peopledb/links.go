package peopledb

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/access"
	"ohcs/shared/dynamo"
	"ohcs/shared/page"
	"ohcs/shared/people"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

type linkItem struct {
	ID            string   `dynamodbav:"id"`
	BeneficiaryID string   `dynamodbav:"beneficiaryId"`
	CaregiverID   string   `dynamodbav:"caregiverId"`
	Permissions   []string `dynamodbav:"permissions"`
	Revoked       bool     `dynamodbav:"revoked"`
	RevokedAt     string   `dynamodbav:"revokedAt,omitempty"`
	// Pending is true from the grant until the caregiver answers; links
	// stored before consent was asked have no such attribute and stand.
	Pending     bool   `dynamodbav:"pending,omitempty"`
	Declined    bool   `dynamodbav:"declined,omitempty"`
	RespondedAt string `dynamodbav:"respondedAt,omitempty"`
	ExpiresAt   string `dynamodbav:"expiresAt,omitempty"`
	GrantedBy   string `dynamodbav:"grantedBy,omitempty"`
	CreatedAt   string `dynamodbav:"createdAt"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
}

func linkKey(beneficiaryID, linkID string) map[string]types.AttributeValue {
	return dynamo.Key("BENEFICIARY#"+beneficiaryID, "LINK#"+linkID)
}

func linkItemOf(l people.CareLink) (map[string]types.AttributeValue, error) {
	perms := make([]string, len(l.Permissions))
	for i, p := range l.Permissions {
		perms[i] = string(p)
	}
	item, err := withData(linkKey(l.BeneficiaryID, l.ID), linkItem{
		ID: l.ID, BeneficiaryID: l.BeneficiaryID, CaregiverID: l.CaregiverID, Permissions: perms,
		Revoked: l.Revoked, RevokedAt: dynamo.Time(l.RevokedAt), ExpiresAt: dynamo.Time(l.ExpiresAt), GrantedBy: l.GrantedBy,
		Pending: l.Pending, Declined: l.Declined, RespondedAt: dynamo.Time(l.RespondedAt),
		CreatedAt: dynamo.Time(l.CreatedAt), UpdatedAt: dynamo.Time(l.UpdatedAt),
	}, l.Version)
	if err != nil {
		return nil, err
	}
	item[tables.GSI1PK] = dynamo.S("CAREGIVER#" + l.CaregiverID + "#LINKS")
	item[tables.GSI1SK] = dynamo.S(dynamo.Time(l.CreatedAt) + "#" + l.ID)
	item["caregiverId"] = dynamo.S(l.CaregiverID)
	return item, nil
}

func decodeLink(item map[string]types.AttributeValue) (people.CareLink, error) {
	var it linkItem
	if err := attributevalue.Unmarshal(item["data"], &it); err != nil {
		return people.CareLink{}, fmt.Errorf("unmarshal care link: %w", err)
	}
	var v int64
	if n, ok := item["version"].(*types.AttributeValueMemberN); ok {
		v, _ = strconv.ParseInt(n.Value, 10, 64)
	}
	l := people.CareLink{
		ID: it.ID, BeneficiaryID: it.BeneficiaryID, CaregiverID: it.CaregiverID, Revoked: it.Revoked,
		RevokedAt: dynamo.ParseTime(it.RevokedAt), ExpiresAt: dynamo.ParseTime(it.ExpiresAt), GrantedBy: it.GrantedBy,
		Pending: it.Pending, Declined: it.Declined, RespondedAt: dynamo.ParseTime(it.RespondedAt),
		CreatedAt: dynamo.ParseTime(it.CreatedAt), UpdatedAt: dynamo.ParseTime(it.UpdatedAt), Version: v,
	}
	for _, p := range it.Permissions {
		l.Permissions = append(l.Permissions, access.Permission(p))
	}
	return l, nil
}

// CreateLink stores a new link.
func (st *Store) CreateLink(ctx context.Context, l people.CareLink) error {
	item, err := linkItemOf(l)
	if err != nil {
		return err
	}
	_, err = st.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if dynamo.IsConditionFailed(err) {
		return problem.New(problem.Conflict, "care link %s already exists", l.ID)
	}
	return dynamo.Err(err, "create care link")
}

// GetLink reads a link of a beneficiary.
func (st *Store) GetLink(ctx context.Context, beneficiaryID, linkID string) (people.CareLink, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: linkKey(beneficiaryID, linkID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return people.CareLink{}, dynamo.Err(err, "get care link")
	}
	if out.Item == nil {
		return people.CareLink{}, problem.New(problem.NotFound, "no care link %s", linkID)
	}
	return decodeLink(out.Item)
}

// UpdateLink writes updated if old's version is still stored.
func (st *Store) UpdateLink(ctx context.Context, old, updated people.CareLink) error {
	item, err := linkItemOf(updated)
	if err != nil {
		return err
	}
	return st.put(ctx, item, old.Version, "care link")
}

// LinksBetween queries the links of a beneficiary held by a caregiver.
func (st *Store) LinksBetween(ctx context.Context, beneficiaryID, caregiverID string) ([]people.CareLink, error) {
	var out []people.CareLink
	in := &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :link)"),
		FilterExpression:       aws.String("caregiverId = :cg"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("BENEFICIARY#" + beneficiaryID), ":link": dynamo.S("LINK#"), ":cg": dynamo.S(caregiverID),
		},
		ConsistentRead: aws.Bool(true),
	}
	p := dynamodb.NewQueryPaginator(st.DB, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, dynamo.Err(err, "query care links")
		}
		for _, item := range page.Items {
			l, err := decodeLink(item)
			if err != nil {
				return nil, err
			}
			out = append(out, l)
		}
	}
	return out, nil
}

func (st *Store) page(ctx context.Context, in *dynamodb.QueryInput, keys []string, limit int, after map[string]string) (page.Of[people.CareLink], error) {
	items, next, err := dynamo.Page(ctx, st.DB, in, keys, limit, after, false, "list care links")
	if err != nil {
		return page.Of[people.CareLink]{}, err
	}
	listed, err := dynamo.Decode(items, decodeLink)
	return page.Of[people.CareLink]{Items: listed, Next: next}, err
}

// LinksOfBeneficiary pages through a beneficiary's links.
func (st *Store) LinksOfBeneficiary(ctx context.Context, beneficiaryID string, limit int, after map[string]string) (page.Of[people.CareLink], error) {
	return st.page(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :link)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("BENEFICIARY#" + beneficiaryID), ":link": dynamo.S("LINK#"),
		},
	}, []string{tables.PK, tables.SK}, limit, after)
}

// LinksOfCaregiver pages through a caregiver's links, oldest first.
func (st *Store) LinksOfCaregiver(ctx context.Context, caregiverID string, limit int, after map[string]string) (page.Of[people.CareLink], error) {
	return st.page(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(st.Table),
		IndexName:                 aws.String(tables.GSI1.Name),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("CAREGIVER#" + caregiverID + "#LINKS")},
	}, []string{tables.PK, tables.SK, tables.GSI1PK, tables.GSI1SK}, limit, after)
}

// revocationsKey is the beneficiary's revocations item: one attribute a
// practitioner it ended ("r_<practitionerId>": when), so that every
// revocation of a beneficiary is one get by its key, in the access
// policy's batch.
func revocationsKey(bid string) map[string]types.AttributeValue {
	return dynamo.Key("BENEFICIARY#"+bid, "REVOCATIONS")
}

const revokedPrefix = "r_"

// PutRevocation records the latest revocation of a practitioner.
func (st *Store) PutRevocation(ctx context.Context, r people.Revocation) error {
	_, err := st.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String(st.Table), Key: revocationsKey(r.BeneficiaryID),
		UpdateExpression:          aws.String("SET #at = :at"),
		ExpressionAttributeNames:  map[string]string{"#at": revokedPrefix + r.PractitionerID},
		ExpressionAttributeValues: map[string]types.AttributeValue{":at": dynamo.S(dynamo.Time(r.RevokedAt))}})
	return dynamo.Err(err, "put revocation")
}

// revocationsOf reads a revocations item, by practitioner id.
func revocationsOf(item map[string]types.AttributeValue) map[string]time.Time {
	out := map[string]time.Time{}
	for name, v := range item {
		if pid, ok := strings.CutPrefix(name, revokedPrefix); ok {
			out[pid] = dynamo.ParseTime(dynamo.Str(v))
		}
	}
	return out
}

// Revocations reads the beneficiary's latest revocation of each
// practitioner, consistently.
func (st *Store) Revocations(ctx context.Context, beneficiaryID string) (map[string]time.Time, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: revocationsKey(beneficiaryID), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dynamo.Err(err, "get revocations")
	}
	return revocationsOf(out.Item), nil
}

// RevocationsGet is Revocations as one get of a batch read across tables.
func (st *Store) RevocationsGet(beneficiaryID string, done func(map[string]time.Time)) dynamo.Get {
	return dynamo.Get{Table: st.Table, Key: revocationsKey(beneficiaryID), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
		done(revocationsOf(item))
		return nil
	}}
}

// RevokedAt reads the latest revocation of a practitioner.
func (st *Store) RevokedAt(ctx context.Context, beneficiaryID, practitionerID string) (time.Time, bool, error) {
	all, err := st.Revocations(ctx, beneficiaryID)
	at, ok := all[practitionerID]
	return at, ok, err
}
