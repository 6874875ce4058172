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
	if err := lambdahttp.Run(context.Background(), os.Getenv, "producePopulationHealthReport", clinicalhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
