// Command update-practitioner-profile is the Lambda function of the updatePractitionerProfile operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() {
	lambdahttp.Main("updatePractitionerProfile", practitionerhttp.UpdatePractitionerProfile())
}
