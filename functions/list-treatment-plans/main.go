// Command list-treatment-plans is the Lambda function of the listTreatmentPlans operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() {
	lambdahttp.Main("listTreatmentPlans", clinicalhttp.ListTreatmentPlans(), cursorsecret.Sealer)
}
