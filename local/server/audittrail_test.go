package server_test

import (
	"context"
	"net/http"
	"testing"

	"ohcs/openapi/ohcsclient"
)

// TestDenialsDoNotBury: anyone can be refused a beneficiary's record, but
// repeating it does not bury the beneficiary's "who looked at my record":
// fifty refusals of one actor's action within the hour are one denied
// event with a count of fifty, and the real accesses stay on the first
// page. Another action, or another actor, is another event.
func TestDenialsDoNotBury(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	prober := c.api(w.tokens["beneficiary-other"])
	real, err := c.api(w.tokens["caregiver"]).ListHealthRecordEntriesWithResponse(ctx, &ohcsclient.ListHealthRecordEntriesParams{BeneficiaryId: w.B})
	answered(t, real.StatusCode(), real.Body, err, 200, "a real access")
	for range 50 {
		r, err := prober.GetBeneficiaryWithResponse(ctx, w.B)
		answered(t, r.StatusCode(), r.Body, err, http.StatusNotFound, "a refused read")
	}
	r, err := prober.ListConsultationsWithResponse(ctx, &ohcsclient.ListConsultationsParams{BeneficiaryId: w.B})
	answered(t, r.StatusCode(), r.Body, err, http.StatusNotFound, "a refused list")
	ten := 10
	log, err := c.api(w.tokens["beneficiary"]).ListMyAccessLogWithResponse(ctx, w.B, &ohcsclient.ListMyAccessLogParams{Limit: &ten})
	answered(t, log.StatusCode(), log.Body, err, 200, "access log")
	var denied []ohcsclient.AuditEvent
	found := false
	for _, e := range log.JSON200.Items {
		if e.Outcome == ohcsclient.Denied {
			denied = append(denied, e)
		}
		found = found || e.Action == "listHealthRecordEntries"
	}
	if !found {
		t.Errorf("the real access is not on the first page: %+v", log.JSON200.Items)
	}
	counts := map[string]int{}
	for _, e := range denied {
		if e.Count != nil {
			counts[e.Action] = *e.Count
			if e.LastTime == nil {
				t.Errorf("a counted denial without its latest time: %+v", e)
			}
		}
	}
	if counts["getBeneficiary"] != 50 || counts["listConsultations"] != 1 || len(denied) != 2 {
		t.Errorf("denied events: %+v; want getBeneficiary counted 50 times and listConsultations once", denied)
	}
}
