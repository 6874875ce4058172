// Command revoke-practitioner-access is the Lambda function of the revokePractitionerAccess operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() { lambdahttp.Main("revokePractitionerAccess", peoplehttp.RevokePractitionerAccess()) }
