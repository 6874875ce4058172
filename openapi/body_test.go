package openapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"ohcs/openapi"
)

func deployment(origins ...string) openapi.Deployment {
	return openapi.Deployment{
		Integration: func(op string) string {
			return "arn:aws:apigateway:eu-west-1:lambda:path/functions/" + op + "/invocations"
		},
		UserPoolARN: "arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_X",
		CORSOrigins: origins,
	}
}

func body(t *testing.T, d openapi.Deployment) map[string]any {
	t.Helper()
	b, err := openapi.Body(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBodySecurityPerOperation holds an AWS rule: API Gateway's REST
// import ignores root-level security (API Gateway developer guide, "Amazon
// API Gateway important notes for REST APIs"), so every operation that is
// not public must carry its own security requirement in the body.
func TestBodySecurityPerOperation(t *testing.T) {
	doc := load(t)
	b := body(t, deployment())
	paths := b["paths"].(map[string]any)
	for _, op := range openapi.Operations(doc) {
		o := paths[op.Path].(map[string]any)[strings.ToLower(op.Method)].(map[string]any)
		sec, ok := o["security"].([]any)
		if !ok {
			t.Errorf("%s: no operation-level security in the body", op.ID)
			continue
		}
		if op.Public {
			if len(sec) != 0 {
				t.Errorf("%s: public but secured: %v", op.ID, sec)
			}
			continue
		}
		if len(sec) != 1 {
			t.Fatalf("%s: security %v", op.ID, sec)
		}
		scopes, _ := sec[0].(map[string]any)["cognito"].([]any)
		if len(scopes) != 1 || scopes[0] != "ohcs/api" {
			t.Errorf("%s: security %v; want cognito [ohcs/api]", op.ID, sec)
		}
		integ := o["x-amazon-apigateway-integration"].(map[string]any)
		if !strings.Contains(integ["uri"].(string), "/"+op.ID+"/") {
			t.Errorf("%s: integration %v", op.ID, integ["uri"])
		}
	}
}

func TestBodyRefusesUnfilledPlaceholders(t *testing.T) {
	d := deployment()
	d.Integration = func(op string) string {
		if op == "getMe" {
			return ""
		}
		return "x"
	}
	if _, err := openapi.Body(context.Background(), d); err == nil || !strings.Contains(err.Error(), "${function:getMe}") {
		t.Errorf("got %v; want the unfilled getMe placeholder named", err)
	}
	d = deployment()
	d.UserPoolARN = ""
	if _, err := openapi.Body(context.Background(), d); err == nil {
		t.Errorf("an unfilled user pool ARN was accepted")
	}
}

// awsMessages are the $context.error.message texts API Gateway gives per
// type; the validation string holds quotes, as AWS's does.
var awsMessages = map[string]string{
	"UNAUTHORIZED": "Unauthorized", "MISSING_AUTHENTICATION_TOKEN": "Missing Authentication Token",
	"BAD_REQUEST_BODY": "Invalid request body", "BAD_REQUEST_PARAMETERS": "Missing required request parameters: [limit]",
	"REQUEST_TOO_LARGE": "Request Too Long", "THROTTLED": "Too Many Requests", "WAF_FILTERED": "Forbidden",
}

// TestGatewayResponsesRenderProblems renders every gateway response type
// of the body as AWS substitutes its variables ($context.error.messageString
// comes quoted; validationErrorString holds quotes; responseType is a bare
// word): each must be valid application/problem+json whose status is the
// HTTP status, and an unknown route answers 404.
func TestGatewayResponsesRenderProblems(t *testing.T) {
	for _, origins := range [][]string{nil, {"https://app.example.org"}, {"https://a.example.org", "https://b.example.org"}} {
		b := body(t, deployment(origins...))
		for _, typ := range openapi.GatewayResponseTypes() {
			msg := awsMessages[typ]
			if msg == "" {
				msg = "Forbidden"
			}
			r, err := openapi.RenderGatewayResponse(b, openapi.Error{Type: typ, Message: msg,
				ValidationError: `[instance failed to match all required schemas (matched only 0 out of 1)] "quoted"`,
				RequestID:       "c0a8e0e4-1b2c-4d5e-8f90-123456789abc"})
			if err != nil {
				t.Fatalf("%s: %v", typ, err)
			}
			var p struct {
				Type   string `json:"type"`
				Title  string `json:"title"`
				Status int    `json:"status"`
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Errorf("%s renders invalid JSON: %s (%v)", typ, r.Body, err)
				continue
			}
			if p.Type == "" || p.Title == "" || p.Status != r.Status || p.Detail == "" {
				t.Errorf("%s: got %+v at %d; want a problem whose status is the HTTP status", typ, p, r.Status)
			}
			if r.Headers["Content-Type"] != "application/problem+json" {
				t.Errorf("%s: Content-Type %q", typ, r.Headers["Content-Type"])
			}
			if len(origins) > 0 && r.Headers["Access-Control-Allow-Origin"] == "" {
				t.Errorf("%s: no CORS header with origins %v", typ, origins)
			}
			if len(origins) == 0 && r.Headers["Access-Control-Allow-Origin"] != "" {
				t.Errorf("%s: a CORS header without origins", typ)
			}
		}
		r, _ := openapi.RenderGatewayResponse(b, openapi.Error{Type: "MISSING_AUTHENTICATION_TOKEN", Message: "Missing Authentication Token"})
		if r.Status != 404 {
			t.Errorf("unknown route: status %d; want 404", r.Status)
		}
	}
}

func TestPreflightOnlyWithOrigins(t *testing.T) {
	for path, item := range body(t, deployment())["paths"].(map[string]any) {
		if _, ok := item.(map[string]any)["options"]; ok {
			t.Errorf("%s: a preflight method without CORS origins", path)
		}
	}
	for path, item := range body(t, deployment("https://app.example.org"))["paths"].(map[string]any) {
		o, ok := item.(map[string]any)["options"].(map[string]any)
		if !ok {
			t.Errorf("%s: no preflight method", path)
			continue
		}
		if sec, _ := o["security"].([]any); sec == nil || len(sec) != 0 {
			t.Errorf("%s: the preflight is not public: %v", path, o["security"])
		}
		integ := o["x-amazon-apigateway-integration"].(map[string]any)
		tmpl := integ["responses"].(map[string]any)["default"].(map[string]any)["responseTemplates"].(map[string]any)["application/json"].(string)
		if integ["type"] != "mock" || !strings.Contains(tmpl, "'https://app.example.org'") {
			t.Errorf("%s: preflight integration %v", path, integ)
		}
	}
}
