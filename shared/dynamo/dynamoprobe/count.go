package dynamoprobe

import (
	"context"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
)

// Counter counts the DynamoDB requests a client sends, by the API operation
// being served and the DynamoDB action (GetItem, Query,
// TransactWriteItems...): requests are what DynamoDB on-demand bills, and a
// Scan on a request path would read every person's data. It also counts
// each call's levels: how many of its requests follow one another, where
// requests sent while another of the same call is in flight share a level
// (each level is a network round trip a caller waits for in AWS). The
// local server counts every request; the tests and benchmarks read the
// counts.
type Counter struct {
	mu     sync.Mutex
	calls  map[string]int
	reqs   map[string]map[string]int
	writes map[string]map[string]int
	levels map[string]int
	// latency is added to every request while it is in flight (see
	// SetLatency), in nanoseconds.
	latency atomic.Int64
}

// SetLatency makes every request counted from now on take at least d more
// in flight, as a network round trip does in AWS. The levels of a call
// then count its dependencies whatever the scheduler does: requests sent
// together are all in flight before the first answers, unless one of them
// is sent more than d late.
func (c *Counter) SetLatency(d time.Duration) { c.latency.Store(int64(d)) }

type counterKey struct{}

// Background is the operation name of requests sent outside any API
// operation: table creation, seeding, the outbox dispatcher.
const Background = ""

// call is one call of an API operation: the deepest level of its requests
// that have answered, and the deepest of all it sent.
type call struct {
	op       string
	answered int
	depth    int
}

// Begin counts one call of the API operation op and returns the context
// under which its DynamoDB requests are counted.
func (c *Counter) Begin(ctx context.Context, op string) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[op]++
	return context.WithValue(ctx, counterKey{}, &call{op: op})
}

// opOf returns the API operation ctx serves (Background outside any).
func opOf(ctx context.Context) string {
	if k, ok := ctx.Value(counterKey{}).(*call); ok {
		return k.op
	}
	return Background
}

// start counts a request of ctx's call going out. Its level is one more
// than the deepest level among the call's requests that have answered:
// a request sent while another is in flight does not wait for it, so they
// share a level; one sent after another answered may depend on it. The
// call's depth is its deepest level. done counts the answer.
func (c *Counter) start(ctx context.Context) (done func()) {
	k, _ := ctx.Value(counterKey{}).(*call)
	if k == nil {
		return func() {}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	level := k.answered + 1
	if level > k.depth {
		if c.levels == nil {
			c.levels = map[string]int{}
		}
		c.levels[k.op] += level - k.depth
		k.depth = level
	}
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		k.answered = max(k.answered, level)
	}
}

// Instrument returns a client with db's options that counts its requests
// in c, and their levels. A request is counted once, however many times
// the SDK retries it; it is in flight from its first attempt to its last
// answer.
func (c *Counter) Instrument(db *dynamodb.Client) *dynamodb.Client {
	return around(db, "OHCSRequestCounter", func(ctx context.Context, op, action string, params any) (func(), error) {
		c.Record(op, action, WrittenTables(params))
		done := c.start(ctx)
		if d := time.Duration(c.latency.Load()); d > 0 {
			time.Sleep(d)
		}
		return done, nil
	})
}

// before returns a client with db's options that calls hook with the API
// operation (see Begin) and the DynamoDB action of every request before
// the SDK sends or retries it; an error from hook fails the request unsent.
func before(db *dynamodb.Client, name string, hook func(op, action string, params any) error) *dynamodb.Client {
	return around(db, name, func(_ context.Context, op, action string, params any) (func(), error) {
		return func() {}, hook(op, action, params)
	})
}

// around returns a client with db's options that calls hook before every
// request (all its attempts) and the func hook returns after its answer;
// an error from hook fails the request unsent.
func around(db *dynamodb.Client, name string, hook func(ctx context.Context, op, action string, params any) (after func(), err error)) *dynamodb.Client {
	return dynamodb.New(db.Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(name,
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					after, err := hook(ctx, opOf(ctx), middleware.GetOperationName(ctx), in.Parameters)
					if err != nil {
						return middleware.InitializeOutput{}, middleware.Metadata{}, err
					}
					defer after()
					return next.HandleInitialize(ctx, in)
				}), middleware.After)
		})
	})
}

// Record counts one request of action for op that writes to the tables
// written. Instrument calls it for every request of its client; a store
// reached over the wire (the local server's Lambda mode) calls it itself.
func (c *Counter) Record(op, action string, written []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reqs == nil {
		c.reqs, c.writes = map[string]map[string]int{}, map[string]map[string]int{}
	}
	if c.reqs[op] == nil {
		c.reqs[op], c.writes[op] = map[string]int{}, map[string]int{}
	}
	c.reqs[op][action]++
	for _, t := range written {
		c.writes[op][t]++
	}
}

// WrittenTables names the tables a write request's input writes to
// (PutItem, UpdateItem, DeleteItem, TransactWriteItems, BatchWriteItem),
// once per item; nothing for reads.
func WrittenTables(params any) []string {
	var out []string
	switch in := params.(type) {
	case *dynamodb.PutItemInput:
		out = append(out, deref(in.TableName))
	case *dynamodb.UpdateItemInput:
		out = append(out, deref(in.TableName))
	case *dynamodb.DeleteItemInput:
		out = append(out, deref(in.TableName))
	case *dynamodb.BatchWriteItemInput:
		for t, reqs := range in.RequestItems {
			for range reqs {
				out = append(out, t)
			}
		}
	case *dynamodb.TransactWriteItemsInput:
		for _, it := range in.TransactItems {
			switch {
			case it.Put != nil:
				out = append(out, deref(it.Put.TableName))
			case it.Update != nil:
				out = append(out, deref(it.Update.TableName))
			case it.Delete != nil:
				out = append(out, deref(it.Delete.TableName))
			}
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Usage is what a Counter saw of one API operation.
type Usage struct {
	Calls    int
	Requests map[string]int // by DynamoDB action
	Writes   map[string]int // items written, by table
	// Levels is the sum over the calls of each call's depth: the longest
	// chain of its requests each sent after the one before answered.
	// Timing can only lengthen it (a request sent late, after a sibling
	// answered), never shorten a real dependency.
	Levels int
}

// Total is the number of DynamoDB requests of u.
func (u Usage) Total() int {
	n := 0
	for _, v := range u.Requests {
		n += v
	}
	return n
}

// Sub returns the usage of u since the snapshot before.
func (u Usage) Sub(before Usage) Usage {
	out := Usage{Calls: u.Calls - before.Calls, Requests: map[string]int{}, Writes: map[string]int{},
		Levels: u.Levels - before.Levels}
	for k, v := range u.Requests {
		if d := v - before.Requests[k]; d != 0 {
			out.Requests[k] = d
		}
	}
	for k, v := range u.Writes {
		if d := v - before.Writes[k]; d != 0 {
			out.Writes[k] = d
		}
	}
	return out
}

// Usage returns the usage of op so far.
func (c *Counter) Usage(op string) Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Usage{Calls: c.calls[op], Requests: maps.Clone(c.reqs[op]), Writes: maps.Clone(c.writes[op]),
		Levels: c.levels[op]}
}

// Operations returns the usage of every API operation seen so far, with
// Background for requests outside any.
func (c *Counter) Operations() map[string]Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]Usage{}
	for op, r := range c.reqs {
		out[op] = Usage{Calls: c.calls[op], Requests: maps.Clone(r), Writes: maps.Clone(c.writes[op]),
			Levels: c.levels[op]}
	}
	return out
}
