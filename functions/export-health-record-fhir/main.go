// Command export-health-record-fhir is the Lambda function of the exportHealthRecordFhir operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("exportHealthRecordFhir", clinicalhttp.ExportHealthRecordFhir()) }
