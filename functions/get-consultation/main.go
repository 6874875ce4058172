// Command get-consultation is the Lambda function of the getConsultation operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/clinical/clinicalhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getConsultation", clinicalhttp.GetConsultation()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
