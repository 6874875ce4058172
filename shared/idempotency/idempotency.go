// Package idempotency owns Idempotency-Key handling for the creating
// operations that move money, book time or send messages: the first response
// to a key is stored with a hash of the request; a repeat with the same body
// gets that response again and does nothing else; the same key with another
// body answers 422; a repeat while the first is still running answers 409.
package idempotency

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"ohcs/shared/auth"
	"ohcs/shared/jsonio"
	"ohcs/shared/problem"
)

// Header is the request header carrying the key.
const Header = "Idempotency-Key"

// Record is a remembered request and, once it completed, its response.
type Record struct {
	Scope       string
	Key         string
	RequestHash string
	Completed   bool
	Status      int
	Header      http.Header
	Body        []byte
	ExpiresAt   time.Time
}

// Store keeps records.
type Store interface {
	// Reserve stores a new pending record; Conflict when an unexpired record
	// holds the key.
	Reserve(ctx context.Context, rec Record, now time.Time) error
	// Get returns the record of a key; NotFound when there is none or it
	// has expired at now.
	Get(ctx context.Context, scope, key string, now time.Time) (Record, error)
	// Complete stores the response of a reserved record.
	Complete(ctx context.Context, rec Record) error
	// Release forgets a reserved record, so the key may be used again.
	Release(ctx context.Context, scope, key string) error
}

// Middleware applies Idempotency-Key to the requests of operation op.
type Middleware struct {
	Store Store
	Now   func() time.Time
	TTL   time.Duration
}

// replayed headers: the ones a client may act on.
var kept = []string{"Content-Type", "ETag", "Location"}

// Wrap returns next guarded by the middleware for operation op. Requests
// without the header pass through unchanged.
func (m Middleware) Wrap(op string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get(Header)
		if key == "" {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 128 {
			problem.Write(w, r, problem.Field(Header, "must be 1 to 128 characters"))
			return
		}
		p, err := auth.FromRequest(r)
		if err != nil {
			problem.Write(w, r, err)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, jsonio.MaxBody+1))
		if err != nil {
			problem.Write(w, r, problem.Field("body", "the body could not be read"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), canonical(body)...))
		now := m.Now()
		rec := Record{Scope: op + ":" + p.Sub, Key: key, RequestHash: hex.EncodeToString(sum[:]), ExpiresAt: now.Add(m.TTL)}
		ctx := r.Context()
		if err := m.Store.Reserve(ctx, rec, now); err != nil {
			if !problem.Is(err, problem.Conflict) {
				problem.Write(w, r, err)
				return
			}
			m.replay(w, r, rec, now)
			return
		}
		cw := &capture{header: http.Header{}}
		func() {
			defer func() {
				if v := recover(); v != nil {
					_ = m.Store.Release(context.WithoutCancel(ctx), rec.Scope, rec.Key)
					panic(v)
				}
			}()
			next.ServeHTTP(cw, r)
		}()
		if cw.status >= 500 || cw.status == http.StatusTooManyRequests {
			// A failure or a throttled request may be retried with the
			// same key.
			_ = m.Store.Release(context.WithoutCancel(ctx), rec.Scope, rec.Key)
		} else {
			rec.Completed, rec.Status, rec.Body = true, cw.status, cw.body.Bytes()
			rec.Header = http.Header{}
			for _, h := range kept {
				if v := cw.header.Get(h); v != "" {
					rec.Header.Set(h, v)
				}
			}
			if err := m.Store.Complete(context.WithoutCancel(ctx), rec); err != nil {
				problem.Write(w, r, err)
				return
			}
		}
		cw.flush(w)
	})
}

func (m Middleware) replay(w http.ResponseWriter, r *http.Request, rec Record, now time.Time) {
	prev, err := m.Store.Get(r.Context(), rec.Scope, rec.Key, now)
	if err != nil {
		if problem.Is(err, problem.NotFound) {
			err = problem.New(problem.Conflict, "a request with this Idempotency-Key is in progress, retry later")
		}
		problem.Write(w, r, err)
		return
	}
	switch {
	case prev.RequestHash != rec.RequestHash:
		problem.Write(w, r, problem.New(problem.Unprocessable, "this Idempotency-Key was used with a different request"))
	case !prev.Completed:
		problem.Write(w, r, &problem.Error{Code: problem.Conflict, Message: "a request with this Idempotency-Key is in progress, retry later", RetryAfter: 1})
	default:
		for k, v := range prev.Header {
			w.Header()[k] = v
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.Status)
		_, _ = w.Write(prev.Body)
	}
}

// capture holds a response until it is stored.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

func (c *capture) flush(w http.ResponseWriter) {
	for k, v := range c.header {
		w.Header()[k] = v
	}
	if c.status == 0 {
		c.status = http.StatusOK
	}
	w.WriteHeader(c.status)
	_, _ = w.Write(c.body.Bytes())
}

// canonical is the meaning of a JSON body, for comparing a retry with the
// first request: parsed and written again, so that key order and
// whitespace (which another client library may choose differently) do not
// count. Numbers keep their text. A body that is not JSON is its bytes.
func canonical(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
