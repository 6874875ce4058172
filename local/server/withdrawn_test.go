package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestWithdrawnVerification: a suspended practitioner stops at once: its
// articles leave search and it edits none, it places no schedule, nobody
// books it, it notifies nobody and it reaches none of its appointments;
// verified again, it is back.
func TestWithdrawnVerification(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	prac, admin, ben := w.tokens["practitioner"], w.tokens["administrator"], w.tokens["beneficiary"]
	found := func() bool {
		for _, h := range search(t, c, "", "q=rehydration") {
			if h["id"] == w.K {
				return true
			}
		}
		return false
	}
	if !found() {
		t.Fatal("the verified practitioner's public article is not found")
	}
	decide := func(decision string) {
		v := c.call("GET", "/v1/practitioners/"+w.P, admin, nil, nil).Header.Get("ETag")
		w.must(c.call("POST", "/v1/practitioners/"+w.P+"/verification", admin, map[string]any{"decision": decision}, map[string]string{"If-Match": v}), 200, decision)
	}
	slot := w.freeSlot()
	decide("suspended")
	if found() {
		t.Error("a suspended practitioner's article is still found")
	}
	article := c.call("GET", "/v1/knowledge/"+w.K, "", nil, nil)
	assertProblem(t, c.call("PATCH", "/v1/knowledge/"+w.K, prac, map[string]any{"title": "Changed"}, map[string]string{"If-Match": article.Header.Get("ETag")}), http.StatusForbidden)
	if p := assertProblem(t, c.call("POST", "/v1/practitioners/"+w.P+"/schedules", prac, map[string]any{"timeZone": "Africa/Maputo", "slotMinutes": 30,
		"effectiveFrom": "2027-01-04", "effectiveTo": "2027-02-04", "weeklyRules": []any{map[string]any{"dayOfWeek": "mon", "start": "09:00", "end": "12:00", "modes": []string{"video"}}}}, nil),
		http.StatusUnprocessableEntity); !strings.Contains(p["detail"].(string), "verified") {
		t.Errorf("schedule of a suspended practitioner: %v; want refused as not verified", p)
	}
	assertProblem(t, book(c, ben, slot, w.B, nil), http.StatusConflict)
	assertProblem(t, c.call("POST", "/v1/notifications", prac, map[string]any{"recipients": map[string]any{"beneficiaryIds": []string{w.B}},
		"subject": "Hello", "message": "Still here.", "channels": []string{"inApp"}}, map[string]string{"Idempotency-Key": "withdrawn-1"}), http.StatusNotFound)
	assertProblem(t, c.call("GET", "/v1/appointments/"+w.A, prac, nil, nil), http.StatusNotFound)
	if items := w.must(c.call("GET", "/v1/appointments", prac, nil, nil), 200, "list")["items"].([]any); len(items) != 0 {
		t.Errorf("a suspended practitioner lists %d appointments; want none", len(items))
	}
	if p := w.must(c.call("GET", "/v1/practitioners/"+w.P, admin, nil, nil), 200, "profile"); p["verification"] != "suspended" {
		t.Errorf("verification: %v; want suspended", p["verification"])
	}

	decide("verified")
	if !found() {
		t.Error("verified again, its article is not found again")
	}
	w.must(c.call("GET", "/v1/appointments/"+w.A, prac, nil, nil), 200, "its appointment again")
	// Only a verified practitioner is suspended.
	pending := w.must(c.call("POST", "/v1/practitioners", c.token("pending-prac", "practitioner"), profile("Dr Pending"), nil), 201, "pending")
	assertProblem(t, c.call("POST", "/v1/practitioners/"+pending["id"].(string)+"/verification", admin, map[string]any{"decision": "suspended"},
		map[string]string{"If-Match": `"1"`}), http.StatusUnprocessableEntity)
}

// TestNarrowedAudience: when an author narrows an article to
// practitioners, its older public versions are no longer public either.
func TestNarrowedAudience(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	w.must(c.call("GET", "/v1/knowledge/"+w.K+"?version=1", "", nil, nil), 200, "version 1, public")
	w.must(c.call("PATCH", "/v1/knowledge/"+w.K, w.tokens["practitioner"], map[string]any{"audience": "practitioners"}, map[string]string{"If-Match": `"1"`}), 200, "narrow")
	assertProblem(t, c.call("GET", "/v1/knowledge/"+w.K+"?version=1", "", nil, nil), http.StatusNotFound)
	assertProblem(t, c.call("GET", "/v1/knowledge/"+w.K+"?version=1", w.tokens["beneficiary"], nil, nil), http.StatusNotFound)
	w.must(c.call("GET", "/v1/knowledge/"+w.K+"?version=1", w.tokens["practitioner-other"], nil, nil), 200, "a practitioner still reads it")
}

// TestDerivedDocuments: a report or an export made for a practitioner
// holds only its own appointments with the beneficiary; the beneficiary's
// export holds them all.
func TestDerivedDocuments(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	ben := w.tokens["beneficiary"]
	openAllWeek(t, c, w.tokens["practitioner-other"], w.P2, nil)
	var other string
	for _, sl := range freeSlots(t, c, ben, w.P2, 100) {
		if r := book(c, ben, sl["slotId"].(string), w.B, nil); r.Status == 201 {
			other = r.json(t)["id"].(string)
			break
		}
	}
	if other == "" {
		t.Fatal("B could not book P2")
	}
	rep := w.must(c.call("POST", "/v1/health-reports", w.tokens["practitioner"], map[string]any{"beneficiaryId": w.B, "periodStart": "2026-01-01", "periodEnd": "2027-12-31"}, nil), 201, "report")
	upcoming := rep["sections"].(map[string]any)["upcomingAppointments"].([]any)
	for _, u := range upcoming {
		if u.(map[string]any)["id"] == other {
			t.Errorf("P's report lists B's appointment with P2: %v", upcoming)
		}
	}
	if len(upcoming) == 0 {
		t.Errorf("P's report lists none of its own appointments")
	}
	appointments := func(tok string) map[string]bool {
		bundle := w.must(c.call("GET", "/v1/beneficiaries/"+w.B+"/fhir", tok, nil, nil), 200, "export")
		out := map[string]bool{}
		for _, e := range bundle["entry"].([]any) {
			res := e.(map[string]any)["resource"].(map[string]any)
			if res["resourceType"] == "Appointment" {
				out[res["id"].(string)] = true
			}
		}
		return out
	}
	if got := appointments(w.tokens["practitioner"]); got[other] || !got[w.A] {
		t.Errorf("P's export: appointments %v; want A and not P2's %s", got, other)
	}
	if got := appointments(ben); !got[other] || !got[w.A] {
		t.Errorf("B's export: appointments %v; want both", got)
	}
}

// TestBookingNeverUndoesARevocation: after B revoked P2, B's caregiver
// with bookAppointments cannot book P2 (that would give P2 access again);
// B can, and a booking a caregiver makes is notified to B.
func TestBookingNeverUndoesARevocation(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	ben, cg := w.tokens["beneficiary"], w.tokens["caregiver-book"]
	openAllWeek(t, c, w.tokens["practitioner-other"], w.P2, nil)
	slots := freeSlots(t, c, ben, w.P2, 100)
	w.must(c.call("POST", "/v1/beneficiaries/"+w.B+"/practitioner-revocations", ben, map[string]any{"practitionerId": w.P2}, nil), 201, "revoke P2")
	assertProblem(t, book(c, cg, slots[len(slots)-1]["slotId"].(string), w.B, nil), http.StatusForbidden)
	w.must(book(c, ben, slots[len(slots)-2]["slotId"].(string), w.B, nil), 201, "B books P2 again")

	// A caregiver's booking with P reaches B.
	before := len(c.server.Mail.Sent())
	w.must(book(c, cg, w.freeSlot(), w.B, nil), 201, "the caregiver books P")
	c.dispatch()
	mails := c.server.Mail.Sent()[before:]
	got := false
	for _, m := range append(sentWith(mails, "email", "Consulta marcada"), sentWith(mails, "email", "Appointment booked")...) {
		got = got || m.To == "b@example.org"
	}
	if !got {
		t.Errorf("B was not told of the booking made on its behalf: %+v", mails)
	}
}

// TestIdentityChangesWaitForReview: a verified practitioner renaming
// itself after a well-known doctor and adding specialties stays verified,
// and search and the public view keep its verified name and specialties
// until an administrator verifies the change.
func TestIdentityChangesWaitForReview(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	prac, admin := w.tokens["practitioner"], w.tokens["administrator"]
	before := w.must(c.call("GET", "/v1/practitioners/"+w.P, w.tokens["donor"], nil, nil), 200, "public view")
	name := before["fullName"].(string)
	upd := w.must(c.call("PATCH", "/v1/practitioners/"+w.P, prac, map[string]any{"fullName": "Dr Famous Surgeon",
		"specialties": []any{map[string]any{"code": "cardiology", "display": "Cardiology"}, map[string]any{"code": "neurosurgery", "display": "Neurosurgery"}}, "bio": "Hello"},
		map[string]string{"If-Match": w.pracVer}), 200, "rename")
	if upd["fullName"] != name || upd["verification"] != "verified" || upd["bio"] != "Hello" {
		t.Errorf("after the change: %v; want the verified name, verified, the new bio", upd)
	}
	if pc, _ := upd["pendingChanges"].(map[string]any); pc == nil || pc["fullName"] != "Dr Famous Surgeon" {
		t.Errorf("the practitioner sees its pending change: %v", upd["pendingChanges"])
	}
	public := w.must(c.call("GET", "/v1/practitioners/"+w.P, w.tokens["beneficiary"], nil, nil), 200, "public view")
	if public["fullName"] != name || public["pendingChanges"] != nil || len(public["specialties"].([]any)) != len(before["specialties"].([]any)) {
		t.Errorf("public view during review: %v", public)
	}
	for _, q := range []string{"name=Famous", "specialty=neurosurgery"} {
		if items := w.must(c.call("GET", "/v1/practitioners?"+q, w.tokens["donor"], nil, nil), 200, "search")["items"].([]any); len(items) != 0 {
			t.Errorf("search %s finds the unreviewed identity: %v", q, items)
		}
	}
	review := c.call("GET", "/v1/practitioners/"+w.P, admin, nil, nil)
	if pc, _ := review.json(t)["pendingChanges"].(map[string]any); pc == nil {
		t.Fatalf("the administrator does not see the change to review: %s", review.Body)
	}
	w.must(c.call("POST", "/v1/practitioners/"+w.P+"/verification", admin, map[string]any{"decision": "verified"}, map[string]string{"If-Match": review.Header.Get("ETag")}), 200, "verify the change")
	after := w.must(c.call("GET", "/v1/practitioners/"+w.P, w.tokens["donor"], nil, nil), 200, "public view")
	if after["fullName"] != "Dr Famous Surgeon" || after["pendingChanges"] != nil {
		t.Errorf("after review: %v", after)
	}
	if items := w.must(c.call("GET", "/v1/practitioners?specialty=neurosurgery", w.tokens["donor"], nil, nil), 200, "search")["items"].([]any); len(items) != 1 {
		t.Errorf("search after review: %v", items)
	}
}

// TestConsentlessLinks: a beneficiary that links a caregiver whose id it
// knows gets nothing from it until the caregiver accepts: not its contact
// details, not a copy of its notices; the caregiver can leave an accepted
// link.
func TestConsentlessLinks(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	other := w.tokens["beneficiary-other"]
	// B2 links C2 with receiveNotifications; C2 has not answered.
	link := w.must(c.call("POST", "/v1/beneficiaries/"+w.B2+"/care-links", other, map[string]any{"caregiverId": w.C2, "permissions": []string{"receiveNotifications"}}, nil), 201, "link")
	if link["status"] != "pending" {
		t.Fatalf("a new link: %v; want pending", link)
	}
	assertProblem(t, c.call("GET", "/v1/caregivers/"+w.C2, other, nil, nil), http.StatusNotFound)
	w.must(book(c, other, w.freeSlot(), w.B2, nil), 201, "B2 books")
	before := len(c.server.Mail.Sent())
	c.dispatch()
	for _, m := range c.server.Mail.Sent()[before:] {
		if strings.Contains(m.To, "caregiver-other") || m.To == "+258843333333" {
			t.Errorf("a pending caregiver got B2's notice: %+v", m)
		}
	}
	acceptLink(t, c, w.tokens["caregiver-other"], w.B2, link["id"].(string))
	w.must(c.call("GET", "/v1/caregivers/"+w.C2, other, nil, nil), 200, "linked now")
	left := w.must(c.call("POST", "/v1/beneficiaries/"+w.B2+"/care-links/"+link["id"].(string)+"/revocation", w.tokens["caregiver-other"], nil, nil), 200, "leave")
	if left["status"] != "revoked" {
		t.Errorf("after leaving: %v", left)
	}
	assertProblem(t, c.call("GET", "/v1/caregivers/"+w.C2, other, nil, nil), http.StatusNotFound)
}

// TestCaregiverOwnPractitionerProfile: a caregiver that is also a
// practitioner cannot book the beneficiary with itself, and so cannot give
// itself the record access a booking begins.
func TestCaregiverOwnPractitionerProfile(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	tok := c.token("caregiver-practitioner", "caregiver", "practitioner")
	cg := w.must(c.call("POST", "/v1/caregivers", tok, map[string]any{"fullName": "Dr Helper", "phone": "+258840000010"}, nil), 201, "caregiver")["id"].(string)
	pr := w.must(c.call("POST", "/v1/practitioners", tok, profile("Dr Helper"), nil), 201, "practitioner")["id"].(string)
	w.must(c.call("POST", "/v1/practitioners/"+pr+"/verification", w.tokens["administrator"], map[string]any{"decision": "verified"}, map[string]string{"If-Match": `"1"`}), 200, "verify")
	openAllWeek(t, c, tok, pr, nil)
	l := w.must(c.call("POST", "/v1/beneficiaries/"+w.B+"/care-links", w.tokens["beneficiary"], map[string]any{"caregiverId": cg, "permissions": []string{"bookAppointments"}}, nil), 201, "link")
	acceptLink(t, c, tok, w.B, l["id"].(string))
	slots := freeSlots(t, c, tok, pr, 3)
	assertProblem(t, book(c, tok, slots[0]["slotId"].(string), w.B, nil), http.StatusForbidden)
	assertProblem(t, c.call("GET", "/v1/health-record-entries?beneficiaryId="+w.B, tok, nil, nil), http.StatusNotFound)
	// It books the beneficiary with another practitioner as its caregiver.
	w.must(book(c, tok, w.freeSlot(), w.B, nil), 201, "books P for B")
}
