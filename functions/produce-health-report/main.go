// Command produce-health-report is the Lambda function of the produceHealthReport operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("produceHealthReport", clinicalhttp.ProduceHealthReport()) }
