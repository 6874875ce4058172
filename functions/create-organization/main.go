// Command create-organization is the Lambda function of the createOrganization operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() { lambdahttp.Main("createOrganization", registryhttp.CreateOrganization()) }
