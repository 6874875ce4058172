// Command get-caregiver is the Lambda function of the getCaregiver operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getCaregiver", peoplehttp.GetCaregiver()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
