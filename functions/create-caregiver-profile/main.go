// Command create-caregiver-profile is the Lambda function of the createCaregiverProfile operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "createCaregiverProfile", peoplehttp.CreateCaregiverProfile()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
