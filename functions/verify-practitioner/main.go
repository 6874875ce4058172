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
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "verifyPractitioner", practitionerhttp.VerifyPractitioner()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
