// Command produce-population-health-report is the Lambda function of the producePopulationHealthReport operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/population/populationhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "producePopulationHealthReport", populationhttp.ProducePopulationHealthReport()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
