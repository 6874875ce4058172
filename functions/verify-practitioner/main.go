// Command verify-practitioner is the Lambda function of the verifyPractitioner operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "verifyPractitioner", practitionerhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
