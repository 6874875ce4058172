// Command get-health-record-entry is the Lambda function of the getHealthRecordEntry operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getHealthRecordEntry", clinicalhttp.GetHealthRecordEntry()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
