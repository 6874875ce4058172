// Command get-treatment-plan is the Lambda function of the getTreatmentPlan operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getTreatmentPlan", clinicalhttp.GetTreatmentPlan()) }
