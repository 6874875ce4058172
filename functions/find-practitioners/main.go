// Command find-practitioners is the Lambda function of the findPractitioners operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
	"ohcs/shared/practitioner/practitionerhttp"
)

func main() {
	lambdahttp.Main("findPractitioners", practitionerhttp.FindPractitioners(), cursorsecret.Sealer)
}
