// Package stack is the whole OHCS stack in AWS CDK: tables from the table
// definitions, one Lambda function per operation of the OpenAPI document,
// the REST API built from the document, Cognito, notifications, alarms, and
// the cdk-nag packs that check it.
package stack

import (
	"os"

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
}

// PropsFromContext reads the props from the CDK context and environment:
// ohcs:buildDir, ohcs:emailDomain, ohcs:reservedConcurrency.
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
		EmailDomain:   "example.org",
		ThrottleRate:  50,
		ThrottleBurst: 100,
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
	notices := newNotifications(st, s.Key, props.EmailDomain)
	api := newAPI(st, apiInputs{props: props, key: s.Key, tables: tbls, pool: pool})
	newDataEventFunctions(st, props, s.Key, tbls, api.eventEnv, notices)
	newOperations(st, s.Key, api, tbls, notices)
	awscdk.NewCfnOutput(st, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: api.rest.Url(), Description: jsii.String("The API's base URL (ends in /v1/)")})
	awscdk.NewCfnOutput(st, jsii.String("UserPoolId"), &awscdk.CfnOutputProps{Value: pool.pool.UserPoolId()})
	awscdk.NewCfnOutput(st, jsii.String("UserPoolClientId"), &awscdk.CfnOutputProps{Value: pool.client.UserPoolClientId()})
	return s
}
