// Package schedulingdb stores schedules and appointments in the scheduling
// table.
//
// Items:
//   - schedules:    pk PRACTITIONER#<id>, sk SCHEDULE#<createdAt>#<id>
//   - claims:       pk PRACTITIONER#<id>, sk CLAIM#<start>: one per booked
//     slot, written with attribute_not_exists, so a slot is booked once
//   - day counts:   pk PRACTITIONER#<id>, sk DAY#<local date>: bookings and a
//     version that every booking of that day conditions on
//   - appointments: pk APPOINTMENT#<id>, sk APPOINTMENT, with gsi1 by
//     practitioner and gsi2 by beneficiary, both sorted by start
//   - bookings:     pk BENEFICIARY#<id>, sk BOOKINGS: the beneficiary's
//     booked intervals and a version, so that overlap checks and bookings of
//     one beneficiary are serialized
//
// Free slots are computed from the schedules at read time; only claims are
// stored. Every change is one TransactWriteItems with its outbox rows.
package schedulingdb

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

	"ohcs/shared/dynamo"
	"ohcs/shared/outbox"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/tables"
)

// Store is the DynamoDB scheduling store.
type Store struct {
	DB          *dynamodb.Client
	Table       string
	OutboxTable string
	NewID       func() string
}

var _ scheduling.Store = (*Store)(nil)

// retries bounds the optimistic retries of a booking whose day or
// beneficiary changed between read and write.
const retries = 8

const stamp = time.RFC3339

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{tables.PK: s(pk), tables.SK: s(sk)}
}

func utc(t time.Time) string { return t.UTC().Format(stamp) }

func parse(v string) time.Time {
	t, _ := time.Parse(stamp, v)
	return t
}

// --- schedules ---

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
	CreatedAt         string          `dynamodbav:"createdAt"`
	UpdatedAt         string          `dynamodbav:"updatedAt"`
	Version           int64           `dynamodbav:"version"`
}

func scheduleSK(sc scheduling.Schedule) string {
	return "SCHEDULE#" + sc.CreatedAt.UTC().Format(time.RFC3339Nano) + "#" + sc.ID
}

// PutSchedule stores a schedule.
func (st *Store) PutSchedule(ctx context.Context, sc scheduling.Schedule) error {
	it := scheduleItem{ID: sc.ID, PractitionerID: sc.PractitionerID, TimeZone: sc.TimeZone, SlotMinutes: sc.SlotMinutes,
		BufferMinutes: sc.BufferMinutes, EffectiveFrom: sc.EffectiveFrom, EffectiveTo: sc.EffectiveTo,
		MaxBookingsPerDay: sc.MaxBookingsPerDay, CreatedAt: sc.CreatedAt.UTC().Format(time.RFC3339Nano),
		UpdatedAt: sc.UpdatedAt.UTC().Format(time.RFC3339Nano), Version: sc.Version}
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
	item := key("PRACTITIONER#"+sc.PractitionerID, scheduleSK(sc))
	item["data"], item["effectiveTo"] = data, s(sc.EffectiveTo)
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
		MaxBookingsPerDay: it.MaxBookingsPerDay, Version: it.Version}
	sc.CreatedAt, _ = time.Parse(time.RFC3339Nano, it.CreatedAt)
	sc.UpdatedAt, _ = time.Parse(time.RFC3339Nano, it.UpdatedAt)
	for _, r := range it.Rules {
		sc.Rules = append(sc.Rules, scheduling.Rule{Day: time.Weekday(r.Day), Start: r.Start, End: r.End, Modes: r.Modes})
	}
	for _, e := range it.Exceptions {
		sc.Exceptions = append(sc.Exceptions, scheduling.Exception(e))
	}
	return sc, nil
}

// query runs a query to its end.
func (st *Store) query(ctx context.Context, in *dynamodb.QueryInput, each func(map[string]types.AttributeValue) error) error {
	p := dynamodb.NewQueryPaginator(st.DB, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return dynamo.Err(err, "query scheduling")
		}
		for _, item := range page.Items {
			if err := each(item); err != nil {
				return err
			}
		}
	}
	return nil
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
			":pk": s("PRACTITIONER#" + pid), ":p": s("SCHEDULE#"), ":from": s(from),
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
func (st *Store) ListSchedules(ctx context.Context, pid string, limit int, after map[string]string) (scheduling.SchedulePage, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(st.Table),
		KeyConditionExpression:    aws.String("pk = :pk AND begins_with(sk, :p)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": s("PRACTITIONER#" + pid), ":p": s("SCHEDULE#")},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit + 1)),
	}
	if after != nil {
		in.ExclusiveStartKey = map[string]types.AttributeValue{tables.PK: s(after[tables.PK]), tables.SK: s(after[tables.SK])}
	}
	out, err := st.DB.Query(ctx, in)
	if err != nil {
		return scheduling.SchedulePage{}, dynamo.Err(err, "list schedules")
	}
	var page scheduling.SchedulePage
	items := out.Items
	if len(items) > limit {
		items = items[:limit]
		last := items[limit-1]
		page.Next = map[string]string{tables.PK: str(last[tables.PK]), tables.SK: str(last[tables.SK])}
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

func str(v types.AttributeValue) string {
	if x, ok := v.(*types.AttributeValueMemberS); ok {
		return x.Value
	}
	return ""
}

func num(v types.AttributeValue) int64 {
	if x, ok := v.(*types.AttributeValueMemberN); ok {
		i, _ := strconv.ParseInt(x.Value, 10, 64)
		return i
	}
	return 0
}

// --- claims and day counts ---

// Claims returns the booked slots starting in [from, to).
func (st *Store) Claims(ctx context.Context, pid string, from, to time.Time) ([]scheduling.Claim, error) {
	var out []scheduling.Claim
	err := st.query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s("PRACTITIONER#" + pid), ":from": s("CLAIM#" + utc(from)), ":to": s("CLAIM#" + utc(to.Add(-time.Second))),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		out = append(out, scheduling.Claim{Start: parse(strings.TrimPrefix(str(item[tables.SK]), "CLAIM#")),
			End: parse(str(item["end"])), AppointmentID: str(item["appointmentId"])})
		return nil
	})
	return out, err
}

// DayCounts returns the bookings per local date.
func (st *Store) DayCounts(ctx context.Context, pid, fromDate, toDate string) (map[string]int, error) {
	out := map[string]int{}
	err := st.query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s("PRACTITIONER#" + pid), ":from": s("DAY#" + fromDate), ":to": s("DAY#" + toDate),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		out[strings.TrimPrefix(str(item[tables.SK]), "DAY#")] = int(num(item["count"]))
		return nil
	})
	return out, err
}

// --- appointments ---

type appointmentItem struct {
	ID             string `dynamodbav:"id"`
	PractitionerID string `dynamodbav:"practitionerId"`
	BeneficiaryID  string `dynamodbav:"beneficiaryId"`
	SlotID         string `dynamodbav:"slotId"`
	Start          string `dynamodbav:"start"`
	End            string `dynamodbav:"end"`
	LocalDate      string `dynamodbav:"localDate"`
	Mode           string `dynamodbav:"mode"`
	Status         string `dynamodbav:"status"`
	BookedBy       string `dynamodbav:"bookedBy"`
	BookedAt       string `dynamodbav:"bookedAt"`
	Reason         string `dynamodbav:"reason,omitempty"`
	CancelReason   string `dynamodbav:"cancelReason,omitempty"`
	CancelledBy    string `dynamodbav:"cancelledBy,omitempty"`
	CancelledAt    string `dynamodbav:"cancelledAt,omitempty"`
	CreatedAt      string `dynamodbav:"createdAt"`
	UpdatedAt      string `dynamodbav:"updatedAt"`
}

func appointmentItemOf(a scheduling.Appointment) (map[string]types.AttributeValue, error) {
	it := appointmentItem{ID: a.ID, PractitionerID: a.PractitionerID, BeneficiaryID: a.BeneficiaryID, SlotID: a.SlotID,
		Start: utc(a.Start), End: utc(a.End), LocalDate: a.LocalDate, Mode: a.Mode, Status: string(a.Status),
		BookedBy: a.BookedBy, BookedAt: utc(a.BookedAt), Reason: a.Reason, CancelReason: a.CancelReason,
		CancelledBy: a.CancelledBy, CreatedAt: utc(a.CreatedAt), UpdatedAt: utc(a.UpdatedAt)}
	if !a.CancelledAt.IsZero() {
		it.CancelledAt = utc(a.CancelledAt)
	}
	item, err := attributevalue.MarshalMap(it)
	if err != nil {
		return nil, fmt.Errorf("marshal appointment: %w", err)
	}
	item[tables.PK], item[tables.SK] = s("APPOINTMENT#"+a.ID), s("APPOINTMENT")
	item[tables.GSI1PK], item[tables.GSI1SK] = s("PRACTITIONER#"+a.PractitionerID+"#APPOINTMENTS"), s(utc(a.Start)+"#"+a.ID)
	item[tables.GSI2PK], item[tables.GSI2SK] = s("BENEFICIARY#"+a.BeneficiaryID+"#APPOINTMENTS"), s(utc(a.Start)+"#"+a.ID)
	item["version"] = n(a.Version)
	return item, nil
}

func decodeAppointment(item map[string]types.AttributeValue) (scheduling.Appointment, error) {
	var it appointmentItem
	if err := attributevalue.UnmarshalMap(item, &it); err != nil {
		return scheduling.Appointment{}, fmt.Errorf("unmarshal appointment: %w", err)
	}
	a := scheduling.Appointment{ID: it.ID, PractitionerID: it.PractitionerID, BeneficiaryID: it.BeneficiaryID, SlotID: it.SlotID,
		Start: parse(it.Start), End: parse(it.End), LocalDate: it.LocalDate, Mode: it.Mode, Status: scheduling.Status(it.Status),
		BookedBy: it.BookedBy, BookedAt: parse(it.BookedAt), Reason: it.Reason, CancelReason: it.CancelReason,
		CancelledBy: it.CancelledBy, CreatedAt: parse(it.CreatedAt), UpdatedAt: parse(it.UpdatedAt), Version: num(item["version"])}
	if it.CancelledAt != "" {
		a.CancelledAt = parse(it.CancelledAt)
	}
	return a, nil
}

// Get reads an appointment.
func (st *Store) Get(ctx context.Context, id string) (scheduling.Appointment, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table),
		Key: key("APPOINTMENT#"+id, "APPOINTMENT"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return scheduling.Appointment{}, dynamo.Err(err, "get appointment")
	}
	if out.Item == nil {
		return scheduling.Appointment{}, problem.New(problem.NotFound, "no appointment %s", id)
	}
	return decodeAppointment(out.Item)
}

// state is what a booking reads before it writes: the day's count and
// version, the beneficiary's booked intervals and version.
type state struct {
	dayCount, dayVersion int64
	benVersion           int64
	intervals            map[string]string // appointment id -> start|end
}

func (st *Store) read(ctx context.Context, pid, date, bid string) (state, error) {
	var out state
	dayKey, benKey := key("PRACTITIONER#"+pid, "DAY#"+date), key("BENEFICIARY#"+bid, "BOOKINGS")
	// Both counters in one request, read consistently.
	req := map[string]types.KeysAndAttributes{st.Table: {Keys: []map[string]types.AttributeValue{dayKey, benKey}, ConsistentRead: aws.Bool(true)}}
	var items []map[string]types.AttributeValue
	for attempt := 0; len(req) > 0; attempt++ {
		if attempt == 5 {
			return out, &problem.Error{Code: problem.Unavailable, Message: "the data store is busy, retry later", RetryAfter: 1}
		}
		if attempt > 0 {
			time.Sleep(time.Duration(10<<attempt) * time.Millisecond)
		}
		res, err := st.DB.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
		if err != nil {
			return out, dynamo.Err(err, "read the day and the bookings")
		}
		items = append(items, res.Responses[st.Table]...)
		req = res.UnprocessedKeys
	}
	var day, ben map[string]types.AttributeValue
	for _, it := range items {
		switch str(it[tables.PK]) {
		case str(dayKey[tables.PK]):
			day = it
		case str(benKey[tables.PK]):
			ben = it
		}
	}
	out.dayCount, out.dayVersion = num(day["count"]), num(day["version"])
	out.benVersion = num(ben["version"])
	out.intervals = map[string]string{}
	if m, ok := ben["intervals"].(*types.AttributeValueMemberM); ok {
		for id, v := range m.Value {
			out.intervals[id] = str(v)
		}
	}
	return out, nil
}

// overlapping reports whether a's time overlaps another booked interval.
// upcoming counts the booked intervals that have not ended at now.
func upcoming(intervals map[string]string, now time.Time) int {
	n := 0
	for _, v := range intervals {
		if _, end, _ := strings.Cut(v, "|"); parse(end).After(now) {
			n++
		}
	}
	return n
}

func overlapping(intervals map[string]string, a scheduling.Appointment) bool {
	for id, v := range intervals {
		if id == a.ID {
			continue
		}
		start, end, _ := strings.Cut(v, "|")
		if a.Start.Before(parse(end)) && parse(start).Before(a.End) {
			return true
		}
	}
	return false
}

// versioned returns the condition that the item is still at version v
// (absent when v is 0).
func versioned(v int64) (*string, map[string]types.AttributeValue) {
	if v == 0 {
		return aws.String("attribute_not_exists(pk)"), nil
	}
	return aws.String("version = :v"), map[string]types.AttributeValue{":v": n(v)}
}

func (st *Store) dayWrite(pid, date string, count, version int64) types.TransactWriteItem {
	cond, vals := versioned(version)
	item := key("PRACTITIONER#"+pid, "DAY#"+date)
	item["count"], item["version"] = n(count), n(version+1)
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item,
		ConditionExpression: cond, ExpressionAttributeValues: vals}}
}

func (st *Store) bookingsWrite(bid string, intervals map[string]string, version int64, now time.Time) types.TransactWriteItem {
	cond, vals := versioned(version)
	m := map[string]types.AttributeValue{}
	for id, v := range intervals {
		// Intervals that ended a day ago cannot overlap a new booking.
		if _, end, _ := strings.Cut(v, "|"); parse(end).Add(24 * time.Hour).After(now) {
			m[id] = s(v)
		}
	}
	item := key("BENEFICIARY#"+bid, "BOOKINGS")
	item["version"] = n(version + 1)
	// No intervals: no attribute. An empty map is valid in DynamoDB, but
	// the embedded store mangles one when it rolls a failed transaction
	// back, and the table is unreadable after (issue of the booking race).
	if len(m) > 0 {
		item["intervals"] = &types.AttributeValueMemberM{Value: m}
	}
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item,
		ConditionExpression: cond, ExpressionAttributeValues: vals}}
}

func (st *Store) claimPut(a scheduling.Appointment) types.TransactWriteItem {
	item := key("PRACTITIONER#"+a.PractitionerID, "CLAIM#"+utc(a.Start))
	item["end"], item["appointmentId"] = s(utc(a.End)), s(a.ID)
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)")}}
}

func (st *Store) claimDelete(a scheduling.Appointment) types.TransactWriteItem {
	return types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(st.Table),
		Key: key("PRACTITIONER#"+a.PractitionerID, "CLAIM#"+utc(a.Start)), ConditionExpression: aws.String("appointmentId = :id"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": s(a.ID)}}}
}

func (st *Store) messages(a scheduling.Appointment, msgs []scheduling.Message, now time.Time) ([]types.TransactWriteItem, error) {
	var out []types.TransactWriteItem
	for _, m := range msgs {
		it, err := outbox.Put(st.OutboxTable, outbox.Message{ID: st.NewID(), Kind: outbox.Kind(m.Kind), AppointmentID: a.ID,
			PractitionerID: a.PractitionerID, BeneficiaryID: a.BeneficiaryID, DueAt: m.DueAt, CreatedAt: now})
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

// Book claims the slot, counts the day, records the beneficiary's interval,
// writes the appointment and its messages in one transaction, retrying
// while only the day or the beneficiary changed underneath.
func (st *Store) Book(ctx context.Context, b scheduling.Booking, msgs []scheduling.Message) error {
	a := b.Appointment
	item, err := appointmentItemOf(a)
	if err != nil {
		return err
	}
	out, err := st.messages(a, msgs, a.CreatedAt)
	if err != nil {
		return err
	}
	for range retries {
		cur, err := st.read(ctx, a.PractitionerID, a.LocalDate, a.BeneficiaryID)
		if err != nil {
			return err
		}
		if b.MaxPerDay > 0 && cur.dayCount >= int64(b.MaxPerDay) {
			return problem.New(problem.Conflict, "the practitioner is fully booked on %s", a.LocalDate)
		}
		if overlapping(cur.intervals, a) {
			return problem.New(problem.Conflict, "the beneficiary already has an appointment at that time")
		}
		if b.MaxUpcoming > 0 && upcoming(cur.intervals, a.CreatedAt) >= b.MaxUpcoming {
			return problem.New(problem.Unprocessable,
				"the beneficiary already holds %d upcoming appointments, the most at a time: attend or cancel one first", b.MaxUpcoming)
		}
		cur.intervals[a.ID] = utc(a.Start) + "|" + utc(a.End)
		items := []types.TransactWriteItem{
			st.claimPut(a),
			st.dayWrite(a.PractitionerID, a.LocalDate, cur.dayCount+1, cur.dayVersion),
			st.bookingsWrite(a.BeneficiaryID, cur.intervals, cur.benVersion, a.CreatedAt),
			{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		}
		items = append(items, out...)
		_, err = st.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		switch {
		case err == nil:
			return nil
		case dynamo.ConditionFailedAt(err, 0):
			return problem.New(problem.Conflict, "this slot has just been booked by someone else")
		case dynamo.ConditionFailedAt(err, 1), dynamo.ConditionFailedAt(err, 2), isConflict(err):
			continue
		default:
			return dynamo.Err(err, "book appointment")
		}
	}
	return &problem.Error{Code: problem.Conflict, Message: "the practitioner's calendar is busy, retry", RetryAfter: 1}
}

// isConflict reports a transaction cancelled because another transaction
// touched the same items at the same time.
func isConflict(err error) bool {
	for _, c := range dynamo.CancellationCodes(err) {
		if c == "TransactionConflict" {
			return true
		}
	}
	return false
}

// Cancel writes the cancelled appointment, frees its claim and its
// interval, and counts the day down, in one transaction.
func (st *Store) Cancel(ctx context.Context, old, cancelled scheduling.Appointment, msgs []scheduling.Message) error {
	return st.change(ctx, old, cancelled, msgs, true)
}

// SetStatus writes a completed or no-show appointment and frees its
// interval; the slot stays claimed: its time has passed.
func (st *Store) SetStatus(ctx context.Context, old, updated scheduling.Appointment, msgs []scheduling.Message) error {
	return st.change(ctx, old, updated, msgs, false)
}

func (st *Store) change(ctx context.Context, old, next scheduling.Appointment, msgs []scheduling.Message, freeSlot bool) error {
	item, err := appointmentItemOf(next)
	if err != nil {
		return err
	}
	out, err := st.messages(next, msgs, next.UpdatedAt)
	if err != nil {
		return err
	}
	for range retries {
		cur, err := st.read(ctx, old.PractitionerID, old.LocalDate, old.BeneficiaryID)
		if err != nil {
			return err
		}
		delete(cur.intervals, old.ID)
		items := []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("version = :v"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":v": n(old.Version)}}},
			st.bookingsWrite(old.BeneficiaryID, cur.intervals, cur.benVersion, next.UpdatedAt),
		}
		if freeSlot {
			items = append(items, st.claimDelete(old), st.dayWrite(old.PractitionerID, old.LocalDate, max(cur.dayCount-1, 0), cur.dayVersion))
		}
		items = append(items, out...)
		_, err = st.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		switch {
		case err == nil:
			return nil
		case dynamo.ConditionFailedAt(err, 0):
			return problem.New(problem.PreconditionFailed, "the appointment changed since version %d: read it again", old.Version)
		case dynamo.ConditionFailedAt(err, 1), dynamo.ConditionFailedAt(err, 3), isConflict(err):
			continue
		default:
			return dynamo.Err(err, "change appointment")
		}
	}
	return &problem.Error{Code: problem.Conflict, Message: "the appointment is busy, retry", RetryAfter: 1}
}

// Reschedule moves the claim, the interval and the day counts, and writes
// the appointment, in one transaction: the new slot is held and the old
// one free, or nothing changed.
func (st *Store) Reschedule(ctx context.Context, m scheduling.Move, msgs []scheduling.Message) error {
	old, next := m.Old, m.New
	item, err := appointmentItemOf(next)
	if err != nil {
		return err
	}
	out, err := st.messages(next, msgs, next.UpdatedAt)
	if err != nil {
		return err
	}
	for range retries {
		cur, err := st.read(ctx, next.PractitionerID, next.LocalDate, next.BeneficiaryID)
		if err != nil {
			return err
		}
		if overlapping(cur.intervals, next) {
			return problem.New(problem.Conflict, "the beneficiary already has an appointment at that time")
		}
		cur.intervals[next.ID] = utc(next.Start) + "|" + utc(next.End)
		items := []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("version = :v"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":v": n(old.Version)}}},
			st.claimPut(next),
			st.claimDelete(old),
			st.bookingsWrite(next.BeneficiaryID, cur.intervals, cur.benVersion, next.UpdatedAt),
		}
		if old.LocalDate != next.LocalDate {
			if m.MaxPerDay > 0 && cur.dayCount >= int64(m.MaxPerDay) {
				return problem.New(problem.Conflict, "the practitioner is fully booked on %s", next.LocalDate)
			}
			prev, err := st.read(ctx, old.PractitionerID, old.LocalDate, old.BeneficiaryID)
			if err != nil {
				return err
			}
			items = append(items,
				st.dayWrite(next.PractitionerID, next.LocalDate, cur.dayCount+1, cur.dayVersion),
				st.dayWrite(old.PractitionerID, old.LocalDate, max(prev.dayCount-1, 0), prev.dayVersion))
		}
		items = append(items, out...)
		_, err = st.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		switch {
		case err == nil:
			return nil
		case dynamo.ConditionFailedAt(err, 0):
			return problem.New(problem.PreconditionFailed, "the appointment changed since version %d: read it again", old.Version)
		case dynamo.ConditionFailedAt(err, 1):
			return problem.New(problem.Conflict, "the new slot has just been booked by someone else")
		case dynamo.ConditionFailedAt(err, 2):
			return problem.New(problem.PreconditionFailed, "the appointment changed: read it again")
		case isConflict(err), len(dynamo.CancellationCodes(err)) > 0:
			continue
		default:
			return dynamo.Err(err, "reschedule appointment")
		}
	}
	return &problem.Error{Code: problem.Conflict, Message: "the practitioner's calendar is busy, retry", RetryAfter: 1}
}

// List pages through appointments of a practitioner (gsi1) or a
// beneficiary (gsi2) by start.
func (st *Store) List(ctx context.Context, q scheduling.AppointmentQuery) (scheduling.AppointmentPage, error) {
	ix, pk, keys := tables.GSI1, "PRACTITIONER#"+q.PractitionerID+"#APPOINTMENTS", []string{tables.PK, tables.SK, tables.GSI1PK, tables.GSI1SK}
	if q.PractitionerID == "" {
		ix, pk, keys = tables.GSI2, "BENEFICIARY#"+q.BeneficiaryID+"#APPOINTMENTS", []string{tables.PK, tables.SK, tables.GSI2PK, tables.GSI2SK}
	}
	from, to := "0", "9"
	if !q.From.IsZero() {
		from = utc(q.From)
	}
	if !q.To.IsZero() {
		to = utc(q.To)
	}
	in := &dynamodb.QueryInput{
		TableName:                aws.String(st.Table),
		IndexName:                aws.String(ix.Name),
		KeyConditionExpression:   aws.String("#pk = :pk AND #sk BETWEEN :from AND :to"),
		ExpressionAttributeNames: map[string]string{"#pk": ix.PartitionKey, "#sk": ix.SortKey},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s(pk), ":from": s(from), ":to": s(to),
		},
	}
	if q.Status != "" {
		in.FilterExpression = aws.String("#status = :status")
		in.ExpressionAttributeNames["#status"] = "status"
		in.ExpressionAttributeValues[":status"] = s(string(q.Status))
	}
	if q.After != nil {
		in.ExclusiveStartKey = map[string]types.AttributeValue{}
		for _, k := range keys {
			v, ok := q.After[k]
			if !ok {
				return scheduling.AppointmentPage{}, problem.Field("cursor", "is not a cursor of this query")
			}
			in.ExclusiveStartKey[k] = s(v)
		}
	}
	var raw []map[string]types.AttributeValue
	var last map[string]types.AttributeValue
	for round := 0; round < 8 && len(raw) <= q.Limit; round++ {
		in.Limit = aws.Int32(int32(q.Limit + 1 - len(raw)))
		if q.Status != "" {
			in.Limit = aws.Int32(100)
		}
		out, err := st.DB.Query(ctx, in)
		if err != nil {
			return scheduling.AppointmentPage{}, dynamo.Err(err, "list appointments")
		}
		raw = append(raw, out.Items...)
		last = out.LastEvaluatedKey
		if last == nil {
			break
		}
		in.ExclusiveStartKey = last
	}
	var page scheduling.AppointmentPage
	if len(raw) > q.Limit {
		raw = raw[:q.Limit]
		last = raw[len(raw)-1]
	}
	if last != nil {
		page.Next = map[string]string{}
		for _, k := range keys {
			page.Next[k] = str(last[k])
		}
	}
	for _, item := range raw {
		a, err := decodeAppointment(item)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, a)
	}
	return page, nil
}

// LatestBooking finds the latest booking that holds a care relationship:
// booked and starting at or after bookedSince, or completed and starting at
// or after completedSince.
func (st *Store) LatestBooking(ctx context.Context, pid, bid string, bookedSince, completedSince time.Time) (time.Time, bool, error) {
	var latest time.Time
	found := false
	err := st.query(ctx, &dynamodb.QueryInput{
		TableName:                aws.String(st.Table),
		IndexName:                aws.String(tables.GSI2.Name),
		KeyConditionExpression:   aws.String("gsi2pk = :pk"),
		FilterExpression:         aws.String("practitionerId = :p AND ((#status = :booked AND #start >= :bookedSince) OR (#status = :completed AND #start >= :completedSince))"),
		ExpressionAttributeNames: map[string]string{"#status": "status", "#start": "start"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s("BENEFICIARY#" + bid + "#APPOINTMENTS"), ":p": s(pid), ":booked": s(string(scheduling.Booked)),
			":completed": s(string(scheduling.Completed)), ":bookedSince": s(utc(bookedSince)), ":completedSince": s(utc(completedSince)),
		},
	}, func(item map[string]types.AttributeValue) error {
		if t := parse(str(item["bookedAt"])); t.After(latest) {
			latest, found = t, true
		}
		return nil
	})
	return latest, found, err
}

// Completion returns the transaction item that marks an appointment
// completed if it is still at version and booked or completed, for a
// consultation recorded in another table's transaction.
func (st *Store) Completion(id string, version int64, now time.Time) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: key("APPOINTMENT#"+id, "APPOINTMENT"),
		UpdateExpression:         aws.String("SET #status = :completed, version = :next, updatedAt = :now"),
		ConditionExpression:      aws.String("version = :v AND (#status = :booked OR #status = :completed)"),
		ExpressionAttributeNames: map[string]string{"#status": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":completed": s(string(scheduling.Completed)), ":booked": s(string(scheduling.Booked)),
			":v": n(version), ":next": n(version + 1), ":now": s(utc(now)),
		}}}
}
