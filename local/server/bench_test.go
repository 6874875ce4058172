package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"ohcs/local/server"
	"ohcs/openapi"
)

// repeatable starts a world on c and yields the operations whose first
// matrix request can be sent thousands of times (reads and repeatable
// writes; not the rate-limited ones), each with its request in that world
// and a caller it lets through.
func repeatable(b *testing.B, c *client) iter.Seq2[openapi.Operation, benchCall] {
	doc := document(b)
	w := newWorld(b, c)
	limited := []string{"sendNotification", "makeDonation"}
	return func(yield func(openapi.Operation, benchCall) bool) {
		for op, caller := range permitted(doc) {
			if matrix[op.ID][0].mutates || slices.Contains(limited, op.ID) {
				continue
			}
			if !yield(op, benchCall{matrix[op.ID][0].build(w), w.tokens[caller]}) {
				return
			}
		}
	}
}

// benchCall is an operation's request and the token it is sent with.
type benchCall struct {
	req   request
	token string
}

// BenchmarkOperations measures every operation whose first matrix request
// can be repeated (reads and repeatable writes) through the local server:
// the gateway's validation, the handler and the embedded store, over
// loopback HTTP. Besides time and allocations it reports the DynamoDB
// requests per call, the production cost driver. `make bench` runs it.
func BenchmarkOperations(b *testing.B) {
	c := start(b, nil)
	for op, call := range repeatable(b, c) {
		req, tok := call.req, call.token
		b.Run(op.ID, func(b *testing.B) {
			before := c.server.Requests.Usage(op.ID)
			b.ReportAllocs()
			for b.Loop() {
				r := c.call(req.method, req.path, tok, req.body, req.header)
				if r.Status >= 300 {
					b.Fatalf("%s: %d %s", op.ID, r.Status, r.Body)
				}
			}
			used := c.server.Requests.Usage(op.ID).Sub(before)
			if used.Calls > 0 {
				b.ReportMetric(float64(used.Total())/float64(used.Calls), "dynamodb-requests/op")
				b.ReportMetric(float64(used.Levels)/float64(used.Calls), "dynamodb-levels/op")
			}
		})
	}
}

// BenchmarkHandlers measures the warm cost of each repeatable operation's
// function alone: the proxy event is prepared once by the gateway (token
// and validation), then the function runs through the API Gateway proxy
// adapter as Lambda runs it, against the embedded store over loopback HTTP
// and against the same store in memory (no network: the zero-latency
// store). It reports the median (p50-ns) beside the mean.
func BenchmarkHandlers(b *testing.B) {
	for _, store := range []string{"loopback", "memory"} {
		b.Run(store, func(b *testing.B) {
			env := map[string]string{}
			if store == "memory" {
				env[server.EnvStore] = "memory"
			}
			c := start(b, env)
			for op, call := range repeatable(b, c) {
				req := call.req
				var body []byte
				if req.body != nil {
					body, _ = json.Marshal(req.body)
				}
				hr := httptest.NewRequest(req.method, req.path, bytes.NewReader(body))
				if tok := call.token; tok != "" {
					hr.Header.Set("Authorization", "Bearer "+tok)
				}
				if body != nil {
					hr.Header.Set("Content-Type", "application/json")
				}
				for k, v := range req.header {
					hr.Header.Set(k, v)
				}
				id, ev, err := c.server.Gateway.Prepare(hr)
				if err != nil || id != op.ID {
					b.Fatalf("%s: prepare: %s %v", op.ID, id, err)
				}
				b.Run(op.ID, func(b *testing.B) {
					b.ReportAllocs()
					var times []time.Duration
					for b.Loop() {
						start := time.Now()
						resp, err := c.server.Functions.Invoke(context.Background(), op.ID, ev)
						times = append(times, time.Since(start))
						if err != nil || resp.StatusCode >= 300 {
							b.Fatalf("%s: %d %v %s", op.ID, resp.StatusCode, err, resp.Body)
						}
					}
					slices.Sort(times)
					b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
				})
			}
		})
	}
}
