// Command create-organization is the Lambda function of the createOrganization operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "createOrganization", registryhttp.CreateOrganization()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
