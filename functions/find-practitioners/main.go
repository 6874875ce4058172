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
	if err := lambdahttp.Run(context.Background(), os.Getenv, "findPractitioners", practitionerhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
