// Command create-caregiver-profile is the Lambda function of the createCaregiverProfile operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("createCaregiverProfile", peoplehttp.CreateCaregiverProfile()) }
