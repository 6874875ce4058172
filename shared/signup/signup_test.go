package signup_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"ohcs/shared/signup"
)

// fakeGroups records the calls; the real Cognito cannot run here.
type fakeGroups struct {
	added []string
	err   error
}

func (f *fakeGroups) AdminAddUserToGroup(_ context.Context, in *cognitoidentityprovider.AdminAddUserToGroupInput, _ ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.AdminAddUserToGroupOutput, error) {
	if f.err != nil {
		return nil, f.err
	}
	f.added = append(f.added, aws.ToString(in.Username)+"→"+aws.ToString(in.GroupName))
	return &cognitoidentityprovider.AdminAddUserToGroupOutput{}, nil
}

func event(source, role string) events.CognitoEventUserPoolsPostConfirmation {
	var ev events.CognitoEventUserPoolsPostConfirmation
	ev.TriggerSource, ev.UserName, ev.UserPoolID = source, "ana", "pool-1"
	ev.Request.UserAttributes = map[string]string{"email": "ana@example.org", signup.RoleAttribute: role}
	return ev
}

func TestTrigger(t *testing.T) {
	for _, tc := range []struct {
		name, source, role string
		want               []string
	}{
		{"beneficiary", "PostConfirmation_ConfirmSignUp", "beneficiary", []string{"ana→beneficiary"}},
		{"caregiver", "PostConfirmation_ConfirmSignUp", "caregiver", []string{"ana→caregiver"}},
		{"donor", "PostConfirmation_ConfirmSignUp", "donor", []string{"ana→donor"}},
		{"practitioner is never self-granted", "PostConfirmation_ConfirmSignUp", "practitioner", nil},
		{"administrator is never self-granted", "PostConfirmation_ConfirmSignUp", "administrator", nil},
		{"no role", "PostConfirmation_ConfirmSignUp", "", nil},
		{"forgotten password", "PostConfirmation_ConfirmForgotPassword", "donor", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &fakeGroups{}
			tr := signup.Trigger{Groups: g, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
			if _, err := tr.Handle(context.Background(), event(tc.source, tc.role)); err != nil {
				t.Fatal(err)
			}
			if len(g.added) != len(tc.want) || (len(tc.want) == 1 && g.added[0] != tc.want[0]) {
				t.Errorf("got %v; want %v", g.added, tc.want)
			}
		})
	}
	g := &fakeGroups{err: errors.New("throttled")}
	tr := signup.Trigger{Groups: g, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	if _, err := tr.Handle(context.Background(), event("PostConfirmation_ConfirmSignUp", "donor")); err == nil {
		t.Error("a failed group assignment was swallowed")
	}
}
