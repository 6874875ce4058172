// Command list-audit-events is the Lambda function of the listAuditEvents operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listAuditEvents", peoplehttp.ListAuditEvents()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
