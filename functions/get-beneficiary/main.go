// Command get-beneficiary is the Lambda function of the getBeneficiary operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("getBeneficiary", peoplehttp.GetBeneficiary()) }
