// Command create-practitioner-profile is the Lambda function of the createPractitionerProfile operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() {
	lambdahttp.Main("createPractitionerProfile", practitionerhttp.CreatePractitionerProfile())
}
