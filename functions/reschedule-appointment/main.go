// Command reschedule-appointment is the Lambda function of the rescheduleAppointment operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "rescheduleAppointment", schedulinghttp.RescheduleAppointment()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
