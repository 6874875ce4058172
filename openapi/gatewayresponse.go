package openapi

import (
	"fmt"
	"strconv"
	"strings"
)

// Error is what API Gateway knows of a request it refuses itself: the
// gateway response type and the $context.error values of its template.
type Error struct {
	// Type is the gateway response type: UNAUTHORIZED, BAD_REQUEST_BODY...
	Type string
	// Message is $context.error.message, such as "Unauthorized".
	Message string
	// ValidationError is $context.error.validationErrorString.
	ValidationError string
	// RequestID is $context.requestId.
	RequestID string
	// Status is the status of a DEFAULT_4XX or DEFAULT_5XX response,
	// which has none of its own.
	Status int
}

// Rendered is a gateway response as API Gateway sends it.
type Rendered struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// families are the default status codes of the gateway response types
// (API Gateway developer guide, "Gateway response types for API Gateway").
var defaultStatus = map[string]int{
	"ACCESS_DENIED": 403, "API_CONFIGURATION_ERROR": 500, "AUTHORIZER_CONFIGURATION_ERROR": 500,
	"AUTHORIZER_FAILURE": 500, "BAD_REQUEST_PARAMETERS": 400, "BAD_REQUEST_BODY": 400,
	"EXPIRED_TOKEN": 403, "INTEGRATION_FAILURE": 504, "INTEGRATION_TIMEOUT": 504, "INVALID_API_KEY": 403,
	"INVALID_SIGNATURE": 403, "MISSING_AUTHENTICATION_TOKEN": 403, "QUOTA_EXCEEDED": 429,
	"REQUEST_TOO_LARGE": 413, "RESOURCE_NOT_FOUND": 404, "THROTTLED": 429, "UNAUTHORIZED": 401,
	"UNSUPPORTED_MEDIA_TYPE": 415, "WAF_FILTERED": 403,
}

// GatewayResponseTypes lists every gateway response type API Gateway has.
func GatewayResponseTypes() []string {
	out := make([]string, 0, len(defaultStatus))
	for t := range defaultStatus {
		out = append(out, t)
	}
	return out
}

// RenderGatewayResponse renders the gateway response of e from body's
// x-amazon-apigateway-gateway-responses as API Gateway does: the type's own
// entry, else DEFAULT_4XX or DEFAULT_5XX by its default status; the status
// code of the entry or the type's default; the static header values
// ('quoted' in the mapping); the application/json template with its
// $context variables substituted as AWS substitutes them
// ($context.error.messageString is the message in quotes, unescaped).
func RenderGatewayResponse(body map[string]any, e Error) (Rendered, error) {
	status, known := defaultStatus[e.Type]
	if e.Type == "DEFAULT_4XX" || e.Type == "DEFAULT_5XX" {
		status, known = e.Status, e.Status >= 400
	}
	if !known {
		return Rendered{}, fmt.Errorf("unknown gateway response type %q", e.Type)
	}
	responses, _ := body[GatewayResponsesKey].(map[string]any)
	entry, ok := responses[e.Type].(map[string]any)
	if !ok {
		family := "DEFAULT_4XX"
		if status >= 500 {
			family = "DEFAULT_5XX"
		}
		entry, _ = responses[family].(map[string]any)
	}
	out := Rendered{Status: status, Headers: map[string]string{"Content-Type": "application/json"}}
	switch sc := entry["statusCode"].(type) {
	case float64:
		out.Status = int(sc)
	case int:
		out.Status = sc
	case string:
		n, err := strconv.Atoi(sc)
		if err != nil {
			return Rendered{}, fmt.Errorf("%s: status code %q", e.Type, sc)
		}
		out.Status = n
	}
	params, _ := entry["responseParameters"].(map[string]any)
	for k, v := range params {
		name, ok := strings.CutPrefix(k, "gatewayresponse.header.")
		s, _ := v.(string)
		if !ok || len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
			// Mappings from the request (method.request.header.X) are
			// not used by this API.
			return Rendered{}, fmt.Errorf("%s: response parameter %s=%v is not a static header", e.Type, k, v)
		}
		out.Headers[name] = s[1 : len(s)-1]
	}
	templates, _ := entry["responseTemplates"].(map[string]any)
	tmpl, _ := templates["application/json"].(string)
	if tmpl == "" {
		// Without a template API Gateway sends {"message": ...}.
		tmpl = `{"message":$context.error.messageString}`
	}
	out.Body = []byte(strings.NewReplacer(
		"$context.error.messageString", `"`+e.Message+`"`,
		"$context.error.message", e.Message,
		"$context.error.validationErrorString", e.ValidationError,
		"$context.error.responseType", e.Type,
		"$context.requestId", e.RequestID,
	).Replace(tmpl))
	return out, nil
}
