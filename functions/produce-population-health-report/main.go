// Command produce-population-health-report is the Lambda function of the producePopulationHealthReport operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "producePopulationHealthReport", clinicalhttp.ProducePopulationHealthReport()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
