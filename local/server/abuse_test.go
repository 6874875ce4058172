package server_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/notification"
)

// atWindowStart moves the server's clock to just after the start of the
// next fixed window of a limit, so that a test of the limit never
// straddles two windows.
func atWindowStart(c *client, window time.Duration) {
	now := time.Now()
	c.server.Advance(now.Truncate(window).Add(window).Add(time.Second).Sub(now))
}

// assertThrottled checks a 429 problem with a Retry-After in the future.
func assertThrottled(t testing.TB, r response) {
	t.Helper()
	assertProblem(t, r, http.StatusTooManyRequests)
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 3601 {
		t.Errorf("Retry-After %q; want the seconds to the end of the hour", r.Header.Get("Retry-After"))
	}
}

// TestSmallGiftLimit: a donor's sixth gift under 5.00 in an hour is
// throttled, as card testers send many tiny gifts; larger gifts and other
// donors are not affected, and a retry with the same key is not replayed
// as a 429 for ever.
func TestSmallGiftLimit(t *testing.T) {
	c, w := startWorld(t)
	atWindowStart(c, donationhttp.SmallGiftLimit.Window)
	donor := w.tokens["donor"]
	for i := range 5 {
		w.must(give(c, donor, w.Camp, 100+i, "EUR", nil), 201, "small gift")
	}
	key := map[string]string{"Idempotency-Key": "small-gift-6"}
	first, again := give(c, donor, w.Camp, 100, "EUR", key), give(c, donor, w.Camp, 100, "EUR", key)
	assertThrottled(t, first)
	assertThrottled(t, again)
	if first.json(t)["requestId"] == again.json(t)["requestId"] {
		t.Error("the 429 was stored under the idempotency key and replayed: a later retry could never succeed")
	}
	w.must(give(c, donor, w.Camp, 500, "EUR", nil), 201, "a gift of 5.00")

	other := c.token("donor-small-other", "donor")
	w.must(createDonor(c, other, map[string]any{"displayName": "Ana", "email": "a@example.org", "country": "MZ"}), 201, "donor")
	w.must(give(c, other, w.Camp, 100, "EUR", nil), 201, "another donor's small gift")
}

// TestSendLimit: a sender's 31st notification in an hour is throttled and
// queues nothing.
func TestSendLimit(t *testing.T) {
	c, w := startWorld(t)
	atWindowStart(c, notification.SendLimit.Window)
	prac := w.tokens["practitioner"]
	send := func() response {
		return sendNotification(c, prac, map[string]any{"recipients": map[string]any{"beneficiaryIds": []string{w.B}},
			"subject": "Results", "message": "Your results are ready.", "channels": []string{"inApp"}})
	}
	for range 30 {
		w.must(send(), http.StatusAccepted, "send")
	}
	used := usage(c, "sendNotification", func() { assertThrottled(t, send()) })
	// A notification is queued in one transaction with its outbox message;
	// the access decision before it is audited (PutItem) like any other.
	if used.Requests["TransactWriteItems"] > 0 {
		t.Errorf("the throttled send queued a notification: %v", used.Requests)
	}
}

// TestAnonymousSearchLimit: searches without a token are limited per
// client address in the function too (the firewall's limit is per five
// minutes and far higher); a signed-in caller is not limited by it.
func TestAnonymousSearchLimit(t *testing.T) {
	c, w := startWorld(t)
	atWindowStart(c, knowledgehttp.AnonymousSearchLimit.Window)
	for range knowledgehttp.AnonymousSearchLimit.Limit {
		if r := c.call("GET", "/v1/knowledge/search?q=rehydration", "", nil, nil); r.Status != http.StatusOK {
			t.Fatalf("anonymous search under the limit: %d %s", r.Status, r.Body)
		}
	}
	assertThrottled(t, c.call("GET", "/v1/knowledge/search?q=rehydration", "", nil, nil))
	w.must(c.call("GET", "/v1/knowledge/search?q=rehydration", w.tokens["beneficiary"], nil, nil), 200, "signed in")
}
