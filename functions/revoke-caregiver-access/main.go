// Command revoke-caregiver-access is the Lambda function of the revokeCaregiverAccess operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("revokeCaregiverAccess", peoplehttp.RevokeCaregiverAccess()) }
