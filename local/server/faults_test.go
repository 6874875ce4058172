package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/operations"
	"ohcs/shared/platform"
	"ohcs/shared/tables"
)

// assertUnavailable checks a 503 problem with a Retry-After.
func assertUnavailable(t *testing.T, r response) {
	t.Helper()
	assertProblem(t, r, http.StatusServiceUnavailable)
	if r.Header.Get("Retry-After") == "" {
		t.Error("a 503 without Retry-After")
	}
}

// TestStoreFailures makes the data store fail the write of a booking and of
// a gift: the client gets 503 with Retry-After, nothing is half written (no
// slot held without its appointment, no total without its gift), and a
// retry with the same Idempotency-Key then succeeds once.
func TestStoreFailures(t *testing.T) {
	c, w := startWorld(t)
	faults := c.server.Faults
	ben, donor := w.tokens["beneficiary"], w.tokens["donor"]

	t.Run("booking", func(t *testing.T) {
		for name, err := range map[string]error{"throttled": dynamoprobe.Throttled, "timeout": context.DeadlineExceeded} {
			slot := w.freeSlot()
			key := map[string]string{"Idempotency-Key": "booking-" + name}
			faults.Fail("makeAppointment", "TransactWriteItems", err, 1)
			assertUnavailable(t, book(c, ben, slot, w.B, key))
			// The retry takes the same slot, so nothing of the failed booking
			// holds it, and it adds exactly one appointment.
			before := len(c.call("GET", "/v1/appointments?beneficiaryId="+w.B, ben, nil, nil).json(t)["items"].([]any))
			a := w.must(book(c, ben, slot, w.B, key), 201, name+": the retry")
			again := w.must(book(c, ben, slot, w.B, key), 201, name+": the replay")
			if a["id"] != again["id"] {
				t.Errorf("%s: the replay booked again: %v and %v", name, a["id"], again["id"])
			}
			after := len(c.call("GET", "/v1/appointments?beneficiaryId="+w.B, ben, nil, nil).json(t)["items"].([]any))
			if after != before+1 {
				t.Errorf("%s: appointments %d then %d; want one more", name, before, after)
			}
		}
	})

	t.Run("cancellation", func(t *testing.T) {
		id := w.freshAppointment()
		body, match := map[string]any{"reason": "cannot come"}, map[string]string{"If-Match": `"1"`}
		faults.Fail("cancelAppointment", "TransactWriteItems", dynamoprobe.Throttled, 1)
		assertUnavailable(t, c.call("POST", "/v1/appointments/"+id+"/cancellation", ben, body, match))
		if a := w.must(getAppt(c, ben, id), 200, "appointment"); a["status"] != "booked" || a["version"] != float64(1) {
			t.Fatalf("after a failed cancellation: %v version %v; want booked, version 1", a["status"], a["version"])
		}
		w.must(c.call("POST", "/v1/appointments/"+id+"/cancellation", ben, body, match), 200, "the retry")
	})

	t.Run("consultation", func(t *testing.T) {
		id := w.freshAppointment()
		prac := w.tokens["practitioner"]
		body := map[string]any{"appointmentId": id, "summary": "Seen."}
		faults.Fail("recordConsultation", "TransactWriteItems", dynamoprobe.Throttled, 1)
		assertUnavailable(t, recordConsultation(c, prac, body))
		if a := w.must(getAppt(c, ben, id), 200, "appointment"); a["status"] != "booked" {
			t.Fatalf("after a failed consultation the appointment is %v; want booked", a["status"])
		}
		w.must(recordConsultation(c, prac, body), 201, "the retry")
		if a := w.must(getAppt(c, ben, id), 200, "appointment"); a["status"] != "completed" {
			t.Errorf("after the consultation the appointment is %v; want completed", a["status"])
		}
	})

	t.Run("notification", func(t *testing.T) {
		prac := w.tokens["practitioner"]
		body := map[string]any{"recipients": map[string]any{"beneficiaryIds": []string{w.B}},
			"subject": "Results", "message": "Your results are ready.", "channels": []string{"inApp"}}
		key := map[string]string{"Idempotency-Key": "notice-after-failure"}
		faults.Fail("sendNotification", "TransactWriteItems", dynamoprobe.Throttled, 1)
		assertUnavailable(t, c.call("POST", "/v1/notifications", prac, body, key))
		first := w.must(c.call("POST", "/v1/notifications", prac, body, key), http.StatusAccepted, "the retry")
		again := w.must(c.call("POST", "/v1/notifications", prac, body, key), http.StatusAccepted, "the replay")
		if first["id"] != again["id"] {
			t.Errorf("the replay queued another notice: %v and %v", first["id"], again["id"])
		}
	})

	t.Run("gift", func(t *testing.T) {
		raised := func() float64 {
			return w.must(getCampaign(c, donor, w.Camp), 200, "campaign")["raisedAmount"].(float64)
		}
		start := raised()
		key := map[string]string{"Idempotency-Key": "gift-after-failure"}
		faults.Fail("makeDonation", "TransactWriteItems", dynamoprobe.Throttled, 1)
		assertUnavailable(t, give(c, donor, w.Camp, 2500, "EUR", key))
		if got := raised(); got != start {
			t.Fatalf("raised %v after a failed gift; want %v", got, start)
		}
		w.must(give(c, donor, w.Camp, 2500, "EUR", key), 201, "the retry")
		w.must(give(c, donor, w.Camp, 2500, "EUR", key), 201, "the replay")
		if got := raised(); got != start+2500 {
			t.Errorf("raised %v; want %v: the gift counted once", got, start+2500)
		}
	})
}

// documentAndRegistry loads the OpenAPI document and the operations'
// registry (what each function reads and writes).
func documentAndRegistry(t *testing.T) (*openapi3.T, platform.Registry) {
	t.Helper()
	doc := document(t)
	registry := operations.All()
	return doc, registry
}

// TestEveryWritePathSurvivesStoreFailure makes the data store throttle the
// first write of every mutating operation to its own domain's table (as
// its registry entry declares): each answers 503 with Retry-After, and the
// same request sent again succeeds as if the failure had never happened
// (same status, a new resource at version 1 or the next version of the
// old), so nothing of the failed attempt was left behind.
func TestEveryWritePathSurvivesStoreFailure(t *testing.T) {
	c := start(t, nil)
	doc, registry := documentAndRegistry(t)
	incidental := map[string]bool{tables.Audit.Name: true, tables.Idempotency.Name: true, tables.Outbox.Name: true}
	tried := 0
	for op, caller := range permitted(doc) {
		var domain string
		for _, tb := range registry[op.ID].Writes {
			if !incidental[tb.Name] && domain == "" {
				domain = tb.Name
			}
		}
		rw := matrix[op.ID][0]
		if domain == "" || !rw.mutates {
			continue
		}
		t.Run(op.ID, func(t *testing.T) {
			w := newWorld(t, c)
			req := rw.build(w)
			tried++
			c.server.Faults.FailWriting(op.ID, domain, dynamoprobe.Throttled, 1)
			first := c.call(req.method, req.path, w.tokens[caller], req.body, req.header)
			if first.Status != http.StatusServiceUnavailable {
				t.Fatalf("with %s failing: %d; want 503: %s", domain, first.Status, first.Body)
			}
			assertUnavailable(t, first)
			again := c.call(req.method, req.path, w.tokens[caller], req.body, req.header)
			if again.Status != rw.want[caller] {
				t.Fatalf("the retry: %d; want %d: %s", again.Status, rw.want[caller], again.Body)
			}
			if tag := again.Header.Get("ETag"); tag != "" {
				want := `"1"`
				if m := req.header["If-Match"]; m != "" {
					n, _ := strconv.Atoi(strings.Trim(m, `"`))
					want = fmt.Sprintf(`"%d"`, n+1)
				}
				if again.Status == http.StatusOK && req.header["If-Match"] == "" {
					want = tag // an action on a resource whose version the request did not name
				}
				if tag != want {
					t.Errorf("the retry's version %s; want %s: the failed attempt left a trace", tag, want)
				}
			}
		})
	}
	if tried < 25 {
		t.Errorf("only %d write paths tried", tried)
	}
}

// TestNoReadWithoutItsAuditRecord makes the audit trail fail the record of
// every read whose matrix request records an access decision (a read of a
// beneficiary's data; some read while the record is written): each
// answers 503 with Retry-After and shows nothing it read, and the same
// request sent again answers as it does without the failure. (Reads of
// one's own profile, links or appointments decide nothing and record
// nothing.)
func TestNoReadWithoutItsAuditRecord(t *testing.T) {
	c := start(t, nil)
	doc, registry := documentAndRegistry(t)
	w := newWorld(t, c)
	tried := 0
	for op, caller := range permitted(doc) {
		rw := matrix[op.ID][0]
		audits := tables.Audit.In(registry[op.ID].Writes)
		if rw.mutates || !audits {
			continue
		}
		req := rw.build(w)
		records := false
		u := usage(c, op.ID, func() { c.call(req.method, req.path, w.tokens[caller], req.body, req.header) })
		for table, n := range u.Writes {
			records = records || (n > 0 && strings.HasSuffix(table, tables.Audit.Name))
		}
		if !records {
			continue
		}
		t.Run(op.ID, func(t *testing.T) {
			tried++
			c.server.Faults.FailWriting(op.ID, tables.Audit.Name, dynamoprobe.Throttled, 1)
			first := c.call(req.method, req.path, w.tokens[caller], req.body, req.header)
			assertUnavailable(t, first)
			for _, leak := range []string{`"items"`, `"fullName"`, `"resourceType"`, `"summary"`} {
				if strings.Contains(string(first.Body), leak) {
					t.Errorf("the refused read shows %s: %s", leak, first.Body)
				}
			}
			if again := c.call(req.method, req.path, w.tokens[caller], req.body, req.header); again.Status != rw.want[caller] {
				t.Errorf("the retry: %d; want %d: %s", again.Status, rw.want[caller], again.Body)
			}
		})
	}
	if tried < 10 {
		t.Errorf("only %d audited reads tried", tried)
	}
}
