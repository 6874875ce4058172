// Package platform owns what every operation's handler is built from: the
// configuration, the logger, the clients made once at cold start, the clock
// and the id generator; and the registry type that maps operation ids to
// handler constructors, one registry per domain.
package platform

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/oklog/ulid/v2"

	"ohcs/shared/auth"
	"ohcs/shared/config"
	"ohcs/shared/cursor"
	"ohcs/shared/dynamo"
	"ohcs/shared/idempotency"
	"ohcs/shared/idempotency/idempotencydb"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Env is what handlers are built from.
type Env struct {
	Config   config.Config
	Logger   *slog.Logger
	DynamoDB *dynamodb.Client
	Cursors  *cursor.Sealer
	// Now is the clock; tests and the local server may replace it.
	Now func() time.Time
	// NewID returns a new unique, time-ordered id.
	NewID func() string
	// Tokens verifies the optional bearer token of operations that are
	// public at the gateway; nil when none is configured.
	Tokens *auth.Verifier
}

// NewEnv builds an Env from cfg: one DynamoDB client, the cursor sealer, the
// real clock and ULIDs.
func NewEnv(ctx context.Context, cfg config.Config, logger *slog.Logger) (*Env, error) {
	db, err := dynamo.NewClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	env := &Env{
		Config:   cfg,
		Logger:   logger,
		DynamoDB: db,
		Now:      func() time.Time { return time.Now().UTC() },
		NewID:    NewULID,
	}
	// Only what pages needs the cursor key: the event functions have none.
	if cfg.CursorKey != nil {
		if env.Cursors, err = cursor.NewSealer(cfg.CursorKey); err != nil {
			return nil, err
		}
	}
	if cfg.TokenIssuer != "" && cfg.JWKSURL != "" {
		jwks := &auth.JWKS{URL: cfg.JWKSURL}
		env.Tokens = &auth.Verifier{Issuer: cfg.TokenIssuer, ClientID: cfg.TokenClientID, Key: jwks.Key}
	}
	return env, nil
}

// idempotencyOf is the idempotency middleware over env's idempotency table.
func idempotencyOf(env *Env) idempotency.Middleware {
	return idempotency.Middleware{Store: &idempotencydb.Store{DB: env.DynamoDB, Table: env.Config.Table(tables.Idempotency)},
		Now: env.Now, TTL: env.Config.IdempotencyTTL}
}

// NewULID returns a new ULID string from the current time and crypto/rand.
func NewULID() string {
	return ulid.MustNew(ulid.Timestamp(time.Now()), rand.Reader).String()
}

// Constructor builds the handler of one operation.
type Constructor func(env *Env) (http.Handler, error)

// Operation is what a registry knows of one operation: how to build its
// handler and which tables it reads and writes. The CDK stack grants each
// function exactly these tables and no other.
type Operation struct {
	Build  Constructor
	Reads  []tables.Table
	Writes []tables.Table
}

// Registry maps operation ids to their operations.
type Registry map[string]Operation

// Build returns the handler of operation op.
func (r Registry) Build(op string, env *Env) (http.Handler, error) {
	o, ok := r[op]
	if !ok {
		return nil, fmt.Errorf("operation %q is not registered", op)
	}
	h, err := o.Build(env)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", op, err)
	}
	// A write whose document entry takes an Idempotency-Key answers a retry
	// from its first reply: every one, wrapped here, and none else.
	if idempotency.Keyed[op] {
		if !tables.Idempotency.In(o.Reads) || !tables.Idempotency.In(o.Writes) {
			return nil, fmt.Errorf("operation %q takes an Idempotency-Key but does not both read and write the idempotency table", op)
		}
		h = idempotencyOf(env).Wrap(op, h)
	}
	// The roles are the document's, checked here for every operation:
	// no handler checks them again.
	guarded, ok := auth.Guard(op, h)
	if !ok {
		return nil, fmt.Errorf("operation %q is not in the document's roles (make generate)", op)
	}
	return guarded, nil
}

// HandlerFunc is an operation's handler: it writes its reply, or returns
// the error that Handle writes, so that no handler writes an error itself
// and none forgets to stop after one.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adapts h to http: an error it returns is answered as
// application/problem+json (problem.Write logs it once).
func Handle(h HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			problem.Write(w, r, err)
		}
	})
}

// Method is an operation's handler as a method expression of its package's
// handlers, as (*Handlers).Get: a function that names one links that method
// alone.
type Method[H any] func(h H, w http.ResponseWriter, r *http.Request) error

// Ops returns how a handler package declares its operations: each is
// served by a method of the handlers newH builds, reads the tables reads,
// and writes the tables always (those every operation of the package
// writes, as the audit trail of one that logs access) and its own.
func Ops[H any](newH func(*Env) H, reads []tables.Table, always ...tables.Table) func(m Method[H], writes ...tables.Table) Operation {
	return func(m Method[H], writes ...tables.Table) Operation {
		return Operation{Build: Build(newH, m), Reads: reads, Writes: append(slices.Clip(always), writes...)}
	}
}

// Build returns the constructor of the operation that method m of the
// handlers newH builds serves.
func Build[H any](newH func(*Env) H, m Method[H]) Constructor {
	return func(env *Env) (http.Handler, error) {
		h := newH(env)
		return Handle(func(w http.ResponseWriter, r *http.Request) error { return m(h, w, r) }), nil
	}
}
