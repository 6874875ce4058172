// Command update-medical-knowledge is the Lambda function of the updateMedicalKnowledge operation.
package main

import (
	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("updateMedicalKnowledge", knowledgehttp.UpdateMedicalKnowledge()) }
