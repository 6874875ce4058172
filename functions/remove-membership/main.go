// Command remove-membership is the Lambda function of the removeMembership operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "removeMembership", registryhttp.RemoveMembership()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
