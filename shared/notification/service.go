package notification

import (
	"context"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/auth"
	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/ratelimit"
)

// SendLimit bounds how many notifications one sender may send: enough for
// a clinic's day, too few to spam.
var SendLimit = ratelimit.Rule{Name: "sendNotification", What: "notifications", Limit: 30, Window: time.Hour}

// Authorizer is the access policy, as sending asks it.
type Authorizer interface {
	// Authorize decides, and audits, whether p may take action on the
	// beneficiary; NotFound when it may not (a refusal reads as an absence).
	Authorize(ctx context.Context, p auth.Principal, action access.Action, beneficiaryID, auditAction string, res access.Resource) (access.Decision, error)
}

// Organizations tells whether an organisation exists.
type Organizations interface {
	// OrganizationExists returns nil when the organisation exists; NotFound.
	OrganizationExists(ctx context.Context, id string) error
}

// Limiter bounds how often a key may do something.
type Limiter interface {
	// Allow counts one more for key under rule; Throttled over it.
	Allow(ctx context.Context, rule ratelimit.Rule, key string) error
}

// Service is the notification domain's logic: who may send what to whom,
// inboxes and preferences. Delivery is the Deliverer's.
type Service struct {
	Store         Store
	Policy        Authorizer
	Organizations Organizations
	Limits        Limiter
	Now           func() time.Time
	NewID         func() string
}

// Send queues a manual notice n (validated by the caller) from p: a
// practitioner reaches only named beneficiaries it cares for; an
// administrator also a role or an organisation. Every named beneficiary
// must be reachable before anything is queued. Forbidden, NotFound,
// Unprocessable, Throttled.
func (s *Service) Send(ctx context.Context, p auth.Principal, n Notification) (Notification, error) {
	switch {
	case !p.Has(auth.Administrator) && len(n.BeneficiaryIDs) == 0:
		return Notification{}, problem.New(problem.Forbidden, "practitioners notify named beneficiaries they care for")
	case len(n.BeneficiaryIDs) > 0:
		// A practitioner through a care relationship, an administrator
		// as long as the beneficiary exists.
		action := access.Notify
		if p.Has(auth.Administrator) {
			action = access.ReadProfile
		}
		for _, id := range n.BeneficiaryIDs {
			if _, err := s.Policy.Authorize(ctx, p, action, id, "sendNotification", access.Resource{Type: "notification"}); err != nil {
				return Notification{}, err
			}
		}
		n.RecipientCount = len(n.BeneficiaryIDs)
	case n.OrganizationID != "":
		if err := s.Organizations.OrganizationExists(ctx, n.OrganizationID); err != nil {
			return Notification{}, err
		}
	case n.Role == "administrator":
		return Notification{}, problem.New(problem.Unprocessable, "administrators have no profiles to notify; name them as beneficiaries or an organisation")
	}
	if err := s.Limits.Allow(ctx, SendLimit, p.Sub); err != nil {
		return Notification{}, err
	}
	n.ID, n.SenderSub, n.CreatedAt = s.NewID(), p.Sub, s.Now().UTC()
	if err := s.Store.Create(ctx, n, s.NewID()); err != nil {
		return Notification{}, err
	}
	return n, nil
}

// Sent returns a notice with its delivery counts to its sender; NotFound
// to anyone else, as for a notice that does not exist.
func (s *Service) Sent(ctx context.Context, senderSub, id string) (Notification, error) {
	n, err := s.Store.Get(ctx, id)
	if err == nil && n.SenderSub != senderSub {
		err = problem.New(problem.NotFound, "no notification %s", id)
	}
	return n, err
}

// Inbox pages through sub's inbox, newest first.
func (s *Service) Inbox(ctx context.Context, sub string, unreadOnly bool, limit int, after map[string]string) (page.Of[InboxItem], error) {
	return s.Store.Inbox(ctx, sub, unreadOnly, limit, after)
}

// MarkRead marks an item of sub's inbox read; NotFound.
func (s *Service) MarkRead(ctx context.Context, sub, notificationID string) (InboxItem, error) {
	return s.Store.MarkRead(ctx, sub, notificationID)
}

// SetPreferences stores sub's preferences.
func (s *Service) SetPreferences(ctx context.Context, sub string, p Preferences) error {
	return s.Store.PutPreferences(ctx, sub, p)
}
