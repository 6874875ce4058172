package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestClinicalCare: a consultation completes its appointment and fills the
// record; plans follow their status machine; NEWS2 uses recorded vitals
// for those not sent; every read is limited by the care relationship.
func TestClinicalCare(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	prac := w.tokens["practitioner"]
	consult := w.must(c.call("POST", "/v1/consultations", prac, map[string]any{
		"appointmentId": w.A, "summary": "Wheeze, no distress.",
		"diagnoses":     []any{map[string]any{"system": "icd10", "code": "J45.909", "display": "Asthma, unspecified"}},
		"observations":  []any{map[string]any{"system": "loinc", "code": "8867-4", "display": "Heart rate", "value": 88, "unit": "/min"}, map[string]any{"code": "9279-1", "value": 18, "unit": "/min"}, map[string]any{"code": "59408-5", "value": 96, "unit": "%"}, map[string]any{"code": "8480-6", "value": 122, "unit": "mm[Hg]"}, map[string]any{"code": "8310-5", "value": 37.2, "unit": "Cel"}},
		"prescriptions": []any{map[string]any{"medication": "Salbutamol inhaler", "dose": "2 puffs", "frequency": "as needed"}},
	}, nil), 201, "consultation")
	if appt := w.must(c.call("GET", "/v1/appointments/"+w.A, prac, nil, nil), 200, "appointment"); appt["status"] != "completed" {
		t.Errorf("the appointment: %v; want completed", appt["status"])
	}
	assertField(t, c.call("POST", "/v1/consultations", prac, map[string]any{"appointmentId": w.A, "summary": "x",
		"diagnoses": []any{map[string]any{"system": "icd10", "code": "asthma"}}}, nil), "diagnoses.0.code")
	entries := w.must(c.call("GET", "/v1/health-record-entries?beneficiaryId="+w.B, w.tokens["beneficiary"], nil, nil), 200, "record")
	if n := len(entries["items"].([]any)); n != 6 {
		t.Errorf("health record entries: %d; want 1 condition and 5 observations", n)
	}
	w.must(c.call("GET", "/v1/consultations/"+consult["id"].(string), w.tokens["caregiver"], nil, nil), 200, "caregiver with viewRecords")
	for _, who := range []string{"caregiver-book", "practitioner-other", "beneficiary-other"} {
		assertProblem(t, c.call("GET", "/v1/consultations/"+consult["id"].(string), w.tokens[who], nil, nil), http.StatusNotFound)
	}
	self := w.must(c.call("POST", "/v1/health-record-entries", w.tokens["beneficiary"], map[string]any{"beneficiaryId": w.B, "kind": "allergy",
		"code": map[string]any{"system": "snomed", "code": "91936005", "display": "Penicillin allergy"}, "recordedAt": "2026-01-05T10:00:00Z"}, nil), 201, "self entry")
	if self["source"] != "self" {
		t.Errorf("source: %v", self["source"])
	}

	// NEWS2 with the recorded vitals and the two sent.
	risk := w.must(c.call("POST", "/v1/risk-assessments", prac, map[string]any{"beneficiaryId": w.B,
		"vitals": map[string]any{"consciousness": "alert", "supplementalOxygen": false}}, nil), 201, "risk")
	if risk["total"] != float64(0) || risk["risk"] != "low" {
		t.Errorf("risk from recorded vitals: %v", risk)
	}
	high := w.must(c.call("POST", "/v1/risk-assessments", prac, map[string]any{"beneficiaryId": w.B,
		"vitals": map[string]any{"consciousness": "voice", "supplementalOxygen": true, "respiratoryRate": 26}}, nil), 201, "risk")
	if high["total"] != float64(8) || high["risk"] != "high" {
		t.Errorf("high risk: %v", high)
	}
	missing := c.call("POST", "/v1/risk-assessments", prac, map[string]any{"beneficiaryId": w.B2, "vitals": map[string]any{"pulse": 80}}, nil)
	assertProblem(t, missing, http.StatusNotFound) // no care relationship with B2
	w.must(book(c, w.tokens["beneficiary-other"], w.freeSlot(), w.B2, nil), 201, "B2 books")
	missing = c.call("POST", "/v1/risk-assessments", prac, map[string]any{"beneficiaryId": w.B2, "vitals": map[string]any{"pulse": 80}}, nil)
	p := assertProblem(t, missing, http.StatusUnprocessableEntity)
	if errs := p["errors"].([]any); len(errs) != 6 {
		t.Errorf("missing vitals named: %v", errs)
	}

	// Treatment plans: draft → active → completed, never back.
	plan := w.must(c.call("POST", "/v1/treatment-plans", prac, map[string]any{"beneficiaryId": w.B, "title": "Asthma control",
		"goals": []any{map[string]any{"description": "No night symptoms"}}, "activities": []any{map[string]any{"kind": "education", "description": "Inhaler technique", "articleId": "01DEMOARTICLE"}},
		"period": map[string]any{"start": "2026-12-01"}}, nil), 201, "plan")
	id := plan["id"].(string)
	w.must(c.call("PATCH", "/v1/treatment-plans/"+id, prac, map[string]any{"status": "active"}, map[string]string{"If-Match": `"1"`}), 200, "activate")
	w.must(c.call("PATCH", "/v1/treatment-plans/"+id, prac, map[string]any{"status": "completed"}, map[string]string{"If-Match": `"2"`}), 200, "complete")
	assertProblem(t, c.call("PATCH", "/v1/treatment-plans/"+id, prac, map[string]any{"status": "active"}, map[string]string{"If-Match": `"3"`}), http.StatusUnprocessableEntity)
	assertProblem(t, c.call("PATCH", "/v1/treatment-plans/"+id, prac, map[string]any{"title": "x"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	assertProblem(t, c.call("POST", "/v1/treatment-plans", w.tokens["practitioner-other"], map[string]any{"beneficiaryId": w.B, "title": "x",
		"period": map[string]any{"start": "2026-12-01"}}, nil), http.StatusNotFound)
	plans := w.must(c.call("GET", "/v1/treatment-plans?beneficiaryId="+w.B+"&status=completed", w.tokens["caregiver"], nil, nil), 200, "plans")
	if n := len(plans["items"].([]any)); n != 1 {
		t.Errorf("completed plans: %d", n)
	}
}

// TestHealthReport: a report holds the period's vitals with their series
// and renders as a printable page with a chart.
func TestHealthReport(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	prac := w.tokens["practitioner"]
	for i, v := range []float64{92, 88, 79} {
		w.must(c.call("POST", "/v1/health-record-entries", prac, map[string]any{"beneficiaryId": w.B, "kind": "observation",
			"code": map[string]any{"system": "loinc", "code": "8867-4", "display": "Heart rate"}, "value": v, "unit": "/min",
			"recordedAt": []string{"2026-10-01T08:00:00Z", "2026-10-15T08:00:00Z", "2026-11-01T08:00:00Z"}[i]}, nil), 201, "observation")
	}
	rep := w.must(c.call("POST", "/v1/health-reports", prac, map[string]any{"beneficiaryId": w.B, "periodStart": "2026-10-01", "periodEnd": "2026-11-30"}, nil), 201, "report")
	vitals := rep["sections"].(map[string]any)["vitals"].([]any)
	if len(vitals) != 1 {
		t.Fatalf("vitals: %v", vitals)
	}
	hr := vitals[0].(map[string]any)
	if hr["latest"] != float64(79) || hr["min"] != float64(79) || hr["max"] != float64(92) || len(hr["points"].([]any)) != 3 {
		t.Errorf("heart rate series: %v", hr)
	}
	if n := len(rep["sections"].(map[string]any)["upcomingAppointments"].([]any)); n != 1 {
		t.Errorf("upcoming appointments: %d; want 1", n)
	}
	html := c.call("GET", "/v1/health-reports/"+rep["id"].(string), w.tokens["beneficiary"], nil, map[string]string{"Accept": "text/html"})
	if html.Status != 200 || !strings.HasPrefix(html.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(string(html.Body), "<svg") || !strings.Contains(string(html.Body), "<polyline") {
		t.Errorf("HTML report: %d %s", html.Status, html.Header.Get("Content-Type"))
	}
	assertProblem(t, c.call("GET", "/v1/health-reports/"+rep["id"].(string), w.tokens["beneficiary-other"], nil, nil), http.StatusNotFound)
	list := w.must(c.call("GET", "/v1/health-reports?beneficiaryId="+w.B, w.tokens["caregiver"], nil, nil), 200, "list")
	if n := len(list["items"].([]any)); n != 1 {
		t.Errorf("reports: %d", n)
	}
}
