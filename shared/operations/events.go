package operations

import (
	"ohcs/shared/config"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/notification/delivery"
	"ohcs/shared/population/populationdb"
	"ohcs/shared/tables"
)

// Event is a function run by an AWS event rather than an API request; its
// code is events/<Name>. The stack configures and grants it from this
// declaration, and the local server enforces the same grants.
type Event struct {
	Name string
	// Reads and Writes are the tables it uses.
	Reads, Writes []tables.Table
	// Env names the variables it needs besides the configuration
	// (config.Load) and its tables.
	Env []string
}

// Variables the event functions read besides the configuration.
const (
	EnvNotificationTopicARN = "OHCS_NOTIFICATION_TOPIC_ARN"
	EnvMailFrom             = "OHCS_MAIL_FROM"
)

// Events lists the event functions.
var Events = []Event{
	{Name: "assign-signup-role"},
	{Name: "monthly-gifts", Reads: []tables.Table{tables.Donations}, Writes: []tables.Table{tables.Donations, tables.Outbox}},
	{Name: "outbox-dispatcher", Reads: populationdb.Reads, Writes: populationdb.Writes, Env: []string{EnvNotificationTopicARN}},
	{Name: "deliver-notifications", Reads: delivery.Reads, Writes: delivery.Writes, Env: []string{EnvMailFrom}},
}

// EventByName returns the event function called name.
func EventByName(name string) (Event, bool) {
	for _, e := range Events {
		if e.Name == name {
			return e, true
		}
	}
	return Event{}, false
}

// RequiredEnv lists the variables a function with tables needs: one per
// table it uses and its extra ones. An operation's function also needs
// PagingEnv; an event function pages nothing and has no cursor key.
func RequiredEnv(reads, writes []tables.Table, extra ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range append(append([]tables.Table{}, reads...), writes...) {
		if !seen[t.Name] {
			seen[t.Name] = true
			out = append(out, config.TableEnv(t.Name))
		}
	}
	return append(out, extra...)
}

// PagingEnv are the variables the function of an operation that pages
// needs besides its tables: the secret its cursor key is read from when it
// first pages. The other operations' functions have none.
var PagingEnv = []string{config.EnvCursorSecretARN}

// The DynamoDB actions a function is granted on each table it reads and on
// each it writes: items only, never Scan or table management. The stack
// grants them and the local server enforces them.
var (
	ReadActions  = []string{"GetItem", "BatchGetItem", "Query", "ConditionCheckItem"}
	WriteActions = []string{"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"}
)

// Grants returns the grants of every operation's and event function's role
// on the physical tables of cfg.
func Grants(cfg config.Config) (*dynamoprobe.Grants, error) {
	reg := All()
	g := &dynamoprobe.Grants{}
	allow := func(fn string, reads, writes []tables.Table) {
		for _, t := range reads {
			g.Allow(fn, cfg.Table(t), ReadActions...)
		}
		for _, t := range writes {
			g.Allow(fn, cfg.Table(t), WriteActions...)
		}
	}
	for op, o := range reg {
		allow(op, o.Reads, o.Writes)
	}
	for _, e := range Events {
		allow(e.Name, e.Reads, e.Writes)
	}
	return g, nil
}
