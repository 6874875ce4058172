// Command retract-medical-knowledge is the Lambda function of the retractMedicalKnowledge operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/knowledge/knowledgehttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "retractMedicalKnowledge", knowledgehttp.RetractMedicalKnowledge()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
