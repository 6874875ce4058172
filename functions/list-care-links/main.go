// Command list-care-links is the Lambda function of the listCareLinks operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listCareLinks", peoplehttp.ListCareLinks()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
