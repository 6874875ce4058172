package delivery

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/shared/donation/donationdb"
	"ohcs/shared/dynamo"
	"ohcs/shared/notification"
	"ohcs/shared/notification/notificationdb"
	"ohcs/shared/outbox"
	"ohcs/shared/people/peopledb"
	"ohcs/shared/platform"
	"ohcs/shared/population/populationdb"
	"ohcs/shared/practitioner/practitionerdb"
	"ohcs/shared/registry/registrydb"
	"ohcs/shared/scheduling/schedulingdb"
	"ohcs/shared/tables"
)

// Tables are the tables delivery reads and writes.
var (
	Reads  = []tables.Table{tables.Notifications, tables.People, tables.Practitioners, tables.Scheduling, tables.Donations, tables.Registry, tables.Outbox}
	Writes = []tables.Table{tables.Notifications, tables.Outbox}
)

// NewRouter builds the router over the DynamoDB stores of env, sending
// through mailer and texter.
func NewRouter(env *platform.Env, mailer notification.Mailer, texter notification.Texter) *Router {
	cfg := env.Config
	notices := &notificationdb.Store{DB: env.DynamoDB, Table: cfg.Table(tables.Notifications), OutboxTable: cfg.Table(tables.Outbox)}
	r := &Router{
		Notices:       notices,
		People:        &peopledb.Store{DB: env.DynamoDB, Table: cfg.Table(tables.People)},
		Practitioners: &practitionerdb.Store{DB: env.DynamoDB, Table: cfg.Table(tables.Practitioners)},
		Appointments:  &schedulingdb.Store{DB: env.DynamoDB, Table: cfg.Table(tables.Scheduling), OutboxTable: cfg.Table(tables.Outbox), NewID: env.NewID},
		Gifts:         &donationdb.Store{DB: env.DynamoDB, Table: cfg.Table(tables.Donations), OutboxTable: cfg.Table(tables.Outbox), NewID: env.NewID},
		Registry:      &registrydb.Store{DB: env.DynamoDB, Table: cfg.Table(tables.Registry)},
		Now:           env.Now,
	}
	put := func(ctx context.Context, m outbox.Message) error {
		m.CreatedAt = env.Now()
		it, err := outbox.Put(cfg.Table(tables.Outbox), m)
		if err != nil {
			return err
		}
		_, err = env.DynamoDB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(cfg.Table(tables.Outbox)), Item: it.Put.Item,
			ConditionExpression: it.Put.ConditionExpression})
		if dynamo.IsConditionFailed(err) {
			return nil // already deferred
		}
		return dynamo.Err(err, "defer delivery")
	}
	r.Deliverer = &notification.Deliverer{Store: notices, Mailer: mailer, Texter: texter, Now: env.Now, Defer: Defer(put, MessageOf)}
	return r
}

// HandleMessage is Handle with the message in the context, for deferrals.
func (r *Router) HandleMessage(ctx context.Context, m outbox.Message) error {
	return r.Handle(WithMessage(ctx, m), m)
}

// NewDispatcher returns the outbox dispatcher of env publishing with
// publish and counting every message for the population statistics.
func NewDispatcher(env *platform.Env, publish func(ctx context.Context, m outbox.Message) error) *outbox.Dispatcher {
	return &outbox.Dispatcher{DB: env.DynamoDB, Table: env.Config.Table(tables.Outbox), Publish: publish,
		Observe: populationdb.NewCounter(env).Count}
}
