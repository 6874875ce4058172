// Command create-beneficiary-profile is the Lambda function of the createBeneficiaryProfile operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("createBeneficiaryProfile", peoplehttp.CreateBeneficiaryProfile()) }
