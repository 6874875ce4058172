// Command create-donor-profile is the Lambda function of the createDonorProfile operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "createDonorProfile", peoplehttp.CreateDonorProfile()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
