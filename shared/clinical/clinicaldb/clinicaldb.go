// Package clinicaldb stores clinical data in the clinical table:
// consultations (pk CONSULTATION#<id>), health record entries (pk
// ENTRY#<id>) and treatment plans (pk PLAN#<id>), each listed per
// beneficiary by gsi1 (BENEFICIARY#<id>#<kind>, by time). Items hold their
// record as JSON in "data".
package clinicaldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"ohcs/shared/clinical"
	"ohcs/shared/dynamo"
	"ohcs/shared/outbox"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Store is the DynamoDB clinical store.
type Store struct {
	DB    *dynamodb.Client
	Table string
	// Completion builds the transaction items that complete an
	// appointment in the scheduling table: the appointment and its care
	// entry.
	Completion func(a clinical.Appointment, now time.Time) (appointment, care types.TransactWriteItem)
	// OutboxTable and NewID write the events of a consultation.
	OutboxTable string
	NewID       func() string
}

var _ clinical.Store = (*Store)(nil)

const stamp = dynamo.Stamp

func item(pk, list, sort string, v any, version int64, extra map[string]string) (map[string]types.AttributeValue, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("marshal: %w", err)
	}
	it := map[string]types.AttributeValue{tables.PK: dynamo.S(pk), tables.SK: dynamo.S("RECORD"), tables.GSI1PK: dynamo.S(list), tables.GSI1SK: dynamo.S(sort),
		"data": dynamo.S(string(data)), "version": &types.AttributeValueMemberN{Value: strconv.FormatInt(version, 10)}}
	for k, v := range extra {
		it[k] = dynamo.S(v)
	}
	return it, nil
}

func consultationItem(c clinical.Consultation) (map[string]types.AttributeValue, error) {
	return item("CONSULTATION#"+c.ID, "BENEFICIARY#"+c.BeneficiaryID+"#CONSULTATIONS", c.CreatedAt.UTC().Format(stamp)+"#"+c.ID, c, c.Version, nil)
}

func entryItem(e clinical.Entry) (map[string]types.AttributeValue, error) {
	return item("ENTRY#"+e.ID, "BENEFICIARY#"+e.BeneficiaryID+"#ENTRIES", e.RecordedAt.UTC().Format(stamp)+"#"+e.ID, e, e.Version,
		map[string]string{"kind": e.Kind})
}

func planItem(p clinical.Plan) (map[string]types.AttributeValue, error) {
	return item("PLAN#"+p.ID, "BENEFICIARY#"+p.BeneficiaryID+"#PLANS", p.CreatedAt.UTC().Format(stamp)+"#"+p.ID, p, p.Version,
		map[string]string{"status": p.Status})
}

func put(table string, it map[string]types.AttributeValue) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(table), Item: it, ConditionExpression: aws.String("attribute_not_exists(pk)")}}
}

// Record writes the consultation, its entries and the appointment's
// completion in one transaction.
func (st *Store) Record(ctx context.Context, c clinical.Consultation, entries []clinical.Entry, a clinical.Appointment, events []string) error {
	ci, err := consultationItem(c)
	if err != nil {
		return err
	}
	var tx dynamo.Tx
	appointment, care := st.Completion(a, c.CreatedAt)
	tx.Add("appointment", appointment)
	tx.Add("care", care)
	tx.Add("consultation", put(st.Table, ci))
	for _, kind := range events {
		it, err := outbox.Put(st.OutboxTable, outbox.Message{ID: st.NewID(), Kind: outbox.Kind(kind), ConsultationID: c.ID,
			AppointmentID: c.AppointmentID, PractitionerID: c.PractitionerID, BeneficiaryID: c.BeneficiaryID, DueAt: c.CreatedAt, CreatedAt: c.CreatedAt})
		if err != nil {
			return err
		}
		tx.Add("outbox", it)
	}
	for _, e := range entries {
		ei, err := entryItem(e)
		if err != nil {
			return err
		}
		tx.Add("entry", put(st.Table, ei))
	}
	err = tx.Run(ctx, st.DB)
	if tx.Failed(err, "appointment") {
		return problem.New(problem.Conflict, "the appointment changed or is no longer booked: read it again")
	}
	return dynamo.Err(err, "record consultation")
}

func (st *Store) get(ctx context.Context, pk string, dst any) error {
	out, err := st.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(st.Table),
		Key: map[string]types.AttributeValue{tables.PK: dynamo.S(pk), tables.SK: dynamo.S("RECORD")}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		return dynamo.Err(err, "get clinical record")
	}
	data, ok := out.Item["data"].(*types.AttributeValueMemberS)
	if !ok {
		return problem.New(problem.NotFound, "not found")
	}
	return json.Unmarshal([]byte(data.Value), dst)
}

// Consultation reads a consultation.
func (st *Store) Consultation(ctx context.Context, id string) (clinical.Consultation, error) {
	var c clinical.Consultation
	return c, st.get(ctx, "CONSULTATION#"+id, &c)
}

// Entry reads an entry.
func (st *Store) Entry(ctx context.Context, id string) (clinical.Entry, error) {
	var e clinical.Entry
	return e, st.get(ctx, "ENTRY#"+id, &e)
}

// Plan reads a plan.
func (st *Store) Plan(ctx context.Context, id string) (clinical.Plan, error) {
	var p clinical.Plan
	return p, st.get(ctx, "PLAN#"+id, &p)
}

// AddEntry stores an entry.
func (st *Store) AddEntry(ctx context.Context, e clinical.Entry) error {
	it, err := entryItem(e)
	if err != nil {
		return err
	}
	return dynamo.Err(dynamo.PutNew(ctx, st.DB, st.Table, it, "pk", "sk"), "add entry")
}

// PutPlan stores a plan version.
func (st *Store) PutPlan(ctx context.Context, p clinical.Plan, prev int64) error {
	it, err := planItem(p)
	if err != nil {
		return err
	}
	in := &dynamodb.PutItemInput{TableName: aws.String(st.Table), Item: it, ConditionExpression: aws.String("attribute_not_exists(pk)")}
	if prev > 0 {
		in.ConditionExpression = aws.String("version = :v")
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":v": &types.AttributeValueMemberN{Value: strconv.FormatInt(prev, 10)}}
	}
	_, err = st.DB.PutItem(ctx, in)
	if dynamo.IsConditionFailed(err) {
		return problem.New(problem.PreconditionFailed, "the plan changed: read it again")
	}
	return dynamo.Err(err, "put plan")
}

// list pages through a beneficiary's items of a list, newest first.
func list[T any](ctx context.Context, st *Store, name string, q clinical.ListQuery, filterAttr, filterValue string) (page.Of[T], error) {
	keys := []string{tables.PK, tables.SK, tables.GSI1PK, tables.GSI1SK}
	in := &dynamodb.QueryInput{TableName: aws.String(st.Table), IndexName: aws.String(tables.GSI1.Name), ScanIndexForward: aws.Bool(false),
		KeyConditionExpression:    aws.String("gsi1pk = :pk AND gsi1sk >= :since"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": dynamo.S("BENEFICIARY#" + q.BeneficiaryID + "#" + name), ":since": dynamo.S("0")}}
	if !q.Since.IsZero() {
		in.ExpressionAttributeValues[":since"] = dynamo.S(q.Since.UTC().Format(stamp))
	}
	if filterValue != "" {
		in.FilterExpression = aws.String("#f = :f")
		in.ExpressionAttributeNames = map[string]string{"#f": filterAttr}
		in.ExpressionAttributeValues[":f"] = dynamo.S(filterValue)
	}
	raw, next, err := dynamo.Page(ctx, st.DB, in, keys, q.Limit, q.After, filterValue != "", "list clinical records")
	if err != nil {
		return page.Of[T]{}, err
	}
	page := page.Of[T]{Next: next}
	for _, it := range raw {
		var v T
		if data, ok := it["data"].(*types.AttributeValueMemberS); ok {
			if err := json.Unmarshal([]byte(data.Value), &v); err != nil {
				return page, err
			}
		}
		page.Items = append(page.Items, v)
	}
	return page, nil
}

// Consultations pages through consultations.
func (st *Store) Consultations(ctx context.Context, q clinical.ListQuery) (page.Of[clinical.Consultation], error) {
	return list[clinical.Consultation](ctx, st, "CONSULTATIONS", q, "", "")
}

// Entries pages through entries, filtered by kind.
func (st *Store) Entries(ctx context.Context, q clinical.ListQuery) (page.Of[clinical.Entry], error) {
	return list[clinical.Entry](ctx, st, "ENTRIES", q, "kind", q.Kind)
}

// Plans pages through plans, filtered by status.
func (st *Store) Plans(ctx context.Context, q clinical.ListQuery) (page.Of[clinical.Plan], error) {
	return list[clinical.Plan](ctx, st, "PLANS", q, "status", q.Status)
}

// PutReport stores a report.
func (st *Store) PutReport(ctx context.Context, r clinical.Report) error {
	it, err := item("REPORT#"+r.ID, "BENEFICIARY#"+r.BeneficiaryID+"#REPORTS", r.CreatedAt.UTC().Format(stamp)+"#"+r.ID, r, r.Version, nil)
	if err != nil {
		return err
	}
	return dynamo.Err(dynamo.PutNew(ctx, st.DB, st.Table, it, "pk", "sk"), "put report")
}

// Report reads a report.
func (st *Store) Report(ctx context.Context, id string) (clinical.Report, error) {
	var r clinical.Report
	return r, st.get(ctx, "REPORT#"+id, &r)
}

// Reports pages through reports.
func (st *Store) Reports(ctx context.Context, q clinical.ListQuery) (page.Of[clinical.Report], error) {
	return list[clinical.Report](ctx, st, "REPORTS", q, "", "")
}
