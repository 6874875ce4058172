package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// CheckCompliance adds cdk-nag's AWS Solutions and HIPAA Security packs to
// the app: an unsuppressed error fails synth.
func CheckCompliance(app awscdk.App) {
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	awscdk.Aspects_Of(app).Add(cdknag.NewHIPAASecurityChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// suppression is one accepted finding and why.
type suppression struct {
	id, reason string
	// appliesTo narrows a granular rule to findings: strings, or regexes
	// written /.../g.
	appliesTo []string
}

// accept records the suppressions on a construct and its children.
func accept(c constructs.IConstruct, list ...suppression) {
	var all []*cdknag.NagPackSuppression
	for _, s := range list {
		n := &cdknag.NagPackSuppression{Id: jsii.String(s.id), Reason: jsii.String(s.reason)}
		if len(s.appliesTo) > 0 {
			var to []any
			for _, a := range s.appliesTo {
				if len(a) > 1 && a[0] == '/' {
					to = append(to, &cdknag.RegexAppliesTo{Regex: jsii.String(a)})
				} else {
					to = append(to, a)
				}
			}
			n.AppliesTo = &to
		}
		all = append(all, n)
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &all, jsii.Bool(true))
}

// The accepted findings of every operation's function.
var functionFindings = []suppression{
	{id: "AwsSolutions-IAM4", reason: "AWSLambdaBasicExecutionRole only lets the function write its own logs",
		appliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}},
	{id: "AwsSolutions-IAM5", reason: "X-Ray PutTraceSegments and PutTelemetryRecords accept no resource but *",
		appliesTo: []string{"Resource::*"}},
	{id: "AwsSolutions-IAM5", reason: "Queries use the table's own global secondary indexes; the grant is limited to this table's indexes",
		appliesTo: []string{`/^Resource::<Table[A-Za-z0-9]+\.Arn>\/index\/\*$/g`}},
	{id: "AwsSolutions-IAM5", reason: "The table grant adds the KMS data-key actions the table's customer-managed key needs, on that key only",
		appliesTo: []string{"Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*"}},
	{id: "HIPAA.Security-IAMNoInlinePolicy", reason: "Each function gets its own least-privilege policy from CDK grants; a shared managed policy would widen access"},
	{id: "HIPAA.Security-LambdaDLQ", reason: "API functions are invoked synchronously by API Gateway: a failure returns to the client, there is nothing to dead-letter"},
	{id: "HIPAA.Security-LambdaInsideVPC", reason: "The functions reach only AWS APIs over TLS with IAM; a VPC would need NAT or interface endpoints, which cost money while idle"},
	{id: "HIPAA.Security-LambdaConcurrency", reason: "Stage throttling bounds concurrency; reserved concurrency is opt-in (context ohcs:reservedConcurrency) because new accounts have a quota of 10"},
}
