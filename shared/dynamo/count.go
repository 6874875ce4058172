package dynamo

import (
	"context"
	"maps"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
)

// Counter counts the DynamoDB requests a client sends, by the API operation
// being served and the DynamoDB action (GetItem, Query,
// TransactWriteItems...): requests are what DynamoDB on-demand bills, and a
// Scan on a request path would read every person's data. The local server
// counts every request; the tests and benchmarks read the counts.
type Counter struct {
	mu    sync.Mutex
	calls map[string]int
	reqs  map[string]map[string]int
}

type counterKey struct{}

// Background is the operation name of requests sent outside any API
// operation: table creation, seeding, the outbox dispatcher.
const Background = ""

// Begin counts one call of the API operation op and returns the context
// under which its DynamoDB requests are counted.
func (c *Counter) Begin(ctx context.Context, op string) context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[op]++
	return context.WithValue(ctx, counterKey{}, op)
}

// Instrument returns a client with db's options that counts its requests
// in c. A request is counted once, however many times the SDK retries it.
func (c *Counter) Instrument(db *dynamodb.Client) *dynamodb.Client {
	return before(db, "OHCSRequestCounter", func(op, action string, _ any) error {
		c.add(op, action)
		return nil
	})
}

// before returns a client with db's options that calls hook with the API
// operation (see Begin) and the DynamoDB action of every request before
// the SDK sends or retries it; an error from hook fails the request unsent.
func before(db *dynamodb.Client, name string, hook func(op, action string, params any) error) *dynamodb.Client {
	return dynamodb.New(db.Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Initialize.Add(middleware.InitializeMiddlewareFunc(name,
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					op, _ := ctx.Value(counterKey{}).(string)
					if err := hook(op, middleware.GetOperationName(ctx), in.Parameters); err != nil {
						return middleware.InitializeOutput{}, middleware.Metadata{}, err
					}
					return next.HandleInitialize(ctx, in)
				}), middleware.After)
		})
	})
}

func (c *Counter) add(op, action string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reqs == nil {
		c.reqs = map[string]map[string]int{}
	}
	if c.reqs[op] == nil {
		c.reqs[op] = map[string]int{}
	}
	c.reqs[op][action]++
}

// Usage is what a Counter saw of one API operation.
type Usage struct {
	Calls    int
	Requests map[string]int // by DynamoDB action
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
	out := Usage{Calls: u.Calls - before.Calls, Requests: map[string]int{}}
	for k, v := range u.Requests {
		if d := v - before.Requests[k]; d != 0 {
			out.Requests[k] = d
		}
	}
	return out
}

// Usage returns the usage of op so far.
func (c *Counter) Usage(op string) Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Usage{Calls: c.calls[op], Requests: maps.Clone(c.reqs[op])}
}

// Operations returns the usage of every API operation seen so far, with
// Background for requests outside any.
func (c *Counter) Operations() map[string]Usage {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]Usage{}
	for op, r := range c.reqs {
		out[op] = Usage{Calls: c.calls[op], Requests: maps.Clone(r)}
	}
	return out
}
