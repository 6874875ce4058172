// Command update-appointment-status is the Lambda function of the updateAppointmentStatus operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "updateAppointmentStatus", schedulinghttp.UpdateAppointmentStatus()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
