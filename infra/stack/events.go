package stack

import (
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"

	"ohcs/shared/operations"
	"ohcs/shared/tables"
)

// EventFunction is a function invoked by an AWS event rather than an API
// request; its code is events/<Name>, its tables and variables are those
// operations.Events declares.
type EventFunction struct {
	operations.Event
	Description string
	// Schedule, when set, is the EventBridge schedule expression that runs
	// the function.
	Schedule string
	// Async is true when the event source invokes the function
	// asynchronously (EventBridge, SNS): what still fails after Lambda's
	// two retries goes to its dead-letter queue.
	Async bool
	// TimeoutSeconds bounds a run (5 when zero: a Cognito trigger must
	// answer within 5 seconds).
	TimeoutSeconds float64
}

func event(name string) operations.Event {
	e, ok := operations.EventByName(name)
	if !ok {
		panic("no event function " + name)
	}
	return e
}

// EventFunctions lists the event functions of the stack.
var EventFunctions = []EventFunction{
	// Cognito invokes the trigger synchronously and fails the sign-up
	// confirmation call with the trigger's error.
	{Event: event("assign-signup-role"), Description: "Puts a person who signed up in the self-service group it chose"},
	{Event: event("monthly-gifts"), Description: "Gives each monthly pledge's gift when it is due", Schedule: "cron(15 6 * * ? *)",
		Async: true, TimeoutSeconds: 60},
	// The dispatcher counts each message for the population statistics and
	// publishes it; a run that overlaps the next is harmless (both steps
	// are idempotent).
	{Event: event("outbox-dispatcher"), Description: "Counts and publishes the due outbox messages", Schedule: "rate(1 minute)",
		Async: true, TimeoutSeconds: 50},
	// Half the deliverer's claim lease (notification.DefaultLease), so a
	// claim goes stale only after its sender has stopped. SNS invokes it
	// asynchronously.
	{Event: event("deliver-notifications"), Description: "Delivers each notice once per recipient and channel",
		Async: true, TimeoutSeconds: 30},
}

// newEventFunction creates an event function like an operation's:
// provided.al2023 on arm64, traced, with an encrypted log group.
func newEventFunction(st awscdk.Stack, props Props, key awskms.Key, ef EventFunction, env map[string]*string) awslambda.Function {
	logs := awslogs.NewLogGroup(st, jsii.String("Logs-"+ef.Name), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_YEAR, EncryptionKey: key, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	var dlq awssqs.IQueue
	if ef.Async {
		// Asynchronous invocations are retried twice and then dropped
		// unless the function has a dead-letter queue or an on-failure
		// destination (AWS Lambda developer guide, "Asynchronous
		// invocation"): what still fails lands here.
		q := awssqs.NewQueue(st, jsii.String("DeadLetters-"+ef.Name), &awssqs.QueueProps{
			Encryption: awssqs.QueueEncryption_KMS, EncryptionMasterKey: key, EnforceSSL: jsii.Bool(true),
			RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
		})
		accept(q, suppression{id: "AwsSolutions-SQS3", reason: "This queue is itself the dead-letter queue of the asynchronously invoked function"})
		dlq = q
	}
	fn := awslambda.NewFunction(st, jsii.String("Event-"+ef.Name), &awslambda.FunctionProps{
		DeadLetterQueue:       dlq,
		Description:           jsii.String(ef.Description),
		Runtime:               awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:          awslambda.Architecture_ARM_64(),
		Handler:               jsii.String("bootstrap"),
		Code:                  awslambda.Code_FromAsset(jsii.String(filepath.Join(props.BuildDir, ef.Name)), nil),
		MemorySize:            jsii.Number(128),
		Timeout:               awscdk.Duration_Seconds(jsii.Number(max(ef.TimeoutSeconds, 5))),
		Tracing:               awslambda.Tracing_ACTIVE,
		Environment:           &env,
		EnvironmentEncryption: key,
		LogGroup:              logs,
		LoggingFormat:         awslambda.LoggingFormat_JSON,
	})
	accept(fn, functionFindings...)
	markSource(fn, "events/"+ef.Name)
	if ef.Schedule != "" {
		awsevents.NewRule(st, jsii.String("Schedule-"+ef.Name), &awsevents.RuleProps{
			Schedule: awsevents.Schedule_Expression(jsii.String(ef.Schedule)),
			Targets:  &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(fn, &awseventstargets.LambdaFunctionProps{RetryAttempts: jsii.Number(2)})},
		})
	}
	return fn
}

// newDataEventFunctions creates the event functions that use tables, with
// their configuration and grants.
func newDataEventFunctions(st awscdk.Stack, props Props, key awskms.Key, tbls dataTables, base map[string]*string, n notifications) {
	for _, ef := range EventFunctions {
		if len(ef.Reads)+len(ef.Writes) == 0 {
			continue
		}
		env := map[string]*string{}
		for k, v := range base {
			env[k] = v
		}
		for _, t := range append(append([]tables.Table{}, ef.Reads...), ef.Writes...) {
			env[tableEnv(t)] = tbls[t.Name].TableName()
		}
		switch ef.Name {
		case "outbox-dispatcher":
			env[operations.EnvNotificationTopicARN] = n.topic.TopicArn()
		case "deliver-notifications":
			env[operations.EnvMailFrom] = jsii.String("no-reply@" + props.EmailDomain)
		}
		fn := newEventFunction(st, props, key, ef, env)
		switch ef.Name {
		case "outbox-dispatcher":
			n.topic.GrantPublish(fn)
		case "deliver-notifications":
			n.topic.AddSubscription(awssnssubscriptions.NewLambdaSubscription(fn, &awssnssubscriptions.LambdaSubscriptionProps{DeadLetterQueue: n.dlq}))
			fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("ses:SendEmail"), Resources: jsii.Strings("*")}))
			fn.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
				Actions: jsii.Strings("sns:Publish"), Resources: jsii.Strings("*"),
				Conditions: &map[string]any{"Null": map[string]any{"sns:Protocol": "true"}}}))
			accept(fn, suppression{id: "AwsSolutions-IAM5", reason: "SES identities and SMS phone numbers are not resources IAM can name in advance; the function sends email from the stack's identity and SMS to recipients' numbers",
				appliesTo: []string{"Resource::*"}})
		}
		grantTables(fn, key, tbls, ef.Reads, ef.Writes)
	}
}
