// Command list-care-links is the Lambda function of the listCareLinks operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() { lambdahttp.Main("listCareLinks", peoplehttp.ListCareLinks(), cursorsecret.Sealer) }
