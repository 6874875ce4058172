// Command list-my-memberships is the Lambda function of the listMyMemberships operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listMyMemberships", registryhttp.ListMyMemberships()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
