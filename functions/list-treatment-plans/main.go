// Command list-treatment-plans is the Lambda function of the listTreatmentPlans operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/clinical/clinicalhttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "listTreatmentPlans", clinicalhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
