// Command list-health-record-entries is the Lambda function of the listHealthRecordEntries operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() {
	lambdahttp.Main("listHealthRecordEntries", clinicalhttp.ListHealthRecordEntries(), cursorsecret.Sealer)
}
