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

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"ohcs/shared/lambdahttp"
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
