package platform

import (
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// ScheduledAt is the time a scheduled function runs as: the later of now
// and the time of its EventBridge event (the rule's scheduled time, kept
// across EventBridge's retries). An event from the future is an operator's
// deliberate invoke (lambda:InvokeFunction), such as a local test firing
// tomorrow's reminders; no schedule sends one.
func ScheduledAt(ev events.CloudWatchEvent, now time.Time) time.Time {
	now = now.UTC()
	if ev.Time.After(now) {
		return ev.Time.UTC()
	}
	return now
}
