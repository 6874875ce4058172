// Command grant-caregiver-access is the Lambda function of the grantCaregiverAccess operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("grantCaregiverAccess", peoplehttp.GrantCaregiverAccess()) }
