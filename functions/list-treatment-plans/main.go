// Command list-treatment-plans is the Lambda function of the listTreatmentPlans operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listTreatmentPlans", clinicalhttp.ListTreatmentPlans()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
