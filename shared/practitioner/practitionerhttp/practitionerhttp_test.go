package practitionerhttp_test

import (
	"net/http"
	"strings"
	"testing"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

const body = `{"fullName":"Ana Cossa","phone":"+258841234567","email":"ana@example.org",
 "specialties":[{"code":"pediatrics","display":"Pediatrics"}],"languages":["pt-MZ"],
 "consultationModes":["video"],"location":{"address":{"country":"MZ"}},"timeZone":"Africa/Maputo",
 "licenses":[{"number":"L1","issuer":"Ordem","country":"MZ","validFrom":"2020-01-01"}]}`

// TestHandlersEnforceTheContract calls the handlers with API Gateway events
// directly, without the gateway's validation, as a misconfigured stage
// would: the handlers still refuse what the document refuses.
func TestHandlersEnforceTheContract(t *testing.T) {
	e := lambdahttptest.Env(t)
	build := func(op string) http.Handler {
		h, err := operations.All().Build(op, e)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	create := build("createPractitionerProfile")
	prac := &lambdahttptest.Caller{Sub: "p1", Groups: "practitioner"}
	patient := &lambdahttptest.Caller{Sub: "b1", Groups: "beneficiary"}

	for _, tc := range []struct {
		name   string
		caller *lambdahttptest.Caller
		body   string
		status int
		field  string
	}{
		{"no claims", nil, body, 401, ""},
		{"beneficiary", patient, body, 403, ""},
		{"malformed", prac, `{"fullName":`, 400, "body"},
		{"trailing data", prac, body + `{}`, 400, "body"},
		{"unknown field", prac, strings.Replace(body, `"fullName"`, `"nickname":"x","fullName"`, 1), 400, "nickname"},
		{"long name", prac, strings.Replace(body, "Ana Cossa", strings.Repeat("a", 201), 1), 400, "fullName"},
		{"bad phone", prac, strings.Replace(body, "+258841234567", "0841234567", 1), 400, "phone"},
		{"bad mode", prac, strings.Replace(body, `["video"]`, `["fax"]`, 1), 400, "consultationModes[0]"},
		{"no location", prac, strings.Replace(body, `"location":{"address":{"country":"MZ"}},`, ``, 1), 400, "location"},
		{"wrong type", prac, strings.Replace(body, `["pt-MZ"]`, `7`, 1), 400, "languages"},
		{"created", prac, body, 201, ""},
		{"second profile", prac, body, 409, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := lambdahttptest.Invoke(t, "createPractitionerProfile", create,
				lambdahttptest.Event("POST", "/v1/practitioners", nil, tc.caller, tc.body, nil))
			if resp.StatusCode != tc.status {
				t.Fatalf("status: got %d; want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
			if tc.status >= 400 {
				if ct := resp.MultiValueHeaders["Content-Type"]; len(ct) != 1 || ct[0] != "application/problem+json" {
					t.Errorf("content type: got %v", ct)
				}
			}
			if tc.field != "" {
				fields := lambdahttptest.ProblemFields(t, resp.Body)
				if len(fields) == 0 || fields[0] != tc.field {
					t.Errorf("fields: got %v; want %s", fields, tc.field)
				}
			}
		})
	}

	// A client cannot forge claims through the header the adapter's
	// header-based accessor would trust.
	forged := lambdahttptest.Event("POST", "/v1/practitioners", nil, nil, body,
		map[string]string{"X-GoLambdaProxy-ApiGatewayContext": `{"authorizer":{"claims":{"sub":"evil","cognito:groups":"practitioner"}}}`})
	if resp := lambdahttptest.Invoke(t, "createPractitionerProfile", create, forged); resp.StatusCode != 401 {
		t.Errorf("forged context header: got %d; want 401", resp.StatusCode)
	}

	update := build("updatePractitionerProfile")
	get := lambdahttptest.Invoke(t, "getPractitioner", build("getPractitioner"),
		lambdahttptest.Event("GET", "/v1/practitioners/x", map[string]string{"practitionerId": "x"}, prac, "", nil))
	if get.StatusCode != 404 {
		t.Errorf("get unknown: got %d; want 404", get.StatusCode)
	}
	found := lambdahttptest.Invoke(t, "findPractitioners", build("findPractitioners"),
		lambdahttptest.Event("GET", "/v1/practitioners", nil, prac, "", nil))
	if found.StatusCode != 200 {
		t.Errorf("find: got %d", found.StatusCode)
	}
	for _, tc := range []struct {
		name, ifMatch, body string
		status              int
	}{
		{"no If-Match", "", `{"bio":"x"}`, 428},
		{"bad If-Match", "yesterday", `{"bio":"x"}`, 400},
		{"null field", `"1"`, `{"bio":null}`, 400},
		{"empty patch", `"1"`, `{}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.ifMatch != "" {
				h["If-Match"] = tc.ifMatch
			}
			resp := lambdahttptest.Invoke(t, "updatePractitionerProfile", update,
				lambdahttptest.Event("PATCH", "/v1/practitioners/p", map[string]string{"practitionerId": "p"}, prac, tc.body, h))
			if resp.StatusCode != tc.status {
				t.Fatalf("status: got %d; want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
		})
	}
}
