// Command list-consultations is the Lambda function of the listConsultations operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() {
	lambdahttp.Main("listConsultations", clinicalhttp.ListConsultations(), cursorsecret.Sealer)
}
