// Command get-practitioner is the Lambda function of the getPractitioner operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() { lambdahttp.Main("getPractitioner", practitionerhttp.GetPractitioner()) }
