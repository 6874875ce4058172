// Command share-medical-knowledge is the Lambda function of the shareMedicalKnowledge operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "shareMedicalKnowledge", knowledgehttp.ShareMedicalKnowledge()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
