// Package audit owns the audit trail: append-only events saying who did
// what to which resource of which beneficiary, when, with what outcome, and
// never the content. Every read or write of a beneficiary's data and every
// denial appends one.
package audit

import (
	"context"
	"time"

	"ohcs/shared/page"
)

// Outcome says whether the access was allowed.
type Outcome string

// The outcomes.
const (
	Allowed Outcome = "allowed"
	Denied  Outcome = "denied"
)

// Event is one access.
type Event struct {
	ID            string
	Time          time.Time
	ActorSub      string
	ActorRole     string
	Action        string
	ResourceType  string
	ResourceID    string
	BeneficiaryID string
	Outcome       Outcome
	RequestID     string
	// Count is how many denials this event stands for: repeated denials
	// of one actor's same action on one beneficiary within DenialWindow
	// are one event, so that probing never buries the real accesses in
	// the beneficiary's log. LastTime is the latest of them.
	Count    int
	LastTime time.Time
}

// DenialWindow is how long repeated denials of one actor's action on one
// beneficiary add to one event.
const DenialWindow = time.Hour

// Query selects events of one beneficiary or one actor, newest first.
type Query struct {
	BeneficiaryID string
	ActorSub      string
	// From is inclusive, To exclusive; zero means unbounded.
	From, To time.Time
	Action   string
	Limit    int
	After    map[string]string
}

// Store keeps events.
type Store interface {
	// Append stores an event; Unavailable when the store cannot.
	Append(ctx context.Context, e Event) error
	// List returns events of q.BeneficiaryID, or else of q.ActorSub.
	List(ctx context.Context, q Query) (page.Of[Event], error)
}
