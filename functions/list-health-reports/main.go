// Command list-health-reports is the Lambda function of the listHealthReports operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() {
	lambdahttp.Main("listHealthReports", clinicalhttp.ListHealthReports(), cursorsecret.Sealer)
}
