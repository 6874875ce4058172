package schedulingdb_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

// lossy sends every request to the store, and loses the answer of the
// first PutItem: the store applied it, the client sees a 500 and retries.
type lossy struct {
	next http.RoundTripper
	lost atomic.Bool
}

func (l *lossy) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := l.next.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".PutItem") || l.lost.Swap(true) {
		return res, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return &http.Response{StatusCode: http.StatusInternalServerError, Header: http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
		Body: io.NopCloser(strings.NewReader(`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"lost"}`)), Request: r}, nil
}

// TestRetriedScheduleWriteSucceeds: a schedule write the store applied but
// whose answer was lost is retried by the SDK; the retry finds the same
// item stored and succeeds (it answered 500 before). Another schedule under
// the same key is still a conflict.
func TestRetriedScheduleWriteSucceeds(t *testing.T) {
	ctx := context.Background()
	db, cfg := dynamotest.New(t)
	l := &lossy{next: http.DefaultTransport}
	flaky := dynamodb.New(db.Options(), func(o *dynamodb.Options) { o.HTTPClient = &http.Client{Transport: l} })
	st := &schedulingdb.Store{DB: flaky, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: platform.NewULID}
	now := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	sc := scheduling.Schedule{ID: "S1", PractitionerID: "P", TimeZone: "Africa/Maputo", SlotMinutes: 30, EffectiveFrom: "2027-01-04", EffectiveTo: "2027-02-04",
		Rules: []scheduling.Rule{{Day: time.Monday, Start: 9 * 60, End: 12 * 60, Modes: []string{"inPerson"}}}, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := st.PutSchedule(ctx, sc); err != nil {
		t.Fatalf("a write stored once and retried: %v; want success", err)
	}
	if !l.lost.Load() {
		t.Fatal("the first answer was not lost: the test did not retry")
	}
	got, err := st.Schedules(ctx, "P", "2027-01-04")
	if err != nil || len(got) != 1 || got[0].ID != "S1" {
		t.Fatalf("stored schedules: %+v %v; want S1 once", got, err)
	}
	other := sc
	other.SlotMinutes = 60
	if err := st.PutSchedule(ctx, other); problem.CodeOf(err) == "" || err == nil {
		t.Errorf("another schedule under the same key: %v; want an error", err)
	}
}
