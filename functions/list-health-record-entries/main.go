// Command list-health-record-entries is the Lambda function of the listHealthRecordEntries operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listHealthRecordEntries", clinicalhttp.ListHealthRecordEntries()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
