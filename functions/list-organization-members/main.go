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
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listOrganizationMembers", registryhttp.ListOrganizationMembers()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
