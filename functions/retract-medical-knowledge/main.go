// Command retract-medical-knowledge is the Lambda function of the retractMedicalKnowledge operation.
package main

import (
	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("retractMedicalKnowledge", knowledgehttp.RetractMedicalKnowledge()) }
