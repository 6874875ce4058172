package populationdb_test

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/outbox"
	"ohcs/shared/population"
	"ohcs/shared/population/populationdb"
	"ohcs/shared/tables"
)

// TestAddCountsEachMessageOnce: a message handed over again, even by two
// dispatchers at once, is counted once; sums cover exactly their days.
func TestAddCountsEachMessageOnce(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	st := &populationdb.Store{DB: db, Table: cfg.Table(tables.Clinical), OutboxTable: cfg.Table(tables.Outbox)}
	put := func(id string) {
		it, err := outbox.Put(cfg.Table(tables.Outbox), outbox.Message{ID: id, Kind: outbox.AppointmentBooked, DueAt: time.Now(), CreatedAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(cfg.Table(tables.Outbox)), Item: it.Put.Item}); err != nil {
			t.Fatal(err)
		}
	}
	booked := population.Tally{"appt.booked": 1, "spec.gp.booked": 1}
	days := []string{"2026-02-27", "2026-02-28", "2026-03-01", "2026-03-01", "2026-03-02"}
	for i, day := range days {
		id := string(rune('a' + i))
		put(id)
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := st.Add(ctx, id, day, []string{"all", "org#O"}, booked); err != nil {
					t.Logf("a concurrent add may lose the race and retry later: %v", err)
				}
			}()
		}
		wg.Wait()
		if err := st.Add(ctx, id, day, []string{"all", "org#O"}, booked); err != nil {
			t.Fatalf("add %s again: %v", id, err)
		}
	}
	// A message the outbox does not hold is not counted.
	if err := st.Add(ctx, "missing", "2026-03-01", []string{"all"}, booked); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		scope, from, to string
		want            int64
	}{
		{"all", "2026-02-28", "2026-03-01", 3}, {"org#O", "2026-01-01", "2026-12-31", 5}, {"all", "2026-03-02", "2026-03-02", 1},
		{"region#x", "2026-01-01", "2026-12-31", 0}, {"all", "2025-01-01", "2025-12-31", 0},
	} {
		got, err := st.Sum(ctx, c.scope, c.from, c.to)
		if err != nil {
			t.Fatal(err)
		}
		want := population.Tally{}
		if c.want > 0 {
			want = population.Tally{"appt.booked": c.want, "spec.gp.booked": c.want}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s..%s: %v; want %v", c.scope, c.from, c.to, got, want)
		}
	}
}
