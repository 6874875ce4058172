// Command get-medical-knowledge is the Lambda function of the getMedicalKnowledge operation.
package main

import (
	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getMedicalKnowledge", knowledgehttp.GetMedicalKnowledge()) }
