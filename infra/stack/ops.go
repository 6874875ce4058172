package stack

import (
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/jsii-runtime-go"
)

// newOperations creates the alarms (to the alarm topic) and the dashboard.
// Lambda alarms are account-wide metrics, not one per function, so that the
// stack stays far below CloudFormation's resource limit as operations grow.
func newOperations(st awscdk.Stack, _ awskms.Key, a api, tbls dataTables, n notifications) {
	action := awscloudwatchactions.NewSnsAction(n.alarms)
	alarm := func(id string, metric awscloudwatch.IMetric, threshold float64, what string) awscloudwatch.Alarm {
		al := awscloudwatch.NewAlarm(st, jsii.String(id), &awscloudwatch.AlarmProps{
			Metric: metric, Threshold: jsii.Number(threshold), EvaluationPeriods: jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
			AlarmDescription:   jsii.String(what),
		})
		al.AddAlarmAction(action)
		return al
	}
	five := awscdk.Duration_Minutes(jsii.Number(5))
	server := awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
		Expression: jsii.String("IF(count > 20, 100 * errors / count, 0)"),
		UsingMetrics: &map[string]awscloudwatch.IMetric{
			"errors": a.rest.MetricServerError(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}),
			"count":  a.rest.MetricCount(&awscloudwatch.MetricOptions{Period: five, Statistic: jsii.String("Sum")}),
		},
		Period: five,
	})
	alarms := []awscloudwatch.Alarm{
		alarm("Api5xxRate", server, 1, "More than 1% of API requests answered 5xx in 5 minutes"),
		alarm("LambdaErrors", awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("AWS/Lambda"), MetricName: jsii.String("Errors"), Statistic: jsii.String("Sum"), Period: five,
		}), 5, "Lambda functions failed"),
		alarm("LambdaThrottles", awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace: jsii.String("AWS/Lambda"), MetricName: jsii.String("Throttles"), Statistic: jsii.String("Sum"), Period: five,
		}), 1, "Lambda functions were throttled"),
		alarm("DeadLetters", n.dlq.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: five}), 1,
			"Deliveries landed in the dead-letter queue"),
	}
	names := make([]string, 0, len(tbls))
	for name := range tbls {
		names = append(names, name)
	}
	sort.Strings(names)
	// A math alarm takes at most 10 metrics: 5 tables (reads and writes) an
	// alarm.
	for chunk := 0; chunk*5 < len(names); chunk++ {
		throttles := map[string]awscloudwatch.IMetric{}
		expr := ""
		for i, name := range names[chunk*5 : min(len(names), chunk*5+5)] {
			for prefix, m := range map[string]string{"r": "ReadThrottleEvents", "w": "WriteThrottleEvents"} {
				id := fmt.Sprintf("%s%d", prefix, i)
				throttles[id] = awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
					Namespace: jsii.String("AWS/DynamoDB"), MetricName: jsii.String(m), Statistic: jsii.String("Sum"), Period: five,
					DimensionsMap: &map[string]*string{"TableName": tbls[name].TableName()},
				})
				if expr != "" {
					expr += "+"
				}
				expr += id
			}
		}
		alarms = append(alarms, alarm(fmt.Sprintf("DynamoDBThrottles%d", chunk+1), awscloudwatch.NewMathExpression(&awscloudwatch.MathExpressionProps{
			Expression: jsii.String(expr), UsingMetrics: &throttles, Period: five,
		}), 1, "DynamoDB throttled requests"))
	}

	dash := awscloudwatch.NewDashboard(st, jsii.String("Dashboard"), &awscloudwatch.DashboardProps{DashboardName: jsii.String("ohcs")})
	dash.AddWidgets(
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("API requests and errors"), Width: jsii.Number(12),
			Left: &[]awscloudwatch.IMetric{a.rest.MetricCount(nil), a.rest.MetricClientError(nil), a.rest.MetricServerError(nil)},
		}),
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: jsii.String("API latency"), Width: jsii.Number(12),
			Left: &[]awscloudwatch.IMetric{a.rest.MetricLatency(&awscloudwatch.MetricOptions{Statistic: jsii.String("p99")})},
		}),
	)
	var widgets []awscloudwatch.IWidget
	for _, al := range alarms {
		widgets = append(widgets, awscloudwatch.NewAlarmWidget(&awscloudwatch.AlarmWidgetProps{Alarm: al, Width: jsii.Number(8)}))
	}
	dash.AddWidgets(widgets...)
}
