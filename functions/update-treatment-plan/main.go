// Command update-treatment-plan is the Lambda function of the updateTreatmentPlan operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("updateTreatmentPlan", clinicalhttp.UpdateTreatmentPlan()) }
