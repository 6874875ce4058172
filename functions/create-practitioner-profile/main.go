// Command create-practitioner-profile is the Lambda function of the createPractitionerProfile operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "createPractitionerProfile", practitionerhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
