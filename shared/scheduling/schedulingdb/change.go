package schedulingdb

import (
	"context"
	"maps"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/access"
	"ohcs/shared/dynamo"
	"ohcs/shared/scheduling"
	"ohcs/shared/tables"
)

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
		if id := stateKey(dynamo.Str(k[tables.PK]), dynamo.Str(k[tables.SK])); !seen[id] {
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
		out[stateKey(dynamo.Str(it[tables.PK]), dynamo.Str(it[tables.SK]))] = it
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
	k := stateKey(dynamo.Str(item[tables.PK]), dynamo.Str(item[tables.SK]))
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
		v := dynamo.Num(c.cur.get(pk, sk)["version"])
		cond, vals := versioned(v)
		if c.checks[k] {
			tx.Add(c.roles[k], types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: aws.String(c.st.Table), Key: dynamo.Key(pk, sk),
				ConditionExpression: cond, ExpressionAttributeValues: vals}})
		} else {
			item := maps.Clone(c.next[k])
			item["version"] = dynamo.N(v + 1)
			tx.Add(c.roles[k], types.TransactWriteItem{Put: &types.Put{TableName: aws.String(c.st.Table), Item: item,
				ConditionExpression: cond, ExpressionAttributeValues: vals}})
		}
	}
	for i, it := range c.extra {
		tx.Add(c.extraR[i], it)
	}
	return &tx
}

// run writes the change and returns the transaction, to read what
// cancelled it.
func (c *change) run(ctx context.Context) (*dynamo.Tx, error) {
	tx := c.tx()
	return tx, tx.Run(ctx, c.st.DB)
}

// versioned returns the condition that the item is still at version v
// (absent when v is 0).
func versioned(v int64) (*string, map[string]types.AttributeValue) {
	if v == 0 {
		return aws.String("attribute_not_exists(pk)"), nil
	}
	return aws.String("version = :v"), map[string]types.AttributeValue{":v": dynamo.N(v)}
}

func dayKey(pid, date string) (string, string) { return "PRACTITIONER#" + pid, "DAY#" + date }

func bookingsKey(bid string) (string, string) { return "BENEFICIARY#" + bid, "BOOKINGS" }

// countDay counts a booking in (+1) or out (-1) of the practitioner's
// local day, without reading the counter: an atomic ADD, so that bookings
// of one day do not serialize on it. With a limit (max > 0), a booking in
// is conditioned on the count being under it: the write holds the limit,
// and a full day fails the item named "day". Every booking counts, limit
// or not, so that a limit set later counts the bookings made before it.
func (c *change) countDay(pid, date string, delta int64, max int) {
	u := &types.Update{TableName: aws.String(c.st.Table), Key: dynamo.Key(dayKey(pid, date)),
		UpdateExpression:          aws.String("ADD #count :d"),
		ExpressionAttributeNames:  map[string]string{"#count": "count"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":d": dynamo.N(delta)}}
	if delta > 0 && max > 0 {
		u.ConditionExpression = aws.String("attribute_not_exists(#count) OR #count < :max")
		u.ExpressionAttributeValues[":max"] = dynamo.N(int64(max))
	}
	c.add("day", types.TransactWriteItem{Update: u})
}

// writeIntervals writes an item of intervals. No intervals: no attribute.
// An empty map is valid in DynamoDB, but the embedded store mangles one
// when it rolls a failed transaction back, and the table is unreadable
// after (TestLosingBookingAfterLastCancellation).
func (c *change) writeIntervals(role, pk, sk string, intervals map[string]interval) {
	item := dynamo.Key(pk, sk)
	if len(intervals) > 0 {
		m := map[string]types.AttributeValue{}
		for id, iv := range intervals {
			m[id] = dynamo.S(ivString(iv))
		}
		item["intervals"] = &types.AttributeValueMemberM{Value: m}
	}
	c.write(role, item)
}

func (c *change) bookings(bid string) map[string]interval {
	return intervalsOf(c.item(bookingsKey(bid)))
}

// setBooking sets (iv non-zero) or removes the beneficiary's interval of
// appointment a, and sets its care entry as a now holds it (careOf: none
// once cancelled or a no-show); intervals that ended a day ago cannot
// overlap a new booking, and entries that hold no care relationship at
// now cannot hold one again (a change of status writes its entry anew):
// both are dropped.
func (c *change) setBooking(a scheduling.Appointment, iv interval, now time.Time) {
	intervals := c.bookings(a.BeneficiaryID)
	setInterval(intervals, a.ID, iv)
	maps.DeleteFunc(intervals, func(_ string, iv interval) bool { return !iv.End.Add(24 * time.Hour).After(now) })
	care := careEntries(c.item(bookingsKey(a.BeneficiaryID)))
	if e, ok := careOf(a); ok {
		care[a.ID] = e
	} else {
		delete(care, a.ID)
	}
	maps.DeleteFunc(care, func(_ string, e access.CareAppointment) bool { return !e.Holds(now) })
	pk, sk := bookingsKey(a.BeneficiaryID)
	c.writeIntervals("bookings", pk, sk, intervals)
	item := c.next[stateKey(pk, sk)]
	for id, e := range care {
		item[carePrefix+id] = dynamo.S(careString(e))
	}
}

// carePrefix names the care entries of a beneficiary's bookings item, one
// attribute an appointment ("c_<id>": practitioner|status|start|bookedAt),
// so that a consultation's transaction in another table sets one without
// reading the item (Completion).
const carePrefix = "c_"

// careOf is a's care entry: none once it is cancelled or a no-show.
func careOf(a scheduling.Appointment) (access.CareAppointment, bool) {
	switch a.Status {
	case scheduling.Booked, scheduling.Completed:
		return access.CareAppointment{PractitionerID: a.PractitionerID, Completed: a.Status == scheduling.Completed, Start: a.Start, BookedAt: a.BookedAt}, true
	}
	return access.CareAppointment{}, false
}

func careString(e access.CareAppointment) string {
	status := scheduling.Booked
	if e.Completed {
		status = scheduling.Completed
	}
	return e.PractitionerID + "|" + string(status) + "|" + utc(e.Start) + "|" + utc(e.BookedAt)
}

// careEntries reads the care entries of a bookings item, by appointment id.
func careEntries(item map[string]types.AttributeValue) map[string]access.CareAppointment {
	out := map[string]access.CareAppointment{}
	for name, v := range item {
		id, ok := strings.CutPrefix(name, carePrefix)
		parts := strings.Split(dynamo.Str(v), "|")
		if !ok || len(parts) != 4 {
			continue
		}
		out[id] = access.CareAppointment{PractitionerID: parts[0], Completed: parts[1] == string(scheduling.Completed),
			Start: parse(parts[2]), BookedAt: parse(parts[3])}
	}
	return out
}

func setInterval(intervals map[string]interval, id string, iv interval) {
	if iv.Start.IsZero() {
		delete(intervals, id)
	} else {
		intervals[id] = iv
	}
}

// busy returns the practitioner's intervals that an appointment from start
// to end could overlap (those in the busy items its time covers), and
// holds those items at their versions.
func (c *change) busy(pid string, start, end time.Time) map[string]interval {
	out := map[string]interval{}
	for _, sk := range busyKeys(start, end) {
		maps.Copy(out, intervalsOf(c.item("PRACTITIONER#"+pid, sk)))
		c.check("busy", "PRACTITIONER#"+pid, sk)
	}
	return out
}

// setBusy sets (on) or removes the practitioner's interval iv of
// appointment id in every busy item iv covers.
func (c *change) setBusy(pid, id string, iv interval, on bool) {
	for _, sk := range busyKeys(iv.Start, iv.End) {
		pk := "PRACTITIONER#" + pid
		intervals, set := intervalsOf(c.item(pk, sk)), iv
		if !on {
			set = interval{}
		}
		setInterval(intervals, id, set)
		c.writeIntervals("busy", pk, sk, intervals)
	}
}

// readKeys are the items a change of appointment a reads (the
// beneficiary's bookings and the busy items a's time covers), and the
// busy items of the time it moves from, if any. The day's count is
// written without being read (countDay).
func readKeys(a scheduling.Appointment, from *scheduling.Appointment) []map[string]types.AttributeValue {
	keys := []map[string]types.AttributeValue{dynamo.Key(bookingsKey(a.BeneficiaryID))}
	for _, sk := range busyKeys(a.Start, a.End) {
		keys = append(keys, dynamo.Key("PRACTITIONER#"+a.PractitionerID, sk))
	}
	if from != nil {
		for _, sk := range busyKeys(from.Start, from.End) {
			keys = append(keys, dynamo.Key("PRACTITIONER#"+from.PractitionerID, sk))
		}
	}
	return keys
}

// interval is a booked time.
type interval = scheduling.Interval

func ivString(iv interval) string { return utc(iv.Start) + "|" + utc(iv.End) }

func parseInterval(v string) interval {
	start, end, _ := strings.Cut(v, "|")
	return interval{Start: parse(start), End: parse(end)}
}

// intervalsOf reads an item's intervals attribute (absent when empty).
func intervalsOf(item map[string]types.AttributeValue) map[string]interval {
	out := map[string]interval{}
	if m, ok := item["intervals"].(*types.AttributeValueMemberM); ok {
		for id, v := range m.Value {
			out[id] = parseInterval(dynamo.Str(v))
		}
	}
	return out
}

// BusyMinutes is the span of real time one busy item covers: a
// practitioner's booked intervals are written in every item of the UTC
// quarter hours they cover, so that two intervals that overlap share an
// item (the instant they share is in one), and bookings of times that do
// not meet share none, however many bookings of one day are made at once.
const BusyMinutes = 15

// busySK is the sort key of the busy item of t's UTC quarter hour.
func busySK(t time.Time) string {
	return "BUSY#" + t.UTC().Truncate(BusyMinutes*time.Minute).Format("2006-01-02T15:04")
}

// busyKeys are the busy items the time from start to end covers: at most
// MaxSlotMinutes/BusyMinutes+1.
func busyKeys(start, end time.Time) []string {
	var out []string
	for t := start.UTC().Truncate(BusyMinutes * time.Minute); t.Before(end); t = t.Add(BusyMinutes * time.Minute) {
		out = append(out, busySK(t))
	}
	return out
}
