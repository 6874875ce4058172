// Command list-my-memberships is the Lambda function of the listMyMemberships operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() { lambdahttp.Main("listMyMemberships", registryhttp.ListMyMemberships()) }
