package app

import (
	"context"

	"ohcs/shared/donation"
	"ohcs/shared/donation/donationdb"
	"ohcs/shared/knowledge"
	"ohcs/shared/knowledge/knowledgedb"
	"ohcs/shared/notification"
	"ohcs/shared/notification/notificationdb"
	"ohcs/shared/people"
	"ohcs/shared/practitioner"
	"ohcs/shared/practitioner/practitionerdb"
	"ohcs/shared/ratelimit"
	"ohcs/shared/registry"
	"ohcs/shared/registry/registrydb"
	"ohcs/shared/tables"
)

// PeopleService is the people service: profiles and care links.
func (p *Parts) PeopleService() *people.Service {
	return &people.Service{Store: p.People(), Now: p.env.Now, NewID: p.env.NewID}
}

// Profiles answers what other domains ask of a person's profiles.
func (p *Parts) Profiles() Profiles {
	return Profiles{people: p.People(), practitioners: p.Practitioners()}
}

// Donors tells donations about donors.
func (p *Parts) Donors() donation.Donors { return donors{p.People()} }

// Limits is the rate limiter (its counters live in the idempotency table).
func (p *Parts) Limits() *ratelimit.Limiter {
	return &ratelimit.Limiter{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Idempotency), Now: p.env.Now}
}

// Knowledge is the medical knowledge service.
func (p *Parts) Knowledge() *knowledge.Service {
	return p.knowledge.get(func() *knowledge.Service {
		return &knowledge.Service{Store: &knowledgedb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Knowledge),
			AuthorGet: p.practitionerStore().VerifiedGet},
			Authors: knowledgeAuthors{p.practitionerStore()}, Now: p.env.Now, NewID: p.env.NewID}
	})
}

// Registry is the registry service: organisations and memberships.
func (p *Parts) Registry() *registry.Service {
	return p.registrySvc.get(func() *registry.Service {
		return &registry.Service{Store: p.registryStore(), Directory: registryDirectory{p.Profiles()}, Now: p.env.Now, NewID: p.env.NewID}
	})
}

func (p *Parts) registryStore() *registrydb.Store {
	return &registrydb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Registry)}
}

// Notifications is the notification service: sending, inboxes,
// preferences.
func (p *Parts) Notifications() *notification.Service {
	return p.notifications.get(func() *notification.Service {
		return &notification.Service{Store: p.NotificationStore(), Policy: p.Policy(), Organizations: organizations{p.registryStore()},
			Limits: p.Limits(), Now: p.env.Now, NewID: p.env.NewID}
	})
}

// NotificationStore is the store of notices, inboxes and preferences.
func (p *Parts) NotificationStore() *notificationdb.Store {
	return &notificationdb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Notifications), OutboxTable: p.env.Config.Table(tables.Outbox)}
}

// organizations tells notifications whether an organisation exists.
type organizations struct{ store *registrydb.Store }

// OrganizationExists returns nil when the organisation exists; NotFound.
func (o organizations) OrganizationExists(ctx context.Context, id string) error {
	_, err := o.store.GetOrganization(ctx, id)
	return err
}

// Donations is the donation service.
func (p *Parts) Donations() *donation.Service {
	return p.donations.get(func() *donation.Service {
		return &donation.Service{Store: &donationdb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Donations),
			OutboxTable: p.env.Config.Table(tables.Outbox), NewID: p.env.NewID}, Now: p.env.Now, NewID: p.env.NewID}
	})
}

// knowledgeAuthors tells knowledge about the authors of articles.
type knowledgeAuthors struct{ store *practitionerdb.Store }

var _ knowledge.Authors = knowledgeAuthors{}

// VerifiedAmong reports which of ids are verified now.
func (a knowledgeAuthors) VerifiedAmong(ctx context.Context, ids []string) (map[string]bool, error) {
	return a.store.VerifiedAmong(ctx, ids)
}

// AuthorOf returns the practitioner profile of sub and whether it is
// verified now.
func (a knowledgeAuthors) AuthorOf(ctx context.Context, sub string) (string, bool, error) {
	pr, err := a.store.GetBySub(ctx, sub)
	return pr.ID, err == nil && pr.Verification == practitioner.Verified, err
}
