// Command record-consultation is the Lambda function of the recordConsultation operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "recordConsultation", clinicalhttp.RecordConsultation()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
