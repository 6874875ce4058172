// Command verify-practitioner is the Lambda function of the verifyPractitioner operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() { lambdahttp.Main("verifyPractitioner", practitionerhttp.VerifyPractitioner()) }
