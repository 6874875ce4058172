package notification_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/auth"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/notification"
	"ohcs/shared/notification/notificationdb"
	"ohcs/shared/problem"
	"ohcs/shared/ratelimit"
	"ohcs/shared/tables"
)

// policy lets a practitioner notify only the beneficiaries it cares for;
// an administrator reads every profile that exists.
type policy struct {
	cares  map[string]bool
	exists map[string]bool
	asked  []string
}

func (p *policy) Authorize(_ context.Context, who auth.Principal, action access.Action, id, _ string, _ access.Resource) (access.Decision, error) {
	p.asked = append(p.asked, id)
	if action == access.Notify && p.cares[id] || action == access.ReadProfile && who.Has(auth.Administrator) && p.exists[id] {
		return access.Decision{}, nil
	}
	return access.Decision{}, problem.New(problem.NotFound, "no beneficiary %s", id)
}

type orgs map[string]bool

func (o orgs) OrganizationExists(_ context.Context, id string) error {
	if !o[id] {
		return problem.New(problem.NotFound, "no organisation %s", id)
	}
	return nil
}

// limiter allows n per key.
type limiter struct {
	n    int
	seen map[string]int
}

func (l *limiter) Allow(_ context.Context, rule ratelimit.Rule, key string) error {
	l.seen[key]++
	if l.seen[key] > l.n {
		return problem.New(problem.Throttled, "too many %s", rule.What)
	}
	return nil
}

// TestSend: who may send to whom; nothing is queued unless every named
// beneficiary is reachable; the limit counts only notices that pass.
func TestSend(t *testing.T) {
	db, cfg := dynamotest.New(t)
	store := &notificationdb.Store{DB: db, Table: cfg.Table(tables.Notifications), OutboxTable: cfg.Table(tables.Outbox)}
	pol := &policy{cares: map[string]bool{"B1": true}, exists: map[string]bool{"B1": true, "B2": true}}
	lim := &limiter{n: 3, seen: map[string]int{}}
	n := 0
	s := &notification.Service{Store: store, Policy: pol, Organizations: orgs{"O1": true}, Limits: lim,
		Now: func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }, NewID: func() string { n++; return fmt.Sprintf("N%d", n) }}
	prac := auth.Principal{Sub: "p1", Roles: []auth.Role{auth.Practitioner}}
	admin := auth.Principal{Sub: "a1", Roles: []auth.Role{auth.Administrator}}
	notice := func(n notification.Notification) notification.Notification {
		n.Kind, n.Subject, n.Message, n.Priority, n.Channels = "manual", "s", "m", "normal", []notification.Channel{notification.InApp}
		return n
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		who   auth.Principal
		n     notification.Notification
		code  problem.Code
		count int
	}{
		{"a practitioner to a role", prac, notice(notification.Notification{Role: "donor"}), problem.Forbidden, 0},
		{"a practitioner to an organisation", prac, notice(notification.Notification{OrganizationID: "O1"}), problem.Forbidden, 0},
		{"a practitioner to one it cares for and one it does not", prac, notice(notification.Notification{BeneficiaryIDs: []string{"B1", "B2"}}), problem.NotFound, 0},
		{"a practitioner to one it cares for", prac, notice(notification.Notification{BeneficiaryIDs: []string{"B1"}}), "", 1},
		{"an administrator to an organisation that does not exist", admin, notice(notification.Notification{OrganizationID: "O9"}), problem.NotFound, 0},
		{"an administrator to administrators", admin, notice(notification.Notification{Role: "administrator"}), problem.Unprocessable, 0},
		{"an administrator to both beneficiaries", admin, notice(notification.Notification{BeneficiaryIDs: []string{"B1", "B2"}}), "", 2},
		{"an administrator to an organisation", admin, notice(notification.Notification{OrganizationID: "O1"}), "", 0},
		{"an administrator to donors", admin, notice(notification.Notification{Role: "donor"}), "", 0},
		{"an administrator over the limit", admin, notice(notification.Notification{Role: "donor"}), problem.Throttled, 0},
	} {
		got, err := s.Send(ctx, tc.who, tc.n)
		if err != nil {
			if problem.CodeOf(err) != tc.code {
				t.Errorf("%s: got %v; want %s", tc.name, err, tc.code)
			}
			continue
		}
		if tc.code != "" {
			t.Errorf("%s: sent; want %s", tc.name, tc.code)
			continue
		}
		if got.RecipientCount != tc.count || got.SenderSub != tc.who.Sub || got.ID == "" {
			t.Errorf("%s: got %+v; want %d recipients from %s", tc.name, got, tc.count, tc.who.Sub)
		}
		stored, err := s.Sent(ctx, tc.who.Sub, got.ID)
		if err != nil || stored.Subject != "s" {
			t.Errorf("%s: stored %+v, %v", tc.name, stored, err)
		}
		if _, err := s.Sent(ctx, "someone else", got.ID); problem.CodeOf(err) != problem.NotFound {
			t.Errorf("%s: another sender reads it: %v; want NotFound", tc.name, err)
		}
	}
	if lim.seen["p1"] != 1 || lim.seen["a1"] != 4 {
		t.Errorf("limited: %v; want p1 once, a1 four times (refusals are not counted)", lim.seen)
	}
}
