// Command respond-to-care-link is the Lambda function of the respondToCareLink operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("respondToCareLink", peoplehttp.RespondToCareLink()) }
