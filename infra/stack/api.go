package stack

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/jsii-runtime-go"

	"ohcs/openapi"
	"ohcs/shared/config"
	"ohcs/shared/operations"
)

// StageName is the API's stage, which is also its base path: /v1.
const StageName = "v1"

type apiInputs struct {
	props  Props
	key    awskms.Key
	tables dataTables
	pool   identity
}

type api struct {
	rest      awsapigateway.SpecRestApi
	functions map[string]awslambda.Function
	// eventEnv is the configuration the event functions share.
	eventEnv map[string]*string
	// cursorSecret is the cursor key's secret, read by every function at
	// cold start.
	cursorSecret awssecretsmanager.ISecret
}

// FunctionDir is the folder of an operation's function: its id in kebab case.
func FunctionDir(op string) string { return operations.Folder(op) }

// functionID is the construct id of an operation's function.
func functionID(op string) string { return "Fn-" + op }

// newAPI creates one function per operation of the document and the REST
// API from the document, with the placeholders filled.
func newAPI(st awscdk.Stack, in apiInputs) api {
	doc, err := openapi.Load(context.Background())
	if err != nil {
		panic(err)
	}
	registry := operations.All()
	cursorSecret := awssecretsmanager.NewSecret(st, jsii.String("CursorKey"), &awssecretsmanager.SecretProps{
		Description:   jsii.String("Seals the pagination cursors of the OHCS API"),
		EncryptionKey: in.key,
		GenerateSecretString: &awssecretsmanager.SecretStringGenerator{
			PasswordLength: jsii.Number(64), ExcludePunctuation: jsii.Bool(true),
		},
	})
	out := api{functions: map[string]awslambda.Function{}}
	ops := openapi.Operations(doc)
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	integrations := map[string]string{}
	for _, op := range ops {
		reg, ok := registry[op.ID]
		if !ok {
			panic(fmt.Sprintf("operation %s has no registered handler", op.ID))
		}
		env := map[string]*string{
			config.EnvLogLevel: jsii.String("info"),
			// Routes public at the gateway check an optional token themselves.
			config.EnvTokenIssuer:   in.pool.pool.UserPoolProviderUrl(),
			config.EnvTokenClientID: jsii.String(*in.pool.client.UserPoolClientId() + "," + *in.pool.machine.UserPoolClientId()),
			config.EnvJWKSURL:       jsii.String(*in.pool.pool.UserPoolProviderUrl() + "/.well-known/jwks.json"),
		}
		if op.Pages {
			// The secret's ARN, not its value: a function that pages reads
			// the value when it first pages, so that no secret sits in its
			// configuration; the others neither get it nor may read it.
			env[config.EnvCursorSecretARN] = cursorSecret.SecretArn()
		}
		if len(in.props.CORSOrigins) > 0 {
			env[config.EnvCORSOrigins] = jsii.String(strings.Join(in.props.CORSOrigins, ","))
		}
		for _, t := range append(append(reg.Reads[:0:0], reg.Reads...), reg.Writes...) {
			env[tableEnv(t)] = in.tables[t.Name].TableName()
		}
		logs := awslogs.NewLogGroup(st, jsii.String("Logs-"+op.ID), &awslogs.LogGroupProps{
			Retention:     awslogs.RetentionDays_ONE_YEAR,
			EncryptionKey: in.key,
			RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
		})
		fnProps := &awslambda.FunctionProps{
			Description:           jsii.String("OHCS operation " + op.ID),
			Runtime:               awslambda.Runtime_PROVIDED_AL2023(),
			Architecture:          awslambda.Architecture_ARM_64(),
			Handler:               jsii.String("bootstrap"),
			Code:                  awslambda.Code_FromAsset(jsii.String(filepath.Join(in.props.BuildDir, FunctionDir(op.ID))), nil),
			MemorySize:            jsii.Number(256),
			Timeout:               awscdk.Duration_Seconds(jsii.Number(10)),
			Tracing:               awslambda.Tracing_ACTIVE,
			Environment:           &env,
			EnvironmentEncryption: in.key,
			LogGroup:              logs,
			LoggingFormat:         awslambda.LoggingFormat_JSON,
		}
		if in.props.ReservedConcurrency > 0 {
			fnProps.ReservedConcurrentExecutions = jsii.Number(float64(in.props.ReservedConcurrency))
		}
		fn := awslambda.NewFunction(st, jsii.String(functionID(op.ID)), fnProps)
		markSource(fn, "functions/"+FunctionDir(op.ID))
		if op.Pages {
			cursorSecret.GrantRead(fn, nil)
		}
		grantTables(fn, in.key, in.tables, reg.Reads, reg.Writes)
		accept(fn, functionFindings...)
		out.functions[op.ID] = fn
		integrations[op.ID] = fmt.Sprintf("arn:%s:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations",
			*st.Partition(), *st.Region(), *fn.FunctionArn())
	}
	body, err := openapi.Body(context.Background(), openapi.Deployment{
		Integration: func(op string) string { return integrations[op] },
		UserPoolARN: *in.pool.pool.UserPoolArn(),
		CORSOrigins: in.props.CORSOrigins,
	})
	if err != nil {
		panic(err)
	}
	accessLogs := awslogs.NewLogGroup(st, jsii.String("ApiAccessLogs"), &awslogs.LogGroupProps{
		Retention: awslogs.RetentionDays_ONE_YEAR, EncryptionKey: in.key, RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	out.rest = awsapigateway.NewSpecRestApi(st, jsii.String("Api"), &awsapigateway.SpecRestApiProps{
		RestApiName:   jsii.String("ohcs"),
		ApiDefinition: awsapigateway.ApiDefinition_FromInline(body),
		// The document's servers say /v1; the import ignores that base path
		// and the stage named v1 provides it.
		EndpointTypes:  &[]awsapigateway.EndpointType{awsapigateway.EndpointType_REGIONAL},
		CloudWatchRole: jsii.Bool(true),
		DeployOptions: &awsapigateway.StageOptions{
			StageName:            jsii.String(StageName),
			AccessLogDestination: awsapigateway.NewLogGroupLogDestination(accessLogs),
			AccessLogFormat: awsapigateway.AccessLogFormat_JsonWithStandardFields(&awsapigateway.JsonWithStandardFieldProps{
				Caller: jsii.Bool(false), HttpMethod: jsii.Bool(true), Ip: jsii.Bool(true), Protocol: jsii.Bool(true),
				RequestTime: jsii.Bool(true), ResourcePath: jsii.Bool(true), ResponseLength: jsii.Bool(true),
				Status: jsii.Bool(true), User: jsii.Bool(false),
			}),
			LoggingLevel:         awsapigateway.MethodLoggingLevel_ERROR,
			DataTraceEnabled:     jsii.Bool(false),
			MetricsEnabled:       jsii.Bool(true),
			TracingEnabled:       jsii.Bool(true),
			ThrottlingRateLimit:  jsii.Number(in.props.ThrottleRate),
			ThrottlingBurstLimit: jsii.Number(in.props.ThrottleBurst),
			MethodOptions:        methodOptions(),
		},
	})
	for _, op := range ops {
		route := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(op.Path, "*")
		out.functions[op.ID].AddPermission(jsii.String("ApiInvoke"), &awslambda.Permission{
			Principal: awsiam.NewServicePrincipal(jsii.String("apigateway.amazonaws.com"), nil),
			SourceArn: out.rest.ArnForExecuteApi(jsii.String(strings.ToUpper(op.Method)), jsii.String(route), jsii.String(StageName)),
		})
	}
	accept(out.rest,
		suppression{id: "AwsSolutions-APIG2", reason: "The request validator is defined in the OpenAPI body (x-amazon-apigateway-request-validator: params, required parameters), which cdk-nag cannot read; bodies are validated by the functions, which name the invalid fields; the project's tests check both"},
		suppression{id: "AwsSolutions-IAM4", reason: "API Gateway's account-level CloudWatch role needs its service policy",
			appliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"}},
		suppression{id: "HIPAA.Security-APIGWSSLEnabled", reason: "Client certificates authenticate API Gateway to HTTP backends; every integration is a Lambda proxy"},
		suppression{id: "HIPAA.Security-APIGWCacheEnabledAndEncrypted", reason: "No cache: responses carry personal health data and must never be served from a cache; a cache also costs money while idle"},
	)
	accept(cursorSecret,
		suppression{id: "AwsSolutions-SMG4", reason: "The cursor key only seals pagination positions; rotating it just ends the lists being paged"},
		suppression{id: "HIPAA.Security-SecretsManagerRotationEnabled", reason: "The cursor key only seals pagination positions; rotating it just ends the lists being paged"},
	)
	if in.props.Firewall {
		newFirewall(st, out.rest, in.key)
	} else {
		accept(out.rest, suppression{id: "AwsSolutions-APIG3",
			reason: "Deployed with ohcs:waf=false: the operator chose to save the web ACL's fixed monthly cost and accepted the risk README.md states (no managed rules, no per-address rate limit beyond the stage throttle)"})
	}
	// The event functions page nothing: no cursor key, no access to its
	// secret.
	out.eventEnv = map[string]*string{
		config.EnvLogLevel: jsii.String("info"),
	}
	out.cursorSecret = cursorSecret
	return out
}

// newFirewall puts a WAF web ACL in front of the stage: AWS's common and
// known-bad-inputs rule groups and a per-address rate limit.
func newFirewall(st awscdk.Stack, rest awsapigateway.SpecRestApi, key awskms.Key) {
	managed := func(name string, priority float64) *awswafv2.CfnWebACL_RuleProperty {
		return &awswafv2.CfnWebACL_RuleProperty{
			Name: jsii.String(name), Priority: jsii.Number(priority),
			OverrideAction: &awswafv2.CfnWebACL_OverrideActionProperty{None: map[string]any{}},
			Statement: &awswafv2.CfnWebACL_StatementProperty{
				ManagedRuleGroupStatement: &awswafv2.CfnWebACL_ManagedRuleGroupStatementProperty{
					VendorName: jsii.String("AWS"), Name: jsii.String(name),
					RuleActionOverrides: ruleOverrides[name],
				},
			},
			VisibilityConfig: visibility(name),
		}
	}
	acl := awswafv2.NewCfnWebACL(st, jsii.String("Firewall"), &awswafv2.CfnWebACLProps{
		Scope:            jsii.String("REGIONAL"),
		DefaultAction:    &awswafv2.CfnWebACL_DefaultActionProperty{Allow: map[string]any{}},
		VisibilityConfig: visibility("ohcs"),
		Rules: ptr(append([]any{
			managed("AWSManagedRulesCommonRuleSet", 1),
			managed("AWSManagedRulesKnownBadInputsRuleSet", 2),
			&awswafv2.CfnWebACL_RuleProperty{
				Name: jsii.String("RatePerAddress"), Priority: jsii.Number(3),
				Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: map[string]any{}},
				Statement: &awswafv2.CfnWebACL_StatementProperty{
					RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
						Limit: jsii.Number(1000), AggregateKeyType: jsii.String("IP"),
					},
				},
				VisibilityConfig: visibility("RatePerAddress"),
			},
		}, routeRules(4)...)),
	})
	logs := awslogs.NewLogGroup(st, jsii.String("FirewallLogs"), &awslogs.LogGroupProps{
		// WAF requires the aws-waf-logs- prefix.
		LogGroupName:  jsii.String("aws-waf-logs-ohcs"),
		Retention:     awslogs.RetentionDays_ONE_YEAR,
		EncryptionKey: key,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	awswafv2.NewCfnLoggingConfiguration(st, jsii.String("FirewallLogging"), &awswafv2.CfnLoggingConfigurationProps{
		ResourceArn:           acl.AttrArn(),
		LogDestinationConfigs: &[]any{logs.LogGroupArn()},
		RedactedFields: &[]any{
			&awswafv2.CfnLoggingConfiguration_FieldToMatchProperty{SingleHeader: map[string]any{"Name": "authorization"}},
		},
	})
	awswafv2.NewCfnWebACLAssociation(st, jsii.String("FirewallAssociation"), &awswafv2.CfnWebACLAssociationProps{
		ResourceArn: rest.DeploymentStage().StageArn(),
		WebAclArn:   acl.AttrArn(),
	})
}

// ruleOverrides count instead of block the managed rules that would refuse
// requests the API accepts. The Common Rule Set blocks bodies over 8 KB
// (SizeRestrictions_BODY; AWS WAF developer guide, "Baseline rule groups:
// Core rule set (CRS) managed rule group"), while the document allows
// articles of 100 KiB and bodies up to 256 KiB, which the functions bound
// themselves (413 above). It also blocks requests without a User-Agent
// (NoUserAgent_HEADER): integrations must send one (README).
var ruleOverrides = map[string]*[]any{
	"AWSManagedRulesCommonRuleSet": {
		&awswafv2.CfnWebACL_RuleActionOverrideProperty{
			Name:        jsii.String("SizeRestrictions_BODY"),
			ActionToUse: &awswafv2.CfnWebACL_RuleActionProperty{Count: map[string]any{}},
		},
	},
}

func visibility(name string) *awswafv2.CfnWebACL_VisibilityConfigProperty {
	return &awswafv2.CfnWebACL_VisibilityConfigProperty{
		CloudWatchMetricsEnabled: jsii.Bool(true), MetricName: jsii.String(name), SampledRequestsEnabled: jsii.Bool(true),
	}
}

func ptr[T any](v T) *T { return &v }

// markSource records, in the function's template metadata, the code folder
// its asset is built from: the template-driven Lambda mode (make run-stack)
// builds that folder for the machine it runs on when the asset's binary is
// for another architecture. CloudFormation ignores metadata.
func markSource(fn awslambda.Function, folder string) {
	fn.Node().DefaultChild().(awscdk.CfnResource).AddMetadata(jsii.String("ohcs:source"), folder)
}
