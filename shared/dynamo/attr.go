package dynamo

import (
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/tables"
)

// S is a string attribute.
func S(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// N is a number attribute.
func N(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// Key is an item's primary key.
func Key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{tables.PK: S(pk), tables.SK: S(sk)}
}

// Str reads a string attribute ("" when it is not one).
func Str(v types.AttributeValue) string {
	if x, ok := v.(*types.AttributeValueMemberS); ok {
		return x.Value
	}
	return ""
}

// Num reads a number attribute (0 when it is not an integer).
func Num(v types.AttributeValue) int64 {
	if x, ok := v.(*types.AttributeValueMemberN); ok {
		i, _ := strconv.ParseInt(x.Value, 10, 64)
		return i
	}
	return 0
}

// Stamp is the one encoding of instants in every table: UTC, fixed width
// to the nanosecond, so that text order is time order in keys and
// conditions.
const Stamp = "2006-01-02T15:04:05.000000000Z"

// Time encodes t as Stamp ("" for the zero time).
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(Stamp)
}

// ParseTime decodes a Stamp (the zero time for "" or anything else).
func ParseTime(v string) time.Time {
	t, err := time.Parse(Stamp, v)
	if err != nil {
		return time.Time{}
	}
	return t
}

// Stamps are what every versioned item stores after its own attributes:
// when it was created and last changed (as Stamp) and its version.
// Embedded in an item struct, attributevalue flattens them into the item.
type Stamps struct {
	CreatedAt string `dynamodbav:"createdAt"`
	UpdatedAt string `dynamodbav:"updatedAt"`
	Version   int64  `dynamodbav:"version"`
}

// StampsOf encodes an item's times and version.
func StampsOf(created, updated time.Time, version int64) Stamps {
	return Stamps{CreatedAt: Time(created), UpdatedAt: Time(updated), Version: version}
}

// Values decodes what StampsOf encoded.
func (s Stamps) Values() (created, updated time.Time, version int64) {
	return ParseTime(s.CreatedAt), ParseTime(s.UpdatedAt), s.Version
}
