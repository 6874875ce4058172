package auth_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/google/go-cmp/cmp"

	"ohcs/shared/auth"
	"ohcs/shared/problem"
)

func TestParseGroups(t *testing.T) {
	for _, tc := range []struct {
		in   any
		want []auth.Role
	}{
		{"practitioner", []auth.Role{auth.Practitioner}},
		{"practitioner,beneficiary", []auth.Role{auth.Beneficiary, auth.Practitioner}},
		{"[administrator donor]", []auth.Role{auth.Administrator, auth.Donor}},
		{[]any{"caregiver", "root"}, []auth.Role{auth.Caregiver}},
		{"superuser", nil},
		{"", nil},
		{nil, nil},
	} {
		if diff := cmp.Diff(tc.want, auth.ParseGroups(tc.in)); diff != "" {
			t.Errorf("ParseGroups(%v) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestRequire(t *testing.T) {
	// The adapter's context is built by ProxyWithContext; build it the same
	// way through the adapter's own accessor.
	withClaims := func(claims map[string]any) context.Context {
		var ra core.RequestAccessor
		ev := events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/v1/me"}
		if claims != nil {
			ev.RequestContext.Authorizer = map[string]any{"claims": claims}
		}
		r, err := ra.EventToRequestWithContext(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		return r.Context()
	}
	for _, tc := range []struct {
		name   string
		claims map[string]any
		roles  []auth.Role
		code   problem.Code
	}{
		{"no claims", nil, nil, problem.Unauthenticated},
		{"no sub", map[string]any{"cognito:groups": "practitioner"}, nil, problem.Unauthenticated},
		{"any role", map[string]any{"sub": "u1"}, nil, ""},
		{"role held", map[string]any{"sub": "u1", "cognito:groups": "beneficiary,practitioner"}, []auth.Role{auth.Practitioner}, ""},
		{"role missing", map[string]any{"sub": "u1", "cognito:groups": "beneficiary"}, []auth.Role{auth.Practitioner}, problem.Forbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/v1/me", nil).WithContext(withClaims(tc.claims))
			p, err := auth.Require(r, tc.roles...)
			if tc.code != "" {
				if problem.CodeOf(err) != tc.code {
					t.Fatalf("got %v; want %s", err, tc.code)
				}
				return
			}
			if err != nil || p.Sub != "u1" {
				t.Fatalf("got %+v, %v", p, err)
			}
		})
	}
	// Without the adapter's context, a header is never trusted.
	r := httptest.NewRequest("GET", "/v1/me", nil)
	r.Header.Set(core.APIGwContextHeader, `{"authorizer":{"claims":{"sub":"evil"}}}`)
	if _, err := auth.FromRequest(r); problem.CodeOf(err) != problem.Unauthenticated {
		t.Errorf("header claims: got %v; want unauthenticated", err)
	}
}
