package schedulingdb

import (
	"context"
	"errors"
	"testing"
)

// TestBackoffEndsWithItsRequest: a booking waiting to retry stops when its
// request ends (the client went away, Lambda's deadline came), whatever
// the attempt.
func TestBackoffEndsWithItsRequest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for attempt := range retries {
		if err := backoff(ctx, attempt+20); !errors.Is(err, context.Canceled) {
			t.Errorf("attempt %d of an ended request: %v; want context.Canceled", attempt, err)
		}
	}
	if err := backoff(context.Background(), 0); err != nil {
		t.Errorf("the first retry's wait: %v", err)
	}
}
