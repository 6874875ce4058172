package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"ohcs/local/server"
)

// TestGatewayHonoursTheBody: the local gateway applies the security of the
// body it serves, operation by operation, as API Gateway does. With the
// security of getMe deleted from the body, a request without a token
// passes the gateway and reaches the function, which fails closed (401)
// because no authorizer passed claims: the 63 methods imported without
// security in AWS behaved exactly so.
func TestGatewayHonoursTheBody(t *testing.T) {
	vars := map[string]string{server.EnvAddr: "127.0.0.1:0", server.EnvDemoData: "off"}
	s, err := server.StartWithBody(context.Background(), func(k string) string { return vars[k] }, slog.New(slog.NewJSONHandler(io.Discard, nil)),
		func(body map[string]any) {
			delete(body["paths"].(map[string]any)["/me"].(map[string]any)["get"].(map[string]any), "security")
		})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	get := func(path string) (int, []byte) {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	before := s.Requests.Usage("getMe").Calls
	if status, body := get("/v1/me"); status != http.StatusUnauthorized {
		t.Errorf("getMe without security and without a token: %d %s; want the function's 401", status, body)
	}
	if s.Requests.Usage("getMe").Calls != before+1 {
		t.Errorf("getMe without security in the body did not reach its function")
	}
	before = s.Requests.Usage("listCampaigns").Calls
	if status, _ := get("/v1/campaigns"); status != http.StatusUnauthorized {
		t.Errorf("listCampaigns without a token: %d; want the gateway's 401", status)
	}
	if s.Requests.Usage("listCampaigns").Calls != before {
		t.Errorf("the gateway let a token-less request reach a secured operation")
	}
}

// TestLocalTokensHaveCognitoShapes: /_local/token answers what Cognito's
// token endpoint answers after the authorization code flow: an access
// token the API accepts (scope ohcs/api, no email) and an ID token, which
// the API refuses as API Gateway's authorizer does on methods with scopes.
func TestLocalTokensHaveCognitoShapes(t *testing.T) {
	c := start(t, nil)
	body, _ := json.Marshal(map[string]any{"sub": "shape", "groups": []string{"beneficiary"}, "email": "shape@example.org"})
	resp, err := http.Post(c.base+"/_local/token", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ AccessToken, IDToken string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" || out.IDToken == "" {
		t.Fatalf("token answer: %v %+v", err, out)
	}
	resp.Body.Close()
	claims, err := c.server.Issuer.Verify(out.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if claims["email"] != nil || claims["scope"] != "ohcs/api" || claims["token_use"] != "access" {
		t.Errorf("access token claims %v; want scope ohcs/api and no email", claims)
	}
	me := getMe(c, out.AccessToken)
	if me.Status != http.StatusOK {
		t.Fatalf("getMe with the access token: %d", me.Status)
	}
	r := getMe(c, out.IDToken)
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Header.Get("Content-Type"), "problem+json") {
		t.Errorf("getMe with the ID token: %d %s; want 401 problem+json", r.Status, r.Body)
	}
}

// TestUnknownRouteIsNotFound: API Gateway answers an unknown path or
// method with MISSING_AUTHENTICATION_TOKEN (403 by default); the body maps
// it to a 404 problem, and the local gateway renders the same response.
func TestUnknownRouteIsNotFound(t *testing.T) {
	c := start(t, nil)
	for _, tc := range []struct{ method, path string }{{"GET", "/v1/nowhere"}, {"DELETE", "/v1/me"}, {"PATCH", "/v1/campaigns"}} {
		r := c.call(tc.method, tc.path, "", nil, nil)
		var p map[string]any
		if r.Status != http.StatusNotFound || json.Unmarshal(r.Body, &p) != nil || p["status"] != float64(404) ||
			r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d %q %s; want a 404 problem", tc.method, tc.path, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
	}
}
