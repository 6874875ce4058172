// Command respond-to-care-link is the Lambda function of the respondToCareLink operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "respondToCareLink", peoplehttp.RespondToCareLink()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
