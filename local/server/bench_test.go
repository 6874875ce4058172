package server_test

import (
	"context"
	"slices"
	"testing"

	"ohcs/openapi"
)

// BenchmarkOperations measures every operation whose first matrix request
// can be repeated (reads and repeatable writes) through the local server:
// the gateway's validation, the handler and the embedded store, over
// loopback HTTP. Besides time and allocations it reports the DynamoDB
// requests per call, the production cost driver. `make bench` runs it.
func BenchmarkOperations(b *testing.B) {
	c := start(b, nil)
	doc, err := openapi.Load(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	w := newWorld(b, c)
	// Rate-limited operations cannot be repeated thousands of times.
	limited := []string{"sendNotification", "makeDonation"}
	for _, op := range openapi.Operations(doc) {
		rows := matrix[op.ID]
		if len(rows) == 0 || rows[0].mutates || slices.Contains(limited, op.ID) {
			continue
		}
		rw := rows[0]
		caller := allowedCaller(op, rw)
		if caller == "" {
			continue
		}
		req := rw.build(w)
		tok := w.tokens[caller]
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
			}
		})
	}
}
