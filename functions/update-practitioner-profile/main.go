// Command update-practitioner-profile is the Lambda function of the updatePractitionerProfile operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "updatePractitionerProfile", practitionerhttp.UpdatePractitionerProfile()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
