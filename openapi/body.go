package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Deployment is what the transform fills into the document: the values
// the stack knows only at deploy time, or their local equivalents.
type Deployment struct {
	// Integration returns the Lambda integration URI of an operation
	// (arn:...:apigateway:...:lambda:path/2015-03-31/functions/<arn>/invocations
	// in AWS); "" leaves the placeholder unfilled, which is an error.
	Integration func(op string) string
	// UserPoolARN is the Cognito user pool of the authorizer.
	UserPoolARN string
	// CORSOrigins are the browser origins allowed to call the API; none
	// turns CORS off (no preflight methods, no CORS headers).
	CORSOrigins []string
}

// Body returns the API body as the stack uploads it and the local gateway
// serves it: the document with every placeholder filled, the security
// requirement copied into every operation that declares none (API Gateway's
// REST import ignores root-level security), the gateway responses as
// application/problem+json, and, with CORS origins, a preflight method on
// every path. It is the one function that produces the body; the stack and
// the local gateway both call it.
func Body(ctx context.Context, d Deployment) (map[string]any, error) {
	doc, err := Load(ctx)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, err
	}
	var missing []string
	var fill func(v any) any
	fill = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = fill(e)
			}
		case []any:
			for i, e := range x {
				x[i] = fill(e)
			}
		case string:
			if !strings.HasPrefix(x, "${") || !strings.HasSuffix(x, "}") || strings.HasPrefix(x, "${Token") {
				return x
			}
			var r string
			switch name := x[2 : len(x)-1]; {
			case strings.HasPrefix(name, "function:") && d.Integration != nil:
				r = d.Integration(strings.TrimPrefix(name, "function:"))
			case name == "userPoolArn":
				r = d.UserPoolARN
			}
			if r == "" {
				missing = append(missing, x)
			}
			return r
		}
		return v
	}
	body = fill(body).(map[string]any)
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("unfilled placeholders in the OpenAPI document: %v", missing)
	}
	root, _ := body["security"].([]any)
	paths, _ := body["paths"].(map[string]any)
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		item, _ := paths[p].(map[string]any)
		for _, m := range methods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			if _, declared := op["security"]; !declared {
				op["security"] = deepCopy(root)
			}
		}
		if len(d.CORSOrigins) > 0 {
			item["options"] = preflight(item, d.CORSOrigins)
		}
	}
	responses, _ := body[GatewayResponsesKey].(map[string]any)
	for _, v := range responses {
		gr, _ := v.(map[string]any)
		params, _ := gr["responseParameters"].(map[string]any)
		if params == nil {
			params = map[string]any{}
			gr["responseParameters"] = params
		}
		params["gatewayresponse.header.Content-Type"] = "'application/problem+json'"
		if len(d.CORSOrigins) > 0 {
			// A gateway response has static headers only: one allowed
			// origin is named; with several, the constant error bodies
			// (they carry no data) are readable from any origin.
			origin := "*"
			if len(d.CORSOrigins) == 1 {
				origin = d.CORSOrigins[0]
			}
			params["gatewayresponse.header.Access-Control-Allow-Origin"] = "'" + origin + "'"
			params["gatewayresponse.header.Vary"] = "'Origin'"
		}
	}
	return body, nil
}

// GatewayResponsesKey is the extension holding the gateway responses.
const GatewayResponsesKey = "x-amazon-apigateway-gateway-responses"

var methods = []string{"get", "put", "post", "delete", "patch", "head"}

// CORS headers the API allows and exposes.
const (
	CORSAllowHeaders = "Authorization,Content-Type,If-Match,Idempotency-Key,Accept,Accept-Language"
	CORSMaxAge       = "600"
)

// preflight is the OPTIONS method of a path: a mock integration, public
// (a browser sends no token in a preflight), that names the request's
// origin when it is allowed and nothing otherwise.
func preflight(item map[string]any, origins []string) map[string]any {
	var allowed []string
	for _, m := range methods {
		if _, ok := item[m]; ok {
			allowed = append(allowed, strings.ToUpper(m))
		}
	}
	allowed = append(allowed, "OPTIONS")
	var cond []string
	for _, o := range origins {
		cond = append(cond, fmt.Sprintf("$origin == '%s'", o))
	}
	template := "#set($origin = $input.params().header.get('Origin'))\n" +
		"#if(" + strings.Join(cond, " || ") + ")\n" +
		"#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n" +
		"#end\n"
	header := func() map[string]any { return map[string]any{"schema": map[string]any{"type": "string"}} }
	return map[string]any{
		"summary":  "CORS preflight",
		"security": []any{},
		"responses": map[string]any{
			"204": map[string]any{
				"description": "The methods and headers a browser may use",
				"headers": map[string]any{
					"Access-Control-Allow-Origin":  header(),
					"Access-Control-Allow-Methods": header(),
					"Access-Control-Allow-Headers": header(),
					"Access-Control-Max-Age":       header(),
					"Vary":                         header(),
				},
			},
		},
		"x-amazon-apigateway-integration": map[string]any{
			"type":                "mock",
			"passthroughBehavior": "when_no_match",
			"requestTemplates":    map[string]any{"application/json": `{"statusCode": 200}`},
			"responses": map[string]any{
				"default": map[string]any{
					"statusCode": "204",
					"responseParameters": map[string]any{
						"method.response.header.Access-Control-Allow-Methods": "'" + strings.Join(allowed, ",") + "'",
						"method.response.header.Access-Control-Allow-Headers": "'" + CORSAllowHeaders + "'",
						"method.response.header.Access-Control-Max-Age":       "'" + CORSMaxAge + "'",
						"method.response.header.Vary":                         "'Origin'",
					},
					"responseTemplates": map[string]any{"application/json": template},
				},
			},
		},
		XPreflightOrigins: anySlice(origins),
	}
}

// XPreflightOrigins records, on a preflight method, the origins its mock
// template allows: the local gateway answers preflights from it.
const XPreflightOrigins = "x-ohcs-cors-origins"

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func deepCopy(v any) any {
	raw, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(raw, &out)
	return out
}
