package server_test

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"ohcs/openapi"
)

// serverOwned are the fields only the server sets: identities, versions,
// verification and lifecycle states, totals, ownership and timestamps.
var serverOwned = map[string]any{
	"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "version": 99, "verification": "verified", "status": "completed",
	"raised": 1000000, "managedBy": "someone-else", "createdAt": "2020-01-01T00:00:00Z",
	"beneficiaryId": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "practitionerId": "01HZZZZZZZZZZZZZZZZZZZZZZZ",
	"authorSub": "someone-else", "sub": "someone-else",
}

// TestMassAssignment sends every operation that takes a JSON body, as a
// caller it lets through, with one server-owned field added that its
// request schema does not declare: each answers 400 problem+json naming the
// field, and nothing is written.
func TestMassAssignment(t *testing.T) {
	c := start(t, nil)
	doc := document(t)
	shared := newWorld(t, c)
	writes := []string{"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}
	tried := 0
	for _, op := range openapi.Operations(doc) {
		spec := doc.Paths.Find(op.Path).GetOperation(op.Method)
		if spec.RequestBody == nil || spec.RequestBody.Value.Content.Get("application/json") == nil {
			continue
		}
		declared := spec.RequestBody.Value.Content.Get("application/json").Schema.Value.Properties
		rows := matrix[op.ID]
		if len(rows) == 0 {
			t.Errorf("%s has no request in the authorization matrix", op.ID)
			continue
		}
		rw := rows[0]
		callerOK := allowedCaller(op, rw)
		if callerOK == "" {
			continue
		}
		// The row's world: a mutating row gets its own, shared by the
		// fields since every request is refused.
		w := shared
		if rw.mutates {
			w = newWorld(t, c)
		}
		if _, ok := rw.build(w).body.(map[string]any); !ok {
			continue
		}
		for _, field := range slices.Sorted(maps.Keys(serverOwned)) {
			if _, ok := declared[field]; ok {
				continue
			}
			value := serverOwned[field]
			t.Run(op.ID+"/"+field, func(t *testing.T) {
				req := rw.build(w)
				body := maps.Clone(req.body.(map[string]any))
				body[field] = value
				tried++
				var r response
				used := usage(c, op.ID, func() { r = c.call(req.method, req.path, w.tokens[callerOK], body, req.header) })
				if r.Status != http.StatusBadRequest {
					t.Fatalf("got %d; want 400: %s", r.Status, r.Body)
				}
				p := assertProblem(t, r, http.StatusBadRequest)
				if !strings.Contains(string(r.Body), field) {
					t.Errorf("the problem does not name %s: %v", field, p)
				}
				for _, a := range writes {
					if used.Requests[a] > 0 {
						t.Errorf("%s wrote (%s) though it refused the request: %v", op.ID, a, used.Requests)
					}
				}
			})
		}
	}
	if tried == 0 {
		t.Fatal("no operation was tried")
	}
}
