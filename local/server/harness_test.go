package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"ohcs/local/server"
	"ohcs/openapi"
)

func init() {
	// HTML reports are validated as text against their schema.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/fhir+json", openapi3filter.JSONBodyDecoder)
}

// servers numbers the servers started, for their table prefixes.
var servers atomic.Int64

// start runs a local server on a free loopback port with env on top of the
// test defaults (no demo data unless asked).
func start(t testing.TB, env map[string]string) *client {
	t.Helper()
	vars := map[string]string{server.EnvAddr: "127.0.0.1:0", server.EnvDemoData: "off"}
	// make test-lambda runs the suite with every function under the
	// Lambda runtime interface emulator.
	for _, k := range []string{server.EnvLambdaRIE, server.EnvLambdaBuild, server.EnvStackTemplate} {
		if v := os.Getenv(k); v != "" {
			vars[k] = v
		}
	}
	// make test-dynamodb-local runs the suite against one Amazon DynamoDB
	// Local: each server gets tables of its own.
	if ep := os.Getenv("OHCS_DYNAMODB_ENDPOINT"); ep != "" {
		vars["OHCS_DYNAMODB_ENDPOINT"] = ep
		vars["OHCS_TABLE_PREFIX"] = fmt.Sprintf("t%d-%d-", os.Getpid(), servers.Add(1))
	}
	for k, v := range env {
		vars[k] = v
	}
	var out io.Writer = io.Discard
	if os.Getenv("OHCS_TEST_LOG") == "1" {
		out = os.Stderr
	}
	logger := slog.New(slog.NewJSONHandler(out, nil))
	s, err := server.Start(context.Background(), func(k string) string { return vars[k] }, logger)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		_ = s.Close()
		// No function may go beyond the IAM grants its role has in AWS.
		for _, d := range s.TakeDenied() {
			t.Errorf("a function went beyond its IAM grants: %s", d)
		}
		// No request path, and nothing in the background, may scan a table.
		for op, u := range s.Requests.Operations() {
			if n := u.Requests["Scan"]; n > 0 {
				t.Errorf("operation %q issued %d Scan requests", op, n)
			}
		}
	})
	return &client{t: t, base: s.URL, router: s.Gateway.Router(), http: &http.Client{}, server: s}
}

type client struct {
	t      testing.TB
	base   string
	router routers.Router
	http   *http.Client
	server *server.Server
	// proxy, when set, receives the API requests instead of the server
	// (a contract-checking proxy, whose paths have no /v1), and observe
	// sees every answer.
	proxy   string
	observe func(r response, what string)
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

// token mints a token at /_local/token.
func (c *client) token(sub string, groups ...string) string {
	c.t.Helper()
	if groups == nil {
		groups = []string{}
	}
	body, _ := json.Marshal(map[string]any{"sub": sub, "groups": groups, "email": sub + "@example.org"})
	resp, err := c.http.Post(c.base+"/_local/token", "application/json", bytes.NewReader(body))
	if err != nil {
		c.t.Fatalf("token: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"accessToken"`
		ExpiresIn   int    `json:"expiresIn"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" || out.ExpiresIn != 3600 {
		c.t.Fatalf("token: status %d, %+v, %v", resp.StatusCode, out, err)
	}
	return out.AccessToken
}

// call sends a request and validates the response against the OpenAPI
// document: its status must be one the operation declares and its body and
// headers must match the schema.
func (c *client) call(method, path, token string, body any, header map[string]string) response {
	c.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			c.t.Fatalf("marshal: %v", err)
		}
	}
	target := c.base + path
	if c.proxy != "" && strings.HasPrefix(path, "/v1/") {
		target = c.proxy + strings.TrimPrefix(path, "/v1")
	}
	req, err := http.NewRequest(method, target, bytes.NewReader(raw))
	if err != nil {
		c.t.Fatalf("request: %v", err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	r := response{Status: resp.StatusCode, Header: resp.Header, Body: out}
	if c.observe != nil {
		c.observe(r, method+" "+path)
	}
	if strings.HasPrefix(path, "/v1/") {
		c.validate(method, path, raw, header, r)
	}
	return r
}

func (c *client) validate(method, path string, body []byte, header map[string]string, r response) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed {
			c.t.Errorf("%s %s: no route in the document but status %d", method, path, r.Status)
		}
		assertProblem(c.t, r, r.Status)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status: r.Status,
		Header: r.Header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true, MultiError: true,
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
	}
	in.SetBodyBytes(r.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		c.t.Errorf("%s %s answered %d, which breaks the OpenAPI document: %v\nbody: %s", method, path, r.Status, err, r.Body)
	}
}

// assertProblem checks that r is an application/problem+json answer with
// the status.
func assertProblem(t testing.TB, r response, status int) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status: got %d; want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type: got %q; want application/problem+json", ct)
	}
	p := r.json(t)
	if got, _ := p["status"].(float64); int(got) != status {
		t.Fatalf("problem status: got %v; want %d", p["status"], status)
	}
	if d, _ := p["detail"].(string); d == "" {
		t.Fatalf("problem without detail: %s", r.Body)
	}
	return p
}

// assertField checks that a 400 problem names field among its errors.
func assertField(t testing.TB, r response, field string) {
	t.Helper()
	p := assertProblem(t, r, http.StatusBadRequest)
	errs, _ := p["errors"].([]any)
	var names []string
	for _, e := range errs {
		m, _ := e.(map[string]any)
		name, _ := m["field"].(string)
		if name == field {
			return
		}
		names = append(names, name)
	}
	t.Fatalf("400 problem names %v; want %q among them: %s", names, field, r.Body)
}

// readJSON decodes the JSON file at path into v.
func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
}

// document is the API's OpenAPI document, as the gateway serves it.
func document(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
