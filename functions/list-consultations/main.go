// Command list-consultations is the Lambda function of the listConsultations operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listConsultations", clinicalhttp.ListConsultations()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
