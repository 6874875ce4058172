package server_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// fuzzTarget is one operation's valid request, the seed its fuzzed bodies
// replace.
type fuzzTarget struct {
	op     string
	caller string
	req    request
}

// FuzzOperations sends fuzzed bodies to every operation that takes a JSON
// body, through the gateway and the operation's own decoder, as a caller
// the operation lets through: no body may crash a handler or answer 5xx,
// every refusal is problem+json, and every answer matches the document.
// The seeds are each operation's valid request and the committed corpus in
// testdata/fuzz/FuzzOperations.
func FuzzOperations(f *testing.F) {
	c := start(f, nil)
	w := newWorld(f, c)
	doc := document(f)
	var targets []fuzzTarget
	for op, caller := range permitted(doc) {
		if doc.Paths.Find(op.Path).GetOperation(op.Method).RequestBody == nil {
			continue
		}
		req := matrix[op.ID][0].build(w)
		if req.body == nil {
			continue
		}
		body, err := json.Marshal(req.body)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(len(targets)), body)
		targets = append(targets, fuzzTarget{op: op.ID, caller: caller, req: req})
	}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		tg := targets[int(which)%len(targets)]
		cc := *c
		cc.t = t
		r := cc.call(tg.req.method, tg.req.path, w.tokens[tg.caller], body, tg.req.header)
		if r.Status >= http.StatusInternalServerError {
			t.Fatalf("%s answered %d to %q: %s", tg.op, r.Status, body, r.Body)
		}
		if r.Status >= 400 {
			assertProblem(t, r, r.Status)
		}
	})
}
