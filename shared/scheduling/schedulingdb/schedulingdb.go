// Package schedulingdb stores schedules and appointments in the scheduling
// table.
//
// Items:
//   - schedules:    pk PRACTITIONER#<id>, sk SCHEDULE#<createdAt>#<id>
//   - busy times:   pk PRACTITIONER#<id>, sk BUSY#<UTC date>: the booked
//     intervals of the practitioner's appointments that start on that UTC
//     date, and a version. Every booking, move and cancellation reads the
//     items its interval could overlap, checks, and writes them on their
//     version in its transaction: two appointments of one practitioner
//     never overlap, whatever the schedules and however requests interleave
//   - day counts:   pk PRACTITIONER#<id>, sk DAY#<local date>: bookings and a
//     version that every booking of that day conditions on
//   - appointments: pk APPOINTMENT#<id>, sk APPOINTMENT, with gsi1 by
//     practitioner and gsi2 by beneficiary, both sorted by start
//   - bookings:     pk BENEFICIARY#<id>, sk BOOKINGS: the beneficiary's
//     booked intervals and a version, so that overlap checks and bookings of
//     one beneficiary are serialized
//
// Free slots are computed from the schedules at read time; only busy
// times are stored. Every change is one TransactWriteItems with its outbox rows.
package schedulingdb

import (
	"context"
	"fmt"
	"maps"
	"slices"
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

// Claims returns the booked intervals that start in [from, to).
func (st *Store) Claims(ctx context.Context, pid string, from, to time.Time) ([]scheduling.Claim, error) {
	var out []scheduling.Claim
	err := st.query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s("PRACTITIONER#" + pid), ":from": s(busySK(from)), ":to": s(busySK(to)),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		for id, iv := range intervalsOf(item) {
			if !iv.start.Before(from) && iv.start.Before(to) {
				out = append(out, scheduling.Claim{Start: iv.start, End: iv.end, AppointmentID: id})
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b scheduling.Claim) int { return a.Start.Compare(b.Start) })
	return out, err
}

// interval is a booked time.
type interval struct{ start, end time.Time }

func (iv interval) String() string { return utc(iv.start) + "|" + utc(iv.end) }

func parseInterval(v string) interval {
	start, end, _ := strings.Cut(v, "|")
	return interval{parse(start), parse(end)}
}

// intervalsOf reads an item's intervals attribute (absent when empty).
func intervalsOf(item map[string]types.AttributeValue) map[string]interval {
	out := map[string]interval{}
	if m, ok := item["intervals"].(*types.AttributeValueMemberM); ok {
		for id, v := range m.Value {
			out[id] = parseInterval(str(v))
		}
	}
	return out
}

// busySK is the sort key of the busy item of t's UTC date.
func busySK(t time.Time) string { return "BUSY#" + t.UTC().Format(time.DateOnly) }

// busyKeys are the busy items an appointment from start to end could
// overlap an interval of: those of the UTC dates from MaxSlotMinutes
// before its start to its end (one or two).
func busyKeys(start, end time.Time) []string {
	first, last := busySK(start.Add(-scheduling.MaxSlotMinutes*time.Minute)), busySK(end.Add(-time.Second))
	if first == last {
		return []string{first}
	}
	return []string{first, last}
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

// state is what a change reads before it writes: items by sort key (and
// pk, for the beneficiary's), each with its version; absent items are
// missing from the map.
type state map[string]map[string]types.AttributeValue

func stateKey(pk, sk string) string { return pk + "\x1f" + sk }

func (cur state) get(pk, sk string) map[string]types.AttributeValue { return cur[stateKey(pk, sk)] }

// read reads the items of keys consistently, in one batch.
func (st *Store) read(ctx context.Context, keys ...map[string]types.AttributeValue) (state, error) {
	seen := map[string]bool{}
	var unique []map[string]types.AttributeValue
	for _, k := range keys {
		if id := stateKey(str(k[tables.PK]), str(k[tables.SK])); !seen[id] {
			seen[id] = true
			unique = append(unique, k)
		}
	}
	items, err := dynamo.BatchGet(ctx, st.DB, st.Table, unique, true)
	if err != nil {
		return nil, err
	}
	out := state{}
	for _, it := range items {
		out[stateKey(str(it[tables.PK]), str(it[tables.SK]))] = it
	}
	return out, nil
}

// change is what one transaction does to the items it read: items written
// whole on the version read, items only checked to be still at the version
// read (an item is written or checked, never both), and new items.
type change struct {
	st     *Store
	cur    state
	next   map[string]map[string]types.AttributeValue
	order  []string // keys of next and checks, in order
	checks map[string]bool
	roles  map[string]string
	extra  []types.TransactWriteItem
	extraR []string
}

func (st *Store) begin(cur state) *change {
	return &change{st: st, cur: cur, next: map[string]map[string]types.AttributeValue{}, checks: map[string]bool{}, roles: map[string]string{}}
}

// item is the item under pk, sk as this change leaves it so far.
func (c *change) item(pk, sk string) map[string]types.AttributeValue {
	if it, ok := c.next[stateKey(pk, sk)]; ok {
		return it
	}
	return c.cur.get(pk, sk)
}

// write replaces the item under its key, on the version read.
func (c *change) write(role string, item map[string]types.AttributeValue) {
	k := stateKey(str(item[tables.PK]), str(item[tables.SK]))
	if _, ok := c.next[k]; !ok && !c.checks[k] {
		c.order = append(c.order, k)
	}
	delete(c.checks, k)
	c.next[k], c.roles[k] = item, role
}

// check holds the item under pk, sk at the version read, unless written.
func (c *change) check(role, pk, sk string) {
	k := stateKey(pk, sk)
	if _, ok := c.next[k]; ok || c.checks[k] {
		return
	}
	c.order = append(c.order, k)
	c.checks[k], c.roles[k] = true, role
}

// add appends a new item's write (the appointment, outbox rows).
func (c *change) add(role string, it types.TransactWriteItem) {
	c.extra, c.extraR = append(c.extra, it), append(c.extraR, role)
}

// tx builds the transaction, each item named by its role, so that a
// cancellation is read by what failed, not by its position.
func (c *change) tx() *dynamo.Tx {
	var tx dynamo.Tx
	for _, k := range c.order {
		pk, sk, _ := strings.Cut(k, "\x1f")
		v := num(c.cur.get(pk, sk)["version"])
		cond, vals := versioned(v)
		if c.checks[k] {
			tx.Add(c.roles[k], types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: aws.String(c.st.Table), Key: key(pk, sk),
				ConditionExpression: cond, ExpressionAttributeValues: vals}})
		} else {
			item := maps.Clone(c.next[k])
			item["version"] = n(v + 1)
			tx.Add(c.roles[k], types.TransactWriteItem{Put: &types.Put{TableName: aws.String(c.st.Table), Item: item,
				ConditionExpression: cond, ExpressionAttributeValues: vals}})
		}
	}
	for i, it := range c.extra {
		tx.Add(c.extraR[i], it)
	}
	return &tx
}

// run writes the change; on a cancelled transaction, failed names the
// roles of the items whose condition failed, and "conflict" when another
// transaction or throttling cancelled it.
func (c *change) run(ctx context.Context) (failed map[string]bool, err error) {
	tx := c.tx()
	err = tx.Run(ctx, c.st.DB)
	failed = map[string]bool{}
	for _, role := range []string{"appointment", "busy", "day", "bookings", "outbox"} {
		if tx.Failed(err, role) {
			failed[role] = true
		}
	}
	if tx.Contended(err) {
		failed["conflict"] = true
	}
	return failed, err
}

// upcoming counts the booked intervals that have not ended at now.
func upcoming(intervals map[string]interval, now time.Time) int {
	n := 0
	for _, iv := range intervals {
		if iv.end.After(now) {
			n++
		}
	}
	return n
}

// overlapping returns the interval, other than a's own, that a's time
// overlaps, if any.
func overlapping(intervals map[string]interval, a scheduling.Appointment) (interval, bool) {
	for id, iv := range intervals {
		if id != a.ID && a.Start.Before(iv.end) && iv.start.Before(a.End) {
			return iv, true
		}
	}
	return interval{}, false
}

// versioned returns the condition that the item is still at version v
// (absent when v is 0).
func versioned(v int64) (*string, map[string]types.AttributeValue) {
	if v == 0 {
		return aws.String("attribute_not_exists(pk)"), nil
	}
	return aws.String("version = :v"), map[string]types.AttributeValue{":v": n(v)}
}

func dayKey(pid, date string) (string, string) { return "PRACTITIONER#" + pid, "DAY#" + date }

func bookingsKey(bid string) (string, string) { return "BENEFICIARY#" + bid, "BOOKINGS" }

func busyKey(pid string, t time.Time) (string, string) { return "PRACTITIONER#" + pid, busySK(t) }

func (c *change) dayCount(pid, date string) int64 { return num(c.item(dayKey(pid, date))["count"]) }

// addToDay counts a booking in (+1) or out (-1) of the practitioner's day.
func (c *change) addToDay(pid, date string, delta int64) {
	item := key(dayKey(pid, date))
	item["count"] = n(max(c.dayCount(pid, date)+delta, 0))
	c.write("day", item)
}

// writeIntervals writes an item of intervals. No intervals: no attribute.
// An empty map is valid in DynamoDB, but the embedded store mangles one
// when it rolls a failed transaction back, and the table is unreadable
// after (TestLosingBookingAfterLastCancellation).
func (c *change) writeIntervals(role, pk, sk string, intervals map[string]interval) {
	item := key(pk, sk)
	if len(intervals) > 0 {
		m := map[string]types.AttributeValue{}
		for id, iv := range intervals {
			m[id] = s(iv.String())
		}
		item["intervals"] = &types.AttributeValueMemberM{Value: m}
	}
	c.write(role, item)
}

func (c *change) bookings(bid string) map[string]interval {
	return intervalsOf(c.item(bookingsKey(bid)))
}

// setBooking sets (iv non-zero) or removes the beneficiary's interval of
// appointment id; intervals that ended a day ago cannot overlap a new
// booking and are dropped.
func (c *change) setBooking(bid, id string, iv interval, now time.Time) {
	intervals := c.bookings(bid)
	setInterval(intervals, id, iv)
	maps.DeleteFunc(intervals, func(_ string, iv interval) bool { return !iv.end.Add(24 * time.Hour).After(now) })
	pk, sk := bookingsKey(bid)
	c.writeIntervals("bookings", pk, sk, intervals)
}

func setInterval(intervals map[string]interval, id string, iv interval) {
	if iv.start.IsZero() {
		delete(intervals, id)
	} else {
		intervals[id] = iv
	}
}

// busy returns the practitioner's intervals that an appointment from start
// to end could overlap, and holds the items they are in at their versions.
func (c *change) busy(pid string, start, end time.Time) map[string]interval {
	out := map[string]interval{}
	for _, sk := range busyKeys(start, end) {
		maps.Copy(out, intervalsOf(c.item("PRACTITIONER#"+pid, sk)))
		c.check("busy", "PRACTITIONER#"+pid, sk)
	}
	return out
}

// setBusy sets (iv non-zero) or removes the practitioner's interval of
// appointment id, in the busy item of the date it starts (at).
func (c *change) setBusy(pid, id string, at time.Time, iv interval) {
	pk, sk := busyKey(pid, at)
	intervals := intervalsOf(c.item(pk, sk))
	setInterval(intervals, id, iv)
	c.writeIntervals("busy", pk, sk, intervals)
}

// readKeys are the items a change of appointment a reads, and those of
// the appointment it moves from, if any.
func readKeys(a scheduling.Appointment, from *scheduling.Appointment) []map[string]types.AttributeValue {
	keys := []map[string]types.AttributeValue{key(dayKey(a.PractitionerID, a.LocalDate)), key(bookingsKey(a.BeneficiaryID))}
	for _, sk := range busyKeys(a.Start, a.End) {
		keys = append(keys, key("PRACTITIONER#"+a.PractitionerID, sk))
	}
	if from != nil {
		keys = append(keys, key(dayKey(from.PractitionerID, from.LocalDate)), key(busyKey(from.PractitionerID, from.Start)))
	}
	return keys
}

func (st *Store) messages(c *change, a scheduling.Appointment, msgs []scheduling.Message, now time.Time) error {
	for _, m := range msgs {
		it, err := outbox.Put(st.OutboxTable, outbox.Message{ID: st.NewID(), Kind: outbox.Kind(m.Kind), AppointmentID: a.ID,
			PractitionerID: a.PractitionerID, BeneficiaryID: a.BeneficiaryID, DueAt: m.DueAt, CreatedAt: now})
		if err != nil {
			return err
		}
		c.add("outbox", it)
	}
	return nil
}

// Book checks the practitioner's busy times, counts the day, records the
// beneficiary's interval, writes the appointment and its messages in one
// transaction, retrying while the items it read changed underneath.
func (st *Store) Book(ctx context.Context, b scheduling.Booking, msgs []scheduling.Message) error {
	a := b.Appointment
	item, err := appointmentItemOf(a)
	if err != nil {
		return err
	}
	iv := interval{a.Start, a.End}
	for range retries {
		cur, err := st.read(ctx, readKeys(a, nil)...)
		if err != nil {
			return err
		}
		c := st.begin(cur)
		if other, ok := overlapping(c.busy(a.PractitionerID, a.Start, a.End), a); ok {
			return taken(other, iv)
		}
		if b.MaxPerDay > 0 && c.dayCount(a.PractitionerID, a.LocalDate) >= int64(b.MaxPerDay) {
			return problem.New(problem.Conflict, "the practitioner is fully booked on %s", a.LocalDate)
		}
		bookings := c.bookings(a.BeneficiaryID)
		if _, ok := overlapping(bookings, a); ok {
			return problem.New(problem.Conflict, "the beneficiary already has an appointment at that time")
		}
		if b.MaxUpcoming > 0 && upcoming(bookings, a.CreatedAt) >= b.MaxUpcoming {
			return problem.New(problem.Unprocessable,
				"the beneficiary already holds %d upcoming appointments, the most at a time: attend or cancel one first", b.MaxUpcoming)
		}
		c.setBusy(a.PractitionerID, a.ID, a.Start, iv)
		c.addToDay(a.PractitionerID, a.LocalDate, +1)
		c.setBooking(a.BeneficiaryID, a.ID, iv, a.CreatedAt)
		c.add("appointment", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
		if err := st.messages(c, a, msgs, a.CreatedAt); err != nil {
			return err
		}
		failed, err := c.run(ctx)
		switch {
		case err == nil:
			return nil
		case failed["appointment"]:
			// A retried request whose first attempt was stored.
			if got, gerr := st.Get(ctx, a.ID); gerr == nil && got.Version == a.Version && got.SlotID == a.SlotID {
				return nil
			}
			return dynamo.Err(err, "book appointment")
		case len(failed) > 0:
			continue // read again: the next look sees what changed
		default:
			return dynamo.Err(err, "book appointment")
		}
	}
	return &problem.Error{Code: problem.Conflict, Message: "the practitioner's calendar is busy, retry", RetryAfter: 1}
}

// taken is the answer when the interval wanted overlaps a booked one.
func taken(other, want interval) error {
	if other.start.Equal(want.start) && other.end.Equal(want.end) {
		return problem.New(problem.Conflict, "this slot has just been booked by someone else")
	}
	return problem.New(problem.Conflict, "this slot overlaps a booked appointment")
}

// Cancel writes the cancelled appointment, frees its time and its
// interval, and counts the day down, in one transaction.
func (st *Store) Cancel(ctx context.Context, old, cancelled scheduling.Appointment, msgs []scheduling.Message) error {
	return st.change(ctx, old, cancelled, msgs, true)
}

// SetStatus writes a completed or no-show appointment and frees its
// interval; its time stays busy: it has passed.
func (st *Store) SetStatus(ctx context.Context, old, updated scheduling.Appointment, msgs []scheduling.Message) error {
	return st.change(ctx, old, updated, msgs, false)
}

func (st *Store) change(ctx context.Context, old, next scheduling.Appointment, msgs []scheduling.Message, free bool) error {
	item, err := appointmentItemOf(next)
	if err != nil {
		return err
	}
	for range retries {
		keys := []map[string]types.AttributeValue{key(bookingsKey(old.BeneficiaryID))}
		if free {
			keys = append(keys, key(dayKey(old.PractitionerID, old.LocalDate)), key(busyKey(old.PractitionerID, old.Start)))
		}
		cur, err := st.read(ctx, keys...)
		if err != nil {
			return err
		}
		c := st.begin(cur)
		c.add("appointment", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": n(old.Version)}}})
		c.setBooking(old.BeneficiaryID, old.ID, interval{}, next.UpdatedAt)
		if free {
			c.setBusy(old.PractitionerID, old.ID, old.Start, interval{})
			c.addToDay(old.PractitionerID, old.LocalDate, -1)
		}
		if err := st.messages(c, next, msgs, next.UpdatedAt); err != nil {
			return err
		}
		failed, err := c.run(ctx)
		switch {
		case err == nil:
			return nil
		case failed["appointment"]:
			return problem.New(problem.PreconditionFailed, "the appointment changed since version %d: read it again", old.Version)
		case len(failed) > 0:
			continue
		default:
			return dynamo.Err(err, "change appointment")
		}
	}
	return &problem.Error{Code: problem.Conflict, Message: "the appointment is busy, retry", RetryAfter: 1}
}

// Reschedule moves the busy time, the interval and the day counts, and
// writes the appointment, in one transaction: the new time is held and the
// old one free, or nothing changed.
func (st *Store) Reschedule(ctx context.Context, m scheduling.Move, msgs []scheduling.Message) error {
	old, next := m.Old, m.New
	item, err := appointmentItemOf(next)
	if err != nil {
		return err
	}
	iv := interval{next.Start, next.End}
	for range retries {
		cur, err := st.read(ctx, readKeys(next, &old)...)
		if err != nil {
			return err
		}
		c := st.begin(cur)
		if other, ok := overlapping(c.busy(next.PractitionerID, next.Start, next.End), next); ok {
			return taken(other, iv)
		}
		if _, ok := overlapping(c.bookings(next.BeneficiaryID), next); ok {
			return problem.New(problem.Conflict, "the beneficiary already has an appointment at that time")
		}
		if old.LocalDate != next.LocalDate && m.MaxPerDay > 0 && c.dayCount(next.PractitionerID, next.LocalDate) >= int64(m.MaxPerDay) {
			return problem.New(problem.Conflict, "the practitioner is fully booked on %s", next.LocalDate)
		}
		c.add("appointment", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": n(old.Version)}}})
		c.setBusy(old.PractitionerID, old.ID, old.Start, interval{})
		c.setBusy(next.PractitionerID, next.ID, next.Start, iv)
		c.setBooking(next.BeneficiaryID, next.ID, iv, next.UpdatedAt)
		if old.LocalDate != next.LocalDate {
			c.addToDay(next.PractitionerID, next.LocalDate, +1)
			c.addToDay(old.PractitionerID, old.LocalDate, -1)
		}
		if err := st.messages(c, next, msgs, next.UpdatedAt); err != nil {
			return err
		}
		failed, err := c.run(ctx)
		switch {
		case err == nil:
			return nil
		case failed["appointment"]:
			return problem.New(problem.PreconditionFailed, "the appointment changed since version %d: read it again", old.Version)
		case len(failed) > 0:
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
