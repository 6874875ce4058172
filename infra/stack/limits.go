package stack

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awswafv2"
	"github.com/aws/jsii-runtime-go"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/notification"
	"ohcs/shared/ratelimit"
)

// RouteLimit mirrors at the edge a per-person limit the function enforces.
// The function's limit is exact and per person (it knows who calls); the
// edge cannot know the person, so WAF counts per source address, with room
// for the many people behind one clinic's address, and the stage bounds
// the route for everyone together. Usage plans are not used: they count
// per API key, which would name the app, not the person.
type RouteLimit struct {
	Name         string
	Method, Path string // the path as the stage serves it, without /v1
	Rule         ratelimit.Rule
	// Rate and Burst bound the route for all callers together, per second.
	Rate, Burst float64
}

// PeoplePerAddress is how many people the edge assumes behind one source
// address (a clinic or an NGO office on one connection).
const PeoplePerAddress = 20

// RouteLimits are the abuse-prone routes: notice spam and card testing.
var RouteLimits = []RouteLimit{
	{Name: "Notices", Method: "POST", Path: "/notifications", Rule: notification.SendLimit, Rate: 10, Burst: 20},
	{Name: "Gifts", Method: "POST", Path: "/donations", Rule: donationhttp.SmallGiftLimit, Rate: 10, Burst: 20},
}

// wafWindow is WAF's longest counting window.
const wafWindow = 10 * time.Minute

// PerAddress is the WAF limit of a route per source address and 10
// minutes: the people behind one address using their whole hourly quota
// in one window. WAF accepts no limit under 10.
func (l RouteLimit) PerAddress() float64 {
	perWindow := float64(l.Rule.Limit) * float64(wafWindow) / float64(l.Rule.Window)
	return max(10, float64(PeoplePerAddress)*max(perWindow, float64(l.Rule.Limit)))
}

// methodOptions are the stage's per-route throttles.
func methodOptions() *map[string]*awsapigateway.MethodDeploymentOptions {
	out := map[string]*awsapigateway.MethodDeploymentOptions{}
	for _, l := range RouteLimits {
		out[l.Path+"/"+l.Method] = &awsapigateway.MethodDeploymentOptions{
			ThrottlingRateLimit: jsii.Number(l.Rate), ThrottlingBurstLimit: jsii.Number(l.Burst),
		}
	}
	return &out
}

// routeRules are WAF rate rules per source address, one per route.
func routeRules(firstPriority float64) []any {
	var out []any
	for i, l := range RouteLimits {
		match := func(field *awswafv2.CfnWebACL_FieldToMatchProperty, value string) *awswafv2.CfnWebACL_StatementProperty {
			return &awswafv2.CfnWebACL_StatementProperty{ByteMatchStatement: &awswafv2.CfnWebACL_ByteMatchStatementProperty{
				FieldToMatch: field, PositionalConstraint: jsii.String("EXACTLY"), SearchString: jsii.String(value),
				TextTransformations: &[]any{&awswafv2.CfnWebACL_TextTransformationProperty{Priority: jsii.Number(0), Type: jsii.String("NONE")}},
			}}
		}
		out = append(out, &awswafv2.CfnWebACL_RuleProperty{
			Name: jsii.String("Rate" + l.Name), Priority: jsii.Number(firstPriority + float64(i)),
			Action: &awswafv2.CfnWebACL_RuleActionProperty{Block: &awswafv2.CfnWebACL_BlockActionProperty{
				CustomResponse: &awswafv2.CfnWebACL_CustomResponseProperty{ResponseCode: jsii.Number(429)},
			}},
			Statement: &awswafv2.CfnWebACL_StatementProperty{RateBasedStatement: &awswafv2.CfnWebACL_RateBasedStatementProperty{
				Limit: jsii.Number(l.PerAddress()), AggregateKeyType: jsii.String("IP"), EvaluationWindowSec: jsii.Number(wafWindow.Seconds()),
				ScopeDownStatement: &awswafv2.CfnWebACL_StatementProperty{AndStatement: &awswafv2.CfnWebACL_AndStatementProperty{Statements: &[]any{
					match(&awswafv2.CfnWebACL_FieldToMatchProperty{UriPath: map[string]any{}}, "/"+StageName+l.Path),
					match(&awswafv2.CfnWebACL_FieldToMatchProperty{Method: map[string]any{}}, l.Method),
				}}},
			}},
			VisibilityConfig: visibility(fmt.Sprintf("Rate%s", l.Name)),
		})
	}
	return out
}
