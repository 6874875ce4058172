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
	if err := lambdahttp.Run(context.Background(), os.Getenv, "updateBeneficiaryProfile", peoplehttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
