package platform_test

import (
	"testing"
	"time"

	"ohcs/shared/platform"

	"github.com/aws/aws-lambda-go/events"
)

// TestScheduledAt: a scheduled function runs as of the later of now and its
// event's time: EventBridge's retries of a past schedule run now; an event
// from the future (an operator's invoke, a local test) runs as of then.
func TestScheduledAt(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.FixedZone("x", 7200))
	for _, tc := range []struct {
		event, want time.Time
	}{
		{time.Time{}, now.UTC()},
		{now.Add(-time.Hour), now.UTC()},
		{now.Add(48 * time.Hour), now.Add(48 * time.Hour).UTC()},
	} {
		got := platform.ScheduledAt(events.CloudWatchEvent{Time: tc.event}, now)
		if !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("event at %v: %v; want %v in UTC", tc.event, got, tc.want)
		}
	}
}
