// Command create-treatment-plan is the Lambda function of the createTreatmentPlan operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "createTreatmentPlan", clinicalhttp.CreateTreatmentPlan()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
