// Command export-health-record-fhir is the Lambda function of the exportHealthRecordFhir operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "exportHealthRecordFhir", clinicalhttp.ExportHealthRecordFhir()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
