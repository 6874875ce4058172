// Command add-membership is the Lambda function of the addMembership operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/registry/registryhttp"
)

func main() { lambdahttp.Main("addMembership", registryhttp.AddMembership()) }
