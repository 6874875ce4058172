package outbox_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/outbox"
	"ohcs/shared/tables"
)

// TestDispatcherObservesThenPublishes: every due message is observed;
// only the kinds that notify anyone are published; a message whose
// observation fails is published all the same (a count never holds a
// notice back) but not marked, so the next run observes it again.
func TestDispatcherObservesThenPublishes(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	table := cfg.Table(tables.Outbox)
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for id, kind := range map[string]outbox.Kind{"1": outbox.AppointmentBooked, "2": outbox.AppointmentCompleted, "3": outbox.ConsultationRecorded,
		"4": outbox.AppointmentCancelled, "5": outbox.AppointmentNoShow} {
		it, err := outbox.Put(table, outbox.Message{ID: id, Kind: kind, DueAt: now, CreatedAt: now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it.Put.Item}); err != nil {
			t.Fatal(err)
		}
	}
	var observed, published []string
	failOnce := map[string]bool{"4": true}
	d := &outbox.Dispatcher{DB: db, Table: table,
		Observe: func(_ context.Context, m outbox.Message) error {
			if failOnce[m.ID] {
				delete(failOnce, m.ID)
				return errors.New("store busy")
			}
			observed = append(observed, m.ID)
			return nil
		},
		Publish: func(_ context.Context, m outbox.Message) error { published = append(published, m.ID); return nil },
	}
	n, err := d.Run(ctx, now, 100)
	if err == nil || n != 4 {
		t.Fatalf("first run: %d %v; want 4 and the observation error", n, err)
	}
	n, err = d.Run(ctx, now, 100)
	if err != nil || n != 1 {
		t.Fatalf("second run: %d %v; want the one left", n, err)
	}
	if n, _ := d.Run(ctx, now, 100); n != 0 {
		t.Errorf("third run handled %d", n)
	}
	sort.Strings(observed)
	sort.Strings(published)
	if !reflect.DeepEqual(observed, []string{"1", "2", "3", "4", "5"}) || !reflect.DeepEqual(published, []string{"1", "4", "4"}) {
		t.Errorf("observed %v, published %v; want 4 published at once and again with its count", observed, published)
	}
}
