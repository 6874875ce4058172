// Command get-health-report is the Lambda function of the getHealthReport operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getHealthReport", clinicalhttp.GetHealthReport()) }
