// Command get-caregiver is the Lambda function of the getCaregiver operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("getCaregiver", peoplehttp.GetCaregiver()) }
