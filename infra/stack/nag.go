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
//
// The reasons are short because they are repeated on every function; the
// full reasons:
//   - IAM4: AWSLambdaBasicExecutionRole only lets the function write its
//     own logs.
//   - IAM5 Resource::*: X-Ray PutTraceSegments and PutTelemetryRecords take
//     no resource but *.
//   - IAM5 index/*: queries use the table's own indexes; the grant names
//     this table's indexes only.
//   - IAM5 kms actions: the data key's actions, on that key only.
//   - IAMNoInlinePolicy: each function gets its own least-privilege policy;
//     a shared managed policy would widen access.
//   - LambdaDLQ: API functions are invoked synchronously; a failure returns
//     to the client; asynchronous functions have their own dead-letter
//     queue.
//   - LambdaInsideVPC: the functions reach only AWS APIs over TLS with IAM;
//     a VPC would need NAT or endpoints that cost money while idle.
//   - LambdaConcurrency: stage throttling bounds concurrency; reserved
//     concurrency is opt-in (ohcs:reservedConcurrency) as new accounts have
//     a quota of 10.
var functionFindings = []suppression{
	{id: "AwsSolutions-IAM4", reason: "Writes its own logs only",
		appliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}},
	{id: "AwsSolutions-IAM5", reason: "X-Ray takes no resource", appliesTo: []string{"Resource::*"}},
	{id: "AwsSolutions-IAM5", reason: "This table's own indexes",
		appliesTo: []string{`/^Resource::<Table[A-Za-z0-9]+\.Arn>\/index\/\*$/g`}},
	{id: "AwsSolutions-IAM5", reason: "Data key actions on that key", appliesTo: []string{"Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*"}},
	{id: "HIPAA.Security-IAMNoInlinePolicy", reason: "Per-function least privilege"},
	{id: "HIPAA.Security-LambdaDLQ", reason: "Synchronous, or has its own DLQ"},
	{id: "HIPAA.Security-LambdaInsideVPC", reason: "AWS APIs only; no idle cost"},
	{id: "HIPAA.Security-LambdaConcurrency", reason: "Stage throttling; opt-in"},
}
