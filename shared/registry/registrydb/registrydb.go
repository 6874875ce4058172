// Package registrydb stores organisations (pk ORGANIZATION#<id>, sk
// ORGANIZATION) and memberships (pk ORGANIZATION#<id>, sk
// MEMBER#<type>#<id>; gsi1pk MEMBER#<type>#<id>, gsi1sk <organisation id>)
// in the registry table.
package registrydb

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/registry"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

// Store is the DynamoDB registry store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ registry.Store = (*Store)(nil)

type orgItem struct {
	ID      string            `dynamodbav:"id"`
	Name    string            `dynamodbav:"name"`
	Kind    string            `dynamodbav:"kind"`
	Address *validate.Address `dynamodbav:"address,omitempty"`
	Country string            `dynamodbav:"country"`
	dynamo.Stamps
}

type memberItem struct {
	OrganizationID string `dynamodbav:"organizationId"`
	MemberType     string `dynamodbav:"memberType"`
	MemberID       string `dynamodbav:"memberId"`
	Role           string `dynamodbav:"role,omitempty"`
	CreatedAt      string `dynamodbav:"createdAt"`
}

func memberSK(m registry.Member) string { return "MEMBER#" + m.Type + "#" + m.ID }

// CreateOrganization stores an organisation.
func (st *Store) CreateOrganization(ctx context.Context, o registry.Organization) error {
	item, err := attributevalue.MarshalMap(orgItem{ID: o.ID, Name: o.Name, Kind: o.Kind, Address: o.Address, Country: o.Country,
		Stamps: dynamo.StampsOf(o.CreatedAt, o.UpdatedAt, o.Version)})
	if err != nil {
		return fmt.Errorf("marshal organisation: %w", err)
	}
	for k, v := range dynamo.Key("ORGANIZATION#"+o.ID, "ORGANIZATION") {
		item[k] = v
	}
	return dynamo.Err(dynamo.PutNew(ctx, st.DB, st.Table, item, "pk", "sk"), "create organisation")
}

// GetOrganization reads an organisation.
func (st *Store) GetOrganization(ctx context.Context, id string) (registry.Organization, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("ORGANIZATION#"+id, "ORGANIZATION"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return registry.Organization{}, dynamo.Err(err, "get organisation")
	}
	if out.Item == nil {
		return registry.Organization{}, problem.New(problem.NotFound, "no organisation %s", id)
	}
	var it orgItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return registry.Organization{}, fmt.Errorf("unmarshal organisation: %w", err)
	}
	o := registry.Organization{ID: it.ID, Name: it.Name, Kind: it.Kind, Address: it.Address, Country: it.Country}
	o.CreatedAt, o.UpdatedAt, o.Version = it.Values()
	return o, nil
}

// AddMembership stores a membership unless it exists.
func (st *Store) AddMembership(ctx context.Context, m registry.Membership) error {
	item, err := attributevalue.MarshalMap(memberItem{OrganizationID: m.OrganizationID, MemberType: m.MemberType, MemberID: m.MemberID,
		Role: m.Role, CreatedAt: dynamo.Time(m.CreatedAt)})
	if err != nil {
		return fmt.Errorf("marshal membership: %w", err)
	}
	member := registry.Member{Type: m.MemberType, ID: m.MemberID}
	for k, v := range dynamo.Key("ORGANIZATION#"+m.OrganizationID, memberSK(member)) {
		item[k] = v
	}
	item[tables.GSI1PK], item[tables.GSI1SK] = dynamo.S(memberSK(member)), dynamo.S(m.OrganizationID)
	// The same request retried stores the same item (createdAt included):
	// success; another request for the same member is a conflict.
	err = dynamo.PutNew(ctx, st.DB, st.Table, item, "pk", "sk")
	if dynamo.IsConditionFailed(err) {
		return problem.New(problem.Conflict, "this %s is already a member", m.MemberType)
	}
	return dynamo.Err(err, "add membership")
}

func decodeMember(item map[string]types.AttributeValue) (registry.Membership, error) {
	var it memberItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return registry.Membership{}, fmt.Errorf("unmarshal membership: %w", err)
	}
	m := registry.Membership{OrganizationID: it.OrganizationID, MemberType: it.MemberType, MemberID: it.MemberID, Role: it.Role}
	m.CreatedAt = dynamo.ParseTime(it.CreatedAt)
	return m, nil
}

// RemoveMembership deletes a membership.
func (st *Store) RemoveMembership(ctx context.Context, orgID string, member registry.Member) (registry.Membership, error) {
	out, err := st.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("ORGANIZATION#"+orgID, memberSK(member)),
		ConditionExpression: aws.String("attribute_exists(pk)"), ReturnValues: types.ReturnValueAllOld})
	if dynamo.IsConditionFailed(err) {
		return registry.Membership{}, problem.New(problem.NotFound, "no such membership")
	}
	if err != nil {
		return registry.Membership{}, dynamo.Err(err, "remove membership")
	}
	return decodeMember(out.Attributes)
}

// Members pages through an organisation's members.
func (st *Store) Members(ctx context.Context, orgID, memberType string, limit int, after map[string]string) (page.Of[registry.Membership], error) {
	prefix := "MEMBER#"
	if memberType != "" {
		prefix += memberType + "#"
	}
	in := &dynamodb.QueryInput{TableName: aws.String(st.Table),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("ORGANIZATION#" + orgID), ":p": dynamo.S(prefix)}}
	items, next, err := dynamo.Page(ctx, st.DB, in, []string{tables.PK, tables.SK}, limit, after, false, "list members")
	if err != nil {
		return page.Of[registry.Membership]{}, err
	}
	ms, err := dynamo.Decode(items, decodeMember)
	return page.Of[registry.Membership]{Items: ms, Next: next}, err
}

// MembershipsOf queries a member's memberships.
func (st *Store) MembershipsOf(ctx context.Context, member registry.Member) ([]registry.Membership, error) {
	var ms []registry.Membership
	p := dynamodb.NewQueryPaginator(st.DB, &dynamodb.QueryInput{TableName: aws.String(st.Table), IndexName: aws.String(tables.GSI1.Name),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S(memberSK(member))}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, dynamo.Err(err, "list memberships")
		}
		for _, it := range page.Items {
			m, err := decodeMember(it)
			if err != nil {
				return nil, err
			}
			ms = append(ms, m)
		}
	}
	return ms, nil
}

// IsMember reads one membership.
func (st *Store) IsMember(ctx context.Context, orgID string, member registry.Member) (bool, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("ORGANIZATION#"+orgID, memberSK(member)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, dynamo.Err(err, "get membership")
	}
	return out.Item != nil, nil
}
