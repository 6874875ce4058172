package accounthttp_test

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/shared/app"
	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
	"ohcs/shared/people"
)

// TestGetMe sends API Gateway events straight to getMe: the caller's roles
// and the ids of the profiles it holds, none of another's.
func TestGetMe(t *testing.T) {
	env := lambdahttptest.Env(t)
	env.NewID = func() string { return "CG1" }
	if _, err := app.Of(env).PeopleService().CreateCaregiver(context.Background(), "c1", people.Caregiver{FullName: "Joana", Email: "joana@example.org", Phone: "+258841234567"}); err != nil {
		t.Fatal(err)
	}
	profiles := func(want map[string]string) func(*testing.T, events.APIGatewayProxyResponse) {
		return func(t *testing.T, resp events.APIGatewayProxyResponse) {
			var me struct {
				Sub      string
				Roles    []string
				Profiles map[string]string
			}
			lambdahttptest.Decode(t, resp, &me)
			if len(me.Profiles) != len(want) {
				t.Errorf("profiles: got %v; want %v", me.Profiles, want)
			}
			for k, v := range want {
				if me.Profiles[k] != v {
					t.Errorf("profiles: got %v; want %v", me.Profiles, want)
				}
			}
			if len(me.Roles) == 0 {
				t.Errorf("roles: none")
			}
		}
	}
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "no claims", Op: "getMe", Method: "GET", Path: "/v1/me", Status: 401},
		{Name: "a caregiver", Op: "getMe", Method: "GET", Path: "/v1/me", Caller: lambdahttptest.Caregiver,
			Status: 200, Check: profiles(map[string]string{"caregiverId": "CG1"})},
		{Name: "someone without profiles", Op: "getMe", Method: "GET", Path: "/v1/me", Caller: lambdahttptest.Donor,
			Status: 200, Check: profiles(map[string]string{})},
	})
}
