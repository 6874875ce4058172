package registryhttp_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestRegistryHandlers sends API Gateway events straight to the registry's
// handlers: roles, validation, a member that does not exist, and who sees
// an organisation's members.
func TestRegistryHandlers(t *testing.T) {
	env := lambdahttptest.Env(t)
	n := 0
	env.NewID = func() string { n++; return fmt.Sprintf("ORG%d", n) }
	org := map[string]string{"organizationId": "ORG1"}
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "no claims", Op: "createOrganization", Method: "POST", Path: "/v1/organizations", Body: `{}`, Status: 401},
		{Name: "not an administrator", Op: "createOrganization", Method: "POST", Path: "/v1/organizations", Caller: lambdahttptest.Practitioner,
			Body: `{"name":"Clinic","kind":"facility","country":"MZ"}`, Status: 403},
		{Name: "bad kind", Op: "createOrganization", Method: "POST", Path: "/v1/organizations", Caller: lambdahttptest.Administrator,
			Body: `{"name":"Clinic","kind":"shop","country":"MZ"}`, Status: 400, Field: "kind"},
		{Name: "created", Op: "createOrganization", Method: "POST", Path: "/v1/organizations", Caller: lambdahttptest.Administrator,
			Body: `{"name":"Clinic","kind":"facility","country":"MZ"}`, Status: 201,
			Check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				var o struct{ ID, Name string }
				lambdahttptest.Decode(t, resp, &o)
				if o.ID != "ORG1" || o.Name != "Clinic" {
					t.Errorf("organisation: got %+v; want ORG1 Clinic", o)
				}
				if loc := resp.MultiValueHeaders["Location"]; len(loc) != 1 || loc[0] != "/v1/organizations/ORG1" {
					t.Errorf("location: got %v", loc)
				}
			}},
		{Name: "member that does not exist", Op: "addMembership", Method: "POST", Path: "/v1/organizations/ORG1/members", Params: org, Caller: lambdahttptest.Administrator,
			Body: `{"memberType":"practitioner","memberId":"nobody"}`, Status: 400, Field: "memberId"},
		{Name: "bad member type", Op: "addMembership", Method: "POST", Path: "/v1/organizations/ORG1/members", Params: org, Caller: lambdahttptest.Administrator,
			Body: `{"memberType":"donor","memberId":"d1"}`, Status: 400, Field: "memberType"},
		{Name: "organisation that does not exist", Op: "addMembership", Method: "POST", Path: "/v1/organizations/ORG9/members",
			Params: map[string]string{"organizationId": "ORG9"}, Caller: lambdahttptest.Administrator, Body: `{"memberType":"practitioner","memberId":"p"}`, Status: 404},
		{Name: "members to a non-member", Op: "listOrganizationMembers", Method: "GET", Path: "/v1/organizations/ORG1/members", Params: org,
			Caller: lambdahttptest.Practitioner, Status: 404},
		{Name: "members to an administrator", Op: "listOrganizationMembers", Method: "GET", Path: "/v1/organizations/ORG1/members", Params: org,
			Caller: lambdahttptest.Administrator, Status: 200, Check: items(0)},
		{Name: "my memberships", Op: "listMyMemberships", Method: "GET", Path: "/v1/memberships", Caller: lambdahttptest.Practitioner, Status: 200, Check: items(0)},
		{Name: "remove a membership that does not exist", Op: "removeMembership", Method: "DELETE", Path: "/v1/organizations/ORG1/members/practitioner/p",
			Params: map[string]string{"organizationId": "ORG1", "memberType": "practitioner", "memberId": "p"}, Caller: lambdahttptest.Administrator, Status: 404},
	})
}

func items(want int) func(*testing.T, events.APIGatewayProxyResponse) {
	return func(t *testing.T, resp events.APIGatewayProxyResponse) {
		var page struct{ Items []any }
		lambdahttptest.Decode(t, resp, &page)
		if len(page.Items) != want {
			t.Errorf("items: got %d; want %d", len(page.Items), want)
		}
	}
}
