package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPopulationHealthReport: the administrator's report counts the
// appointments, consultations, diagnoses and gifts of the period in each
// scope, shows counts under 5 as "<5", leaves out rates and amounts built
// from fewer than 5 events, names no one, and reads counters, not records.
func TestPopulationHealthReport(t *testing.T) {
	c, w := startWorld(t)
	admin, prac := w.tokens["administrator"], w.tokens["practitioner"]
	loc := profile("x")["location"].(map[string]any)
	loc["address"].(map[string]any)["region"] = "Maputo Cidade"
	w.must(updatePractitioner(c, prac, w.P, w.pracVer, map[string]any{"location": loc}), 200, "region")

	// Six bookings (A and five more); five consultations complete five of
	// them, one of which also diagnoses hypertension; four more gifts.
	for i := range 5 {
		diagnoses := []any{map[string]any{"system": "icd10", "code": "J45.909", "display": "Asthma"}}
		if i == 0 {
			diagnoses = append(diagnoses, map[string]any{"system": "icd10", "code": "I10", "display": "Essential hypertension"})
		}
		w.must(recordConsultation(c, prac, map[string]any{"appointmentId": w.freshAppointment(), "summary": "Seen.",
			"diagnoses": diagnoses}), 201, "consultation")
	}
	for range 4 {
		w.must(give(c, w.tokens["donor"], w.Camp, 2500, "EUR", nil), 201, "gift")
	}
	if _, err := c.server.Dispatch(context.Background()); err != nil {
		t.Fatalf("dispatch: %v", err)
	}
	// A second run finds nothing left to count.
	if n, err := c.server.Dispatch(context.Background()); err != nil || n != 0 {
		t.Fatalf("second dispatch: %d %v", n, err)
	}

	today := time.Now().UTC().Format(time.DateOnly)
	report := func(region, org string) map[string]any {
		t.Helper()
		return w.must(populationReport(c, admin, today, today, region, org), 200, "report "+region+org)
	}
	var all map[string]any
	u := usage(c, "producePopulationHealthReport", func() { all = report("", "") })
	if u.Total() > 1 {
		t.Errorf("a one-day report issued %d DynamoDB requests: %+v", u.Total(), u.Requests)
	}
	want := map[string]any{"booked": float64(6), "completed": float64(5), "cancelled": "<5", "noShow": "<5"}
	for _, scope := range []struct {
		name string
		rep  map[string]any
	}{{"all", all}, {"region", report("maputo cidade", "")}, {"organisation", report("", w.O)}} {
		appts := scope.rep["appointments"].(map[string]any)
		for k, v := range want {
			got := appts["byStatus"].(map[string]any)[k]
			// Events count in the scopes of their practitioner when they are
			// counted: A's booking may have been counted (the dispatcher
			// runs every second) before P had its region and organisation.
			if k == "booked" && scope.name != "all" && got == float64(5) {
				continue
			}
			if got != v {
				t.Errorf("%s: appointments %s = %v; want %v", scope.name, k, got, v)
			}
		}
		specs := appts["bySpecialty"].([]any)
		if len(specs) != 1 || specs[0].(map[string]any)["specialty"] != "pediatrics" ||
			specs[0].(map[string]any)["byStatus"].(map[string]any)["completed"] != float64(5) {
			t.Errorf("%s: by specialty %v", scope.name, specs)
		}
		if scope.rep["consultations"] != float64(5) {
			t.Errorf("%s: consultations %v", scope.name, scope.rep["consultations"])
		}
		dx := scope.rep["diagnosesByChapter"].([]any)
		if len(dx) != 2 || dx[0].(map[string]any)["chapter"] != "X" || dx[0].(map[string]any)["count"] != float64(5) ||
			dx[1].(map[string]any)["chapter"] != "IX" || dx[1].(map[string]any)["count"] != "<5" {
			t.Errorf("%s: diagnoses %v", scope.name, dx)
		}
		if _, ok := scope.rep["noShowRate"]; ok {
			t.Errorf("%s: a no-show rate from fewer than 5 no-shows: %v", scope.name, scope.rep["noShowRate"])
		}
	}
	gifts := all["donations"].([]any)
	if len(gifts) != 1 || gifts[0].(map[string]any)["gifts"] != float64(5) || gifts[0].(map[string]any)["amountRaised"] != float64(1000+4*2500) {
		t.Errorf("donations: %v", gifts)
	}
	for _, id := range []string{w.P, w.B, w.A, w.G, "Dr practitioner", "Ana"} {
		if strings.Contains(string(populationReport(c, admin, today, today, "", "").Body), id) {
			t.Errorf("the report names %q", id)
		}
	}
	// Another region, and a day without events, count nothing.
	other := report("Gaza", "")
	if other["consultations"] != "<5" || other["appointments"].(map[string]any)["byStatus"].(map[string]any)["booked"] != "<5" {
		t.Errorf("another region: %v", other)
	}
	empty := w.must(populationReport(c, admin, "2020-01-01", "2020-12-31", "", ""), 200, "2020")
	if len(empty["appointments"].(map[string]any)["bySpecialty"].([]any)) != 0 || len(empty["donations"].([]any)) != 0 {
		t.Errorf("2020: %v", empty)
	}

	// Bad questions are the client's.
	assertField(t, populationReport(c, admin, today, "2020-01-01", "", ""), "periodEnd")
	assertField(t, populationReport(c, admin, "2020-01-01", "2026-01-01", "", ""), "periodEnd")
	assertField(t, populationReport(c, admin, today, today, "x", w.O), "region")
	assertProblem(t, populationReport(c, admin, today, today, "", "NOSUCHORG"), http.StatusNotFound)
	assertProblem(t, populationReport(c, prac, today, today, "", ""), http.StatusForbidden)
}
