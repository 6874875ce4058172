package server_test

import (
	"net/http"
	"testing"
)

// TestDenialsDoNotBury: anyone can be refused a beneficiary's record, but
// repeating it does not bury the beneficiary's "who looked at my record":
// fifty refusals of one actor's action within the hour are one denied
// event with a count of fifty, and the real accesses stay on the first
// page. Another action, or another actor, is another event.
func TestDenialsDoNotBury(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	ben, prober := w.tokens["beneficiary"], w.tokens["beneficiary-other"]
	w.must(c.call("GET", "/v1/health-record-entries?beneficiaryId="+w.B, w.tokens["caregiver"], nil, nil), 200, "a real access")
	for range 50 {
		assertProblem(t, c.call("GET", "/v1/beneficiaries/"+w.B, prober, nil, nil), http.StatusNotFound)
	}
	assertProblem(t, c.call("GET", "/v1/consultations?beneficiaryId="+w.B, prober, nil, nil), http.StatusNotFound)
	log := w.must(c.call("GET", "/v1/beneficiaries/"+w.B+"/access-log?limit=10", ben, nil, nil), 200, "access log")
	var denied []map[string]any
	real := false
	for _, it := range log["items"].([]any) {
		e := it.(map[string]any)
		if e["outcome"] == "denied" {
			denied = append(denied, e)
		}
		real = real || e["action"] == "listHealthRecordEntries"
	}
	if !real {
		t.Errorf("the real access is not on the first page: %v", log["items"])
	}
	counts := map[string]float64{}
	for _, e := range denied {
		counts[e["action"].(string)], _ = e["count"].(float64)
		if e["count"] != nil && e["lastTime"] == nil {
			t.Errorf("a counted denial without its latest time: %v", e)
		}
	}
	if counts["getBeneficiary"] != 50 || counts["listConsultations"] != 1 || len(denied) != 2 {
		t.Errorf("denied events: %v; want getBeneficiary counted 50 times and listConsultations once", denied)
	}
}
