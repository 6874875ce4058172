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
	if err := lambdahttp.Run(context.Background(), os.Getenv, "getBeneficiary", peoplehttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
