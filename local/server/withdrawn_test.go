package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"ohcs/openapi/ohcsclient"
)

// TestWithdrawnVerification: a suspended practitioner stops at once: its
// articles leave search and it edits none, it places no schedule, nobody
// books it, it notifies nobody and it reaches none of its appointments;
// verified again, it is back.
func TestWithdrawnVerification(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	prac, admin := c.api(w.tokens["practitioner"]), c.api(w.tokens["administrator"])
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
	decide := func(decision ohcsclient.VerificationDecisionDecision) {
		t.Helper()
		cur, err := admin.GetPractitionerWithResponse(ctx, w.P)
		answered(t, cur.StatusCode(), cur.Body, err, 200, "practitioner")
		r, err := admin.VerifyPractitionerWithResponse(ctx, w.P, &ohcsclient.VerifyPractitionerParams{IfMatch: ptr(cur.HTTPResponse.Header.Get("ETag"))},
			ohcsclient.VerificationDecision{Decision: decision})
		answered(t, r.StatusCode(), r.Body, err, 200, string(decision))
	}
	answer := func(err error, resp *http.Response, body []byte) response {
		return c.answer(err, "call", func() (*http.Response, []byte) { return resp, body })
	}
	slot := w.freeSlot()
	decide(ohcsclient.VerificationDecisionDecisionSuspended)
	if found() {
		t.Error("a suspended practitioner's article is still found")
	}
	article, err := c.api("").GetMedicalKnowledgeWithResponse(ctx, w.K, nil)
	answered(t, article.StatusCode(), article.Body, err, 200, "article")
	edit, err := prac.UpdateMedicalKnowledgeWithResponse(ctx, w.K, &ohcsclient.UpdateMedicalKnowledgeParams{IfMatch: ptr(article.HTTPResponse.Header.Get("ETag"))},
		ohcsclient.ArticleUpdate{Title: ptr("Changed")})
	assertProblem(t, answer(err, edit.HTTPResponse, edit.Body), http.StatusForbidden)
	from, to := openapi_types.Date{Time: time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)}, openapi_types.Date{Time: time.Date(2027, 2, 4, 0, 0, 0, 0, time.UTC)}
	sched, err := prac.PlaceAvailabilityScheduleWithResponse(ctx, w.P, ohcsclient.ScheduleCreate{TimeZone: "Africa/Maputo", SlotMinutes: 30,
		EffectiveFrom: from, EffectiveTo: to, WeeklyRules: []ohcsclient.WeeklyRule{{DayOfWeek: ohcsclient.Mon, Start: "09:00", End: "12:00",
			Modes: &[]ohcsclient.ConsultationMode{ohcsclient.ConsultationModeVideo}}}})
	if p := assertProblem(t, answer(err, sched.HTTPResponse, sched.Body), http.StatusUnprocessableEntity); !strings.Contains(p["detail"].(string), "verified") {
		t.Errorf("schedule of a suspended practitioner: %v; want refused as not verified", p)
	}
	assertProblem(t, book(c, w.tokens["beneficiary"], slot, w.B, nil), http.StatusConflict)
	notice := ohcsclient.NotificationCreate{Subject: "Hello", Message: "Still here.", Channels: []ohcsclient.Channel{ohcsclient.ChannelInApp}}
	notice.Recipients.BeneficiaryIds = &[]string{w.B}
	sent, err := prac.SendNotificationWithResponse(ctx, &ohcsclient.SendNotificationParams{IdempotencyKey: ptr("withdrawn-1")}, notice)
	assertProblem(t, answer(err, sent.HTTPResponse, sent.Body), http.StatusNotFound)
	appt, err := prac.GetAppointmentWithResponse(ctx, w.A)
	assertProblem(t, answer(err, appt.HTTPResponse, appt.Body), http.StatusNotFound)
	list, err := prac.ListAppointmentsWithResponse(ctx, nil)
	if answered(t, list.StatusCode(), list.Body, err, 200, "list"); len(list.JSON200.Items) != 0 {
		t.Errorf("a suspended practitioner lists %d appointments; want none", len(list.JSON200.Items))
	}
	if p, err := admin.GetPractitionerWithResponse(ctx, w.P); err != nil || p.JSON200 == nil || p.JSON200.Verification != ohcsclient.VerificationSuspended {
		t.Errorf("verification: %v %s; want suspended", err, p.Body)
	}

	decide(ohcsclient.VerificationDecisionDecisionVerified)
	if !found() {
		t.Error("verified again, its article is not found again")
	}
	appt, err = prac.GetAppointmentWithResponse(ctx, w.A)
	answered(t, appt.StatusCode(), appt.Body, err, 200, "its appointment again")
	// Only a verified practitioner is suspended.
	pending, err := c.api(c.token("pending-prac", "practitioner")).CreatePractitionerProfileWithResponse(ctx, typedProfile(t, "Dr Pending"))
	answered(t, pending.StatusCode(), pending.Body, err, 201, "pending")
	r, err := admin.VerifyPractitionerWithResponse(ctx, pending.JSON201.Id, &ohcsclient.VerifyPractitionerParams{IfMatch: ptr(`"1"`)},
		ohcsclient.VerificationDecision{Decision: ohcsclient.VerificationDecisionDecisionSuspended})
	assertProblem(t, answer(err, r.HTTPResponse, r.Body), http.StatusUnprocessableEntity)
}

// TestNarrowedAudience: when an author narrows an article to
// practitioners, its older public versions are no longer public either.
func TestNarrowedAudience(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	version1 := func(token string, want int) {
		t.Helper()
		r, err := c.api(token).GetMedicalKnowledgeWithResponse(ctx, w.K, &ohcsclient.GetMedicalKnowledgeParams{Version: ptr(1)})
		if err != nil || r.StatusCode() != want {
			t.Fatalf("version 1 as %q: %v %d; want %d: %s", token, err, r.StatusCode(), want, r.Body)
		}
	}
	version1("", 200)
	narrow, err := c.api(w.tokens["practitioner"]).UpdateMedicalKnowledgeWithResponse(ctx, w.K, &ohcsclient.UpdateMedicalKnowledgeParams{IfMatch: ptr(`"1"`)},
		ohcsclient.ArticleUpdate{Audience: ptr(ohcsclient.ArticleUpdateAudiencePractitioners)})
	answered(t, narrow.StatusCode(), narrow.Body, err, 200, "narrow")
	version1("", 404)
	version1(w.tokens["beneficiary"], 404)
	version1(w.tokens["practitioner-other"], 200) // a practitioner still reads it
}

// TestDerivedDocuments: a report or an export made for a practitioner
// holds only its own appointments with the beneficiary; the beneficiary's
// export holds them all.
func TestDerivedDocuments(t *testing.T) {
	c, w := startWorld(t)
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
	ctx := context.Background()
	rep, err := c.api(w.tokens["practitioner"]).ProduceHealthReportWithResponse(ctx, ohcsclient.HealthReportCreate{BeneficiaryId: w.B,
		PeriodStart: openapi_types.Date{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}, PeriodEnd: openapi_types.Date{Time: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)}})
	answered(t, rep.StatusCode(), rep.Body, err, 201, "report")
	upcoming := rep.JSON201.Sections.UpcomingAppointments
	for _, u := range upcoming {
		if u["id"] == other {
			t.Errorf("P's report lists B's appointment with P2: %v", upcoming)
		}
	}
	if len(upcoming) == 0 {
		t.Errorf("P's report lists none of its own appointments")
	}
	appointments := func(tok string) map[string]bool {
		t.Helper()
		bundle, err := c.api(tok).ExportHealthRecordFhirWithResponse(ctx, w.B)
		answered(t, bundle.StatusCode(), bundle.Body, err, 200, "export")
		out := map[string]bool{}
		for _, e := range bundle.ApplicationfhirJSON200.Entry {
			res := e["resource"].(map[string]any)
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
	c, w := startWorld(t)
	ben, cg := w.tokens["beneficiary"], w.tokens["caregiver-book"]
	openAllWeek(t, c, w.tokens["practitioner-other"], w.P2, nil)
	slots := freeSlots(t, c, ben, w.P2, 100)
	rev, err := c.api(ben).RevokePractitionerAccessWithResponse(context.Background(), w.B, ohcsclient.PractitionerRevocationRequest{PractitionerId: w.P2})
	answered(t, rev.StatusCode(), rev.Body, err, 201, "revoke P2")
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
	c, w := startWorld(t)
	ctx := context.Background()
	prac, admin, donor := c.api(w.tokens["practitioner"]), c.api(w.tokens["administrator"]), c.api(w.tokens["donor"])
	view := func(api *ohcsclient.ClientWithResponses, what string) *ohcsclient.GetPractitionerResponse {
		t.Helper()
		r, err := api.GetPractitionerWithResponse(ctx, w.P)
		answered(t, r.StatusCode(), r.Body, err, 200, what)
		return r
	}
	before := view(donor, "public view").JSON200
	name := before.FullName
	upd, err := prac.UpdatePractitionerProfileWithResponse(ctx, w.P, &ohcsclient.UpdatePractitionerProfileParams{IfMatch: ptr(w.pracVer)},
		ohcsclient.PractitionerUpdate{FullName: ptr("Dr Famous Surgeon"), Bio: ptr("Hello"),
			Specialties: &ohcsclient.Specialties{{Code: "cardiology", Display: "Cardiology"}, {Code: "neurosurgery", Display: "Neurosurgery"}}})
	answered(t, upd.StatusCode(), upd.Body, err, 200, "rename")
	if u := upd.JSON200; u.FullName != name || u.Verification != ohcsclient.VerificationVerified || u.Bio == nil || *u.Bio != "Hello" {
		t.Errorf("after the change: %s; want the verified name, verified, the new bio", upd.Body)
	}
	if pc := upd.JSON200.PendingChanges; pc == nil || pc.FullName != "Dr Famous Surgeon" {
		t.Errorf("the practitioner sees its pending change: %s", upd.Body)
	}
	public := view(c.api(w.tokens["beneficiary"]), "public view").JSON200
	if public.FullName != name || public.PendingChanges != nil || len(public.Specialties) != len(before.Specialties) {
		t.Errorf("public view during review: %+v", public)
	}
	find := func(params ohcsclient.FindPractitionersParams) []ohcsclient.Practitioner {
		t.Helper()
		r, err := donor.FindPractitionersWithResponse(ctx, &params)
		answered(t, r.StatusCode(), r.Body, err, 200, "search")
		return r.JSON200.Items
	}
	for _, q := range []ohcsclient.FindPractitionersParams{{Name: ptr("Famous")}, {Specialty: ptr("neurosurgery")}} {
		if items := find(q); len(items) != 0 {
			t.Errorf("search %+v finds the unreviewed identity: %+v", q, items)
		}
	}
	review := view(admin, "review")
	if review.JSON200.PendingChanges == nil {
		t.Fatalf("the administrator does not see the change to review: %s", review.Body)
	}
	v, err := admin.VerifyPractitionerWithResponse(ctx, w.P, &ohcsclient.VerifyPractitionerParams{IfMatch: ptr(review.HTTPResponse.Header.Get("ETag"))},
		ohcsclient.VerificationDecision{Decision: ohcsclient.VerificationDecisionDecisionVerified})
	answered(t, v.StatusCode(), v.Body, err, 200, "verify the change")
	if after := view(donor, "public view").JSON200; after.FullName != "Dr Famous Surgeon" || after.PendingChanges != nil {
		t.Errorf("after review: %+v", after)
	}
	if items := find(ohcsclient.FindPractitionersParams{Specialty: ptr("neurosurgery")}); len(items) != 1 {
		t.Errorf("search after review: %+v", items)
	}
}

// TestConsentlessLinks: a beneficiary that links a caregiver whose id it
// knows gets nothing from it until the caregiver accepts: not its contact
// details, not a copy of its notices; the caregiver can leave an accepted
// link.
func TestConsentlessLinks(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	other := w.tokens["beneficiary-other"]
	caregiver := func(want int) {
		t.Helper()
		r, err := c.api(other).GetCaregiverWithResponse(ctx, w.C2)
		if err != nil || r.StatusCode() != want {
			t.Fatalf("B2 reads its caregiver: %v %d; want %d: %s", err, r.StatusCode(), want, r.Body)
		}
	}
	// B2 links C2 with receiveNotifications; C2 has not answered.
	link, err := c.api(other).GrantCaregiverAccessWithResponse(ctx, w.B2, ohcsclient.CareLinkGrant{CaregiverId: w.C2,
		Permissions: ohcsclient.Permissions{ohcsclient.ReceiveNotifications}})
	answered(t, link.StatusCode(), link.Body, err, 201, "link")
	if link.JSON201.Status != ohcsclient.CareLinkStatusPending {
		t.Fatalf("a new link: %s; want pending", link.Body)
	}
	caregiver(http.StatusNotFound)
	w.must(book(c, other, w.freeSlot(), w.B2, nil), 201, "B2 books")
	before := len(c.server.Mail.Sent())
	c.dispatch()
	for _, m := range c.server.Mail.Sent()[before:] {
		if strings.Contains(m.To, "caregiver-other") || m.To == "+258843333333" {
			t.Errorf("a pending caregiver got B2's notice: %+v", m)
		}
	}
	acceptLink(t, c, w.tokens["caregiver-other"], w.B2, link.JSON201.Id)
	caregiver(http.StatusOK)
	left, err := c.api(w.tokens["caregiver-other"]).RevokeCaregiverAccessWithResponse(ctx, w.B2, link.JSON201.Id)
	if answered(t, left.StatusCode(), left.Body, err, 200, "leave"); left.JSON200.Status != ohcsclient.CareLinkStatusRevoked {
		t.Errorf("after leaving: %s", left.Body)
	}
	caregiver(http.StatusNotFound)
}

// TestCaregiverOwnPractitionerProfile: a caregiver that is also a
// practitioner cannot book the beneficiary with itself, and so cannot give
// itself the record access a booking begins.
func TestCaregiverOwnPractitionerProfile(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	tok := c.token("caregiver-practitioner", "caregiver", "practitioner")
	self := c.api(tok)
	cg, err := self.CreateCaregiverProfileWithResponse(ctx, ohcsclient.CaregiverCreate{FullName: "Dr Helper", Phone: "+258840000010"})
	answered(t, cg.StatusCode(), cg.Body, err, 201, "caregiver")
	pr, err := self.CreatePractitionerProfileWithResponse(ctx, typedProfile(t, "Dr Helper"))
	answered(t, pr.StatusCode(), pr.Body, err, 201, "practitioner")
	v, err := c.api(w.tokens["administrator"]).VerifyPractitionerWithResponse(ctx, pr.JSON201.Id, &ohcsclient.VerifyPractitionerParams{IfMatch: ptr(`"1"`)},
		ohcsclient.VerificationDecision{Decision: ohcsclient.VerificationDecisionDecisionVerified})
	answered(t, v.StatusCode(), v.Body, err, 200, "verify")
	openAllWeek(t, c, tok, pr.JSON201.Id, nil)
	l, err := c.api(w.tokens["beneficiary"]).GrantCaregiverAccessWithResponse(ctx, w.B, ohcsclient.CareLinkGrant{CaregiverId: cg.JSON201.Id,
		Permissions: ohcsclient.Permissions{ohcsclient.BookAppointments}})
	answered(t, l.StatusCode(), l.Body, err, 201, "link")
	acceptLink(t, c, tok, w.B, l.JSON201.Id)
	slots := freeSlots(t, c, tok, pr.JSON201.Id, 3)
	assertProblem(t, book(c, tok, slots[0]["slotId"].(string), w.B, nil), http.StatusForbidden)
	entries, err := self.ListHealthRecordEntriesWithResponse(ctx, &ohcsclient.ListHealthRecordEntriesParams{BeneficiaryId: w.B})
	assertProblem(t, c.answer(err, "entries", func() (*http.Response, []byte) { return entries.HTTPResponse, entries.Body }), http.StatusNotFound)
	// It books the beneficiary with another practitioner as its caregiver.
	w.must(book(c, tok, w.freeSlot(), w.B, nil), 201, "books P for B")
}
