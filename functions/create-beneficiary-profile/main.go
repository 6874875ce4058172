// Command create-beneficiary-profile is the Lambda function of the createBeneficiaryProfile operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "createBeneficiaryProfile", peoplehttp.CreateBeneficiaryProfile()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
