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
	if err := lambdahttp.Run(context.Background(), os.Getenv, "listHealthRecordEntries", clinicalhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
