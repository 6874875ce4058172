// Package gateway is the local stand-in for API Gateway: it verifies bearer
// tokens like the Cognito authorizer, routes and validates requests with the
// OpenAPI document, builds the REST API proxy event (claims in
// requestContext.authorizer.claims) and invokes the operation's Lambda
// handler in-process, then writes its proxy response back.
package gateway

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/logging"
	"ohcs/shared/problem"
)

// BasePath is the path every API operation lives under.
const BasePath = "/v1"

// Verifier checks a bearer token and returns the authorizer claims.
type Verifier interface {
	Verify(token string) (map[string]any, error)
}

// Invoker calls the function of an operation with a proxy event: in-process,
// or through a runtime emulator.
type Invoker interface {
	Invoke(ctx context.Context, op string, event events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)
}

// ErrTimeout is an invoke whose function did not answer in time: API
// Gateway answers 504.
var ErrTimeout = errors.New("the function timed out")

// Functions invokes in-process Lambda handlers by operation id.
type Functions map[string]lambdahttp.Func

// Invoke calls the handler of op.
func (f Functions) Invoke(ctx context.Context, op string, event events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	fn, ok := f[op]
	if !ok {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("no function for %s", op)
	}
	return fn(ctx, event)
}

// Gateway serves the API under BasePath.
type Gateway struct {
	doc      *openapi3.T
	router   routers.Router
	verifier Verifier
	invoker  Invoker
	logger   *slog.Logger
}

// New returns a gateway for doc. The document's servers are replaced by
// BasePath so that routing matches any host.
func New(doc *openapi3.T, verifier Verifier, invoker Invoker, logger *slog.Logger) (*Gateway, error) {
	routed := *doc
	routed.Servers = openapi3.Servers{{URL: BasePath}}
	router, err := gorillamux.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	return &Gateway{doc: &routed, router: router, verifier: verifier, invoker: invoker, logger: logger}, nil
}

// Router returns the router of the document, for tests that validate
// responses.
func (g *Gateway) Router() routers.Router { return g.router }

func (g *Gateway) fail(w http.ResponseWriter, r *http.Request, err error) {
	problem.Write(w, r.WithContext(logging.WithLogger(r.Context(), g.logger)), err)
}

// ServeHTTP handles one API request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	opID, event, err := g.Prepare(r)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	resp, err := g.invoker.Invoke(ctx, opID, event)
	if errors.Is(err, ErrTimeout) {
		g.logger.Error("function timed out", slog.String("operation", opID))
		w.Header().Set("Content-Type", problem.ContentType)
		w.WriteHeader(http.StatusGatewayTimeout)
		_, _ = io.WriteString(w, `{"type":"about:blank","title":"Gateway Timeout","status":504,"detail":"the service took too long to answer, retry later"}`)
		return
	}
	if err != nil {
		g.logger.Error("function failed", slog.String("operation", opID), slog.String("error", err.Error()))
		w.Header().Set("Content-Type", problem.ContentType)
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, `{"type":"about:blank","title":"Bad Gateway","status":502,"detail":"the service could not answer, retry later"}`)
		return
	}
	writeResponse(w, resp)
}

// Prepare does what API Gateway does before it invokes a function: finds
// the operation, checks the token and validates the request against the
// document, and returns the operation id and the proxy event; a refusal is
// the problem to answer.
func (g *Gateway) Prepare(r *http.Request) (string, events.APIGatewayProxyRequest, error) {
	route, params, err := g.router.FindRoute(r)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return "", events.APIGatewayProxyRequest{}, problem.New(problem.MethodNotAllowed, "%s is not allowed on %s", r.Method, r.URL.Path)
	case err != nil:
		return "", events.APIGatewayProxyRequest{}, problem.New(problem.NotFound, "no operation at %s %s", r.Method, r.URL.Path)
	}
	op := route.Operation
	claims, err := g.authenticate(r, op)
	if err != nil {
		return "", events.APIGatewayProxyRequest{}, err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, jsonio.MaxBody+1))
	if err != nil {
		return "", events.APIGatewayProxyRequest{}, problem.Field("body", "the body could not be read")
	}
	if len(body) > jsonio.MaxBody {
		return "", events.APIGatewayProxyRequest{}, problem.New(problem.TooLarge, "the body is larger than %d bytes", jsonio.MaxBody)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	input := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{MultiError: true, SkipSettingDefaults: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), input); err != nil {
		return "", events.APIGatewayProxyRequest{}, problem.Fields(FieldErrors(err)...)
	}
	return op.OperationID, buildEvent(r, route, params, body, claims), nil
}

func (g *Gateway) authenticate(r *http.Request, op *openapi3.Operation) (map[string]any, error) {
	if op.Security != nil && len(*op.Security) == 0 {
		// Public at the gateway: no authorizer runs and no claims are
		// passed, as on API Gateway; the function checks a token itself.
		return nil, nil
	}
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, problem.New(problem.Unauthenticated, "a valid bearer token is required")
	}
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		// Cognito authorizers take the raw token too.
		token = header
	}
	claims, err := g.verifier.Verify(strings.TrimSpace(token))
	if err != nil {
		g.logger.Debug("token rejected", slog.String("reason", err.Error()))
		return nil, problem.New(problem.Unauthenticated, "a valid bearer token is required")
	}
	return claims, nil
}

// FieldErrors converts the errors of request validation to field errors
// that name the parameter or the body field.
func FieldErrors(err error) []problem.FieldError {
	var out []problem.FieldError
	var walk func(err error, field string)
	walk = func(err error, field string) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, inner := range e {
				walk(inner, field)
			}
		case *openapi3filter.RequestError:
			f := "body"
			if e.Parameter != nil {
				f = e.Parameter.Name
			}
			if e.Err == nil {
				out = append(out, problem.FieldError{Field: f, Message: e.Reason})
				return
			}
			walk(e.Err, f)
		case *openapi3.SchemaError:
			f := field
			if f == "body" {
				path := e.JSONPointer()
				if rest, ok := strings.CutPrefix(e.Reason, `property "`); ok && strings.HasSuffix(rest, `" is unsupported`) {
					path = append(path, strings.TrimSuffix(rest, `" is unsupported`))
				}
				if len(path) > 0 {
					f = strings.Join(path, ".")
				}
			}
			out = append(out, problem.FieldError{Field: f, Message: e.Reason})
		default:
			var schemaErr *openapi3.SchemaError
			if errors.As(err, &schemaErr) {
				walk(schemaErr, field)
				return
			}
			msg := err.Error()
			if len(msg) > 300 {
				msg = msg[:300]
			}
			out = append(out, problem.FieldError{Field: field, Message: msg})
		}
	}
	walk(err, "request")
	if len(out) > 100 {
		out = out[:100]
	}
	return out
}

func buildEvent(r *http.Request, route *routers.Route, params map[string]string, body []byte, claims map[string]any) events.APIGatewayProxyRequest {
	headers := map[string]string{}
	for k, v := range r.Header {
		headers[k] = strings.Join(v, ",")
	}
	query := map[string]string{}
	for k, v := range r.URL.Query() {
		query[k] = v[len(v)-1]
	}
	ev := events.APIGatewayProxyRequest{
		Resource:                        BasePath + route.Path,
		Path:                            r.URL.Path,
		HTTPMethod:                      r.Method,
		Headers:                         headers,
		MultiValueHeaders:               r.Header,
		QueryStringParameters:           query,
		MultiValueQueryStringParameters: r.URL.Query(),
		PathParameters:                  params,
		RequestContext: events.APIGatewayProxyRequestContext{
			RequestID:        requestID(),
			Stage:            "local",
			ResourcePath:     BasePath + route.Path,
			HTTPMethod:       r.Method,
			Path:             r.URL.Path,
			DomainName:       r.Host,
			Protocol:         r.Proto,
			RequestTimeEpoch: time.Now().UnixMilli(),
			Identity:         events.APIGatewayRequestIdentity{SourceIP: sourceIP(r)},
		},
	}
	if route.Operation != nil {
		ev.RequestContext.OperationName = route.Operation.OperationID
	}
	if claims != nil {
		ev.RequestContext.Authorizer = map[string]any{"claims": claims}
	}
	if len(body) > 0 {
		ev.Body = string(body)
		if !utf8.Valid(body) {
			ev.Body, ev.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return ev
}

func sourceIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

func requestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func writeResponse(w http.ResponseWriter, resp events.APIGatewayProxyResponse) {
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		w.Header().Del(k)
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusBadGateway
	}
	w.WriteHeader(status)
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		if dec, err := base64.StdEncoding.DecodeString(resp.Body); err == nil {
			body = dec
		}
	}
	_, _ = w.Write(body)
}
