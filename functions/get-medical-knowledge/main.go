// Command get-medical-knowledge is the Lambda function of the getMedicalKnowledge operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getMedicalKnowledge", knowledgehttp.GetMedicalKnowledge()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
