package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestClinicalCare: a consultation completes its appointment and fills the
// record; plans follow their status machine; NEWS2 uses recorded vitals
// for those not sent; every read is limited by the care relationship.
func TestClinicalCare(t *testing.T) {
	c, w := startWorld(t)
	prac := w.tokens["practitioner"]
	consult := w.must(recordConsultation(c, prac, map[string]any{
		"appointmentId": w.A, "summary": "Wheeze, no distress.",
		"diagnoses":     []any{map[string]any{"system": "icd10", "code": "J45.909", "display": "Asthma, unspecified"}},
		"observations":  []any{map[string]any{"system": "loinc", "code": "8867-4", "display": "Heart rate", "value": 88, "unit": "/min"}, map[string]any{"code": "9279-1", "value": 18, "unit": "/min"}, map[string]any{"code": "59408-5", "value": 96, "unit": "%"}, map[string]any{"code": "8480-6", "value": 122, "unit": "mm[Hg]"}, map[string]any{"code": "8310-5", "value": 37.2, "unit": "Cel"}},
		"prescriptions": []any{map[string]any{"medication": "Salbutamol inhaler", "dose": "2 puffs", "frequency": "as needed"}},
	}), 201, "consultation")
	if appt := w.must(getAppt(c, prac, w.A), 200, "appointment"); appt["status"] != "completed" {
		t.Errorf("the appointment: %v; want completed", appt["status"])
	}
	assertField(t, recordConsultation(c, prac, map[string]any{"appointmentId": w.A, "summary": "x",
		"diagnoses": []any{map[string]any{"system": "icd10", "code": "asthma"}}}), "diagnoses[0].code")
	entries := w.must(listEntries(c, w.tokens["beneficiary"], w.B), 200, "record")
	if n := len(entries["items"].([]any)); n != 6 {
		t.Errorf("health record entries: %d; want 1 condition and 5 observations", n)
	}
	w.must(getConsultation(c, w.tokens["caregiver"], consult["id"].(string)), 200, "caregiver with viewRecords")
	for _, who := range []string{"caregiver-book", "practitioner-other", "beneficiary-other"} {
		assertProblem(t, getConsultation(c, w.tokens[who], consult["id"].(string)), http.StatusNotFound)
	}
	self := w.must(addEntry(c, w.tokens["beneficiary"], map[string]any{"beneficiaryId": w.B, "kind": "allergy",
		"code": map[string]any{"system": "snomed", "code": "91936005", "display": "Penicillin allergy"}, "recordedAt": "2026-01-05T10:00:00Z"}), 201, "self entry")
	if self["source"] != "self" {
		t.Errorf("source: %v", self["source"])
	}

	// NEWS2 with the recorded vitals and the two sent.
	risk := w.must(assessRisk(c, prac, map[string]any{"beneficiaryId": w.B,
		"vitals": map[string]any{"consciousness": "alert", "supplementalOxygen": false}}), 201, "risk")
	if risk["total"] != float64(0) || risk["risk"] != "low" {
		t.Errorf("risk from recorded vitals: %v", risk)
	}
	high := w.must(assessRisk(c, prac, map[string]any{"beneficiaryId": w.B,
		"vitals": map[string]any{"consciousness": "voice", "supplementalOxygen": true, "respiratoryRate": 26}}), 201, "risk")
	if high["total"] != float64(8) || high["risk"] != "high" {
		t.Errorf("high risk: %v", high)
	}
	missing := assessRisk(c, prac, map[string]any{"beneficiaryId": w.B2, "vitals": map[string]any{"pulse": 80}})
	assertProblem(t, missing, http.StatusNotFound) // no care relationship with B2
	w.must(book(c, w.tokens["beneficiary-other"], w.freeSlot(), w.B2, nil), 201, "B2 books")
	missing = assessRisk(c, prac, map[string]any{"beneficiaryId": w.B2, "vitals": map[string]any{"pulse": 80}})
	p := assertProblem(t, missing, http.StatusUnprocessableEntity)
	if errs := p["errors"].([]any); len(errs) != 6 {
		t.Errorf("missing vitals named: %v", errs)
	}

	// Treatment plans: draft → active → completed, never back.
	plan := w.must(createPlan(c, prac, map[string]any{"beneficiaryId": w.B, "title": "Asthma control",
		"goals": []any{map[string]any{"description": "No night symptoms"}}, "activities": []any{map[string]any{"kind": "education", "description": "Inhaler technique", "articleId": "01DEMOARTICLE"}},
		"period": map[string]any{"start": "2026-12-01"}}), 201, "plan")
	id := plan["id"].(string)
	w.must(updatePlan(c, prac, id, `"1"`, map[string]any{"status": "active"}), 200, "activate")
	w.must(updatePlan(c, prac, id, `"2"`, map[string]any{"status": "completed"}), 200, "complete")
	assertProblem(t, updatePlan(c, prac, id, `"3"`, map[string]any{"status": "active"}), http.StatusUnprocessableEntity)
	assertProblem(t, updatePlan(c, prac, id, `"1"`, map[string]any{"title": "x"}), http.StatusPreconditionFailed)
	assertProblem(t, createPlan(c, w.tokens["practitioner-other"], map[string]any{"beneficiaryId": w.B, "title": "x",
		"period": map[string]any{"start": "2026-12-01"}}), http.StatusNotFound)
	plans := w.must(listPlans(c, w.tokens["caregiver"], w.B, "completed"), 200, "plans")
	if n := len(plans["items"].([]any)); n != 1 {
		t.Errorf("completed plans: %d", n)
	}
}

// TestHealthReport: a report holds the period's vitals with their series
// and renders as a printable page with a chart.
func TestHealthReport(t *testing.T) {
	c, w := startWorld(t)
	prac := w.tokens["practitioner"]
	for i, v := range []float64{92, 88, 79} {
		w.must(addEntry(c, prac, map[string]any{"beneficiaryId": w.B, "kind": "observation",
			"code": map[string]any{"system": "loinc", "code": "8867-4", "display": "Heart rate"}, "value": v, "unit": "/min",
			"recordedAt": []string{"2026-10-01T08:00:00Z", "2026-10-15T08:00:00Z", "2026-11-01T08:00:00Z"}[i]}), 201, "observation")
	}
	rep := w.must(produceReport(c, prac, map[string]any{"beneficiaryId": w.B, "periodStart": "2026-10-01", "periodEnd": "2026-11-30"}), 201, "report")
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
	assertProblem(t, getReport(c, w.tokens["beneficiary-other"], rep["id"].(string)), http.StatusNotFound)
	list := w.must(listReports(c, w.tokens["caregiver"], w.B), 200, "list")
	if n := len(list["items"].([]any)); n != 1 {
		t.Errorf("reports: %d", n)
	}
}

// TestFHIRExport validates the export against the official FHIR R4 JSON
// schema (shipped by the pinned npm package in tools/).
func TestFHIRExport(t *testing.T) {
	schemaPath := filepath.Join("..", "..", "tools", "node_modules", "@medplum", "definitions", "dist", "fhir", "r4", "fhir.schema.json")
	if _, err := os.Stat(schemaPath); err != nil {
		t.Fatalf("the FHIR R4 schema is missing: run npm ci --prefix tools (make test does): %v", err)
	}
	c, w := startWorld(t)
	prac := w.tokens["practitioner"]
	w.must(recordConsultation(c, prac, map[string]any{"appointmentId": w.A, "summary": "Seen.",
		"diagnoses":     []any{map[string]any{"system": "icd10", "code": "B54", "display": "Malaria, unspecified"}},
		"observations":  []any{map[string]any{"code": "8310-5", "display": "Body temperature", "value": 38.4, "unit": "Cel"}},
		"prescriptions": []any{map[string]any{"medication": "Artemether-lumefantrine", "dose": "4 tablets", "frequency": "twice a day"}}}), 201, "consultation")
	for _, kind := range []string{"allergy", "immunization", "medication"} {
		w.must(addEntry(c, prac, map[string]any{"beneficiaryId": w.B, "kind": kind,
			"code": map[string]any{"system": "snomed", "code": "123456", "display": kind}, "recordedAt": "2026-02-01T10:00:00Z"}), 201, kind)
	}
	w.must(createPlan(c, prac, map[string]any{"beneficiaryId": w.B, "title": "Malaria follow-up", "period": map[string]any{"start": "2026-12-01"}}), 201, "plan")
	w.must(assessRisk(c, prac, map[string]any{"beneficiaryId": w.B, "vitals": map[string]any{"respiratoryRate": 18, "spo2": 97,
		"supplementalOxygen": false, "systolicBloodPressure": 118, "pulse": 96, "consciousness": "alert"}}), 201, "risk")

	r := exportFhir(c, w.tokens["beneficiary"], w.B)
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/fhir+json" {
		t.Fatalf("export: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	var bundle any
	if err := json.Unmarshal(r.Body, &bundle); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	readJSON(t, schemaPath, &doc)
	// The published schema refers to integer64 (a type FHIR R5 added) and
	// does not define it; define it as R5 does, a string of digits.
	// It also refers to Resource, the union of all resources that its root
	// already is.
	defs := doc["definitions"].(map[string]any)
	if _, ok := defs["integer64"]; !ok {
		defs["integer64"] = map[string]any{"type": "string", "pattern": "^[0]|[-+]?[1-9][0-9]*$"}
	}
	if _, ok := defs["Resource"]; !ok {
		defs["Resource"] = map[string]any{"oneOf": doc["oneOf"]}
	}
	compiler := jsonschema.NewCompiler()
	if err := compiler.AddResource("fhir.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := compiler.Compile("fhir.schema.json")
	if err != nil {
		t.Fatalf("compile the FHIR schema: %v", err)
	}
	if err := schema.Validate(bundle); err != nil {
		t.Errorf("the export is not valid FHIR R4: %v", err)
	}
	kinds := map[string]int{}
	for _, e := range bundle.(map[string]any)["entry"].([]any) {
		kinds[e.(map[string]any)["resource"].(map[string]any)["resourceType"].(string)]++
	}
	for _, k := range []string{"Patient", "Encounter", "Condition", "AllergyIntolerance", "MedicationStatement", "Immunization", "Observation", "CarePlan", "RiskAssessment", "Appointment"} {
		if kinds[k] == 0 {
			t.Errorf("no %s in the bundle: %v", k, kinds)
		}
	}
	assertProblem(t, exportFhir(c, w.tokens["caregiver-book"], w.B), http.StatusNotFound)
}
