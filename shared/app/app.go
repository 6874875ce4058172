// Package app is the composition root of the parts that more than one
// domain's handlers use: the stores of people, practitioners, scheduling
// and the audit trail, the practitioner and availability services, and the
// access policy. Each is built here, once per Env, and handed to the handler
// packages, which never build another domain's parts and never import
// another handler package (TestHandlerPackagesImportNoOtherHandlers).
package app

import (
	"context"
	"sync"

	"ohcs/shared/access"
	"ohcs/shared/audit/auditdb"
	"ohcs/shared/clinical"
	"ohcs/shared/donation"
	"ohcs/shared/dynamo"
	"ohcs/shared/knowledge"
	"ohcs/shared/notification"
	"ohcs/shared/people/peopledb"
	"ohcs/shared/platform"
	"ohcs/shared/practitioner"
	"ohcs/shared/practitioner/practitionerdb"
	"ohcs/shared/registry"
	"ohcs/shared/scheduling"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

// Parts are the shared parts of one Env, each built on first use.
type Parts struct {
	env            *platform.Env
	people         lazy[*peopledb.Store]
	practitioners  lazy[*practitioner.Service]
	scheduling     lazy[*schedulingdb.Store]
	availability   lazy[*scheduling.Service]
	audit          lazy[*auditdb.Store]
	policy         lazy[*access.Policy]
	knowledge      lazy[*knowledge.Service]
	donations      lazy[*donation.Service]
	practitionerDB lazy[*practitionerdb.Store]
	registrySvc    lazy[*registry.Service]
	notifications  lazy[*notification.Service]
	clinical       lazy[*clinical.Service]
}

var parts sync.Map // *platform.Env -> *Parts

// Of returns the parts of env: the same ones for every caller.
func Of(env *platform.Env) *Parts {
	p, _ := parts.LoadOrStore(env, &Parts{env: env})
	return p.(*Parts)
}

type lazy[T any] struct {
	once sync.Once
	v    T
}

func (l *lazy[T]) get(build func() T) T {
	l.once.Do(func() { l.v = build() })
	return l.v
}

// People is the people store.
func (p *Parts) People() *peopledb.Store {
	return p.people.get(func() *peopledb.Store {
		return &peopledb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.People)}
	})
}

// Practitioners is the practitioner service.
func (p *Parts) Practitioners() *practitioner.Service {
	return p.practitioners.get(func() *practitioner.Service {
		return &practitioner.Service{Store: p.practitionerStore(), Now: p.env.Now, NewID: p.env.NewID}
	})
}

func (p *Parts) practitionerStore() *practitionerdb.Store {
	return p.practitionerDB.get(func() *practitionerdb.Store {
		return &practitionerdb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Practitioners)}
	})
}

// Scheduling is the scheduling store.
func (p *Parts) Scheduling() *schedulingdb.Store {
	return p.scheduling.get(func() *schedulingdb.Store {
		return &schedulingdb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Scheduling),
			OutboxTable: p.env.Config.Table(tables.Outbox), NewID: p.env.NewID, AuditItem: p.Audit().Put,
			PractitionerGet: func(id string, done func(scheduling.Practitioner, error)) dynamo.Get {
				return p.practitionerStore().GetGet(id, func(pr practitioner.Practitioner, err error) { done(schedulingPractitioner(pr), err) })
			}}
	})
}

// Availability is the scheduling service: schedules, slots, bookings.
func (p *Parts) Availability() *scheduling.Service {
	return p.availability.get(func() *scheduling.Service {
		return &scheduling.Service{Store: p.Scheduling(), Practitioners: schedulingPractitioners{p.Practitioners()}, Audit: p.Audit(),
			Now: p.env.Now, NewID: p.env.NewID}
	})
}

// Audit is the audit store.
func (p *Parts) Audit() *auditdb.Store {
	return p.audit.get(func() *auditdb.Store {
		return &auditdb.Store{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Audit)}
	})
}

// Policy is the access policy: who may see what, audited.
func (p *Parts) Policy() *access.Policy {
	return p.policy.get(func() *access.Policy {
		return &access.Policy{Directory: directory{db: p.env.DynamoDB, people: p.People(), practitioners: p.practitionerStore(), scheduling: p.Scheduling()},
			Care: p.Scheduling(), Audit: p.Audit(), Now: p.env.Now, NewID: p.env.NewID}
	})
}

// schedulingPractitioners tells scheduling about practitioners.
type schedulingPractitioners struct{ service *practitioner.Service }

// Practitioner returns a practitioner as scheduling sees it.
func (d schedulingPractitioners) Practitioner(ctx context.Context, id string) (scheduling.Practitioner, error) {
	p, err := d.service.Store.Get(ctx, id)
	if err != nil {
		return scheduling.Practitioner{}, err
	}
	return schedulingPractitioner(p), nil
}

func schedulingPractitioner(p practitioner.Practitioner) scheduling.Practitioner {
	out := scheduling.Practitioner{ID: p.ID, Sub: p.Sub, Verified: p.Verification == practitioner.Verified}
	for _, m := range p.Modes {
		out.Modes = append(out.Modes, string(m))
	}
	return out
}
