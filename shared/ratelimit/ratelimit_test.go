package ratelimit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/problem"
	"ohcs/shared/ratelimit"
	"ohcs/shared/tables"
)

func TestAllow(t *testing.T) {
	db, cfg := dynamotest.New(t)
	now := time.Date(2026, 11, 28, 10, 40, 0, 0, time.UTC)
	l := &ratelimit.Limiter{DB: db, Table: cfg.Table(tables.Idempotency), Now: func() time.Time { return now }}
	rule := ratelimit.Rule{Name: "smallGifts", What: "small gifts", Limit: 3, Window: time.Hour}
	ctx := context.Background()
	for i := range 3 {
		if err := l.Allow(ctx, rule, "donor-1"); err != nil {
			t.Fatalf("use %d: %v", i+1, err)
		}
	}
	err := l.Allow(ctx, rule, "donor-1")
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Code != problem.Throttled {
		t.Fatalf("the fourth use: %v; want throttled", err)
	}
	if pe.RetryAfter != 20*60+1 {
		t.Errorf("Retry-After %d; want the 1201 seconds to the end of the hour", pe.RetryAfter)
	}
	if pe.Message != "at most 3 small gifts per hour: retry in 1201 seconds" {
		t.Errorf("message: %q", pe.Message)
	}
	if err := l.Allow(ctx, rule, "donor-2"); err != nil {
		t.Errorf("another caller is limited by donor-1's uses: %v", err)
	}
	if err := l.Allow(ctx, ratelimit.Rule{Name: "other", What: "x", Limit: 1, Window: time.Hour}, "donor-1"); err != nil {
		t.Errorf("another rule is limited by this one's uses: %v", err)
	}
	now = now.Add(20 * time.Minute)
	if err := l.Allow(ctx, rule, "donor-1"); err != nil {
		t.Errorf("the next window is still limited: %v", err)
	}
}
