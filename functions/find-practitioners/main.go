// Command find-practitioners is the Lambda function of the findPractitioners operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "findPractitioners", practitionerhttp.FindPractitioners()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
