package delivery

import (
	"context"

	"ohcs/shared/outbox"
	"ohcs/shared/tables"
)

// Tables are the tables delivery reads and writes.
var (
	Reads  = []tables.Table{tables.Notifications, tables.People, tables.Practitioners, tables.Scheduling, tables.Donations, tables.Registry, tables.Outbox}
	Writes = []tables.Table{tables.Notifications, tables.Outbox}
)

// HandleMessage is Handle with the message in the context, for deferrals.
func (r *Router) HandleMessage(ctx context.Context, m outbox.Message) error {
	return r.Handle(WithMessage(ctx, m), m)
}
