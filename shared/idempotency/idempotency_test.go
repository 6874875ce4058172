package idempotency_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/idempotency"
	"ohcs/shared/idempotency/idempotencydb"
	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/tables"
)

// TestMiddleware runs the middleware over the DynamoDB store in the
// embedded store, with a handler that counts its effects.
func TestMiddleware(t *testing.T) {
	db, cfg := dynamotest.New(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	m := idempotency.Middleware{
		Store: &idempotencydb.Store{DB: db, Table: cfg.Table(tables.Idempotency)},
		Now:   func() time.Time { return now },
		TTL:   24 * time.Hour,
	}
	var effects atomic.Int32
	fail := false
	h := m.Wrap("makeThing", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail {
			http.Error(w, "boom", http.StatusServiceUnavailable)
			return
		}
		n := effects.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Location", fmt.Sprintf("/v1/things/%d", n))
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":"%d"}`, n)
	}))
	alice := &lambdahttptest.Caller{Sub: "alice", Groups: "donor"}
	bob := &lambdahttptest.Caller{Sub: "bob", Groups: "donor"}
	send := func(caller *lambdahttptest.Caller, key, body string) (int, string, string) {
		hdr := map[string]string{}
		if key != "" {
			hdr["Idempotency-Key"] = key
		}
		resp := lambdahttptest.Invoke(t, "makeThing", h, lambdahttptest.Event("POST", "/v1/things", nil, caller, body, hdr))
		loc := ""
		if v := resp.MultiValueHeaders["Location"]; len(v) > 0 {
			loc = v[0]
		}
		return resp.StatusCode, resp.Body, loc
	}

	s1, b1, l1 := send(alice, "k1", `{"amount":100}`)
	s2, b2, l2 := send(alice, "k1", `{"amount":100}`)
	if s1 != 201 || s2 != 201 || b1 != b2 || l1 != l2 || effects.Load() != 1 {
		t.Errorf("replay: got (%d %s %s) then (%d %s %s), %d effects; want the same response and 1 effect", s1, b1, l1, s2, b2, l2, effects.Load())
	}
	if s, _, _ := send(alice, "k1", `{"amount":999}`); s != 422 {
		t.Errorf("same key, other body: got %d; want 422", s)
	}
	// The same document written by another client library (other key
	// order, other whitespace) is the same request: the stored answer.
	s3, _, _ := send(alice, "k3", `{"amount":100,"currency":"EUR","note":{"a":1,"b":[1,2]}}`)
	s4, b4, _ := send(alice, "k3", "{\n  \"note\": {\"b\": [1, 2], \"a\": 1},\n  \"currency\": \"EUR\", \"amount\": 100\n}")
	if s3 != 201 || s4 != 201 || effects.Load() != 2 || !strings.Contains(b4, `"2"`) {
		t.Errorf("the same document reordered: %d then %d %s, %d effects; want the stored 201", s3, s4, b4, effects.Load())
	}
	if s, _, _ := send(alice, "k3", `{"amount":100.0,"currency":"EUR","note":{"a":1,"b":[1,2]}}`); s != 422 {
		t.Errorf("100.0 for 100: got %d; want 422 (numbers keep their text)", s)
	}
	if s, _, _ := send(bob, "k1", `{"amount":100}`); s != 201 || effects.Load() != 3 {
		t.Errorf("another caller's key is its own: got %d, %d effects", s, effects.Load())
	}
	if s, _, _ := send(alice, "", `{"amount":100}`); s != 201 || effects.Load() != 4 {
		t.Errorf("no key: got %d, %d effects", s, effects.Load())
	}
	if s, _, _ := send(alice, strings.Repeat("k", 129), `{}`); s != 400 {
		t.Errorf("129-character key: got %d; want 400", s)
	}

	// A failure is not remembered: the retry runs.
	fail = true
	if s, _, _ := send(alice, "k2", `{}`); s != 503 {
		t.Fatalf("failing handler: got %d", s)
	}
	fail = false
	if s, _, _ := send(alice, "k2", `{}`); s != 201 || effects.Load() != 5 {
		t.Errorf("retry after failure: got %d, %d effects; want 201, 5", s, effects.Load())
	}

	// Keys live at least the TTL, then may be reused.
	now = now.Add(23 * time.Hour)
	if s, _, _ := send(alice, "k1", `{"amount":100}`); s != 201 || effects.Load() != 5 {
		t.Errorf("replay after 23h: got %d, %d effects; want a replay", s, effects.Load())
	}
	now = now.Add(2 * time.Hour)
	if s, _, _ := send(alice, "k1", `{"amount":555}`); s != 201 || effects.Load() != 6 {
		t.Errorf("expired key reused: got %d, %d effects; want a new request", s, effects.Load())
	}
}

func TestInProgress(t *testing.T) {
	db, cfg := dynamotest.New(t)
	store := &idempotencydb.Store{DB: db, Table: cfg.Table(tables.Idempotency)}
	now := time.Now()
	m := idempotency.Middleware{Store: store, Now: func() time.Time { return now }, TTL: 24 * time.Hour}
	release := make(chan struct{})
	started := make(chan struct{})
	h := m.Wrap("slow", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		w.WriteHeader(http.StatusAccepted)
	}))
	caller := &lambdahttptest.Caller{Sub: "alice", Groups: "donor"}
	ev := lambdahttptest.Event("POST", "/v1/slow", nil, caller, `{}`, map[string]string{"Idempotency-Key": "k"})
	done := make(chan string)
	go func() { r := lambdahttptest.Invoke(t, "slow", h, ev); done <- fmt.Sprint(r.StatusCode, r.Body) }()
	<-started
	if got := lambdahttptest.Invoke(t, "slow", h, ev).StatusCode; got != http.StatusConflict {
		t.Errorf("concurrent repeat: got %d; want 409", got)
	}
	close(release)
	if got := <-done; got != "202" {
		t.Errorf("first: got %s", got)
	}
}
