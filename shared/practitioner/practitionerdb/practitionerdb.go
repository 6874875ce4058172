// Package practitionerdb stores practitioners in their DynamoDB table.
//
// Items:
//   - the profile:       pk PRACTITIONER#<id>, sk PROFILE
//   - sub uniqueness:    pk SUB#<sub>, sk PRACTITIONER (one profile per sub),
//     with the profile's id and a copy of its data and version, so that the
//     access policy learns a caller's profile and verification in one read
//   - search facets:     pk PRACTITIONER#<id>, sk FACET#<facet>, only while
//     verified, with gsi1pk <facet> and gsi1sk <folded name>#<id>, where a
//     facet is ALL, SPEC#<code>, LANG#<tag>, LANG#<primary subtag> or
//     MODE#<mode>. A search queries the facet of its most selective filter,
//     in name order, and filters the rest on the facet's sets; each facet
//     carries a snapshot of the profile so a page costs one Query.
//
// Every change writes the profile, its uniqueness row and its facets in one
// transaction conditioned on the version it read.
package practitionerdb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Store is the DynamoDB practitioner store.
type Store struct {
	DB    *dynamodb.Client
	Table string
}

var _ practitioner.Store = (*Store)(nil)

type itemSpecialty struct {
	Code    string `dynamodbav:"code"`
	Display string `dynamodbav:"display"`
}

type itemLicense struct {
	Number    string `dynamodbav:"number"`
	Issuer    string `dynamodbav:"issuer"`
	Country   string `dynamodbav:"country"`
	ValidFrom string `dynamodbav:"validFrom"`
	ValidTo   string `dynamodbav:"validTo,omitempty"`
}

type itemData struct {
	ID               string          `dynamodbav:"id"`
	Sub              string          `dynamodbav:"sub"`
	FullName         string          `dynamodbav:"fullName"`
	Gender           string          `dynamodbav:"gender,omitempty"`
	BirthDate        string          `dynamodbav:"birthDate,omitempty"`
	Phone            string          `dynamodbav:"phone"`
	Email            string          `dynamodbav:"email"`
	Specialties      []itemSpecialty `dynamodbav:"specialties"`
	Languages        []string        `dynamodbav:"languages"`
	Modes            []string        `dynamodbav:"modes"`
	Line             string          `dynamodbav:"line,omitempty"`
	City             string          `dynamodbav:"city,omitempty"`
	Region           string          `dynamodbav:"region,omitempty"`
	PostalCode       string          `dynamodbav:"postalCode,omitempty"`
	Country          string          `dynamodbav:"country"`
	Latitude         *float64        `dynamodbav:"latitude,omitempty"`
	Longitude        *float64        `dynamodbav:"longitude,omitempty"`
	TimeZone         string          `dynamodbav:"timeZone"`
	Bio              string          `dynamodbav:"bio,omitempty"`
	Licenses         []itemLicense   `dynamodbav:"licenses"`
	Verification     string          `dynamodbav:"verification"`
	VerificationNote string          `dynamodbav:"verificationNote,omitempty"`
	VerifiedAt       string          `dynamodbav:"verifiedAt,omitempty"`
	VerifiedBy       string          `dynamodbav:"verifiedBy,omitempty"`
	Proposed         *itemIdentity   `dynamodbav:"proposed,omitempty"`
	dynamo.Stamps
}

// itemIdentity is an identity change waiting for review.
type itemIdentity struct {
	FullName    string          `dynamodbav:"fullName"`
	Specialties []itemSpecialty `dynamodbav:"specialties"`
	Licenses    []itemLicense   `dynamodbav:"licenses"`
}

func toData(p practitioner.Practitioner) itemData {
	d := itemData{
		ID: p.ID, Sub: p.Sub, FullName: p.FullName, Gender: p.Gender, BirthDate: p.BirthDate,
		Phone: p.Phone, Email: p.Email, Languages: p.Languages,
		Line: p.Location.Address.Line, City: p.Location.Address.City, Region: p.Location.Address.Region,
		PostalCode: p.Location.Address.PostalCode, Country: p.Location.Address.Country,
		Latitude: p.Location.Latitude, Longitude: p.Location.Longitude,
		TimeZone: p.TimeZone, Bio: p.Bio, Verification: string(p.Verification),
		VerificationNote: p.VerificationNote, VerifiedBy: p.VerifiedBy,
		Stamps: dynamo.StampsOf(p.CreatedAt, p.UpdatedAt, p.Version),
	}
	if !p.VerifiedAt.IsZero() {
		d.VerifiedAt = dynamo.Time(p.VerifiedAt)
	}
	for _, s := range p.Specialties {
		d.Specialties = append(d.Specialties, itemSpecialty(s))
	}
	for _, m := range p.Modes {
		d.Modes = append(d.Modes, string(m))
	}
	for _, l := range p.Licenses {
		d.Licenses = append(d.Licenses, itemLicense(l))
	}
	if p.Proposed != nil {
		d.Proposed = &itemIdentity{FullName: p.Proposed.FullName}
		for _, s := range p.Proposed.Specialties {
			d.Proposed.Specialties = append(d.Proposed.Specialties, itemSpecialty(s))
		}
		for _, l := range p.Proposed.Licenses {
			d.Proposed.Licenses = append(d.Proposed.Licenses, itemLicense(l))
		}
	}
	return d
}

func fromData(d itemData) practitioner.Practitioner {
	p := practitioner.Practitioner{
		ID: d.ID, Sub: d.Sub,
		Profile: practitioner.Profile{
			FullName: d.FullName, Gender: d.Gender, BirthDate: d.BirthDate, Phone: d.Phone, Email: d.Email,
			Languages: d.Languages, TimeZone: d.TimeZone, Bio: d.Bio,
			Location: practitioner.Location{
				Address: practitioner.Address{Line: d.Line, City: d.City, Region: d.Region,
					PostalCode: d.PostalCode, Country: d.Country},
				Latitude: d.Latitude, Longitude: d.Longitude,
			},
		},
		Verification: practitioner.Verification(d.Verification), VerificationNote: d.VerificationNote,
		VerifiedBy: d.VerifiedBy,
	}
	p.CreatedAt, p.UpdatedAt, p.Version = d.Values()
	if d.VerifiedAt != "" {
		p.VerifiedAt = dynamo.ParseTime(d.VerifiedAt)
	}
	for _, s := range d.Specialties {
		p.Specialties = append(p.Specialties, practitioner.Specialty(s))
	}
	for _, m := range d.Modes {
		p.Modes = append(p.Modes, practitioner.Mode(m))
	}
	for _, l := range d.Licenses {
		p.Licenses = append(p.Licenses, practitioner.License(l))
	}
	if d.Proposed != nil {
		p.Proposed = &practitioner.Identity{FullName: d.Proposed.FullName}
		for _, s := range d.Proposed.Specialties {
			p.Proposed.Specialties = append(p.Proposed.Specialties, practitioner.Specialty(s))
		}
		for _, l := range d.Proposed.Licenses {
			p.Proposed.Licenses = append(p.Proposed.Licenses, practitioner.License(l))
		}
	}
	return p
}

func profileKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{tables.PK: dynamo.S("PRACTITIONER#" + id), tables.SK: dynamo.S("PROFILE")}
}

func subKey(sub string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{tables.PK: dynamo.S("SUB#" + sub), tables.SK: dynamo.S("PRACTITIONER")}
}

// subItem is the uniqueness row of p, carrying the profile as item holds
// it: written in the same transaction as the profile, it is always the
// profile's copy.
func subItem(p practitioner.Practitioner, item map[string]types.AttributeValue) map[string]types.AttributeValue {
	sub := subKey(p.Sub)
	sub["practitionerId"] = dynamo.S(p.ID)
	sub["data"], sub["version"] = item["data"], item["version"]
	return sub
}

func profileItem(p practitioner.Practitioner) (map[string]types.AttributeValue, error) {
	data, err := attributevalue.Marshal(toData(p))
	if err != nil {
		return nil, fmt.Errorf("marshal practitioner %s: %w", p.ID, err)
	}
	item := profileKey(p.ID)
	item["data"] = data
	item["version"] = &types.AttributeValueMemberN{Value: fmt.Sprint(p.Version)}
	return item, nil
}

// facets returns the facet names of p: none unless p is verified.
func facets(p practitioner.Practitioner) []string {
	if p.Verification != practitioner.Verified {
		return nil
	}
	out := []string{"ALL"}
	for _, sp := range p.Specialties {
		out = append(out, "SPEC#"+sp.Code)
	}
	for _, l := range langSet(p.Languages) {
		out = append(out, "LANG#"+l)
	}
	for _, m := range p.Modes {
		out = append(out, "MODE#"+string(m))
	}
	if pos, ok := p.Position(); ok {
		for _, prec := range practitioner.GeoPrecisions {
			out = append(out, fmt.Sprintf("GEO%d#%s", prec, practitioner.Geohash(pos, prec)))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// langSet holds each tag and its primary subtag, lower-case, so that a
// search for "pt" finds a practitioner speaking "pt-MZ".
func langSet(tags []string) []string {
	var out []string
	for _, t := range tags {
		out = append(out, strings.ToLower(t), practitioner.PrimaryLanguage(t))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func nameKey(p practitioner.Practitioner) string {
	return practitioner.Fold(p.FullName) + "#" + p.ID
}

func facetKey(id, facet string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{tables.PK: dynamo.S("PRACTITIONER#" + id), tables.SK: dynamo.S("FACET#" + facet)}
}

func facetItem(p practitioner.Practitioner, facet string, data types.AttributeValue) map[string]types.AttributeValue {
	item := facetKey(p.ID, facet)
	item[tables.GSI1PK] = dynamo.S(facet)
	item[tables.GSI1SK] = dynamo.S(nameKey(p))
	item["data"] = data
	specs := make([]string, 0, len(p.Specialties))
	for _, sp := range p.Specialties {
		specs = append(specs, sp.Code)
	}
	modes := make([]string, 0, len(p.Modes))
	for _, m := range p.Modes {
		modes = append(modes, string(m))
	}
	// DynamoDB refuses an empty set: an empty one is no attribute (which
	// no filter's contains() matches).
	for name, set := range map[string][]string{"specs": specs, "langs": langSet(p.Languages), "modes": modes} {
		if len(set) > 0 {
			item[name] = &types.AttributeValueMemberSS{Value: set}
		}
	}
	return item
}

// Create writes the uniqueness row and the profile in one transaction.
func (st *Store) Create(ctx context.Context, p practitioner.Practitioner) error {
	item, err := profileItem(p)
	if err != nil {
		return err
	}
	var tx dynamo.Tx
	tx.Add("sub", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: subItem(p, item),
		ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	tx.Add("profile", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}})
	for _, it := range st.facetWrites(practitioner.Practitioner{}, p, item["data"]) {
		tx.Add("facet", it)
	}
	err = tx.Run(ctx, st.DB)
	switch {
	case tx.Failed(err, "sub"):
		return problem.New(problem.Conflict, "this account already has a practitioner profile")
	case tx.Failed(err, "profile"):
		return problem.New(problem.Conflict, "practitioner %s already exists", p.ID)
	}
	return dynamo.Err(err, "create practitioner")
}

// facetWrites deletes the facets of old that updated no longer has and puts
// every facet of updated.
func (st *Store) facetWrites(old, updated practitioner.Practitioner, data types.AttributeValue) []types.TransactWriteItem {
	var items []types.TransactWriteItem
	next := facets(updated)
	for _, f := range facets(old) {
		if !slices.Contains(next, f) {
			items = append(items, types.TransactWriteItem{Delete: &types.Delete{
				TableName: aws.String(st.Table), Key: facetKey(old.ID, f)}})
		}
	}
	for _, f := range next {
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(st.Table), Item: facetItem(updated, f, data)}})
	}
	return items
}

// Get reads a profile.
func (st *Store) Get(ctx context.Context, id string) (practitioner.Practitioner, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(st.Table), Key: profileKey(id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return practitioner.Practitioner{}, dynamo.Err(err, "get practitioner")
	}
	if out.Item == nil {
		return practitioner.Practitioner{}, problem.New(problem.NotFound, "no practitioner %s", id)
	}
	return decode(out.Item)
}

func decode(item map[string]types.AttributeValue) (practitioner.Practitioner, error) {
	var d itemData
	if err := attributevalue.Unmarshal(item["data"], &d); err != nil {
		return practitioner.Practitioner{}, fmt.Errorf("unmarshal practitioner: %w", err)
	}
	return fromData(d), nil
}

// GetBySub reads the profile of a sub: one read of its uniqueness row,
// which carries the profile (a row written before it did leads to the
// profile).
func (st *Store) GetBySub(ctx context.Context, sub string) (practitioner.Practitioner, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(st.Table), Key: subKey(sub), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return practitioner.Practitioner{}, dynamo.Err(err, "get practitioner by sub")
	}
	return st.ofSubRow(ctx, out.Item)
}

// ofSubRow is the profile a uniqueness row (nil: none) carries or leads to.
func (st *Store) ofSubRow(ctx context.Context, row map[string]types.AttributeValue) (practitioner.Practitioner, error) {
	id, ok := row["practitionerId"].(*types.AttributeValueMemberS)
	if !ok {
		return practitioner.Practitioner{}, problem.New(problem.NotFound, "this account has no practitioner profile")
	}
	if _, copied := row["data"]; copied {
		return decode(row)
	}
	return st.Get(ctx, id.Value)
}

// GetGet is Get as one get of a batch read across tables
// (dynamo.GetAll): done receives the profile or NotFound.
func (st *Store) GetGet(id string, done func(practitioner.Practitioner, error)) dynamo.Get {
	return dynamo.Get{Table: st.Table, Key: profileKey(id), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
		if item == nil {
			done(practitioner.Practitioner{}, problem.New(problem.NotFound, "no practitioner %s", id))
			return nil
		}
		p, err := decode(item)
		if err != nil {
			return err
		}
		done(p, nil)
		return nil
	}}
}

// VerifiedGet is VerifiedAmong for one id as a get of a batch read across
// tables (dynamo.GetAll): done receives whether it exists and is verified.
func (st *Store) VerifiedGet(id string, done func(bool)) dynamo.Get {
	return st.GetGet(id, func(p practitioner.Practitioner, err error) {
		done(err == nil && p.Verification == practitioner.Verified)
	})
}

// BySubGet is GetBySub as one get of a batch read across tables
// (dynamo.GetAll): done receives the profile or NotFound.
func (st *Store) BySubGet(sub string, done func(practitioner.Practitioner, error)) dynamo.Get {
	return dynamo.Get{Table: st.Table, Key: subKey(sub), Found: func(ctx context.Context, row map[string]types.AttributeValue) error {
		p, err := st.ofSubRow(ctx, row)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		done(p, err)
		return nil
	}}
}

// Update writes the new profile and its facets if the stored version is
// still old's.
func (st *Store) Update(ctx context.Context, old, updated practitioner.Practitioner) error {
	item, err := profileItem(updated)
	if err != nil {
		return err
	}
	var tx dynamo.Tx
	tx.Add("profile", types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(st.Table), Item: item,
		ConditionExpression:       aws.String("version = :v"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: fmt.Sprint(old.Version)}},
	}})
	// The uniqueness row's copy changes with the profile (the sub never
	// changes: the profile's condition holds both).
	tx.Add("sub", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: subItem(updated, item)}})
	for _, it := range st.facetWrites(old, updated, item["data"]) {
		tx.Add("facet", it)
	}
	err = tx.Run(ctx, st.DB)
	if tx.Failed(err, "profile") {
		return problem.New(problem.PreconditionFailed, "the profile changed since version %d: read it again", old.Version)
	}
	return dynamo.Err(err, "update practitioner")
}
