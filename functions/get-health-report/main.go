// Command get-health-report is the Lambda function of the getHealthReport operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getHealthReport", clinicalhttp.GetHealthReport()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
