// Command list-appointments is the Lambda function of the listAppointments operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listAppointments", schedulinghttp.ListAppointments()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
