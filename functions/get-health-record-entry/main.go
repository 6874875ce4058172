// Command get-health-record-entry is the Lambda function of the getHealthRecordEntry operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getHealthRecordEntry", clinicalhttp.GetHealthRecordEntry()) }
