package schedulingdb

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/dynamo"
	"ohcs/shared/page"
	"ohcs/shared/scheduling"
	"ohcs/shared/tables"
)

type ruleItem struct {
	Day   int      `dynamodbav:"day"`
	Start int      `dynamodbav:"start"`
	End   int      `dynamodbav:"end"`
	Modes []string `dynamodbav:"modes,omitempty"`
}

type exceptionItem struct {
	Date        string `dynamodbav:"date"`
	Unavailable bool   `dynamodbav:"unavailable"`
	Start       int    `dynamodbav:"start"`
	End         int    `dynamodbav:"end"`
}

type scheduleItem struct {
	ID                string          `dynamodbav:"id"`
	PractitionerID    string          `dynamodbav:"practitionerId"`
	TimeZone          string          `dynamodbav:"timeZone"`
	SlotMinutes       int             `dynamodbav:"slotMinutes"`
	BufferMinutes     int             `dynamodbav:"bufferMinutes"`
	EffectiveFrom     string          `dynamodbav:"effectiveFrom"`
	EffectiveTo       string          `dynamodbav:"effectiveTo"`
	Rules             []ruleItem      `dynamodbav:"rules"`
	Exceptions        []exceptionItem `dynamodbav:"exceptions,omitempty"`
	MaxBookingsPerDay int             `dynamodbav:"maxBookingsPerDay"`
	dynamo.Stamps
}

func scheduleSK(sc scheduling.Schedule) string {
	return "SCHEDULE#" + dynamo.Time(sc.CreatedAt) + "#" + sc.ID
}

// PutSchedule stores a schedule.
func (st *Store) PutSchedule(ctx context.Context, sc scheduling.Schedule) error {
	it := scheduleItem{ID: sc.ID, PractitionerID: sc.PractitionerID, TimeZone: sc.TimeZone, SlotMinutes: sc.SlotMinutes,
		BufferMinutes: sc.BufferMinutes, EffectiveFrom: sc.EffectiveFrom, EffectiveTo: sc.EffectiveTo,
		MaxBookingsPerDay: sc.MaxBookingsPerDay, Stamps: dynamo.StampsOf(sc.CreatedAt, sc.UpdatedAt, sc.Version)}
	for _, r := range sc.Rules {
		it.Rules = append(it.Rules, ruleItem{Day: int(r.Day), Start: r.Start, End: r.End, Modes: r.Modes})
	}
	for _, e := range sc.Exceptions {
		it.Exceptions = append(it.Exceptions, exceptionItem(e))
	}
	data, err := attributevalue.Marshal(it)
	if err != nil {
		return fmt.Errorf("marshal schedule: %w", err)
	}
	item := dynamo.Key("PRACTITIONER#"+sc.PractitionerID, scheduleSK(sc))
	item["data"], item["effectiveTo"] = data, dynamo.S(sc.EffectiveTo)
	// A retried write that was stored the first time is the same item:
	// success, not a 500.
	return dynamo.Err(dynamo.PutNew(ctx, st.DB, st.Table, item, "pk", "sk"), "put schedule")
}

func decodeSchedule(item map[string]types.AttributeValue) (scheduling.Schedule, error) {
	var it scheduleItem
	if err := attributevalue.Unmarshal(item["data"], &it); err != nil {
		return scheduling.Schedule{}, fmt.Errorf("unmarshal schedule: %w", err)
	}
	sc := scheduling.Schedule{ID: it.ID, PractitionerID: it.PractitionerID, TimeZone: it.TimeZone, SlotMinutes: it.SlotMinutes,
		BufferMinutes: it.BufferMinutes, EffectiveFrom: it.EffectiveFrom, EffectiveTo: it.EffectiveTo,
		MaxBookingsPerDay: it.MaxBookingsPerDay}
	sc.CreatedAt, sc.UpdatedAt, sc.Version = it.Values()
	for _, r := range it.Rules {
		sc.Rules = append(sc.Rules, scheduling.Rule{Day: time.Weekday(r.Day), Start: r.Start, End: r.End, Modes: r.Modes})
	}
	for _, e := range it.Exceptions {
		sc.Exceptions = append(sc.Exceptions, scheduling.Exception(e))
	}
	return sc, nil
}

// Schedules returns the schedules of a practitioner that end on or after
// from.
func (st *Store) Schedules(ctx context.Context, pid, from string) ([]scheduling.Schedule, error) {
	var out []scheduling.Schedule
	err := st.query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :p)"),
		FilterExpression:       aws.String("effectiveTo >= :from"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("PRACTITIONER#" + pid), ":p": dynamo.S("SCHEDULE#"), ":from": dynamo.S(from),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		sc, err := decodeSchedule(item)
		out = append(out, sc)
		return err
	})
	return out, err
}

// ListSchedules pages through a practitioner's schedules, newest first.
func (st *Store) ListSchedules(ctx context.Context, pid string, limit int, after map[string]string) (page.Of[scheduling.Schedule], error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(st.Table),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("PRACTITIONER#" + pid), ":p": dynamo.S("SCHEDULE#")},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit + 1)),
	}
	if after != nil {
		in.ExclusiveStartKey = map[string]types.AttributeValue{tables.PK: dynamo.S(after[tables.PK]), tables.SK: dynamo.S(after[tables.SK])}
	}
	out, err := st.DB.Query(ctx, in)
	if err != nil {
		return page.Of[scheduling.Schedule]{}, dynamo.Err(err, "list schedules")
	}
	var page page.Of[scheduling.Schedule]
	items := out.Items
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = map[string]string{tables.PK: dynamo.Str(last[tables.PK]), tables.SK: dynamo.Str(last[tables.SK])}
	}
	for _, item := range items {
		sc, err := decodeSchedule(item)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, sc)
	}
	return page, nil
}
