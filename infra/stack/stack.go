// Package stack is the whole OHCS stack in AWS CDK: tables from the table
// definitions, one Lambda function per operation of the OpenAPI document,
// the REST API built from the document, Cognito, notifications, alarms, and
// the cdk-nag packs that check it.
package stack

import (
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Props configures the stack.
type Props struct {
	awscdk.StackProps
	// BuildDir holds build/<function>/bootstrap for every function
	// (`make build`).
	BuildDir string
	// EmailDomain is the SES identity notifications are sent from.
	EmailDomain string
	// ReservedConcurrency, when above zero, reserves that many concurrent
	// executions for each function.
	ReservedConcurrency int
	// ThrottleRate and ThrottleBurst are the stage's default throttling.
	ThrottleRate  float64
	ThrottleBurst float64
	// CORSOrigins are the browser origins allowed to call the API
	// (ohcs:corsOrigins, comma-separated); none by default.
	CORSOrigins []string
	// CallbackURLs are where the user pool's managed login may send an
	// app's authorization code (ohcs:callbackUrls, comma-separated); the
	// loopback address of `make login` by default.
	CallbackURLs []string
	// AuthDomainPrefix is the user pool domain's prefix
	// (ohcs:authDomainPrefix): https://<prefix>.auth.<region>.amazoncognito.com.
	AuthDomainPrefix string
	// AlarmEmail, when set, is subscribed to the alarm topic
	// (ohcs:alarmEmail).
	AlarmEmail string
	// Firewall puts the WAF web ACL in front of the API (ohcs:waf, on by
	// default). Off saves its fixed monthly cost (bench/results.md, Idle
	// cost), at a risk README.md states: no managed rules against known
	// bad inputs, no per-address rate limit beyond the stage's throttle.
	Firewall bool
}

// ExampleEmailDomain is the placeholder mail domain: a deployment must set
// its own (ohcs:emailDomain) before it goes live.
const ExampleEmailDomain = "example.org"

// LoginCallback is the loopback callback of `make login`.
const LoginCallback = "http://localhost:8765/callback"

func contextList(app awscdk.App, key string) []string {
	v, _ := app.Node().TryGetContext(jsii.String(key)).(string)
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// PropsFromContext reads the props from the CDK context and environment:
// ohcs:buildDir, ohcs:emailDomain, ohcs:reservedConcurrency, ohcs:waf and
// the others named on Props.
func PropsFromContext(app awscdk.App) Props {
	p := Props{
		StackProps: awscdk.StackProps{
			Env: &awscdk.Environment{
				Account: jsii.String(os.Getenv("CDK_DEFAULT_ACCOUNT")),
				Region:  jsii.String(os.Getenv("CDK_DEFAULT_REGION")),
			},
			Description: jsii.String("OHCS: Open Health Care Services API"),
			// CloudFormation takes templates up to 1 MB; the API body is
			// large, so the template is written without indentation.
			SuppressTemplateIndentation: jsii.Bool(true),
		},
		BuildDir:      "build",
		EmailDomain:   ExampleEmailDomain,
		CallbackURLs:  []string{LoginCallback},
		ThrottleRate:  50,
		ThrottleBurst: 100,
		Firewall:      true,
	}
	if *p.Env.Account == "" {
		p.Env = nil
	}
	node := app.Node()
	if v, ok := node.TryGetContext(jsii.String("ohcs:buildDir")).(string); ok && v != "" {
		p.BuildDir = v
	}
	if v, ok := node.TryGetContext(jsii.String("ohcs:emailDomain")).(string); ok && v != "" {
		p.EmailDomain = v
	}
	if v, ok := node.TryGetContext(jsii.String("ohcs:reservedConcurrency")).(float64); ok {
		p.ReservedConcurrency = int(v)
	}
	p.CORSOrigins = contextList(app, "ohcs:corsOrigins")
	if urls := contextList(app, "ohcs:callbackUrls"); len(urls) > 0 {
		p.CallbackURLs = urls
	}
	if v, ok := node.TryGetContext(jsii.String("ohcs:authDomainPrefix")).(string); ok {
		p.AuthDomainPrefix = v
	}
	if v, ok := node.TryGetContext(jsii.String("ohcs:alarmEmail")).(string); ok {
		p.AlarmEmail = v
	}
	// -c ohcs:waf=false gives a string, cdk.json a boolean.
	switch v := node.TryGetContext(jsii.String("ohcs:waf")).(type) {
	case bool:
		p.Firewall = v
	case string:
		p.Firewall = v != "false"
	}
	return p
}

// Stack is the OHCS stack and the constructs tests look at.
type Stack struct {
	awscdk.Stack
	Key awskms.Key
}

// New builds the stack.
func New(scope constructs.Construct, id string, props Props) *Stack {
	st := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	s := &Stack{Stack: st}
	s.Key = awskms.NewKey(st, jsii.String("DataKey"), &awskms.KeyProps{
		Description:       jsii.String("OHCS data, logs and messages"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	allowLogs(st, s.Key)
	tbls := newTables(st, s.Key)
	pool := newIdentity(st, props, s.Key)
	notices := newNotifications(st, s.Key, props)
	api := newAPI(st, apiInputs{props: props, key: s.Key, tables: tbls, pool: pool})
	newDataEventFunctions(st, props, s.Key, tbls, api.eventEnv, notices)
	newOperations(st, s.Key, api, tbls, notices)
	if props.EmailDomain == ExampleEmailDomain {
		awscdk.Annotations_Of(st).AddWarningV2(jsii.String("ohcs:exampleEmailDomain"), jsii.String(
			"ohcs:emailDomain is still "+ExampleEmailDomain+": set it to a domain you own before going live (README, Going live)"), nil)
	}
	out := func(id, what string, v *string) {
		awscdk.NewCfnOutput(st, jsii.String(id), &awscdk.CfnOutputProps{Value: v, Description: jsii.String(what)})
	}
	out("ApiUrl", "The API's base URL (ends in /v1/)", api.rest.Url())
	out("UserPoolId", "The user pool", pool.pool.UserPoolId())
	out("AppClientId", "The app client: authorization code with PKCE, scope ohcs/api (make login)", pool.client.UserPoolClientId())
	out("MachineClientId", "The machine client: client credentials, scope ohcs/api; its secret is in the Cognito console", pool.machine.UserPoolClientId())
	out("AuthDomain", "The user pool's managed login (authorize and token endpoints)", pool.domain.BaseUrl(nil))
	for i, r := range *notices.identity.DkimRecords() {
		out(fmt.Sprintf("DkimRecord%d", i+1), "A CNAME record to publish in the mail domain's DNS (SES Easy DKIM)",
			jsii.String(*r.Name+" CNAME "+*r.Value))
	}
	return s
}
