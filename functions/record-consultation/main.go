// Command record-consultation is the Lambda function of the recordConsultation operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("recordConsultation", clinicalhttp.RecordConsultation()) }
