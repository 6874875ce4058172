// Command search-medical-knowledge is the Lambda function of the searchMedicalKnowledge operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "searchMedicalKnowledge", knowledgehttp.SearchMedicalKnowledge()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
