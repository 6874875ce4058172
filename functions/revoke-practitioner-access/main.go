// Command revoke-practitioner-access is the Lambda function of the revokePractitionerAccess operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "revokePractitionerAccess", peoplehttp.RevokePractitionerAccess()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
