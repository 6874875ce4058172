// Command add-health-record-entry is the Lambda function of the addHealthRecordEntry operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "addHealthRecordEntry", clinicalhttp.AddHealthRecordEntry()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
