package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"ohcs/openapi"
)

// missingID is an id no record has.
const missingID = "01ZZZZZZZZZZZZZZZZZZZZZZZZ"

// scene is one beneficiary's record, the practitioner P caring for it
// through one booked appointment, and a caregiver X linked to it.
type scene struct {
	c *client
	w *world
	// A is the appointment of B with P that begins the care relationship;
	// start is its start.
	A     string
	start time.Time
	// Records of B: a consultation (by P2, on its own appointment), an
	// entry, a plan and a report by P.
	consultation, entry, plan, report string
	// X is the caregiver (token xTok) and XL its link to B.
	xTok, XL string
}

// lifeRow is one operation on B's health data: the request by the
// practitioner or the caregiver, and the same request on a missing record
// (missing is the id it names in place of the real one).
type lifeRow struct {
	practitioner, caregiver bool
	// ok is the status while access holds.
	ok    int
	build func(s *scene, id string) request
	// real is the id the request names (a record's, or B's).
	real func(s *scene) string
}

func lifeGet(path string, real func(s *scene) string) lifeRow {
	return lifeRow{practitioner: true, caregiver: true, ok: 200, real: real,
		build: func(s *scene, id string) request {
			return request{method: "GET", path: strings.ReplaceAll(path, "{id}", id)}
		}}
}

func ofB(s *scene) string { return s.w.B }

// lifecycle lists every operation on a beneficiary's health data
// (x-ohcs-health-data in the document); one missing fails the test.
var lifecycle = map[string]lifeRow{
	"getBeneficiary":          lifeGet("/v1/beneficiaries/{id}", ofB),
	"listConsultations":       lifeGet("/v1/consultations?beneficiaryId={id}", ofB),
	"getConsultation":         lifeGet("/v1/consultations/{id}", func(s *scene) string { return s.consultation }),
	"listHealthRecordEntries": lifeGet("/v1/health-record-entries?beneficiaryId={id}", ofB),
	"getHealthRecordEntry":    lifeGet("/v1/health-record-entries/{id}", func(s *scene) string { return s.entry }),
	"listTreatmentPlans":      lifeGet("/v1/treatment-plans?beneficiaryId={id}", ofB),
	"getTreatmentPlan":        lifeGet("/v1/treatment-plans/{id}", func(s *scene) string { return s.plan }),
	"listHealthReports":       lifeGet("/v1/health-reports?beneficiaryId={id}", ofB),
	"getHealthReport":         lifeGet("/v1/health-reports/{id}", func(s *scene) string { return s.report }),
	"exportHealthRecordFhir":  lifeGet("/v1/beneficiaries/{id}/fhir", ofB),
	"listMyAccessLog": {caregiver: true, ok: 200, real: ofB, build: func(s *scene, id string) request {
		return request{method: "GET", path: "/v1/beneficiaries/" + id + "/access-log"}
	}},
	"updateBeneficiaryProfile": {caregiver: true, ok: 200, real: ofB, build: func(s *scene, id string) request {
		return request{"PATCH", "/v1/beneficiaries/" + id, map[string]any{"phone": "+258841234567"}, map[string]string{"If-Match": s.version("/v1/beneficiaries/" + s.w.B)}}
	}},
	"sendNotification": {practitioner: true, ok: 202, real: ofB, build: func(s *scene, id string) request {
		return request{"POST", "/v1/notifications", map[string]any{"recipients": map[string]any{"beneficiaryIds": []string{id}},
			"subject": "Results", "message": "Your results are in.", "channels": []string{"inApp"}}, map[string]string{"Idempotency-Key": fmt.Sprint(time.Now().UnixNano())}}
	}},
	"recordConsultation": {practitioner: true, ok: 201, real: func(s *scene) string { return s.A }, build: func(s *scene, id string) request {
		return request{"POST", "/v1/consultations", map[string]any{"appointmentId": id, "summary": "Seen."}, nil}
	}},
	"addHealthRecordEntry": {practitioner: true, ok: 201, real: ofB, build: func(s *scene, id string) request {
		return request{"POST", "/v1/health-record-entries", map[string]any{"beneficiaryId": id, "kind": "note", "note": "Seen.", "recordedAt": "2026-11-30T10:00:00Z"}, nil}
	}},
	"createTreatmentPlan": {practitioner: true, ok: 201, real: ofB, build: func(s *scene, id string) request {
		return request{"POST", "/v1/treatment-plans", map[string]any{"beneficiaryId": id, "title": "Rest", "period": map[string]any{"start": "2026-12-01"}}, nil}
	}},
	"updateTreatmentPlan": {practitioner: true, ok: 200, real: func(s *scene) string { return s.plan }, build: func(s *scene, id string) request {
		return request{"PATCH", "/v1/treatment-plans/" + id, map[string]any{"title": "Rest more"}, map[string]string{"If-Match": s.version("/v1/treatment-plans/" + s.plan)}}
	}},
	"assessClinicalRisk": {practitioner: true, ok: 201, real: ofB, build: func(s *scene, id string) request {
		return request{"POST", "/v1/risk-assessments", map[string]any{"beneficiaryId": id, "vitals": map[string]any{"respiratoryRate": 18,
			"spo2": 97, "supplementalOxygen": false, "systolicBloodPressure": 120, "pulse": 80, "consciousness": "alert", "temperature": 37}}, nil}
	}},
	"produceHealthReport": {practitioner: true, ok: 201, real: ofB, build: func(s *scene, id string) request {
		return request{"POST", "/v1/health-reports", map[string]any{"beneficiaryId": id, "periodStart": "2026-01-01", "periodEnd": "2026-12-31"}, nil}
	}},
}

// version reads a resource's ETag as the beneficiary.
func (s *scene) version(path string) string {
	return s.c.call("GET", path, s.w.tokens["beneficiary"], nil, nil).Header.Get("ETag")
}

// ending is one way access ends, for the practitioner or the caregiver.
type ending struct {
	name  string
	actor string // practitioner or caregiver
	// link is the caregiver's link: its permissions, whether X accepts it,
	// and its expiry.
	perms   []string
	decline bool
	pending bool
	expires time.Duration
	end     func(t *testing.T, s *scene)
}

var fullLink = []string{"viewRecords", "bookAppointments", "manageProfile", "receiveNotifications"}

var endings = []ending{
	{name: "revoked by the beneficiary", actor: "practitioner", end: func(t *testing.T, s *scene) {
		s.w.must(revokePractitioner(s.c, s.w.tokens["beneficiary"], s.w.B, s.w.P), 201, "revoke")
	}},
	{name: "verification rejected", actor: "practitioner", end: func(t *testing.T, s *scene) { s.decide("rejected") }},
	{name: "suspended", actor: "practitioner", end: func(t *testing.T, s *scene) { s.decide("suspended") }},
	{name: "booked appointment 8 days past its start", actor: "practitioner", end: func(t *testing.T, s *scene) {
		s.c.server.Advance(time.Until(s.start.Add(8*24*time.Hour + time.Hour)))
	}},
	{name: "completed appointment 366 days past its start", actor: "practitioner", end: func(t *testing.T, s *scene) {
		s.w.must(recordConsultation(s.c, s.w.tokens["practitioner"], map[string]any{"appointmentId": s.A, "summary": "Seen."}), 201, "consultation")
		s.c.server.Advance(time.Until(s.start.Add(366*24*time.Hour + time.Hour)))
	}},
	{name: "cancelled", actor: "practitioner", end: func(t *testing.T, s *scene) {
		s.w.must(cancelAppt(s.c, s.w.tokens["beneficiary"], s.A, s.version("/v1/appointments/"+s.A), "better"), 200, "cancel")
	}},
	{name: "no-show", actor: "practitioner", end: func(t *testing.T, s *scene) {
		s.c.server.Advance(time.Until(s.start.Add(time.Hour)))
		s.w.must(setStatus(s.c, s.w.tokens["practitioner"], s.A, s.version("/v1/appointments/"+s.A), "noShow"), 200, "no-show")
	}},
	{name: "caregiver link revoked", actor: "caregiver", perms: fullLink, end: func(t *testing.T, s *scene) {
		s.w.must(revokeLink(s.c, s.w.tokens["beneficiary"], s.w.B, s.XL), 200, "revoke link")
	}},
	{name: "caregiver link expired", actor: "caregiver", perms: fullLink, expires: time.Hour, end: func(t *testing.T, s *scene) {
		s.c.server.Advance(2 * time.Hour)
	}},
	{name: "caregiver link pending", actor: "caregiver", perms: fullLink, pending: true},
	{name: "caregiver link declined", actor: "caregiver", perms: fullLink, decline: true},
	{name: "caregiver link lacking the permission", actor: "caregiver", perms: []string{"receiveNotifications"}},
}

// decide records an administrator's verification decision on P.
func (s *scene) decide(decision string) {
	admin := s.w.tokens["administrator"]
	v := getPractitioner(s.c, admin, s.w.P).Header.Get("ETag")
	s.w.must(verifyPractitioner(s.c, admin, s.w.P, v, decision), 200, decision)
}

// newScene builds B's record while P's access holds, and X's link as the
// ending wants it.
func newScene(t *testing.T, e ending) *scene {
	c, w := startWorld(t)
	s := &scene{c: c, w: w, A: w.A}
	appt := w.must(getAppt(c, w.tokens["beneficiary"], w.A), 200, "appointment")
	s.start, _ = time.Parse(time.RFC3339, appt["start"].(string))
	prac, ben := w.tokens["practitioner"], w.tokens["beneficiary"]
	// The consultation is P2's, on its own appointment with B: P's care
	// relationship rests on A alone.
	openAllWeek(t, c, w.tokens["practitioner-other"], w.P2, nil)
	var slot string
	for _, sl := range freeSlots(t, c, ben, w.P2, 100) {
		at, _ := time.Parse(time.RFC3339, sl["start"].(string))
		if at.After(s.start.Add(2*time.Hour)) && at.Before(time.Now().Add(20*time.Hour)) && slot == "" {
			slot = sl["slotId"].(string) // apart from A, and soon enough to consult
		}
	}
	if slot == "" {
		t.Fatal("no slot of P2 apart from A within 20 hours")
	}
	a2 := w.must(book(c, ben, slot, w.B, nil), 201, "book P2")["id"].(string)
	s.consultation = w.must(recordConsultation(c, w.tokens["practitioner-other"], map[string]any{"appointmentId": a2, "summary": "Cough."}), 201, "consultation")["id"].(string)
	s.entry = w.must(lifeReq(c, prac, lifecycle["addHealthRecordEntry"].build(s, w.B)), 201, "entry")["id"].(string)
	s.plan = w.must(lifeReq(c, prac, lifecycle["createTreatmentPlan"].build(s, w.B)), 201, "plan")["id"].(string)
	s.report = w.must(lifeReq(c, prac, lifecycle["produceHealthReport"].build(s, w.B)), 201, "report")["id"].(string)
	if e.actor == "caregiver" {
		sub := fmt.Sprintf("lifecycle-caregiver-%d", worlds.Add(1))
		s.xTok = c.token(sub, "caregiver")
		x := w.must(createCaregiver(c, s.xTok, map[string]any{"fullName": "X", "phone": "+258840000009"}), 201, "caregiver")["id"].(string)
		grant := map[string]any{"caregiverId": x, "permissions": e.perms}
		if e.expires > 0 {
			grant["expiresAt"] = time.Now().Add(e.expires).UTC().Format(time.RFC3339)
		}
		s.XL = w.must(grantLink(c, ben, w.B, grant), 201, "link")["id"].(string)
		switch {
		case e.decline:
			w.must(respondLink(c, s.xTok, w.B, s.XL, "decline"), 200, "decline")
		case !e.pending:
			acceptLink(t, c, s.xTok, w.B, s.XL)
		}
	}
	return s
}

func lifeReq(c *client, tok string, r request) response {
	return c.call(r.method, r.path, tok, r.body, r.header)
}

// stripRequestID removes the request id, the one part of two answers that
// may differ.
func stripRequestID(t *testing.T, body []byte) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("not a problem: %s", body)
	}
	delete(m, "requestId")
	out, _ := json.Marshal(m)
	return string(out)
}

// fingerprint is what a refused request must not change: B's record, as
// B reads it.
func (s *scene) fingerprint() string {
	ben := s.w.tokens["beneficiary"]
	var b bytes.Buffer
	for _, path := range []string{"/v1/consultations?beneficiaryId=", "/v1/health-record-entries?beneficiaryId=", "/v1/treatment-plans?beneficiaryId=",
		"/v1/health-reports?beneficiaryId=", "/v1/beneficiaries/"} {
		r := s.c.call("GET", path+s.w.B, ben, nil, nil)
		b.WriteString(r.Header.Get("ETag"))
		b.Write(r.Body)
	}
	return b.String()
}

// lastAccess returns the newest event of B's access log.
func (s *scene) lastAccess(t *testing.T) map[string]any {
	log := s.w.must(accessLog(s.c, s.w.tokens["beneficiary"], s.w.B, 2), 200, "access log")
	items := log["items"].([]any)
	// The newest is this very read of the log; the one before is the
	// request under test.
	if len(items) < 2 {
		t.Fatalf("access log: %v", items)
	}
	return items[1].(map[string]any)
}

// TestAccessLifecycle: for every operation on a beneficiary's health data
// and every way access ends (revocation, a withdrawn verification, an
// appointment that aged out, was cancelled or not attended; a caregiver
// link revoked, expired, pending, declined or without the permission), the
// request answers exactly what a missing record answers (request id
// aside), changes nothing and is audited as denied; while access holds,
// the same request succeeds.
func TestAccessLifecycle(t *testing.T) {
	doc := document(t)
	var ops []string
	for _, op := range openapi.Operations(doc) {
		if !op.HealthData {
			continue
		}
		if _, ok := lifecycle[op.ID]; !ok {
			t.Errorf("%s touches health data and has no row in the lifecycle matrix", op.ID)
			continue
		}
		ops = append(ops, op.ID)
	}
	for _, e := range endings {
		t.Run(e.name, func(t *testing.T) {
			s := newScene(t, e)
			tok := s.w.tokens["practitioner"]
			if e.actor == "caregiver" {
				tok = s.xTok
			}
			applies := func(r lifeRow) bool {
				return (e.actor == "practitioner" && r.practitioner) || (e.actor == "caregiver" && r.caregiver)
			}
			// While access holds (the caregiver endings that never grant
			// anything are checked by the others), every request succeeds;
			// recordConsultation last, as it completes A.
			if e.end != nil && e.name != "completed appointment 366 days past its start" {
				for _, op := range append(without(ops, "recordConsultation"), "recordConsultation") {
					r := lifecycle[op]
					if !applies(r) || (op == "recordConsultation" && e.name != "revoked by the beneficiary") {
						continue
					}
					if got := lifeReq(s.c, tok, r.build(s, r.real(s))); got.Status != r.ok {
						t.Errorf("%s while access holds: %d %s; want %d", op, got.Status, got.Body, r.ok)
					}
				}
			}
			if e.end != nil {
				e.end(t, s)
			}
			checked := 0
			defer func() {
				if checked < 10 {
					t.Errorf("only %d operations checked after %s", checked, e.name)
				}
			}()
			for _, op := range ops {
				r := lifecycle[op]
				if !applies(r) {
					continue
				}
				checked++
				before := s.fingerprint()
				real := r.real(s)
				got := lifeReq(s.c, tok, r.build(s, real))
				if got.Status != http.StatusNotFound {
					t.Errorf("%s after access ended: %d %s; want 404", op, got.Status, got.Body)
					continue
				}
				event := s.lastAccess(t)
				if event["action"] != op || event["outcome"] != "denied" {
					t.Errorf("%s: the newest access event is %v; want %s denied", op, event, op)
				}
				if after := s.fingerprint(); after != before {
					t.Errorf("%s: a refused request changed the record", op)
				}
				absent := lifeReq(s.c, tok, r.build(s, missingID))
				want := strings.ReplaceAll(stripRequestID(t, absent.Body), missingID, real)
				if absent.Status != http.StatusNotFound || stripRequestID(t, got.Body) != want {
					t.Errorf("%s: the refusal %s differs from the absence %s", op, got.Body, want)
				}
			}
		})
	}
}

func without(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}
