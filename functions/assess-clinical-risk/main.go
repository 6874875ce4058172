// Command assess-clinical-risk is the Lambda function of the assessClinicalRisk operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "assessClinicalRisk", clinicalhttp.AssessClinicalRisk()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
