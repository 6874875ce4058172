// Command remove-membership is the Lambda function of the removeMembership operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() { lambdahttp.Main("removeMembership", registryhttp.RemoveMembership()) }
