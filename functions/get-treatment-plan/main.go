// Command get-treatment-plan is the Lambda function of the getTreatmentPlan operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getTreatmentPlan", clinicalhttp.GetTreatmentPlan()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
