// Command update-beneficiary-profile is the Lambda function of the updateBeneficiaryProfile operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("updateBeneficiaryProfile", peoplehttp.UpdateBeneficiaryProfile()) }
