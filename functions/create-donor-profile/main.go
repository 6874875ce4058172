// Command create-donor-profile is the Lambda function of the createDonorProfile operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("createDonorProfile", peoplehttp.CreateDonorProfile()) }
