package dynamo_test

import (
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
)

// TestStampSortsAsTime: the one encoding of instants sorts as the instants
// do, whole seconds and fractions alike (RFC 3339 with optional fractions
// does not: "…:00Z" sorts after "…:00.5Z"), and reads back exactly.
func TestStampSortsAsTime(t *testing.T) {
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("", 2*3600))
	var times []time.Time
	for _, d := range []time.Duration{0, 1, 500 * time.Millisecond, time.Second, time.Second + time.Nanosecond, time.Minute, -time.Nanosecond} {
		times = append(times, base.Add(d))
	}
	var enc []string
	for _, x := range times {
		s := dynamo.Time(x)
		if got := dynamo.ParseTime(s); !got.Equal(x) {
			t.Errorf("%v reads back as %v", x, got)
		}
		enc = append(enc, s)
	}
	sort.Strings(enc)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	for i := range times {
		if dynamo.Time(times[i]) != enc[i] {
			t.Fatalf("text order %v; want time order", enc)
		}
	}
	if dynamo.Time(time.Time{}) != "" || !dynamo.ParseTime("").IsZero() || !dynamo.ParseTime("yesterday").IsZero() {
		t.Error("the zero time is the empty string, and what is not a stamp reads as zero")
	}
}

// TestStampsAreFlattenedIntoTheItem: an item struct that embeds Stamps
// stores createdAt, updatedAt and version as attributes of its own (the
// conditions and update expressions of the stores name them so), and reads
// back the instants and version it was given.
func TestStampsAreFlattenedIntoTheItem(t *testing.T) {
	created := time.Date(2026, 3, 29, 0, 59, 59, 999, time.FixedZone("", 3600))
	updated := created.Add(26 * time.Hour)
	item, err := attributevalue.MarshalMap(struct {
		ID string `dynamodbav:"id"`
		dynamo.Stamps
	}{"a1", dynamo.StampsOf(created, updated, 7)})
	if err != nil {
		t.Fatal(err)
	}
	if len(item) != 4 || dynamo.Str(item["createdAt"]) != "2026-03-28T23:59:59.000000999Z" || dynamo.Num(item["version"]) != 7 {
		t.Fatalf("item %v; want id, createdAt, updatedAt and version side by side", item)
	}
	if _, ok := item["version"].(*types.AttributeValueMemberN); !ok {
		t.Errorf("version is %T; want a number (ADD and conditions compare it as one)", item["version"])
	}
	var back struct {
		dynamo.Stamps
	}
	if err := attributevalue.UnmarshalMap(item, &back); err != nil {
		t.Fatal(err)
	}
	c, u, v := back.Values()
	if !c.Equal(created) || !u.Equal(updated) || v != 7 {
		t.Errorf("read back %v, %v, %d; want %v, %v, 7", c, u, v, created, updated)
	}
}
