// Command update-beneficiary-profile is the Lambda function of the updateBeneficiaryProfile operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "updateBeneficiaryProfile", peoplehttp.UpdateBeneficiaryProfile()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
