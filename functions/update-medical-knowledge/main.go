// Command update-medical-knowledge is the Lambda function of the updateMedicalKnowledge operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "updateMedicalKnowledge", knowledgehttp.UpdateMedicalKnowledge()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
