// Package schedulingdb stores schedules and appointments in the scheduling
// table.
//
// Items:
//   - schedules:    pk PRACTITIONER#<id>, sk SCHEDULE#<createdAt>#<id>
//   - busy times:   pk PRACTITIONER#<id>, sk BUSY#<UTC quarter hour>
//     (2006-01-02T15:04): the booked intervals of the practitioner's
//     appointments that cover that quarter hour, and a version. Every
//     booking, move and cancellation reads the items its interval covers,
//     checks, and writes them on their version in its transaction: two
//     appointments of one practitioner never overlap, whatever the
//     schedules and however requests interleave, and bookings of times that
//     do not meet touch no common busy item
//   - day counts:   pk PRACTITIONER#<id>, sk DAY#<local date>: the day's
//     bookings, counted by an atomic ADD in every booking's transaction and
//     conditioned on the limit only where the schedule sets one
//   - appointments: pk APPOINTMENT#<id>, sk APPOINTMENT, with gsi1 by
//     practitioner and gsi2 by beneficiary, both sorted by start
//   - bookings:     pk BENEFICIARY#<id>, sk BOOKINGS: the beneficiary's
//     booked intervals and a version, so that overlap checks and bookings of
//     one beneficiary are serialized, and its care entries (c_<appointment
//     id>: practitioner, status, start, booking time) of the appointments
//     that hold a care relationship, which the access policy reads by key
//
// Free slots are computed from the schedules at read time; only busy
// times are stored. Every change is one TransactWriteItems with its outbox rows.
package schedulingdb

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/audit"
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
	// AuditItem is the write of an allowed access decision in a booking's
	// transaction (the audit store's Put).
	AuditItem func(audit.Event) (types.TransactWriteItem, error)
	// PractitionerGet, when set, reads the practitioner in the same
	// request as Look's calendar items (its table's get of a batch across
	// tables): a booking's reads then take one request fewer.
	PractitionerGet func(id string, done func(scheduling.Practitioner, error)) dynamo.Get
}

var _ scheduling.Store = (*Store)(nil)

// retries bounds the optimistic retries of a booking whose day or
// beneficiary changed between read and write.
const retries = 8

// backoff waits before the attempt after attempt (0 is the first): a
// random time up to 2^attempt milliseconds, at most 64 ("full jitter"),
// so that bookings that collided on one practitioner's day do not
// collide again at once, each retry re-reading and re-sending the whole
// transaction (register: DynamoDB cancels conflicting transactions;
// retry them with exponential backoff).
func backoff(ctx context.Context, attempt int) error {
	limit := time.Duration(1<<min(attempt, 6)) * time.Millisecond
	t := time.NewTimer(rand.N(limit) + time.Millisecond/4)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

const stamp = dynamo.Stamp

func utc(t time.Time) string { return t.UTC().Format(stamp) }

func parse(v string) time.Time {
	t, _ := time.Parse(stamp, v)
	return t
}

// --- schedules ---

// query runs a query to its end.
func (st *Store) query(ctx context.Context, in *dynamodb.QueryInput, each func(map[string]types.AttributeValue) error) error {
	return dynamo.All(ctx, st.DB, in, "query scheduling", each)
}

// --- claims and day counts ---

// Claims returns the booked intervals that start in [from, to).
func (st *Store) Claims(ctx context.Context, pid string, from, to time.Time) ([]scheduling.Claim, error) {
	var out []scheduling.Claim
	seen := map[string]bool{}
	err := st.query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("PRACTITIONER#" + pid), ":from": dynamo.S(busySK(from)), ":to": dynamo.S(busySK(to)),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		// An interval is in every quarter hour it covers: once here.
		for id, iv := range intervalsOf(item) {
			if !seen[id] && !iv.Start.Before(from) && iv.Start.Before(to) {
				seen[id] = true
				out = append(out, scheduling.Claim{Start: iv.Start, End: iv.End, AppointmentID: id})
			}
		}
		return nil
	})
	slices.SortFunc(out, func(a, b scheduling.Claim) int { return a.Start.Compare(b.Start) })
	return out, err
}

// DayCounts returns the bookings per local date.
func (st *Store) DayCounts(ctx context.Context, pid, fromDate, toDate string) (map[string]int, error) {
	out := map[string]int{}
	err := st.query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(st.Table),
		KeyConditionExpression: aws.String("pk = :pk AND sk BETWEEN :from AND :to"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": dynamo.S("PRACTITIONER#" + pid), ":from": dynamo.S("DAY#" + fromDate), ":to": dynamo.S("DAY#" + toDate),
		},
		ConsistentRead: aws.Bool(true),
	}, func(item map[string]types.AttributeValue) error {
		out[strings.TrimPrefix(dynamo.Str(item[tables.SK]), "DAY#")] = int(dynamo.Num(item["count"]))
		return nil
	})
	return out, err
}

// --- appointments ---

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

// Look reads the busy items and the beneficiary's bookings a booking of
// iv decides on, and the practitioner when PractitionerGet is set, in one
// request: the first attempt of Book decides on the calendar when it is
// handed back in Booking.Look (the transaction's conditions hold what it
// read), so that the read can go out with the caller's authorization
// instead of after it.
func (st *Store) Look(ctx context.Context, pid, bid string, iv scheduling.Interval) (scheduling.Look, error) {
	l := &look{pid: pid, bid: bid, iv: iv, cur: state{}}
	var gets []dynamo.Get
	for _, k := range readKeys(scheduling.Appointment{PractitionerID: pid, BeneficiaryID: bid, Start: iv.Start, End: iv.End}, nil) {
		gets = append(gets, dynamo.Get{Table: st.Table, Key: k, Found: func(_ context.Context, item map[string]types.AttributeValue) error {
			if item != nil {
				l.cur[stateKey(dynamo.Str(item[tables.PK]), dynamo.Str(item[tables.SK]))] = item
			}
			return nil
		}})
	}
	var out scheduling.Look
	if st.PractitionerGet != nil {
		gets = append(gets, st.PractitionerGet(pid, func(p scheduling.Practitioner, err error) { out.Practitioner, out.PractitionerErr = &p, err }))
	}
	if err := dynamo.GetAll(ctx, st.DB, gets...); err != nil {
		return scheduling.Look{}, err
	}
	out.Calendar = l
	return out, nil
}

// Book checks the practitioner's busy times, counts the day, records the
// beneficiary's interval, writes the appointment and its messages in one
// transaction, retrying while the items it read changed underneath. The
// day's limit is the condition of its count (countDay), not a read.
func (st *Store) Book(ctx context.Context, b scheduling.Booking, msgs []scheduling.Message) error {
	a := b.Appointment
	item, err := appointmentItemOf(a)
	if err != nil {
		return err
	}
	iv := interval{Start: a.Start, End: a.End}
	first, _ := b.Look.Calendar.(*look)
	return optimistic(ctx, "the practitioner's calendar is busy, retry", func() (bool, error) {
		cur := first.of(a)
		if first = nil; cur == nil {
			var err error
			if cur, err = st.read(ctx, readKeys(a, nil)...); err != nil {
				return false, err
			}
		}
		c := st.begin(cur)
		cal := scheduling.Calendar{Practitioner: c.busy(a.PractitionerID, a.Start, a.End), Beneficiary: c.bookings(a.BeneficiaryID)}
		if err := scheduling.CheckBooking(b, cal, a.CreatedAt); err != nil {
			return false, err
		}
		c.setBusy(a.PractitionerID, a.ID, iv, true)
		c.countDay(a.PractitionerID, a.LocalDate, +1, b.MaxPerDay)
		c.setBooking(a, iv, a.CreatedAt)
		c.add("appointment", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}})
		if err := st.messages(c, a, msgs, a.CreatedAt); err != nil {
			return false, err
		}
		if b.Audit != nil {
			if st.AuditItem == nil {
				return false, errors.New("schedulingdb: a booking's audit event without an audit table")
			}
			it, err := st.AuditItem(*b.Audit)
			if err != nil {
				return false, err
			}
			c.add("audit", it)
		}
		tx, err := c.run(ctx)
		if err != nil && tx.Failed(err, "day") {
			return false, scheduling.DayFull(a.LocalDate)
		}
		if err != nil && tx.Failed(err, "appointment") {
			// A retried request whose first attempt was stored.
			if got, gerr := st.Get(ctx, a.ID); gerr == nil && got.Version == a.Version && got.SlotID == a.SlotID {
				return false, nil
			}
			return false, dynamo.Err(err, "book appointment")
		}
		return settled(tx, err, "book appointment")
	})
}

// optimistic runs try until it settles, at most retries times: try reads
// what its transaction is decided on, writes it and reports whether the
// items it read changed underneath (retry). A retry backs off first; when
// none settled, busy answers 409 with Retry-After.
func optimistic(ctx context.Context, busy string, try func() (retry bool, err error)) error {
	for attempt := range retries {
		retry, err := try()
		if !retry {
			return err
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
	return &problem.Error{Code: problem.Conflict, Message: busy, RetryAfter: 1}
}

// settled reads a transaction's outcome: done, worth another read
// (retry), or what failed it (what names the write).
func settled(tx *dynamo.Tx, err error, what string) (retry bool, _ error) {
	switch {
	case err == nil:
		return false, nil
	case tx.Retry(err):
		return true, nil
	}
	return false, dynamo.Err(err, what)
}

// moved reads the outcome of a change of an appointment at version: a
// failed appointment item is a stale version.
func moved(tx *dynamo.Tx, err error, version int64, what string) (bool, error) {
	if err != nil && tx.Failed(err, "appointment") {
		return false, problem.New(problem.PreconditionFailed, "the appointment changed since version %d: read it again", version)
	}
	return settled(tx, err, what)
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
	return optimistic(ctx, "the appointment is busy, retry", func() (bool, error) {
		keys := []map[string]types.AttributeValue{dynamo.Key(bookingsKey(old.BeneficiaryID))}
		if free {
			keys = readKeys(old, nil)
		}
		cur, err := st.read(ctx, keys...)
		if err != nil {
			return false, err
		}
		c := st.begin(cur)
		c.add("appointment", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": dynamo.N(old.Version)}}})
		c.setBooking(next, interval{}, next.UpdatedAt)
		if free {
			c.setBusy(old.PractitionerID, old.ID, interval{Start: old.Start, End: old.End}, false)
			c.countDay(old.PractitionerID, old.LocalDate, -1, 0)
		}
		if err := st.messages(c, next, msgs, next.UpdatedAt); err != nil {
			return false, err
		}
		tx, err := c.run(ctx)
		return moved(tx, err, old.Version, "change appointment")
	})
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
	iv := interval{Start: next.Start, End: next.End}
	return optimistic(ctx, "the practitioner's calendar is busy, retry", func() (bool, error) {
		cur, err := st.read(ctx, readKeys(next, &old)...)
		if err != nil {
			return false, err
		}
		c := st.begin(cur)
		cal := scheduling.Calendar{Practitioner: c.busy(next.PractitionerID, next.Start, next.End), Beneficiary: c.bookings(next.BeneficiaryID)}
		if err := scheduling.CheckMove(m, cal); err != nil {
			return false, err
		}
		c.add("appointment", types.TransactWriteItem{Put: &types.Put{TableName: aws.String(st.Table), Item: item, ConditionExpression: aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": dynamo.N(old.Version)}}})
		c.setBusy(old.PractitionerID, old.ID, interval{Start: old.Start, End: old.End}, false)
		c.setBusy(next.PractitionerID, next.ID, iv, true)
		c.setBooking(next, iv, next.UpdatedAt)
		if old.LocalDate != next.LocalDate {
			c.countDay(next.PractitionerID, next.LocalDate, +1, m.MaxPerDay)
			c.countDay(old.PractitionerID, old.LocalDate, -1, 0)
		}
		if err := st.messages(c, next, msgs, next.UpdatedAt); err != nil {
			return false, err
		}
		tx, err := c.run(ctx)
		if err != nil && tx.Failed(err, "day") {
			return false, scheduling.DayFull(next.LocalDate)
		}
		return moved(tx, err, old.Version, "reschedule appointment")
	})
}

// look is what Look read, and for which booking.
type look struct {
	pid, bid string
	iv       interval
	cur      state
}

// of returns what l read when it was read for a booking of a, or nil.
func (l *look) of(a scheduling.Appointment) state {
	if l == nil || l.pid != a.PractitionerID || l.bid != a.BeneficiaryID || !l.iv.Start.Equal(a.Start) || !l.iv.End.Equal(a.End) {
		return nil
	}
	return l.cur
}
