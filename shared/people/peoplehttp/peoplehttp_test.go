package peoplehttp_test

import (
	"encoding/json"
	"testing"
	"time"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestExpiryIsReadAtRequestTime moves an injected clock past a link's
// expiry: the link grants nothing from that instant, though nothing
// rewrote it.
func TestExpiryIsReadAtRequestTime(t *testing.T) {
	env := lambdahttptest.Env(t)
	clock := lambdahttptest.Now
	env.Now = func() time.Time { return clock }
	ben := &lambdahttptest.Caller{Sub: "ben", Groups: "beneficiary"}
	cg := &lambdahttptest.Caller{Sub: "cg", Groups: "caregiver"}
	do := func(op, method, path string, params map[string]string, who *lambdahttptest.Caller, body string) (int, map[string]any) {
		t.Helper()
		h, err := operations.All().Build(op, env)
		if err != nil {
			t.Fatal(err)
		}
		resp := lambdahttptest.Invoke(t, op, h, lambdahttptest.Event(method, path, params, who, body, nil))
		var m map[string]any
		_ = json.Unmarshal([]byte(resp.Body), &m)
		return resp.StatusCode, m
	}
	status, b := do("createBeneficiaryProfile", "POST", "/v1/beneficiaries", nil, ben,
		`{"fullName":"Ana","birthDate":"1990-01-01","sex":"female","preferredLanguage":"pt","timeZone":"Africa/Maputo"}`)
	if status != 201 {
		t.Fatalf("beneficiary: %d %v", status, b)
	}
	status, c := do("createCaregiverProfile", "POST", "/v1/caregivers", nil, cg, `{"fullName":"Rosa","phone":"+258841234567"}`)
	if status != 201 {
		t.Fatalf("caregiver: %d %v", status, c)
	}
	benID := b["id"].(string)
	params := map[string]string{"beneficiaryId": benID}
	expires := clock.Add(time.Hour).Format(time.RFC3339)
	status, link := do("grantCaregiverAccess", "POST", "/v1/beneficiaries/"+benID+"/care-links", params, ben,
		`{"caregiverId":"`+c["id"].(string)+`","permissions":["viewRecords"],"expiresAt":"`+expires+`"}`)
	if status != 201 || link["status"] != "pending" {
		t.Fatalf("grant: %d %v; want a pending link", status, link)
	}
	linkParams := map[string]string{"beneficiaryId": benID, "careLinkId": link["id"].(string)}
	if status, _ := do("listMyAccessLog", "GET", "/v1/beneficiaries/"+benID+"/access-log", params, cg, ""); status != 404 {
		t.Fatalf("pending: got %d; want 404 until the caregiver accepts", status)
	}
	if status, l := do("respondToCareLink", "POST", "/v1/beneficiaries/"+benID+"/care-links/"+link["id"].(string)+"/response", linkParams, ben, `{"decision":"accept"}`); status != 403 {
		t.Fatalf("the beneficiary answers for the caregiver: %d %v; want 403 (caregivers only)", status, l)
	}
	if status, l := do("respondToCareLink", "POST", "/v1/beneficiaries/"+benID+"/care-links/"+link["id"].(string)+"/response", linkParams, cg, `{"decision":"accept"}`); status != 200 || l["status"] != "active" {
		t.Fatalf("accept: %d %v", status, l)
	}
	if status, l := do("respondToCareLink", "POST", "/v1/beneficiaries/"+benID+"/care-links/"+link["id"].(string)+"/response", linkParams, cg, `{"decision":"decline"}`); status != 422 {
		t.Fatalf("answer twice: %d %v; want 422", status, l)
	}
	if status, _ := do("listMyAccessLog", "GET", "/v1/beneficiaries/"+benID+"/access-log", params, cg, ""); status != 200 {
		t.Fatalf("before expiry: got %d; want 200", status)
	}
	clock = clock.Add(time.Hour)
	if status, _ := do("listMyAccessLog", "GET", "/v1/beneficiaries/"+benID+"/access-log", params, cg, ""); status != 404 {
		t.Errorf("at expiry: got %d; want 404", status)
	}
	if status, _ := do("getBeneficiary", "GET", "/v1/beneficiaries/"+benID, params, cg, ""); status != 404 {
		t.Errorf("profile at expiry: got %d; want 404", status)
	}
	status, list := do("listCareLinks", "GET", "/v1/care-links", nil, ben, "")
	items, _ := list["items"].([]any)
	if status != 200 || len(items) != 1 || items[0].(map[string]any)["status"] != "expired" {
		t.Errorf("links after expiry: %d %v", status, list)
	}
	// A grant that is already over is refused.
	status, _ = do("grantCaregiverAccess", "POST", "/v1/beneficiaries/"+benID+"/care-links", params, ben,
		`{"caregiverId":"`+c["id"].(string)+`","permissions":["viewRecords"],"expiresAt":"`+expires+`"}`)
	if status != 400 {
		t.Errorf("grant expiring in the past: got %d; want 400", status)
	}
}
