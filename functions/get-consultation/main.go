// Command get-consultation is the Lambda function of the getConsultation operation.
package main

import (
	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getConsultation", clinicalhttp.GetConsultation()) }
