package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"ohcs/openapi/ohcsclient"
	"ohcs/shared/dynamo/dynamoprobe"
	"ohcs/shared/tables"
)

// openAllWeek publishes, for practitioner id, 30-minute slots all day every
// day from today for two weeks.
func openAllWeek(t testing.TB, c *client, token, id string, extra map[string]any) {
	t.Helper()
	var rules []any
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		rules = append(rules, map[string]any{"dayOfWeek": d, "start": "00:00", "end": "23:30"})
	}
	today := time.Now().UTC()
	body := map[string]any{"timeZone": "Africa/Maputo", "slotMinutes": 30, "effectiveFrom": today.AddDate(0, 0, -1).Format(time.DateOnly),
		"effectiveTo": today.AddDate(0, 0, 14).Format(time.DateOnly), "weeklyRules": rules}
	for k, v := range extra {
		body[k] = v
	}
	r := placeSchedule(c, token, id, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", r.Status, r.Body)
	}
}

func freeSlots(t testing.TB, c *client, token, pid string, n int) []map[string]any {
	t.Helper()
	from := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Minute)
	to := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second)
	slots, err := c.api(token).ListAvailableSlotsWithResponse(context.Background(), pid, &ohcsclient.ListAvailableSlotsParams{From: from, To: to, Limit: &n})
	answered(t, slots.StatusCode(), slots.Body, err, http.StatusOK, "slots")
	r := response{Status: slots.StatusCode(), Header: slots.HTTPResponse.Header, Body: slots.Body}
	var out []map[string]any
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func book(c *client, token, slot, ben string, header map[string]string) response {
	return c.reply("makeAppointment")(c.api(token).MakeAppointmentWithResponse(context.Background(), nil,
		ohcsclient.AppointmentCreate{SlotId: slot, BeneficiaryId: ben, Mode: "video", Reason: ptr("fever")}, withHeader(header)))
}

// ifMatch is the If-Match of a typed change: none when etag is empty (to
// see the 428).
func ifMatch(etag string) *string {
	if etag == "" {
		return nil
	}
	return &etag
}

// cancelAppt cancels appointment id at etag through the typed client.
func cancelAppt(c *client, token, id, etag, reason string) response {
	return c.reply("cancelAppointment")(c.api(token).CancelAppointmentWithResponse(context.Background(), id, &ohcsclient.CancelAppointmentParams{IfMatch: ifMatch(etag)},
		ohcsclient.Cancellation{Reason: reason}))
}

// rescheduleAppt moves appointment id at etag to slot.
func rescheduleAppt(c *client, token, id, etag, slot string) response {
	return c.reply("rescheduleAppointment")(c.api(token).RescheduleAppointmentWithResponse(context.Background(), id, &ohcsclient.RescheduleAppointmentParams{IfMatch: ifMatch(etag)},
		ohcsclient.Reschedule{NewSlotId: slot}))
}

// setStatus marks appointment id at etag completed or noShow.
func setStatus(c *client, token, id, etag, status string) response {
	return c.reply("updateAppointmentStatus")(c.api(token).UpdateAppointmentStatusWithResponse(context.Background(), id, &ohcsclient.UpdateAppointmentStatusParams{IfMatch: ifMatch(etag)},
		ohcsclient.StatusChange{Status: ohcsclient.StatusChangeStatus(status)}))
}

// getAppt reads appointment id.
func getAppt(c *client, token, id string) response {
	return c.reply("getAppointment")(c.api(token).GetAppointmentWithResponse(context.Background(), id))
}

// TestBookingRace: 50 beneficiaries book one slot at once; exactly one wins.
func TestBookingRace(t *testing.T) {
	c, w := startWorld(t)
	openAllWeek(t, c, w.tokens["practitioner"], w.P, nil)
	slot := freeSlots(t, c, w.tokens["beneficiary"], w.P, 1)[0]["slotId"].(string)
	type racer struct{ token, ben string }
	var racers []racer
	for i := range 50 {
		tok := c.token(fmt.Sprintf("racer-%d", i), "beneficiary")
		r := createBeneficiary(c, tok, fmt.Sprintf("Racer %d", i))
		racers = append(racers, racer{tok, r.json(t)["id"].(string)})
	}
	statuses := make([]int, len(racers))
	var wg sync.WaitGroup
	for i, r := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = book(c, r.token, slot, r.ben, nil).Status
		}()
	}
	wg.Wait()
	won, lost := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusCreated:
			won++
		case http.StatusConflict:
			lost++
		default:
			t.Errorf("unexpected status %d", s)
		}
	}
	if won != 1 || lost != 49 {
		t.Errorf("got %d bookings and %d conflicts; want 1 and 49", won, lost)
	}
	for _, s := range freeSlots(t, c, w.tokens["beneficiary"], w.P, 100) {
		if s["slotId"] == slot {
			t.Errorf("the booked slot is still listed as free")
		}
	}
	mine := listAppointments(c, w.tokens["practitioner"], ohcsclient.ListAppointmentsParams{Limit: ptr(100)}).json(t)
	n := 0
	for _, it := range mine["items"].([]any) {
		if it.(map[string]any)["slotId"] == slot {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the practitioner's appointments on the slot: got %d; want 1", n)
	}
}

// TestBookingAcceptance: two beneficiaries race, the winner's caregiver
// with bookAppointments cancels, the slot is bookable again; idempotent
// retries; reschedule races; overlap and daily limits.
func TestBookingAcceptance(t *testing.T) {
	c, w := startWorld(t)
	openAllWeek(t, c, w.tokens["practitioner"], w.P, nil)
	slots := freeSlots(t, c, w.tokens["beneficiary"], w.P, 6)
	slot := slots[0]["slotId"].(string)

	var wg sync.WaitGroup
	var r1, r2 response
	wg.Add(2)
	go func() { defer wg.Done(); r1 = book(c, w.tokens["beneficiary"], slot, w.B, nil) }()
	go func() { defer wg.Done(); r2 = book(c, w.tokens["beneficiary-other"], slot, w.B2, nil) }()
	wg.Wait()
	if !(r1.Status == 201 && r2.Status == 409) && !(r1.Status == 409 && r2.Status == 201) {
		t.Fatalf("race: got %d and %d; want one 201 and one 409", r1.Status, r2.Status)
	}
	winner, winnerTok := r1, w.tokens["beneficiary"]
	if r2.Status == 201 {
		winner, winnerTok = r2, w.tokens["beneficiary-other"]
	}
	appt := winner.json(t)
	if appt["status"] != "booked" || appt["practitionerId"] != w.P || appt["slotId"] != slot {
		t.Errorf("appointment: %v", appt)
	}
	id := appt["id"].(string)
	// The practitioner now has a care relationship: it reads the profile.
	if r := getBeneficiary(c, w.tokens["practitioner"], appt["beneficiaryId"].(string)); r.Status != 200 {
		t.Errorf("practitioner with a booking reads the profile: got %d", r.Status)
	}
	if r := getAppt(c, w.tokens["practitioner-other"], id); r.Status != 404 {
		t.Errorf("another practitioner reads the appointment: got %d; want 404", r.Status)
	}

	// The winner's caregiver with bookAppointments cancels.
	ben := appt["beneficiaryId"].(string)
	cgTok := c.token("booking-caregiver", "caregiver")
	cg := createCaregiver(c, cgTok, map[string]any{"fullName": "Helper", "phone": "+258840000001"}).json(t)["id"].(string)
	bl := w.must(grantLink(c, winnerTok, ben, map[string]any{"caregiverId": cg, "permissions": []string{"bookAppointments"}}), 201, "grant")
	acceptLink(t, c, cgTok, ben, bl["id"].(string))
	assertProblem(t, cancelAppt(c, cgTok, id, "", "travel"), http.StatusPreconditionRequired)
	cancelled := w.must(cancelAppt(c, cgTok, id, `"1"`, "travel"), 200, "cancel")
	if cancelled["status"] != "cancelled" || cancelled["cancelReason"] != "travel" {
		t.Errorf("cancelled: %v", cancelled)
	}
	assertProblem(t, cancelAppt(c, cgTok, id, `"2"`, "again"), http.StatusUnprocessableEntity)
	// The slot is bookable again, with an idempotency key.
	key := map[string]string{"Idempotency-Key": "retry-1"}
	again := book(c, w.tokens["beneficiary"], slot, w.B, key)
	if again.Status != 201 {
		t.Fatalf("book the freed slot: %d %s", again.Status, again.Body)
	}
	replay := book(c, w.tokens["beneficiary"], slot, w.B, key)
	if replay.Status != 201 || replay.json(t)["id"] != again.json(t)["id"] {
		t.Errorf("idempotent retry: got %d %v; want the same appointment", replay.Status, replay.json(t)["id"])
	}
	misuse := c.call("POST", "/v1/appointments", w.tokens["beneficiary"], map[string]any{"slotId": slots[1]["slotId"], "beneficiaryId": w.B, "mode": "video"}, key)
	assertProblem(t, misuse, http.StatusUnprocessableEntity)

	// A beneficiary cannot hold two overlapping appointments.
	overlapTok := c.token("overlap-prac", "practitioner")
	op := w.must(createPractitioner(c, overlapTok, "Dr Overlap"), 201, "practitioner")["id"].(string)
	w.must(verifyPractitioner(c, w.tokens["administrator"], op, `"1"`, "verified"), 200, "verify")
	openAllWeek(t, c, overlapTok, op, nil)
	var sameTime string
	for _, s := range freeSlots(t, c, w.tokens["beneficiary"], op, 20) {
		if s["start"] == again.json(t)["start"] {
			sameTime = s["slotId"].(string)
		}
	}
	assertProblem(t, book(c, w.tokens["beneficiary"], sameTime, w.B, nil), http.StatusConflict)

	// Two beneficiaries race to reschedule into one slot.
	a1 := again.json(t)
	a2 := w.must(book(c, w.tokens["beneficiary-other"], slots[2]["slotId"].(string), w.B2, nil), 201, "second appointment")
	target := slots[4]["slotId"].(string)
	var m1, m2 response
	wg.Add(2)
	go func() {
		defer wg.Done()
		m1 = rescheduleAppt(c, w.tokens["beneficiary"], a1["id"].(string), `"1"`, target)
	}()
	go func() {
		defer wg.Done()
		m2 = rescheduleAppt(c, w.tokens["beneficiary-other"], a2["id"].(string), `"1"`, target)
	}()
	wg.Wait()
	if !(m1.Status == 200 && m2.Status == 409) && !(m1.Status == 409 && m2.Status == 200) {
		t.Fatalf("reschedule race: got %d and %d", m1.Status, m2.Status)
	}
	loser, loserSlot := a2, slots[2]["slotId"].(string)
	if m2.Status == 200 {
		loser, loserSlot = a1, slot
	}
	// The loser kept its slot; the winner's old slot is free again.
	if got := getAppt(c, w.tokens["practitioner"], loser["id"].(string)).json(t); got["slotId"] != loserSlot || got["version"] != float64(1) {
		t.Errorf("the losing appointment changed: %v", got)
	}
	free := map[any]bool{}
	for _, s := range freeSlots(t, c, w.tokens["beneficiary"], w.P, 100) {
		free[s["slotId"]] = true
	}
	if free[target] || free[loserSlot] {
		t.Errorf("held slots listed as free")
	}

	// Status: only the practitioner, only after the start.
	assertProblem(t, setStatus(c, w.tokens["practitioner"], loser["id"].(string), `"1"`, "completed"), http.StatusUnprocessableEntity)
}

// TestDailyLimit: maxBookingsPerDay holds.
func TestDailyLimit(t *testing.T) {
	c, w := startWorld(t)
	openAllWeek(t, c, w.tokens["practitioner"], w.P, map[string]any{"maxBookingsPerDay": 1})
	slots := freeSlots(t, c, w.tokens["beneficiary"], w.P, 48)
	first := slots[0]
	w.must(book(c, w.tokens["beneficiary"], first["slotId"].(string), w.B, nil), 201, "first of the day")
	day := first["start"].(string)[:10]
	for _, s := range slots[1:] {
		if s["start"].(string)[:10] == day {
			assertProblem(t, book(c, w.tokens["beneficiary-other"], s["slotId"].(string), w.B2, nil), http.StatusConflict)
			break
		}
	}
}

// TestLisbonThroughTheAPI: a practitioner in Europe/Lisbon publishes Monday
// 09:00 to 12:00 in 30-minute slots over the end of March; every Monday
// slot starts at 09:00 Lisbon time before and after the change.
func TestLisbonThroughTheAPI(t *testing.T) {
	c, w := startWorld(t)
	year := time.Now().Year() + 1
	r := placeSchedule(c, w.tokens["practitioner-other"], w.P2, map[string]any{
		"timeZone": "Europe/Lisbon", "slotMinutes": 30,
		"effectiveFrom": fmt.Sprintf("%d-03-01", year), "effectiveTo": fmt.Sprintf("%d-04-30", year),
		"weeklyRules": []any{map[string]any{"dayOfWeek": "mon", "start": "09:00", "end": "12:00"}},
	})
	if r.Status != http.StatusCreated {
		t.Fatalf("schedule: %d %s", r.Status, r.Body)
	}
	lisbon, _ := time.LoadLocation("Europe/Lisbon")
	from := time.Date(year, 3, 10, 0, 0, 0, 0, time.UTC)
	to := from.Add(30 * 24 * time.Hour)
	body := listSlots(c, w.tokens["beneficiary"], w.P2, from, to, 100).json(t)
	perDay := map[string][]string{}
	utcFirst := map[string]string{}
	for _, it := range body["items"].([]any) {
		start, _ := time.Parse(time.RFC3339, it.(map[string]any)["start"].(string))
		local := start.In(lisbon)
		day := local.Format(time.DateOnly)
		if local.Weekday() != time.Monday {
			t.Errorf("a slot on %s", local.Weekday())
		}
		if len(perDay[day]) == 0 {
			utcFirst[day] = start.Format("15:04")
		}
		perDay[day] = append(perDay[day], local.Format("15:04"))
	}
	mondays := 0
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Monday {
			mondays++
		}
	}
	if len(perDay) != mondays {
		t.Fatalf("Mondays: got %d (%v); want %d", len(perDay), perDay, mondays)
	}
	offsets := map[string]bool{}
	for day, slots := range perDay {
		if len(slots) != 6 || slots[0] != "09:00" || slots[5] != "11:30" {
			t.Errorf("%s: got %v; want 09:00 to 11:30 Lisbon", day, slots)
		}
		offsets[utcFirst[day]] = true
	}
	if !offsets["09:00"] || !offsets["08:00"] {
		t.Errorf("the period should span winter (09:00 UTC) and summer (08:00 UTC): %v", utcFirst)
	}
}

// TestUpcomingCap: a beneficiary holds at most 10 appointments that have
// not ended; the eleventh booking is refused with 422 and writes nothing,
// and cancelling one makes room again.
func TestUpcomingCap(t *testing.T) {
	c, w := startWorld(t)
	ben := w.tokens["beneficiary"]
	ids := []string{w.A}
	for len(ids) < 10 {
		ids = append(ids, w.must(book(c, ben, w.freeSlot(), w.B, nil), 201, "book")["id"].(string))
	}
	slot := w.freeSlot()
	r := book(c, ben, slot, w.B, nil)
	p := assertProblem(t, r, http.StatusUnprocessableEntity)
	if d, _ := p["detail"].(string); !strings.Contains(d, "10 upcoming") {
		t.Errorf("the problem does not say why: %v", p)
	}
	// Another beneficiary may still take that slot: the refusal held nothing.
	w.must(book(c, w.tokens["beneficiary-other"], slot, w.B2, nil), 201, "the slot after the refusal")
	w.must(cancelAppt(c, ben, ids[3], `"1"`, "cannot come"), 200, "cancel")
	w.must(book(c, ben, w.freeSlot(), w.B, nil), 201, "a booking after a cancellation")
	assertProblem(t, book(c, ben, w.freeSlot(), w.B, nil), http.StatusUnprocessableEntity)
}

// TestAppointmentStatus: once an appointment has started its practitioner
// marks it noShow or completed, at the version read; a second change is
// refused; a store failure answers 503 and changes nothing, and the retry
// succeeds. The server's clock is moved past the start (in process only:
// Lambda mode's functions run on the real clock).
func TestAppointmentStatus(t *testing.T) {
	c := start(t, nil)
	if c.server.Lambda != nil {
		t.Skip("Lambda mode: the functions' clocks cannot be moved; make test runs this test in process")
	}
	w := newWorld(t, c)
	prac := w.tokens["practitioner"]
	noShow, done := w.freshAppointment(), w.freshAppointment()
	status := func(id, to, version string) response {
		return setStatus(c, prac, id, version, to)
	}
	assertProblem(t, status(noShow, "noShow", `"1"`), http.StatusUnprocessableEntity) // not started yet
	c.server.Advance(8 * 24 * time.Hour)
	if a := w.must(status(noShow, "noShow", `"1"`), 200, "noShow"); a["status"] != "noShow" || a["version"] != float64(2) {
		t.Errorf("noShow: %v", a)
	}
	assertProblem(t, status(noShow, "completed", `"1"`), http.StatusPreconditionFailed)
	assertProblem(t, status(noShow, "completed", `"2"`), http.StatusUnprocessableEntity)
	c.server.Faults.FailWriting("updateAppointmentStatus", tables.Scheduling.Name, dynamoprobe.Throttled, 1)
	assertUnavailable(t, status(done, "completed", `"1"`))
	if a := w.must(status(done, "completed", `"1"`), 200, "the retry"); a["status"] != "completed" || a["version"] != float64(2) {
		t.Errorf("completed after the retry: %v", a)
	}
}

// TestSlotsSortedWhateverTheRules: a schedule whose afternoon rule comes
// before its morning one, and a second schedule offering the same hours,
// list each slot once and by start, so that paging with any limit walks
// every slot exactly once.
func TestSlotsSortedWhateverTheRules(t *testing.T) {
	c, w := startWorld(t)
	tok := w.tokens["practitioner-other"]
	var rules []any
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		rules = append(rules, map[string]any{"dayOfWeek": d, "start": "14:00", "end": "15:00"}, map[string]any{"dayOfWeek": d, "start": "08:00", "end": "09:00"})
	}
	for range 2 {
		openAllWeek(t, c, tok, w.P2, map[string]any{"weeklyRules": rules})
	}
	all := freeSlots(t, c, tok, w.P2, 100)
	if len(all) == 0 {
		t.Fatal("no slots")
	}
	seen := map[string]bool{}
	for i, sl := range all {
		if seen[sl["slotId"].(string)] {
			t.Errorf("slot %s listed twice", sl["start"])
		}
		seen[sl["slotId"].(string)] = true
		if i > 0 && sl["start"].(string) <= all[i-1]["start"].(string) {
			t.Errorf("slot %d starts %s after %s: not sorted", i, sl["start"], all[i-1]["start"])
		}
	}
	from := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Minute).Format(time.RFC3339)
	to := time.Now().UTC().Add(72 * time.Hour).Format(time.RFC3339)
	for _, limit := range []int{1, 3, 7} {
		var walked []string
		cursor := ""
		for pages := 0; pages < 200; pages++ {
			path := fmt.Sprintf("/v1/practitioners/%s/slots?from=%s&to=%s&limit=%d", w.P2, url.QueryEscape(from), url.QueryEscape(to), limit)
			if cursor != "" {
				path += "&cursor=" + url.QueryEscape(cursor)
			}
			page := w.must(c.call("GET", path, tok, nil, nil), 200, "page")
			for _, it := range page["items"].([]any) {
				walked = append(walked, it.(map[string]any)["slotId"].(string))
			}
			next, _ := page["nextCursor"].(string)
			if next == "" {
				break
			}
			cursor = next
		}
		if len(walked) != len(all) {
			t.Errorf("limit %d walked %d slots; want %d", limit, len(walked), len(all))
		}
	}
}

// TestNoCancelAfterStart: once an appointment has started, neither side
// cancels or moves it; its practitioner marks it completed or noShow.
func TestNoCancelAfterStart(t *testing.T) {
	c, w := startWorld(t)
	appt := w.must(getAppt(c, w.tokens["beneficiary"], w.A), 200, "appointment")
	at, _ := time.Parse(time.RFC3339, appt["start"].(string))
	c.server.Advance(time.Until(at.Add(time.Minute)))
	assertProblem(t, cancelAppt(c, w.tokens["beneficiary"], w.A, `"1"`, "late"), http.StatusUnprocessableEntity)
	assertProblem(t, cancelAppt(c, w.tokens["practitioner"], w.A, `"1"`, "late"), http.StatusUnprocessableEntity)
	assertProblem(t, rescheduleAppt(c, w.tokens["beneficiary"], w.A, `"1"`, w.freeSlot()), http.StatusUnprocessableEntity)
	w.must(setStatus(c, w.tokens["practitioner"], w.A, `"1"`, "noShow"), 200, "no-show")
}

// TestLosingBookingAfterLastCancellation: once a beneficiary's last
// appointment is cancelled, a booking of theirs that loses its slot (409)
// leaves the scheduling table readable: slots list and bookings go on (on
// the embedded store an empty stored map broke every later request).
func TestLosingBookingAfterLastCancellation(t *testing.T) {
	c, w := startWorld(t)
	ben := w.tokens["beneficiary-other"]
	slots := freeSlots(t, c, ben, w.P, 10)
	id := w.must(book(c, ben, slots[0]["slotId"].(string), w.B2, nil), 201, "book")["id"].(string)
	w.must(cancelAppt(c, ben, id, `"1"`, "x"), 200, "cancel")
	// B takes a slot; B2 tries the same one and loses.
	w.must(book(c, w.tokens["beneficiary"], slots[1]["slotId"].(string), w.B, nil), 201, "B books")
	assertProblem(t, book(c, ben, slots[1]["slotId"].(string), w.B2, nil), http.StatusConflict)
	if len(freeSlots(t, c, ben, w.P, 10)) == 0 {
		t.Error("no slots listed after the lost booking")
	}
	w.must(book(c, ben, slots[2]["slotId"].(string), w.B2, nil), 201, "B2 books another")
}

// TestScheduleReplacedWhileBooking: twenty rounds of a practitioner
// replacing a day's hours (09:00 to 10:00 in 60-minute slots, then 09:30 to
// 10:30) while one patient books the old slot and another, as soon as the
// new hours are out, the new one: whatever the interleaving, the
// practitioner never holds two overlapping appointments.
func TestScheduleReplacedWhileBooking(t *testing.T) {
	c, w := startWorld(t)
	prac := w.tokens["practitioner-other"]
	maputo, _ := time.LoadLocation("Africa/Maputo")
	place := func(date, from, to string) {
		d, _ := time.Parse(time.DateOnly, date)
		w.must(placeSchedule(c, prac, w.P2, map[string]any{"timeZone": "Africa/Maputo", "slotMinutes": 60,
			"effectiveFrom": date, "effectiveTo": date,
			"weeklyRules": []any{map[string]any{"dayOfWeek": strings.ToLower(d.Weekday().String()[:3]), "start": from, "end": to}}}), 201, "schedule")
	}
	slotAt := func(tok string, day time.Time) string {
		from, to := day.Format(time.RFC3339), day.Add(24*time.Hour).Format(time.RFC3339)
		r := c.call("GET", fmt.Sprintf("/v1/practitioners/%s/slots?from=%s&to=%s", w.P2, url.QueryEscape(from), url.QueryEscape(to)), tok, nil, nil)
		items, _ := r.json(t)["items"].([]any)
		if r.Status != http.StatusOK || len(items) == 0 {
			return ""
		}
		return items[0].(map[string]any)["slotId"].(string)
	}
	patient := func(name string) (string, string) {
		tok := c.token(name, "beneficiary")
		return tok, w.must(createBeneficiary(c, tok, name), 201, "beneficiary")["id"].(string)
	}
	for round := range 20 {
		now := time.Now().In(maputo) // the server's clock is not moved here
		d := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, maputo).AddDate(0, 0, 2+round)
		date := d.Format(time.DateOnly)
		place(date, "09:00", "10:00")
		tokA, benA := patient(fmt.Sprintf("early-%d", round))
		tokB, benB := patient(fmt.Sprintf("late-%d", round))
		old := slotAt(tokA, d)
		if old == "" {
			t.Fatalf("round %d: no slot on %s", round, date)
		}
		var statuses [2]int
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			statuses[0] = book(c, tokA, old, benA, nil).Status
		}()
		go func() {
			defer wg.Done()
			place(date, "09:30", "10:30")
			if slot := slotAt(tokB, d); slot != "" {
				statuses[1] = book(c, tokB, slot, benB, nil).Status
			}
		}()
		wg.Wait()
		for _, s := range statuses {
			if s != 0 && s != http.StatusCreated && s != http.StatusConflict {
				t.Fatalf("round %d: booking answered %d", round, s)
			}
		}
		from, to := d.UTC().Format(time.RFC3339), d.Add(24*time.Hour).UTC().Format(time.RFC3339)
		list := w.must(c.call("GET", fmt.Sprintf("/v1/appointments?status=booked&from=%s&to=%s&limit=100", url.QueryEscape(from), url.QueryEscape(to)), prac, nil, nil), 200, "appointments")
		type span struct{ start, end string }
		var spans []span
		for _, it := range list["items"].([]any) {
			a := it.(map[string]any)
			spans = append(spans, span{a["start"].(string), a["end"].(string)})
		}
		for i := range spans {
			for j := range i {
				if spans[i].start < spans[j].end && spans[j].start < spans[i].end {
					t.Fatalf("round %d: two overlapping appointments %v and %v", round, spans[j], spans[i])
				}
			}
		}
	}
}

// TestSlotsAtTheChangesThroughTheAPI: an evening clinic in Cairo on the
// night the clocks go back at midnight, and a night clinic in New York on
// the night they go forward: every listed slot lasts exactly its length in
// real time, none overlaps another, and each can be booked.
func TestSlotsAtTheChangesThroughTheAPI(t *testing.T) {
	c, w := startWorld(t)
	prac, ben := w.tokens["practitioner-other"], w.tokens["beneficiary"]
	for _, tc := range []struct {
		zone, date, day, from, to string
		slot, want                int
	}{
		{"Africa/Cairo", "2027-10-28", "thu", "21:00", "24:00", 60, 4},
		{"America/New_York", "2027-03-14", "sun", "01:00", "04:00", 30, 4},
	} {
		w.must(placeSchedule(c, prac, w.P2, map[string]any{"timeZone": tc.zone, "slotMinutes": tc.slot,
			"effectiveFrom": tc.date, "effectiveTo": tc.date,
			"weeklyRules": []any{map[string]any{"dayOfWeek": tc.day, "start": tc.from, "end": tc.to}}}), 201, "schedule")
		d, _ := time.Parse(time.DateOnly, tc.date)
		from, to := d.Add(-12*time.Hour).Format(time.RFC3339), d.Add(36*time.Hour).Format(time.RFC3339)
		page := w.must(c.call("GET", fmt.Sprintf("/v1/practitioners/%s/slots?from=%s&to=%s", w.P2, url.QueryEscape(from), url.QueryEscape(to)), ben, nil, nil), 200, "slots")
		items := page["items"].([]any)
		if len(items) != tc.want {
			t.Fatalf("%s: %d slots; want %d: %v", tc.zone, len(items), tc.want, items)
		}
		var prevEnd time.Time
		for _, it := range items {
			sl := it.(map[string]any)
			start, _ := time.Parse(time.RFC3339, sl["start"].(string))
			end, _ := time.Parse(time.RFC3339, sl["end"].(string))
			if end.Sub(start) != time.Duration(tc.slot)*time.Minute {
				t.Errorf("%s: slot %s to %s lasts %s", tc.zone, start, end, end.Sub(start))
			}
			if start.Before(prevEnd) {
				t.Errorf("%s: slot at %s overlaps the one before", tc.zone, start)
			}
			prevEnd = end
			w.must(book(c, ben, sl["slotId"].(string), w.B, nil), 201, tc.zone+" slot at "+sl["start"].(string))
		}
	}
}
