// Command grant-caregiver-access is the Lambda function of the grantCaregiverAccess operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "grantCaregiverAccess", peoplehttp.GrantCaregiverAccess()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
