// Command list-health-reports is the Lambda function of the listHealthReports operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listHealthReports", clinicalhttp.ListHealthReports()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
