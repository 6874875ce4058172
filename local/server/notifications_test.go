package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ohcs/local/localmail"
	"ohcs/openapi/ohcsclient"
	"ohcs/shared/notification"
)

func (c *client) dispatch() {
	c.t.Helper()
	if _, err := c.server.Dispatch(context.Background()); err != nil {
		c.t.Fatalf("dispatch: %v", err)
	}
}

func sentWith(msgs []localmail.Message, channel, contains string) []localmail.Message {
	var out []localmail.Message
	for _, m := range msgs {
		if m.Channel == channel && strings.Contains(m.Subject+" "+m.Body, contains) {
			out = append(out, m)
		}
	}
	return out
}

// TestNotificationAcceptance: an urgent SMS and email notice to two
// patients, one with email off and a caregiver with receiveNotifications;
// through the client generated from the document.
func TestNotificationAcceptance(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	prac, other := c.api(w.tokens["practitioner"]), c.api(w.tokens["beneficiary-other"])
	// B2 becomes a patient of P, switches email off and lets C2 receive
	// notices.
	w.must(book(c, w.tokens["beneficiary-other"], w.freeSlot(), w.B2, nil), 201, "B2 books")
	var prefs ohcsclient.NotificationPreferences
	prefs.Channels.Email = ptr(false)
	p, err := other.UpdateNotificationPreferencesWithResponse(ctx, prefs)
	answered(t, p.StatusCode(), p.Body, err, 200, "preferences")
	l2, err := other.GrantCaregiverAccessWithResponse(ctx, w.B2, ohcsclient.CareLinkGrant{CaregiverId: w.C2,
		Permissions: ohcsclient.Permissions{ohcsclient.ReceiveNotifications}})
	answered(t, l2.StatusCode(), l2.Body, err, 201, "grant")
	acceptLink(t, c, w.tokens["caregiver-other"], w.B2, l2.JSON201.Id)
	c.dispatch()
	before := len(c.server.Mail.Sent())

	notice := func(subject, message string, priority *ohcsclient.NotificationCreatePriority, channels ...ohcsclient.Channel) ohcsclient.NotificationCreate {
		n := ohcsclient.NotificationCreate{Subject: subject, Message: message, Priority: priority, Channels: channels}
		n.Recipients.BeneficiaryIds = &[]string{w.B}
		return n
	}
	urgent := notice("Clinic closed Friday", "Come on Monday instead.", ptr(ohcsclient.NotificationCreatePriorityUrgent), ohcsclient.ChannelSms, ohcsclient.ChannelEmail)
	urgent.Recipients.BeneficiaryIds = &[]string{w.B, w.B2}
	sent, err := prac.SendNotificationWithResponse(ctx, nil, urgent)
	answered(t, sent.StatusCode(), sent.Body, err, 202, "send")
	if sent.JSON202.Status != "queued" || sent.JSON202.RecipientCount != 2 {
		t.Errorf("send: %+v", sent.JSON202)
	}
	c.dispatch()
	c.dispatch() // a second run sends nothing twice
	msgs := c.server.Mail.Sent()[before:]
	if emails := sentWith(msgs, "email", "Clinic closed Friday"); len(emails) != 1 || emails[0].To != "b@example.org" {
		t.Errorf("emails: %+v; want one, to B", emails)
	}
	if sms := sentWith(msgs, "sms", "Clinic closed Friday"); len(sms) != 3 {
		t.Errorf("SMS: %+v; want B, B2 and C2", sms)
	}
	n, err := prac.GetNotificationWithResponse(ctx, sent.JSON202.Id)
	answered(t, n.StatusCode(), n.Body, err, 200, "get")
	email, sms := n.JSON200.Deliveries.Email, n.JSON200.Deliveries.Sms
	if email == nil || sms == nil || *email.Sent != 1 || *email.Suppressed != 2 || *sms.Sent != 3 || *sms.Suppressed != 0 {
		t.Errorf("counts: email %+v, sms %+v", email, sms)
	}
	foreign, err := c.api(w.tokens["practitioner-other"]).GetNotificationWithResponse(ctx, sent.JSON202.Id)
	answered(t, foreign.StatusCode(), foreign.Body, err, http.StatusNotFound, "another practitioner's notice")

	// No care relationship: refused, nothing queued.
	count := len(c.server.Mail.Sent())
	refused, err := c.api(w.tokens["practitioner-other"]).SendNotificationWithResponse(ctx, nil, notice("Hello", "Hi", nil, ohcsclient.ChannelSms))
	answered(t, refused.StatusCode(), refused.Body, err, http.StatusNotFound, "a notice without a care relationship")
	c.dispatch()
	if len(c.server.Mail.Sent()) != count {
		t.Errorf("a refused notice was delivered")
	}

	// In-app inbox and read marks.
	inApp, err := prac.SendNotificationWithResponse(ctx, nil, notice("Results ready", "Please call.", nil, ohcsclient.ChannelInApp))
	answered(t, inApp.StatusCode(), inApp.Body, err, 202, "in-app")
	c.dispatch()
	ben := c.api(w.tokens["beneficiary"])
	inbox, err := ben.ListMyNotificationsWithResponse(ctx, &ohcsclient.ListMyNotificationsParams{Unread: ptr(true)})
	answered(t, inbox.StatusCode(), inbox.Body, err, 200, "inbox")
	var id string
	for _, it := range inbox.JSON200.Items {
		if it.Subject == "Results ready" {
			id = it.NotificationId
		}
	}
	if id == "" {
		t.Fatalf("inbox: %+v", inbox.JSON200.Items)
	}
	read, err := ben.MarkNotificationReadWithResponse(ctx, id)
	answered(t, read.StatusCode(), read.Body, err, 200, "read")
	if !read.JSON200.Read {
		t.Errorf("marked read: %+v", read.JSON200)
	}
	theirs, err := other.MarkNotificationReadWithResponse(ctx, id)
	answered(t, theirs.StatusCode(), theirs.Body, err, http.StatusNotFound, "another's inbox item")
}

// TestAutomaticNoticesInTheirLanguage: booking and cancelling send notices
// to both sides, each in its recipient's language.
func TestAutomaticNoticesInTheirLanguage(t *testing.T) {
	c, w := startWorld(t)
	c.dispatch()
	w.must(setPreferences(c, w.tokens["beneficiary-other"], map[string]any{"channels": map[string]bool{"sms": false}, "language": "en"}), 200, "prefs")
	before := len(c.server.Mail.Sent())
	a := w.must(book(c, w.tokens["beneficiary-other"], w.freeSlot(), w.B2, nil), 201, "book")
	c.dispatch()
	msgs := c.server.Mail.Sent()[before:]
	if en := sentWith(msgs, "email", "Appointment booked"); len(en) != 1 || en[0].To != "b@example.org" {
		t.Errorf("English booking notice to B2: %+v", en)
	}
	if pt := sentWith(msgs, "email", "Consulta marcada"); len(pt) != 1 || pt[0].To != "ana@example.org" {
		t.Errorf("Portuguese booking notice to the practitioner: %+v", pt)
	}
	if sms := sentWith(msgs, "sms", "Appointment booked"); len(sms) != 0 {
		t.Errorf("B2 switched SMS off: %+v", sms)
	}
	w.must(cancelAppt(c, w.tokens["beneficiary-other"], a["id"].(string), `"1"`, "sick"), 200, "cancel")
	c.dispatch()
	msgs = c.server.Mail.Sent()[before:]
	if en := sentWith(msgs, "email", "Appointment cancelled"); len(en) != 1 {
		t.Errorf("English cancellation: %+v", en)
	}
	if pt := sentWith(msgs, "email", "Consulta cancelada"); len(pt) != 1 {
		t.Errorf("Portuguese cancellation to the practitioner: %+v", pt)
	}
	inbox := w.must(inbox(c, w.tokens["beneficiary-other"]), 200, "inbox")
	if n := len(inbox["items"].([]any)); n < 2 {
		t.Errorf("in-app notices: %d; want the booking and the cancellation", n)
	}
}

// TestRoleAudience: an administrator notifies every donor.
func TestRoleAudience(t *testing.T) {
	c, w := startWorld(t)
	c.dispatch()
	before := len(c.server.Mail.Sent())
	sent := w.must(sendNotification(c, w.tokens["administrator"], map[string]any{"recipients": map[string]any{"role": "donor"},
		"subject": "Annual report", "message": "Thank you for 2026.", "channels": []string{"email"}}), 202, "send")
	c.dispatch()
	if got := sentWith(c.server.Mail.Sent()[before:], "email", "Annual report"); len(got) != 1 || got[0].To != "f@example.org" {
		t.Errorf("emails to donors: %+v", got)
	}
	n := w.must(getNotification(c, w.tokens["administrator"], sent["id"].(string)), 200, "get")
	if n["recipientCount"] != float64(1) {
		t.Errorf("recipient count: %v", n["recipientCount"])
	}
	assertProblem(t, sendNotification(c, w.tokens["administrator"], map[string]any{"recipients": map[string]any{"role": "administrator"},
		"subject": "x", "message": "y", "channels": []string{"email"}}), http.StatusUnprocessableEntity)
}

// TestFailedDeliveries: a send the provider refuses for good is settled
// failed at once; while the provider is down the outbox holds the delivery
// and retries it, spaced out, MaxAttempts times, then settles it failed; an
// outage that ends in time loses nothing. getNotification counts it all.
func TestFailedDeliveries(t *testing.T) {
	c, w := startWorld(t)
	c.dispatch()
	var emailTries atomic.Int32
	var down atomic.Int32 // email attempts that fail; -1: always
	down.Store(-1)
	c.server.Mail.SetFail(func(channel string) error {
		if channel == "sms" {
			return fmt.Errorf("invalid phone number: %w", notification.ErrRejected)
		}
		emailTries.Add(1)
		switch n := down.Load(); {
		case n == 0:
			return nil
		case n > 0:
			down.Add(-1)
		}
		return errors.New("mail service unavailable")
	})
	defer c.server.Mail.SetFail(nil)
	send := func(subject string) string {
		return w.must(sendNotification(c, w.tokens["practitioner"], map[string]any{"recipients": map[string]any{"beneficiaryIds": []string{w.B}},
			"subject": subject, "message": "Bring the health card.", "channels": []string{"sms", "email"}, "priority": "urgent"}), 202, "send")["id"].(string)
	}
	counts := func(id string) (map[string]any, map[string]any) {
		d := w.must(getNotification(c, w.tokens["practitioner"], id), 200, "get")["deliveries"].(map[string]any)
		return d["email"].(map[string]any), d["sms"].(map[string]any)
	}
	// The days pass: each dispatch runs as at a later time.
	at := time.Now()
	passTime := func(id string, settled func(email map[string]any) bool) {
		for range notification.MaxAttempts + 2 {
			if email, _ := counts(id); settled(email) {
				return
			}
			if _, err := c.server.DispatchAt(context.Background(), at); err != nil {
				t.Fatal(err)
			}
			at = at.Add(6*time.Hour + time.Minute)
		}
	}

	id := send("Vaccination day")
	passTime(id, func(email map[string]any) bool { return email["failed"] == float64(1) })
	email, sms := counts(id)
	if email["failed"] != float64(1) || email["sent"] != float64(0) || email["queued"] != float64(0) ||
		sms["failed"] != float64(1) || sms["sent"] != float64(0) || sms["queued"] != float64(0) {
		t.Errorf("counts: email %v, sms %v; want one failed each", email, sms)
	}
	if n := emailTries.Load(); n != notification.MaxAttempts {
		t.Errorf("email attempts: %d; want %d", n, notification.MaxAttempts)
	}
	if len(sentWith(c.server.Mail.Sent(), "email", "Vaccination day"))+len(sentWith(c.server.Mail.Sent(), "sms", "Vaccination day")) != 0 {
		t.Error("a failed delivery was recorded as sent")
	}

	// The mail service comes back after three failures: sent once.
	down.Store(3)
	id = send("Clinic reopens")
	passTime(id, func(email map[string]any) bool { return email["sent"] == float64(1) })
	if email, _ := counts(id); email["sent"] != float64(1) || email["failed"] != float64(0) {
		t.Errorf("after the outage: %v; want sent", email)
	}
	if got := sentWith(c.server.Mail.Sent(), "email", "Clinic reopens"); len(got) != 1 {
		t.Errorf("emails after the outage: %d; want 1", len(got))
	}
}

// TestBookingCancellationReminder: a booking, a cancellation and the
// reminders run end to end; GET /_local/outbox shows each message in its
// recipient's language, and no reminder for the cancelled appointment.
func TestBookingCancellationReminder(t *testing.T) {
	c, w := startWorld(t)
	// B2 reads English; the practitioner Portuguese. B (pt-MZ) books one
	// more appointment and cancels it.
	w.must(setPreferences(c, w.tokens["beneficiary-other"], map[string]any{"channels": map[string]bool{"email": true}, "language": "en"}), 200, "prefs")
	// Appointments booked less than a day ahead get no reminder: take two
	// slots at least two days ahead.
	var later []string
	for _, sl := range freeSlots(t, c, w.tokens["beneficiary"], w.P, 100) {
		if at, _ := time.Parse(time.RFC3339, sl["start"].(string)); at.After(time.Now().Add(48*time.Hour)) && len(later) < 2 {
			later = append(later, sl["slotId"].(string))
		}
	}
	if len(later) != 2 {
		t.Fatalf("free slots two days ahead: %v", later)
	}
	kept := w.must(book(c, w.tokens["beneficiary-other"], later[0], w.B2, nil), 201, "book")
	gone := w.must(book(c, w.tokens["beneficiary"], later[1], w.B, nil), 201, "book")["id"].(string)
	w.must(cancelAppt(c, w.tokens["beneficiary"], gone, `"1"`, "travel"), 200, "cancel")
	c.dispatch()
	type outboxJSON struct {
		Messages []localmail.Message `json:"messages"`
	}
	read := func() []localmail.Message {
		t.Helper()
		res, err := http.Get(c.base + "/_local/outbox")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out outboxJSON
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out.Messages
	}
	msgs := read()
	for _, want := range []struct{ channel, text, to string }{
		{"email", "Appointment booked", "b@example.org"},   // B2, English
		{"email", "Consulta cancelada", "b@example.org"},   // B, Portuguese
		{"email", "Consulta cancelada", "ana@example.org"}, // the practitioner
	} {
		found := false
		for _, m := range sentWith(msgs, want.channel, want.text) {
			found = found || m.To == want.to
		}
		if !found {
			t.Errorf("no %s %q to %s in the local outbox", want.channel, want.text, want.to)
		}
	}
	if n := len(sentWith(msgs, "email", "Appointment tomorrow")) + len(sentWith(msgs, "email", "Consulta amanhã")); n != 0 {
		t.Fatalf("reminders before their time: %d", n)
	}

	// A week later every reminder is due: the kept one's, to both sides;
	// the cancelled appointment's fires nothing.
	start := kept["start"].(string)
	if _, err := c.server.DispatchAt(context.Background(), time.Now().Add(8*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	msgs = read()
	en := sentWith(msgs, "email", "Appointment tomorrow")
	pt := sentWith(msgs, "email", "Consulta amanhã")
	if len(en) != 1 || en[0].To != "b@example.org" {
		t.Errorf("English reminders: %+v; want one, to B2 (of %s)", en, start)
	}
	// Had the cancelled one fired, B and the practitioner would each have
	// one more.
	if len(pt) != 1 || pt[0].To != "ana@example.org" {
		t.Errorf("Portuguese reminders: %+v; want one, to the practitioner", pt)
	}
}

// TestReminderOnceWhateverTheMoves: an appointment moved away and back
// gets one reminder, not one per move.
func TestReminderOnceWhateverTheMoves(t *testing.T) {
	c, w := startWorld(t)
	ben := w.tokens["beneficiary-other"]
	w.must(setPreferences(c, ben, map[string]any{"channels": map[string]bool{"email": true}, "language": "en"}), 200, "prefs")
	var later []string
	for _, sl := range freeSlots(t, c, ben, w.P, 100) {
		if at, _ := time.Parse(time.RFC3339, sl["start"].(string)); at.After(time.Now().Add(48*time.Hour)) && len(later) < 2 {
			later = append(later, sl["slotId"].(string))
		}
	}
	if len(later) != 2 {
		t.Fatalf("free slots two days ahead: %v", later)
	}
	id := w.must(book(c, ben, later[0], w.B2, nil), 201, "book")["id"].(string)
	w.must(rescheduleAppt(c, ben, id, `"1"`, later[1]), 200, "away")
	w.must(rescheduleAppt(c, ben, id, `"2"`, later[0]), 200, "back")
	before := len(c.server.Mail.Sent())
	if _, err := c.server.DispatchAt(context.Background(), time.Now().Add(8*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := sentWith(c.server.Mail.Sent()[before:], "email", "Appointment tomorrow"); len(got) != 1 {
		t.Errorf("reminders to B2 after moving away and back: %d; want 1: %+v", len(got), got)
	}
}
