package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"

	"ohcs/shared/auth"
)

type identity struct {
	pool awscognito.UserPool
	// client is the app client: people sign in through the managed login
	// with the authorization code flow and PKCE.
	client awscognito.UserPoolClient
	// machine is the client of server integrations: client credentials.
	machine awscognito.UserPoolClient
	domain  awscognito.UserPoolDomain
}

// newIdentity creates the user pool, one group per role and the API's app
// client. Self sign-up creates an account without a group; the roles that
// carry responsibility (practitioner, administrator) are granted by
// administrators, and the self-service roles (beneficiary, caregiver,
// donor) by the onboarding flow.
func newIdentity(st awscdk.Stack, props Props, key awskms.Key) identity {
	pool := awscognito.NewUserPool(st, jsii.String("Users"), &awscognito.UserPoolProps{
		SelfSignUpEnabled: jsii.Bool(true),
		SignInAliases:     &awscognito.SignInAliases{Email: jsii.Bool(true), Phone: jsii.Bool(true)},
		AutoVerify:        &awscognito.AutoVerifiedAttrs{Email: jsii.Bool(true), Phone: jsii.Bool(true)},
		PasswordPolicy: &awscognito.PasswordPolicy{
			MinLength: jsii.Number(12), RequireDigits: jsii.Bool(true), RequireLowercase: jsii.Bool(true),
			RequireUppercase: jsii.Bool(true), RequireSymbols: jsii.Bool(true),
			TempPasswordValidity: awscdk.Duration_Days(jsii.Number(3)),
		},
		Mfa:                awscognito.Mfa_OPTIONAL,
		MfaSecondFactor:    &awscognito.MfaSecondFactor{Otp: jsii.Bool(true), Sms: jsii.Bool(true)},
		AccountRecovery:    awscognito.AccountRecovery_EMAIL_AND_PHONE_WITHOUT_MFA,
		RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
		DeletionProtection: jsii.Bool(true),
		CustomAttributes: &map[string]awscognito.ICustomAttribute{
			// custom:role, chosen at sign-up among the self-service roles.
			"role": awscognito.NewStringAttribute(&awscognito.StringAttributeProps{
				MinLen: jsii.Number(5), MaxLen: jsii.Number(16), Mutable: jsii.Bool(false),
			}),
		},
	})
	trigger := newEventFunction(st, props, key, EventFunctions[0], map[string]*string{"OHCS_LOG_LEVEL": jsii.String("info")})
	pool.AddTrigger(awscognito.UserPoolOperation_POST_CONFIRMATION(), trigger, awscognito.LambdaVersion_V1_0)
	// A separate policy: the pool depends on the function, so the function
	// must not depend on a policy naming the pool.
	policy := awsiam.NewPolicy(st, jsii.String("AssignSignupRolePolicy"), &awsiam.PolicyProps{
		Roles: &[]awsiam.IRole{trigger.Role()},
		Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Actions:   jsii.Strings("cognito-idp:AdminAddUserToGroup"),
			Resources: jsii.Strings(*st.FormatArn(&awscdk.ArnComponents{Service: jsii.String("cognito-idp"), Resource: jsii.String("userpool"), ResourceName: jsii.String("*")})),
		})},
	})
	accept(policy,
		suppression{id: "AwsSolutions-IAM5", reason: "The trigger adds users to groups of this account's user pools; naming the pool would make the pool and its trigger depend on each other",
			appliesTo: []string{"Resource::arn:<AWS::Partition>:cognito-idp:<AWS::Region>:<AWS::AccountId>:userpool/*"}},
		suppression{id: "HIPAA.Security-IAMNoInlinePolicy", reason: "A policy of this one trigger's role, granting one action"})
	for _, role := range auth.Roles {
		awscognito.NewCfnUserPoolGroup(st, jsii.String("Group-"+string(role)), &awscognito.CfnUserPoolGroupProps{
			UserPoolId: pool.UserPoolId(),
			GroupName:  jsii.String(string(role)),
		})
	}
	scope := awscognito.NewResourceServerScope(&awscognito.ResourceServerScopeProps{
		ScopeName: jsii.String("api"), ScopeDescription: jsii.String("Call the OHCS API"),
	})
	server := pool.AddResourceServer(jsii.String("Api"), &awscognito.UserPoolResourceServerOptions{
		Identifier: jsii.String("ohcs"),
		Scopes:     &[]awscognito.ResourceServerScope{scope},
	})
	// Cognito puts a resource server's custom scope (ohcs/api, which every
	// method requires) only into access tokens from its OAuth endpoints,
	// which need a domain; tokens from InitiateAuth or SRP carry
	// aws.cognito.signin.user.admin only (Amazon Cognito developer guide,
	// "Scopes, M2M, and APIs with resource servers").
	prefix := props.AuthDomainPrefix
	if prefix == "" {
		prefix = "ohcs-" + *st.Account()
	}
	domain := pool.AddDomain(jsii.String("Login"), &awscognito.UserPoolDomainOptions{
		CognitoDomain: &awscognito.CognitoDomainOptions{DomainPrefix: jsii.String(prefix)},
	})
	apiScope := awscognito.OAuthScope_ResourceServer(server, scope)
	client := pool.AddClient(jsii.String("AppClient"), &awscognito.UserPoolClientOptions{
		// A public client (no secret: apps cannot keep one) that only the
		// managed login's authorization code flow with PKCE signs in, and
		// refresh tokens renew; no password or SRP flow.
		GenerateSecret:             jsii.Bool(false),
		AuthFlows:                  &awscognito.AuthFlow{UserSrp: jsii.Bool(false), UserPassword: jsii.Bool(false), Custom: jsii.Bool(false), AdminUserPassword: jsii.Bool(false)},
		PreventUserExistenceErrors: jsii.Bool(true),
		AccessTokenValidity:        awscdk.Duration_Hours(jsii.Number(1)),
		IdTokenValidity:            awscdk.Duration_Hours(jsii.Number(1)),
		RefreshTokenValidity:       awscdk.Duration_Days(jsii.Number(30)),
		OAuth: &awscognito.OAuthSettings{
			Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true)},
			Scopes:       &[]awscognito.OAuthScope{awscognito.OAuthScope_OPENID(), apiScope},
			CallbackUrls: jsii.Strings(props.CallbackURLs...),
			LogoutUrls:   jsii.Strings(props.CallbackURLs...),
		},
		SupportedIdentityProviders: &[]awscognito.UserPoolClientIdentityProvider{awscognito.UserPoolClientIdentityProvider_COGNITO()},
	})
	machine := pool.AddClient(jsii.String("MachineClient"), &awscognito.UserPoolClientOptions{
		// A confidential client for server integrations: client
		// credentials only, its access token carries no groups (no role).
		GenerateSecret:       jsii.Bool(true),
		AuthFlows:            &awscognito.AuthFlow{UserSrp: jsii.Bool(false), UserPassword: jsii.Bool(false), Custom: jsii.Bool(false), AdminUserPassword: jsii.Bool(false)},
		AccessTokenValidity:  awscdk.Duration_Hours(jsii.Number(1)),
		IdTokenValidity:      awscdk.Duration_Hours(jsii.Number(1)),
		RefreshTokenValidity: awscdk.Duration_Days(jsii.Number(1)),
		OAuth: &awscognito.OAuthSettings{
			Flows:  &awscognito.OAuthFlows{ClientCredentials: jsii.Bool(true)},
			Scopes: &[]awscognito.OAuthScope{apiScope},
		},
	})
	accept(pool,
		suppression{id: "AwsSolutions-COG2", reason: "MFA is optional because many beneficiaries share or lack a phone; administrators and practitioners are required to enrol by the onboarding procedure (README)"},
		suppression{id: "AwsSolutions-COG3", reason: "Advanced security is a paid feature plan; the service must cost nothing while idle"},
		suppression{id: "AwsSolutions-COG8", reason: "The Plus feature plan is billed per active user; the service must cost nothing while idle"},
		suppression{id: "AwsSolutions-IAM5", reason: "Cognito sends SMS codes through SNS to any phone number, which IAM can only express as *",
			appliesTo: []string{"Resource::*"}},
		suppression{id: "HIPAA.Security-IAMNoInlinePolicy", reason: "The SMS role's policy is Cognito's own, created by CDK for this pool only"},
	)
	return identity{pool: pool, client: client, machine: machine, domain: domain}
}
