// Command list-organization-members is the Lambda function of the listOrganizationMembers operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "listOrganizationMembers", registryhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
