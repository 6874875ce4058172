package stack

import (
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
)

// EventFunction is a function invoked by an AWS event rather than an API
// request; its code is events/<Name>.
type EventFunction struct {
	Name        string
	Description string
}

// EventFunctions lists the event functions of the stack.
var EventFunctions = []EventFunction{
	{Name: "assign-signup-role", Description: "Puts a person who signed up in the self-service group it chose"},
}

// newEventFunction creates an event function like an operation's:
// provided.al2023 on arm64, traced, with an encrypted log group.
func newEventFunction(st awscdk.Stack, props Props, key awskms.Key, ef EventFunction) awslambda.Function {
	logs := awslogs.NewLogGroup(st, jsii.String("Logs-"+ef.Name), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_YEAR, EncryptionKey: key, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	fn := awslambda.NewFunction(st, jsii.String("Event-"+ef.Name), &awslambda.FunctionProps{
		Description:           jsii.String(ef.Description),
		Runtime:               awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:          awslambda.Architecture_ARM_64(),
		Handler:               jsii.String("bootstrap"),
		Code:                  awslambda.Code_FromAsset(jsii.String(filepath.Join(props.BuildDir, ef.Name)), nil),
		MemorySize:            jsii.Number(128),
		Timeout:               awscdk.Duration_Seconds(jsii.Number(5)),
		Tracing:               awslambda.Tracing_ACTIVE,
		Environment:           &map[string]*string{"OHCS_LOG_LEVEL": jsii.String("info")},
		EnvironmentEncryption: key,
		LogGroup:              logs,
		LoggingFormat:         awslambda.LoggingFormat_JSON,
	})
	accept(fn, functionFindings...)
	return fn
}
