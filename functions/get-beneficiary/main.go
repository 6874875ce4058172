// Command get-beneficiary is the Lambda function of the getBeneficiary operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getBeneficiary", peoplehttp.GetBeneficiary()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
