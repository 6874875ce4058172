// Command add-health-record-entry is the Lambda function of the addHealthRecordEntry operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("addHealthRecordEntry", clinicalhttp.AddHealthRecordEntry()) }
