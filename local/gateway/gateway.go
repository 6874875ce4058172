// Package gateway is the local stand-in for API Gateway. It serves the API
// body the stack uploads (openapi.Body) with API Gateway's semantics: it
// routes from the body, runs the Cognito authorizer only where an
// operation declares security (API Gateway ignores root-level security),
// checks the method's scopes as the authorizer does, validates only what
// the request validator validates (required parameters and the JSON body
// against its model), answers its own refusals from the body's gateway
// responses, answers CORS preflights from the body's mock integrations,
// builds the REST API proxy event (claims in
// requestContext.authorizer.claims), invokes the operation's function and
// writes its proxy response back.
package gateway

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"ohcs/openapi"
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

// MaxPayload is API Gateway's own limit on a request (10 MB); the
// functions hold the API's smaller limit themselves.
const MaxPayload = 10 << 20

// Gateway serves the API under BasePath.
type Gateway struct {
	body     map[string]any
	doc      *openapi3.T
	router   routers.Router
	verifier Verifier
	invoker  Invoker
	logger   *slog.Logger
}

// New returns a gateway for the API body (openapi.Body). The body's servers
// are replaced by BasePath so that routing matches any host.
func New(body map[string]any, verifier Verifier, invoker Invoker, logger *slog.Logger) (*Gateway, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("load body: %w", err)
	}
	doc.Servers = openapi3.Servers{{URL: BasePath}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	return &Gateway{body: body, doc: doc, router: router, verifier: verifier, invoker: invoker, logger: logger}, nil
}

// refusal is a request API Gateway answers itself, from a gateway response.
type refusal struct {
	resp openapi.Error
	// log is why, for the local log only.
	log string
}

func (r *refusal) Error() string { return r.resp.Type + ": " + r.resp.Message }

func refuse(typ, message string) error {
	return &refusal{resp: openapi.Error{Type: typ, Message: message}}
}

// respond writes a gateway response of the body.
func (g *Gateway) respond(w http.ResponseWriter, e openapi.Error) {
	if e.RequestID == "" {
		e.RequestID = requestID()
	}
	out, err := openapi.RenderGatewayResponse(g.body, e)
	if err != nil {
		g.logger.Error("gateway response", slog.String("error", err.Error()))
		out = openapi.Rendered{Status: http.StatusInternalServerError, Headers: map[string]string{"Content-Type": problem.ContentType},
			Body: []byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"the gateway is misconfigured"}`)}
	}
	for k, v := range out.Headers {
		w.Header().Set(k, v)
	}
	w.WriteHeader(out.Status)
	_, _ = w.Write(out.Body)
}

// Router returns the router of the document, for tests that validate
// responses.
func (g *Gateway) Router() routers.Router { return g.router }

func (g *Gateway) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ref *refusal
	if errors.As(err, &ref) {
		g.respond(w, ref.resp)
		return
	}
	problem.Write(w, r.WithContext(logging.WithLogger(r.Context(), g.logger)), err)
}

// ServeHTTP handles one API request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method == http.MethodOptions && g.preflight(w, r) {
		return
	}
	opID, event, err := g.Prepare(r)
	if err != nil {
		g.fail(w, r, err)
		return
	}
	resp, err := g.invoker.Invoke(ctx, opID, event)
	if errors.Is(err, ErrTimeout) {
		g.logger.Error("function timed out", slog.String("operation", opID))
		g.respond(w, openapi.Error{Type: "INTEGRATION_TIMEOUT", Message: "Endpoint request timed out", RequestID: event.RequestContext.RequestID})
		return
	}
	if err != nil {
		// A function error or a malformed proxy response: 502 from the
		// 5XX family's gateway response.
		g.logger.Error("function failed", slog.String("operation", opID), slog.String("error", err.Error()))
		g.respond(w, openapi.Error{Type: "DEFAULT_5XX", Status: http.StatusBadGateway, Message: "Internal server error", RequestID: event.RequestContext.RequestID})
		return
	}
	writeResponse(w, resp)
}

// preflight answers an OPTIONS request as the body's mock integration does:
// the allowed methods and headers, and the origin only when it is allowed.
// It reports false when the path has no preflight method.
func (g *Gateway) preflight(w http.ResponseWriter, r *http.Request) bool {
	route, _, err := g.router.FindRoute(r)
	if err != nil || route.Operation == nil {
		return false
	}
	integ, _ := route.Operation.Extensions["x-amazon-apigateway-integration"].(map[string]any)
	if integ["type"] != "mock" {
		return false
	}
	def, _ := integ["responses"].(map[string]any)["default"].(map[string]any)
	params, _ := def["responseParameters"].(map[string]any)
	for k, v := range params {
		if name, ok := strings.CutPrefix(k, "method.response.header."); ok {
			if s, _ := v.(string); len(s) >= 2 {
				w.Header().Set(name, strings.Trim(s, "'"))
			}
		}
	}
	origin := r.Header.Get("Origin")
	allowed, _ := route.Operation.Extensions[openapi.XPreflightOrigins].([]any)
	for _, o := range allowed {
		if o == origin && origin != "" {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
	}
	status, _ := strconv.Atoi(fmt.Sprint(def["statusCode"]))
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	return true
}

// Prepare does what API Gateway does before it invokes a function: finds
// the operation, runs the authorizer where the operation declares security,
// runs the request validator, and returns the operation id and the proxy
// event; a refusal is the gateway response (or problem) to answer.
func (g *Gateway) Prepare(r *http.Request) (string, events.APIGatewayProxyRequest, error) {
	route, params, err := g.router.FindRoute(r)
	if err != nil || route.Operation == nil || route.Operation.OperationID == "" {
		// API Gateway answers an unknown resource or method with
		// MISSING_AUTHENTICATION_TOKEN, which the body maps to 404.
		return "", events.APIGatewayProxyRequest{}, refuse("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
	}
	op := route.Operation
	claims, err := g.authenticate(r, op)
	if err != nil {
		return "", events.APIGatewayProxyRequest{}, err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxPayload+1))
	if err != nil {
		return "", events.APIGatewayProxyRequest{}, refuse("BAD_REQUEST_BODY", "Invalid request body")
	}
	if len(body) > MaxPayload {
		return "", events.APIGatewayProxyRequest{}, refuse("REQUEST_TOO_LARGE", "Request Too Long")
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := g.validate(r, route, params, body); err != nil {
		return "", events.APIGatewayProxyRequest{}, err
	}
	return op.OperationID, buildEvent(r, route, params, body, claims), nil
}

// validate is API Gateway's request validator ("all": body and
// parameters) as far as it reaches (API Gateway developer guide, "Request
// validation for REST APIs"): the required parameters are present, and a
// JSON body matches its model. Parameter types, formats, patterns and
// lengths are not checked: the functions check them.
func (g *Gateway) validate(r *http.Request, route *routers.Route, params map[string]string, body []byte) error {
	checkParams, checkBody := g.validator(route.Operation)
	var missing []string
	for _, ref := range route.Operation.Parameters {
		p := ref.Value
		if p == nil || !p.Required {
			continue
		}
		present := false
		switch p.In {
		case openapi3.ParameterInQuery:
			present = r.URL.Query().Has(p.Name)
		case openapi3.ParameterInHeader:
			present = r.Header.Get(p.Name) != ""
		case openapi3.ParameterInPath:
			present = params[p.Name] != ""
		}
		if !present && checkParams {
			missing = append(missing, p.Name)
		}
	}
	if len(missing) > 0 {
		return refuse("BAD_REQUEST_PARAMETERS", "Missing required request parameters: ["+strings.Join(missing, ", ")+"]")
	}
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil || !checkBody {
		return nil
	}
	mt := rb.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	if len(body) == 0 {
		if rb.Value.Required {
			return refuse("BAD_REQUEST_BODY", "Invalid request body")
		}
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return refuse("BAD_REQUEST_BODY", "Invalid request body")
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		ref := &refusal{resp: openapi.Error{Type: "BAD_REQUEST_BODY", Message: "Invalid request body"}}
		ref.log = err.Error()
		g.logger.Debug("body refused by the request validator", slog.String("reason", ref.log))
		return ref
	}
	return nil
}

// validator returns what the request validator of op checks: the
// operation's x-amazon-apigateway-request-validator, else the body's
// default, looked up in x-amazon-apigateway-request-validators; none
// checks nothing.
func (g *Gateway) validator(op *openapi3.Operation) (params, body bool) {
	name, _ := op.Extensions["x-amazon-apigateway-request-validator"].(string)
	if name == "" {
		name, _ = g.body["x-amazon-apigateway-request-validator"].(string)
	}
	validators, _ := g.body["x-amazon-apigateway-request-validators"].(map[string]any)
	v, _ := validators[name].(map[string]any)
	params, _ = v["validateRequestParameters"].(bool)
	body, _ = v["validateRequestBody"].(bool)
	return params, body
}

func (g *Gateway) authenticate(r *http.Request, op *openapi3.Operation) (map[string]any, error) {
	if op.Security == nil || len(*op.Security) == 0 {
		// No operation-level security: API Gateway imports the method
		// without an authorizer (root-level security is ignored), runs
		// none and passes no claims; the function checks a token itself
		// or fails closed.
		return nil, nil
	}
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, refuse("UNAUTHORIZED", "Unauthorized")
	}
	token, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		// Cognito authorizers take the raw token too.
		token = header
	}
	claims, err := g.verifier.Verify(strings.TrimSpace(token))
	if err != nil {
		g.logger.Debug("token rejected", slog.String("reason", err.Error()))
		return nil, refuse("UNAUTHORIZED", "Unauthorized")
	}
	// With scopes on the method, the authorizer accepts only an access
	// token carrying one of them.
	scope, _ := claims["scope"].(string)
	granted := strings.Fields(scope)
	for _, req := range *op.Security {
		for _, scopes := range req {
			for _, s := range scopes {
				if slices.Contains(granted, s) {
					return claims, nil
				}
			}
			if len(scopes) == 0 {
				return claims, nil
			}
		}
	}
	return nil, refuse("UNAUTHORIZED", "Unauthorized")
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
