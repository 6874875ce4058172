// Command add-membership is the Lambda function of the addMembership operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "addMembership", registryhttp.AddMembership()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
