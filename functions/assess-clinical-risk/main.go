// Command assess-clinical-risk is the Lambda function of the assessClinicalRisk operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("assessClinicalRisk", clinicalhttp.AssessClinicalRisk()) }
