// Package signup owns self sign-up roles: a person who signs up chooses
// beneficiary, caregiver or donor (the custom:role attribute), and the user
// pool's post-confirmation trigger puts it in that group. The roles that
// carry responsibility, practitioner and administrator, are never granted
// here: administrators grant them.
package signup

import (
	"context"
	"fmt"
	"log/slog"
	"slices"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"ohcs/shared/auth"
)

// RoleAttribute is the user attribute holding the chosen role.
const RoleAttribute = "custom:role"

// SelfService lists the roles a person may choose at sign-up.
var SelfService = []auth.Role{auth.Beneficiary, auth.Caregiver, auth.Donor}

// Groups adds users to groups: the Cognito client.
type Groups interface {
	AdminAddUserToGroup(ctx context.Context, in *cognitoidentityprovider.AdminAddUserToGroupInput, opts ...func(*cognitoidentityprovider.Options)) (*cognitoidentityprovider.AdminAddUserToGroupOutput, error)
}

// Trigger handles the post-confirmation event.
type Trigger struct {
	Groups Groups
	Logger *slog.Logger
}

// Handle adds a newly confirmed user to the self-service group it chose.
// Any other value, and confirmations of a forgotten password, add nothing.
func (t Trigger) Handle(ctx context.Context, ev events.CognitoEventUserPoolsPostConfirmation) (events.CognitoEventUserPoolsPostConfirmation, error) {
	if ev.TriggerSource != "PostConfirmation_ConfirmSignUp" {
		return ev, nil
	}
	role := auth.Role(ev.Request.UserAttributes[RoleAttribute])
	if !slices.Contains(SelfService, role) {
		t.Logger.Warn("sign-up without a self-service role", slog.String("user_pool", ev.UserPoolID))
		return ev, nil
	}
	_, err := t.Groups.AdminAddUserToGroup(ctx, &cognitoidentityprovider.AdminAddUserToGroupInput{
		UserPoolId: aws.String(ev.UserPoolID), Username: aws.String(ev.UserName), GroupName: aws.String(string(role)),
	})
	if err != nil {
		// Failing the trigger fails the confirmation: the person retries
		// rather than ending up with an account that has no role.
		return ev, fmt.Errorf("add user to group %s: %w", role, err)
	}
	return ev, nil
}
