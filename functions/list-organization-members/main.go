// Command list-organization-members is the Lambda function of the listOrganizationMembers operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
	"ohcs/shared/registry/registryhttp"
)

func main() {
	lambdahttp.Main("listOrganizationMembers", registryhttp.ListOrganizationMembers(), cursorsecret.Sealer)
}
