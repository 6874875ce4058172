// Command search-medical-knowledge is the Lambda function of the searchMedicalKnowledge operation.
package main

import (
	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() {
	lambdahttp.Main("searchMedicalKnowledge", knowledgehttp.SearchMedicalKnowledge(), cursorsecret.Sealer)
}
