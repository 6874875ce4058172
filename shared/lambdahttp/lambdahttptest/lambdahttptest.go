// Package lambdahttptest builds API Gateway REST proxy events as API Gateway
// sends them and invokes handlers through the real Lambda JSON path, for
// handler tests that bypass the gateway.
package lambdahttptest

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"ohcs/shared/cursor"
	"ohcs/shared/dynamo/dynamotest"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform"
)

// Caller is who sends an event: nil for no authorizer claims.
type Caller struct {
	Sub    string
	Groups string
}

// Event returns a REST API proxy event as API Gateway builds it.
func Event(method, path string, params map[string]string, caller *Caller, body string, header map[string]string) events.APIGatewayProxyRequest {
	ev := events.APIGatewayProxyRequest{
		Resource: path, Path: path, HTTPMethod: method, PathParameters: params, Body: body,
		Headers:           map[string]string{"Content-Type": "application/json"},
		MultiValueHeaders: map[string][]string{"Content-Type": {"application/json"}},
		RequestContext: events.APIGatewayProxyRequestContext{
			RequestID: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", Stage: "prod", HTTPMethod: method,
			ResourcePath: path, DomainName: "api.example.org",
			Identity: events.APIGatewayRequestIdentity{SourceIP: "203.0.113.7"},
		},
	}
	for k, v := range header {
		ev.Headers[k] = v
		ev.MultiValueHeaders[k] = []string{v}
	}
	if caller != nil {
		ev.RequestContext.Authorizer = map[string]any{"claims": map[string]any{
			"sub": caller.Sub, "cognito:groups": caller.Groups, "token_use": "access",
		}}
	}
	return ev
}

// Invoke sends ev to h, serving operation op, through the Lambda runtime's
// JSON handler, and returns the proxy response.
func Invoke(t testing.TB, op string, h http.Handler, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	payload, err := json.Marshal(ev)
	if err != nil {
		t.Fatalf("marshal event: %v", err)
	}
	fn := lambdahttp.Proxy(op, h, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "test-invocation"})
	out, err := lambda.NewHandler(fn).Invoke(ctx, payload)
	if err != nil {
		t.Fatalf("invoke %s: %v", op, err)
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("unmarshal response: %v", err)
	}
	return resp
}

// Callers of each role, for tests that need one of each.
var (
	Administrator = &Caller{Sub: "admin", Groups: "administrator"}
	Practitioner  = &Caller{Sub: "p1", Groups: "practitioner"}
	Beneficiary   = &Caller{Sub: "b1", Groups: "beneficiary"}
	Caregiver     = &Caller{Sub: "c1", Groups: "caregiver"}
	Donor         = &Caller{Sub: "d1", Groups: "donor"}
)

// Now is the instant an Env's clock stands at.
var Now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// Env returns an environment over a fresh embedded store, its clock
// stopped at Now.
func Env(t testing.TB) *platform.Env {
	t.Helper()
	db, cfg := dynamotest.New(t)
	sealer, err := cursor.NewSealer(cfg.CursorKey)
	if err != nil {
		t.Fatal(err)
	}
	return &platform.Env{Config: cfg, DynamoDB: db, Cursors: sealer, Now: func() time.Time { return Now }, NewID: platform.NewULID,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
}

// Case is one request to one operation and what it must answer.
type Case struct {
	Name   string
	Op     string
	Method string
	Path   string
	Params map[string]string
	Caller *Caller
	Query  map[string]string
	Body   string
	Header map[string]string
	Status int
	// Field, when set, is the first field the problem names.
	Field string
	// Check, when set, checks the response further.
	Check func(t *testing.T, resp events.APIGatewayProxyResponse)
}

// Run sends each case, in order, to its operation built from reg over env;
// an error answers application/problem+json.
func Run(t *testing.T, env *platform.Env, reg platform.Registry, cases []Case) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			h, err := reg.Build(tc.Op, env)
			if err != nil {
				t.Fatalf("build %s: %v", tc.Op, err)
			}
			ev := Event(tc.Method, tc.Path, tc.Params, tc.Caller, tc.Body, tc.Header)
			if len(tc.Query) > 0 {
				ev.QueryStringParameters = tc.Query
				ev.MultiValueQueryStringParameters = map[string][]string{}
				for k, v := range tc.Query {
					ev.MultiValueQueryStringParameters[k] = []string{v}
				}
			}
			resp := Invoke(t, tc.Op, h, ev)
			if resp.StatusCode != tc.Status {
				t.Fatalf("status: got %d; want %d: %s", resp.StatusCode, tc.Status, resp.Body)
			}
			if tc.Status >= 400 {
				if ct := resp.MultiValueHeaders["Content-Type"]; len(ct) != 1 || ct[0] != "application/problem+json" {
					t.Errorf("content type: got %v; want application/problem+json", ct)
				}
			}
			if tc.Field != "" {
				if fields := ProblemFields(t, resp.Body); len(fields) == 0 || fields[0] != tc.Field {
					t.Errorf("fields: got %v; want %s first", fields, tc.Field)
				}
			}
			if tc.Check != nil {
				tc.Check(t, resp)
			}
		})
	}
}

// ProblemFields returns the fields a problem body names, in order.
func ProblemFields(t testing.TB, raw string) []string {
	t.Helper()
	var p struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatalf("not a problem: %s", raw)
	}
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

// Decode decodes a response body into v.
func Decode(t testing.TB, resp events.APIGatewayProxyResponse, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(resp.Body), v); err != nil {
		t.Fatalf("decode %s: %v", resp.Body, err)
	}
}
