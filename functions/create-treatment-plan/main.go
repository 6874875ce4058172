// Command create-treatment-plan is the Lambda function of the createTreatmentPlan operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("createTreatmentPlan", clinicalhttp.CreateTreatmentPlan()) }
