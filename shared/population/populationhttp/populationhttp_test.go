package populationhttp_test

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestPopulationHandler sends API Gateway events straight to the
// population report: administrators only, a valid period, an organisation
// that exists, and small counts suppressed.
func TestPopulationHandler(t *testing.T) {
	env := lambdahttptest.Env(t)
	period := map[string]string{"periodStart": "2026-11-01", "periodEnd": "2026-11-30"}
	with := func(k, v string) map[string]string {
		q := map[string]string{k: v}
		for a, b := range period {
			q[a] = b
		}
		return q
	}
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "by a practitioner", Op: "producePopulationHealthReport", Method: "GET", Path: "/v1/population-health-report",
			Caller: lambdahttptest.Practitioner, Query: period, Status: 403},
		{Name: "period backwards", Op: "producePopulationHealthReport", Method: "GET", Path: "/v1/population-health-report", Caller: lambdahttptest.Administrator,
			Query: map[string]string{"periodStart": "2026-11-30", "periodEnd": "2026-11-01"}, Status: 400, Field: "periodEnd"},
		{Name: "bad organisation id", Op: "producePopulationHealthReport", Method: "GET", Path: "/v1/population-health-report", Caller: lambdahttptest.Administrator,
			Query: with("organizationId", "not an id!"), Status: 400, Field: "organizationId"},
		{Name: "organisation that does not exist", Op: "producePopulationHealthReport", Method: "GET", Path: "/v1/population-health-report",
			Caller: lambdahttptest.Administrator, Query: with("organizationId", "O1"), Status: 404},
		{Name: "report", Op: "producePopulationHealthReport", Method: "GET", Path: "/v1/population-health-report", Caller: lambdahttptest.Administrator,
			Query: with("region", "Maputo"), Status: 200, Check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				var r struct {
					Region        string
					Consultations any
					MinimumCount  int
				}
				lambdahttptest.Decode(t, resp, &r)
				if r.Region != "Maputo" || r.Consultations != "<5" || r.MinimumCount != 5 {
					t.Errorf("report: got %+v; want Maputo, consultations <5, minimum 5", r)
				}
			}},
	})
}
