// Package peopledb stores people in their DynamoDB table.
//
// Items:
//   - profiles:    pk BENEFICIARY#<id> | CAREGIVER#<id> | DONOR#<id>, sk PROFILE
//   - accounts:    pk SUB#<sub>, sk BENEFICIARY | CAREGIVER | DONOR, one profile
//     of each kind per account, written with the profile in one transaction
//   - care links:  pk BENEFICIARY#<id>, sk LINK#<linkId>, with gsi1pk
//     CAREGIVER#<id>#LINKS and gsi1sk <createdAt>#<linkId>
//   - revocations: pk BENEFICIARY#<id>, sk REVOCATIONS: r_<practitionerId>
//     is when the beneficiary last ended that practitioner's access
//
// Every update is conditioned on the version it read.
package peopledb

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/page"
	"ohcs/shared/people"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

// Store is the DynamoDB people store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ people.Store = (*Store)(nil)

type addressItem struct {
	Line       string `dynamodbav:"line,omitempty"`
	City       string `dynamodbav:"city,omitempty"`
	Region     string `dynamodbav:"region,omitempty"`
	PostalCode string `dynamodbav:"postalCode,omitempty"`
	Country    string `dynamodbav:"country"`
}

type contactItem struct {
	Name         string `dynamodbav:"name"`
	Phone        string `dynamodbav:"phone"`
	Relationship string `dynamodbav:"relationship,omitempty"`
}

type beneficiaryItem struct {
	ID                string       `dynamodbav:"id"`
	Sub               string       `dynamodbav:"sub,omitempty"`
	ManagedBy         string       `dynamodbav:"managedBy,omitempty"`
	FullName          string       `dynamodbav:"fullName"`
	BirthDate         string       `dynamodbav:"birthDate"`
	Sex               string       `dynamodbav:"sex"`
	Phone             string       `dynamodbav:"phone,omitempty"`
	Email             string       `dynamodbav:"email,omitempty"`
	Address           *addressItem `dynamodbav:"address,omitempty"`
	PreferredLanguage string       `dynamodbav:"preferredLanguage"`
	TimeZone          string       `dynamodbav:"timeZone"`
	EmergencyContact  *contactItem `dynamodbav:"emergencyContact,omitempty"`
	CreatedAt         string       `dynamodbav:"createdAt"`
	UpdatedAt         string       `dynamodbav:"updatedAt"`
}

type caregiverItem struct {
	ID        string `dynamodbav:"id"`
	Sub       string `dynamodbav:"sub"`
	FullName  string `dynamodbav:"fullName"`
	Phone     string `dynamodbav:"phone"`
	Email     string `dynamodbav:"email,omitempty"`
	CreatedAt string `dynamodbav:"createdAt"`
	UpdatedAt string `dynamodbav:"updatedAt"`
}

type donorItem struct {
	ID                 string `dynamodbav:"id"`
	Sub                string `dynamodbav:"sub"`
	DisplayName        string `dynamodbav:"displayName"`
	Email              string `dynamodbav:"email"`
	Country            string `dynamodbav:"country"`
	AnonymousByDefault bool   `dynamodbav:"anonymousByDefault"`
	CreatedAt          string `dynamodbav:"createdAt"`
	UpdatedAt          string `dynamodbav:"updatedAt"`
}

// withData returns the item key plus the data and version attributes.
func withData(k map[string]types.AttributeValue, data any, version int64) (map[string]types.AttributeValue, error) {
	av, err := attributevalue.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("marshal: %w", err)
	}
	k["data"] = av
	k["version"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(version, 10)}
	return k, nil
}

func (st *Store) get(ctx context.Context, k map[string]types.AttributeValue, what string, dst any) (int64, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: k, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return 0, dynamo.Err(err, "get "+what)
	}
	return decodeProfile(out.Item, what, dst)
}

// decodeProfile reads a profile item (nil: NotFound) into dst and returns
// its version.
func decodeProfile(item map[string]types.AttributeValue, what string, dst any) (int64, error) {
	if item == nil {
		return 0, problem.New(problem.NotFound, "no such %s", what)
	}
	if err := attributevalue.Unmarshal(item["data"], dst); err != nil {
		return 0, fmt.Errorf("unmarshal %s: %w", what, err)
	}
	var v int64
	if n, ok := item["version"].(*types.AttributeValueMemberN); ok {
		v, _ = strconv.ParseInt(n.Value, 10, 64)
	}
	return v, nil
}

// BeneficiaryGet is GetBeneficiary as one get of a batch read across
// tables (dynamo.GetAll): done receives the beneficiary or NotFound.
func (st *Store) BeneficiaryGet(id string, done func(people.Beneficiary, error)) dynamo.Get {
	return dynamo.Get{Table: st.Table, Key: dynamo.Key("BENEFICIARY#"+id, "PROFILE"), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
		var it beneficiaryItem
		v, err := decodeProfile(item, "beneficiary", &it)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		done(fromBeneficiaryItem(it, v), err)
		return nil
	}}
}

// CaregiverIDGet is CaregiverIDOf as one get of a batch read: done
// receives the caregiver id of the account or NotFound.
func (st *Store) CaregiverIDGet(sub string, done func(string, error)) dynamo.Get {
	return dynamo.Get{Table: st.Table, Key: dynamo.Key("SUB#"+sub, "CAREGIVER"), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
		done(accountID(item))
		return nil
	}}
}

// accountID is the profile id an account row names; NotFound without one.
func accountID(item map[string]types.AttributeValue) (string, error) {
	id, ok := item["id"].(*types.AttributeValueMemberS)
	if !ok {
		return "", problem.New(problem.NotFound, "this account has no such profile")
	}
	return id.Value, nil
}

// createWithAccount writes a profile and, when sub is set, its account row,
// in one transaction: Conflict when the account already has one of kind.
func (st *Store) createWithAccount(ctx context.Context, item map[string]types.AttributeValue, sub, kind, id string) error {
	// Profiles of a kind are listed by gsi1 (KIND#<kind>), for audiences
	// such as "every beneficiary".
	item[tables.GSI1PK], item[tables.GSI1SK] = dynamo.S("KIND#"+kind), dynamo.S(id)
	var tx dynamo.Tx
	tx.Add("profile", types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}})
	if sub != "" {
		acct := dynamo.Key("SUB#"+sub, kind)
		acct["id"] = dynamo.S(id)
		tx.Add("account", types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(st.Table), Item: acct, ConditionExpression: aws.String("attribute_not_exists(pk)"),
		}})
	}
	err := tx.Run(ctx, st.DB)
	if tx.Failed(err, "account") {
		return problem.New(problem.Conflict, "this account already has a %s profile", map[string]string{
			"BENEFICIARY": "beneficiary", "CAREGIVER": "caregiver", "DONOR": "donor"}[kind])
	}
	if tx.Failed(err, "profile") {
		return problem.New(problem.Conflict, "profile %s already exists", id)
	}
	return dynamo.Err(err, "create profile")
}

func (st *Store) idOfAccount(ctx context.Context, sub, kind string) (string, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: dynamo.Key("SUB#"+sub, kind), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return "", dynamo.Err(err, "get account")
	}
	return accountID(out.Item)
}

// put replaces an item if its stored version is still old.
func (st *Store) put(ctx context.Context, item map[string]types.AttributeValue, old int64, what string) error {
	_, err := st.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(st.Table), Item: item,
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(old, 10)}},
	})
	if dynamo.IsConditionFailed(err) {
		return problem.New(problem.PreconditionFailed, "the %s changed since version %d: read it again", what, old)
	}
	return dynamo.Err(err, "update "+what)
}

func toBeneficiaryItem(b people.Beneficiary) beneficiaryItem {
	it := beneficiaryItem{
		ID: b.ID, Sub: b.Sub, ManagedBy: b.ManagedBy, FullName: b.FullName, BirthDate: b.BirthDate, Sex: b.Sex,
		Phone: b.Phone, Email: b.Email, PreferredLanguage: b.PreferredLanguage, TimeZone: b.TimeZone,
		CreatedAt: dynamo.Time(b.CreatedAt), UpdatedAt: dynamo.Time(b.UpdatedAt),
	}
	if b.Address != nil {
		a := addressItem(*b.Address)
		it.Address = &a
	}
	if b.EmergencyContact != nil {
		c := contactItem(*b.EmergencyContact)
		it.EmergencyContact = &c
	}
	return it
}

func fromBeneficiaryItem(it beneficiaryItem, version int64) people.Beneficiary {
	b := people.Beneficiary{
		ID: it.ID, Sub: it.Sub, ManagedBy: it.ManagedBy,
		Profile: people.Profile{FullName: it.FullName, BirthDate: it.BirthDate, Sex: it.Sex, Phone: it.Phone,
			Email: it.Email, PreferredLanguage: it.PreferredLanguage, TimeZone: it.TimeZone},
		CreatedAt: dynamo.ParseTime(it.CreatedAt), UpdatedAt: dynamo.ParseTime(it.UpdatedAt), Version: version,
	}
	if it.Address != nil {
		a := validate.Address(*it.Address)
		b.Address = &a
	}
	if it.EmergencyContact != nil {
		c := people.EmergencyContact(*it.EmergencyContact)
		b.EmergencyContact = &c
	}
	return b
}

// CreateBeneficiary stores a beneficiary and, for its own account, the
// account row.
func (st *Store) CreateBeneficiary(ctx context.Context, b people.Beneficiary) error {
	item, err := withData(dynamo.Key("BENEFICIARY#"+b.ID, "PROFILE"), toBeneficiaryItem(b), b.Version)
	if err != nil {
		return err
	}
	return st.createWithAccount(ctx, item, b.Sub, "BENEFICIARY", b.ID)
}

// GetBeneficiary reads a beneficiary.
func (st *Store) GetBeneficiary(ctx context.Context, id string) (people.Beneficiary, error) {
	var it beneficiaryItem
	v, err := st.get(ctx, dynamo.Key("BENEFICIARY#"+id, "PROFILE"), "beneficiary", &it)
	if err != nil {
		return people.Beneficiary{}, err
	}
	return fromBeneficiaryItem(it, v), nil
}

// BeneficiaryBySub reads the own profile of an account.
func (st *Store) BeneficiaryBySub(ctx context.Context, sub string) (people.Beneficiary, error) {
	id, err := st.idOfAccount(ctx, sub, "BENEFICIARY")
	if err != nil {
		return people.Beneficiary{}, err
	}
	return st.GetBeneficiary(ctx, id)
}

// UpdateBeneficiary writes updated if old's version is still stored.
func (st *Store) UpdateBeneficiary(ctx context.Context, old, updated people.Beneficiary) error {
	item, err := withData(dynamo.Key("BENEFICIARY#"+updated.ID, "PROFILE"), toBeneficiaryItem(updated), updated.Version)
	if err != nil {
		return err
	}
	return st.put(ctx, item, old.Version, "beneficiary profile")
}

// CreateCaregiver stores a caregiver and its account row.
func (st *Store) CreateCaregiver(ctx context.Context, c people.Caregiver) error {
	item, err := withData(dynamo.Key("CAREGIVER#"+c.ID, "PROFILE"), caregiverItem{
		ID: c.ID, Sub: c.Sub, FullName: c.FullName, Phone: c.Phone, Email: c.Email,
		CreatedAt: dynamo.Time(c.CreatedAt), UpdatedAt: dynamo.Time(c.UpdatedAt),
	}, c.Version)
	if err != nil {
		return err
	}
	return st.createWithAccount(ctx, item, c.Sub, "CAREGIVER", c.ID)
}

// GetCaregiver reads a caregiver.
func (st *Store) GetCaregiver(ctx context.Context, id string) (people.Caregiver, error) {
	var it caregiverItem
	v, err := st.get(ctx, dynamo.Key("CAREGIVER#"+id, "PROFILE"), "caregiver", &it)
	if err != nil {
		return people.Caregiver{}, err
	}
	return people.Caregiver{ID: it.ID, Sub: it.Sub, FullName: it.FullName, Phone: it.Phone, Email: it.Email,
		CreatedAt: dynamo.ParseTime(it.CreatedAt), UpdatedAt: dynamo.ParseTime(it.UpdatedAt), Version: v}, nil
}

// CaregiverIDOf reads the id of the caregiver of an account: one read.
func (st *Store) CaregiverIDOf(ctx context.Context, sub string) (string, error) {
	return st.idOfAccount(ctx, sub, "CAREGIVER")
}

// CaregiverBySub reads the caregiver of an account.
func (st *Store) CaregiverBySub(ctx context.Context, sub string) (people.Caregiver, error) {
	id, err := st.idOfAccount(ctx, sub, "CAREGIVER")
	if err != nil {
		return people.Caregiver{}, err
	}
	return st.GetCaregiver(ctx, id)
}

// CreateDonor stores a donor and its account row.
func (st *Store) CreateDonor(ctx context.Context, d people.Donor) error {
	item, err := withData(dynamo.Key("DONOR#"+d.ID, "PROFILE"), donorItem{
		ID: d.ID, Sub: d.Sub, DisplayName: d.DisplayName, Email: d.Email, Country: d.Country,
		AnonymousByDefault: d.AnonymousByDefault, CreatedAt: dynamo.Time(d.CreatedAt), UpdatedAt: dynamo.Time(d.UpdatedAt),
	}, d.Version)
	if err != nil {
		return err
	}
	return st.createWithAccount(ctx, item, d.Sub, "DONOR", d.ID)
}

// DonorBySub reads the donor of an account.
func (st *Store) DonorBySub(ctx context.Context, sub string) (people.Donor, error) {
	id, err := st.idOfAccount(ctx, sub, "DONOR")
	if err != nil {
		return people.Donor{}, err
	}
	return st.GetDonor(ctx, id)
}

// GetDonor reads a donor.
func (st *Store) GetDonor(ctx context.Context, id string) (people.Donor, error) {
	var it donorItem
	v, err := st.get(ctx, dynamo.Key("DONOR#"+id, "PROFILE"), "donor", &it)
	if err != nil {
		return people.Donor{}, err
	}
	return people.Donor{ID: it.ID, Sub: it.Sub, DisplayName: it.DisplayName, Email: it.Email, Country: it.Country,
		AnonymousByDefault: it.AnonymousByDefault, CreatedAt: dynamo.ParseTime(it.CreatedAt), UpdatedAt: dynamo.ParseTime(it.UpdatedAt), Version: v}, nil
}

// ProfileIDs pages through the ids of the profiles of a kind
// (BENEFICIARY, CAREGIVER, DONOR).
func (st *Store) ProfileIDs(ctx context.Context, kind string, limit int, after map[string]string) (page.Of[string], error) {
	in := &dynamodb.QueryInput{TableName: aws.String(st.Table), IndexName: aws.String(tables.GSI1.Name),
		KeyConditionExpression:    aws.String("gsi1pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("KIND#" + kind)}}
	items, next, err := dynamo.Page(ctx, st.DB, in, []string{tables.PK, tables.SK, tables.GSI1PK, tables.GSI1SK}, limit, after, false, "list profiles")
	if err != nil {
		return page.Of[string]{}, err
	}
	ids := make([]string, 0, len(items))
	for _, item := range items {
		ids = append(ids, dynamo.Str(item[tables.GSI1SK]))
	}
	return page.Of[string]{Items: ids, Next: next}, nil
}
