// Command share-medical-knowledge is the Lambda function of the shareMedicalKnowledge operation.
package main

import (
	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("shareMedicalKnowledge", knowledgehttp.ShareMedicalKnowledge()) }
