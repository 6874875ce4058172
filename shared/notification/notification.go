// Package notification owns notices: sent by practitioners and
// administrators or written automatically (appointments, receipts),
// delivered once per recipient and channel (in-app inbox, email, SMS) after
// each person's preferences and quiet hours, and counted per channel and
// status. Its Store is notificationdb; delivery adapters live beside it.
package notification

import (
	"context"
	"errors"
	"time"

	"ohcs/shared/page"
)

// ErrInFlight says another sender holds a fresh claim on a delivery: the
// message is to be retried later, when that claim has settled or gone
// stale.
var ErrInFlight = errors.New("the delivery is in flight elsewhere")

// ErrRejected marks a send the provider refused for good (a malformed
// address, a rejected message): retrying would fail the same way.
var ErrRejected = errors.New("rejected by the provider")

// MaxAttempts is how many times a delivery is tried before it is settled
// failed; RetryDelay spaces the tries, so a provider's outage of up to
// about 17 hours loses nothing.
const MaxAttempts = 8

// RetryDelay is the wait after the attempts-th failed attempt: 1, 4, 16
// and 64 minutes, then 4 hours, capped at 6.
func RetryDelay(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 4
	}
	return min(d, 6*time.Hour)
}

// Channel is a way a notice reaches a person.
type Channel string

// The channels.
const (
	InApp Channel = "inApp"
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Channels lists every channel.
var Channels = []Channel{InApp, Email, SMS}

// Delivery statuses.
const (
	Queued     = "queued"
	Sent       = "sent"
	Failed     = "failed"
	Suppressed = "suppressed"
)

// Notification is a notice and its delivery counts.
type Notification struct {
	ID             string
	SenderSub      string
	Kind           string // "manual" or an automatic kind
	BeneficiaryIDs []string
	Role           string
	OrganizationID string
	Subject        string
	Message        string
	Channels       []Channel
	Priority       string
	RecipientCount int
	// Counts are per channel and status.
	Counts    map[Channel]map[string]int
	CreatedAt time.Time
}

// Person is a recipient.
type Person struct {
	// Key identifies the recipient for idempotency: its sub, or its
	// beneficiary id when it has no account.
	Key      string
	Sub      string
	Name     string
	Email    string
	Phone    string
	Language string
	TimeZone string
}

// Preferences are a person's choices.
type Preferences struct {
	// Off lists the channels switched off.
	Off []Channel
	// QuietStart and QuietEnd are minutes after local midnight; equal
	// means no quiet hours.
	QuietStart, QuietEnd int
	TimeZone             string
	Language             string
}

// InboxItem is a notice in a person's in-app inbox.
type InboxItem struct {
	NotificationID string
	Subject        string
	Message        string
	Priority       string
	Read           bool
	CreatedAt      time.Time
}

// Store keeps notices, deliveries, inboxes and preferences.
type Store interface {
	// Create stores a notice; with messageID it also writes its outbox row,
	// in the same transaction.
	Create(ctx context.Context, n Notification, outboxMessageID string) error
	// Get returns a notice with its counts; NotFound.
	Get(ctx context.Context, id string) (Notification, error)
	// AddRecipients adds to a notice's recipient count.
	AddRecipients(ctx context.Context, id string, n int) error
	// Claim records at now that a delivery is under way: false when this
	// (notice, recipient, channel) was settled; ErrInFlight when another
	// claim made after staleBefore is still unsettled. An older unsettled
	// claim is taken over: its sender stopped between sending and settling.
	Claim(ctx context.Context, id, recipient string, ch Channel, now, staleBefore time.Time) (bool, error)
	// Settle records a claimed delivery's outcome and counts it, once.
	Settle(ctx context.Context, id, recipient string, ch Channel, status string) error
	// Release gives up a claim whose delivery failed, so a retry may
	// send, and answers how many attempts have failed so far.
	Release(ctx context.Context, id, recipient string, ch Channel) (int, error)
	// PutInbox stores an inbox item of sub once.
	PutInbox(ctx context.Context, sub string, item InboxItem) error
	// Inbox pages through sub's inbox, newest first.
	Inbox(ctx context.Context, sub string, unreadOnly bool, limit int, after map[string]string) (page.Of[InboxItem], error)
	// MarkRead marks an item read; NotFound.
	MarkRead(ctx context.Context, sub, notificationID string) (InboxItem, error)
	// Preferences returns sub's preferences (defaults when none).
	Preferences(ctx context.Context, sub string) (Preferences, error)
	// PutPreferences stores sub's preferences.
	PutPreferences(ctx context.Context, sub string, p Preferences) error
}

// Mailer sends email; Texter sends SMS.
type (
	Mailer interface {
		SendEmail(ctx context.Context, to, subject, body string) error
	}
	Texter interface {
		SendSMS(ctx context.Context, phone, text string) error
	}
)
