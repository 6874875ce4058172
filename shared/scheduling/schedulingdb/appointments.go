package schedulingdb

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/access"
	"ohcs/shared/dynamo"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/tables"
)

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
	item[tables.PK], item[tables.SK] = dynamo.S("APPOINTMENT#"+a.ID), dynamo.S("APPOINTMENT")
	item[tables.GSI1PK], item[tables.GSI1SK] = dynamo.S("PRACTITIONER#"+a.PractitionerID+"#APPOINTMENTS"), dynamo.S(utc(a.Start)+"#"+a.ID)
	item[tables.GSI2PK], item[tables.GSI2SK] = dynamo.S("BENEFICIARY#"+a.BeneficiaryID+"#APPOINTMENTS"), dynamo.S(utc(a.Start)+"#"+a.ID)
	item["version"] = dynamo.N(a.Version)
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
		CancelledBy: it.CancelledBy, CreatedAt: parse(it.CreatedAt), UpdatedAt: parse(it.UpdatedAt), Version: dynamo.Num(item["version"])}
	if it.CancelledAt != "" {
		a.CancelledAt = parse(it.CancelledAt)
	}
	return a, nil
}

// Get reads an appointment.
func (st *Store) Get(ctx context.Context, id string) (scheduling.Appointment, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table),
		Key: dynamo.Key("APPOINTMENT#"+id, "APPOINTMENT"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return scheduling.Appointment{}, dynamo.Err(err, "get appointment")
	}
	if out.Item == nil {
		return scheduling.Appointment{}, problem.New(problem.NotFound, "no appointment %s", id)
	}
	return decodeAppointment(out.Item)
}

// List pages through appointments of a practitioner (gsi1) or a
// beneficiary (gsi2) by start.
func (st *Store) List(ctx context.Context, q scheduling.AppointmentQuery) (page.Of[scheduling.Appointment], error) {
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
			":pk": dynamo.S(pk), ":from": dynamo.S(from), ":to": dynamo.S(to),
		},
	}
	if q.Status != "" {
		in.FilterExpression = aws.String("#status = :status")
		in.ExpressionAttributeNames["#status"] = "status"
		in.ExpressionAttributeValues[":status"] = dynamo.S(string(q.Status))
	}
	raw, next, err := dynamo.Page(ctx, st.DB, in, keys, q.Limit, q.After, q.Status != "", "list appointments")
	if err != nil {
		return page.Of[scheduling.Appointment]{}, err
	}
	listed, err := dynamo.Decode(raw, decodeAppointment)
	return page.Of[scheduling.Appointment]{Items: listed, Next: next}, err
}

// Care reads the beneficiary's appointments that may hold a care
// relationship, from the care entries of its bookings item: one strongly
// consistent read (an index would answer eventually), so that a cancelled
// appointment ends the relationship for the next read.
func (st *Store) Care(ctx context.Context, bid string) ([]access.CareAppointment, error) {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table), Key: dynamo.Key(bookingsKey(bid)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, dynamo.Err(err, "read care relationships")
	}
	return slices.Collect(maps.Values(careEntries(out.Item))), nil
}

// CareGet reads the beneficiary's appointments that may hold a care
// relationship as a get of a batch across tables (dynamo.GetAll): the
// access policy reads them with the beneficiary and the caller's rows.
func (st *Store) CareGet(bid string, done func([]access.CareAppointment)) dynamo.Get {
	return dynamo.Get{Table: st.Table, Key: dynamo.Key(bookingsKey(bid)), Found: func(_ context.Context, item map[string]types.AttributeValue) error {
		done(slices.Collect(maps.Values(careEntries(item))))
		return nil
	}}
}

// Completion returns the transaction items that mark appointment a
// completed if it is still at its version and booked or completed, and set
// its care entry (held for CompletedWindow), for a consultation recorded
// in another table's transaction.
func (st *Store) Completion(a scheduling.Appointment, now time.Time) (appointment, care types.TransactWriteItem) {
	a.Status = scheduling.Completed
	e, _ := careOf(a)
	pk, sk := bookingsKey(a.BeneficiaryID)
	return types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: dynamo.Key("APPOINTMENT#"+a.ID, "APPOINTMENT"),
			UpdateExpression:         aws.String("SET #status = :completed, version = :next, updatedAt = :now"),
			ConditionExpression:      aws.String("version = :v AND (#status = :booked OR #status = :completed)"),
			ExpressionAttributeNames: map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":completed": dynamo.S(string(scheduling.Completed)), ":booked": dynamo.S(string(scheduling.Booked)),
				":v": dynamo.N(a.Version), ":next": dynamo.N(a.Version + 1), ":now": dynamo.S(utc(now)),
			}}}, types.TransactWriteItem{Update: &types.Update{TableName: aws.String(st.Table), Key: dynamo.Key(pk, sk),
			// The bookings item's version moves, so that a change that read it
			// before writes it again over this entry.
			UpdateExpression:          aws.String("SET #care = :care ADD version :one"),
			ExpressionAttributeNames:  map[string]string{"#care": carePrefix + a.ID},
			ExpressionAttributeValues: map[string]types.AttributeValue{":care": dynamo.S(careString(e)), ":one": dynamo.N(1)},
		}}
}
