// Package auth owns the caller's identity: the principal (sub, roles, email)
// that API Gateway's Cognito authorizer put in the request context. It reads
// the claims only from the context built by the api-proxy adapter's
// ProxyWithContext, never from a header a client could forge.
package auth

import (
	"net/http"
	"slices"
	"strings"

	"github.com/awslabs/aws-lambda-go-api-proxy/core"

	"ohcs/shared/problem"
)

// Role is a Cognito group.
type Role string

// The roles of DOMAIN.md.
const (
	Practitioner  Role = "practitioner"
	Beneficiary   Role = "beneficiary"
	Caregiver     Role = "caregiver"
	Donor         Role = "donor"
	Administrator Role = "administrator"
)

// Roles lists every role, in a stable order.
var Roles = []Role{Practitioner, Beneficiary, Caregiver, Donor, Administrator}

// Claim names as the Cognito authorizer passes them.
const (
	ClaimSub    = "sub"
	ClaimGroups = "cognito:groups"
	ClaimEmail  = "email"
)

// Principal is the authenticated caller.
type Principal struct {
	Sub   string
	Roles []Role
	Email string
}

// Has reports whether the principal holds role.
func (p Principal) Has(role Role) bool { return slices.Contains(p.Roles, role) }

// HasAny reports whether the principal holds one of roles.
func (p Principal) HasAny(roles ...Role) bool {
	for _, r := range roles {
		if p.Has(r) {
			return true
		}
	}
	return false
}

// ParseGroups reads the groups claim. The authorizer renders a list of
// groups as a string, "a,b" or "[a b]" depending on the gateway; unknown
// groups are dropped, so a group outside DOMAIN.md grants nothing.
func ParseGroups(v any) []Role {
	var raw []string
	switch g := v.(type) {
	case string:
		s := strings.Trim(strings.TrimSpace(g), "[]")
		raw = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	case []any:
		for _, x := range g {
			if s, ok := x.(string); ok {
				raw = append(raw, s)
			}
		}
	case []string:
		raw = g
	}
	var roles []Role
	for _, s := range raw {
		r := Role(strings.TrimSpace(s))
		if slices.Contains(Roles, r) && !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	slices.Sort(roles)
	return roles
}

// FromClaims builds a principal from authorizer claims.
func FromClaims(claims map[string]any) (Principal, bool) {
	sub, _ := claims[ClaimSub].(string)
	if sub == "" {
		return Principal{}, false
	}
	email, _ := claims[ClaimEmail].(string)
	return Principal{Sub: sub, Roles: ParseGroups(claims[ClaimGroups]), Email: email}, true
}

// FromRequest returns the principal of r, or an Unauthenticated error.
func FromRequest(r *http.Request) (Principal, error) {
	gw, ok := core.GetAPIGatewayContextFromContext(r.Context())
	if !ok {
		return Principal{}, problem.New(problem.Unauthenticated, "a valid bearer token is required")
	}
	claims, _ := gw.Authorizer["claims"].(map[string]any)
	p, ok := FromClaims(claims)
	if !ok {
		return Principal{}, problem.New(problem.Unauthenticated, "a valid bearer token is required")
	}
	return p, nil
}

// Require returns the principal of r if it holds one of roles: Unauthenticated
// without a principal, Forbidden when no role matches.
func Require(r *http.Request, roles ...Role) (Principal, error) {
	p, err := FromRequest(r)
	if err != nil {
		return p, err
	}
	if len(roles) > 0 && !p.HasAny(roles...) {
		return p, problem.New(problem.Forbidden, "this operation needs one of the roles %s", joinRoles(roles))
	}
	return p, nil
}

func joinRoles(roles []Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
