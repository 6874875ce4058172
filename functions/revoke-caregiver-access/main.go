// Command revoke-caregiver-access is the Lambda function of the revokeCaregiverAccess operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "revokeCaregiverAccess", peoplehttp.RevokeCaregiverAccess()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
