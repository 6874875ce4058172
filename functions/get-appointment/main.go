// Command get-appointment is the Lambda function of the getAppointment operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getAppointment", schedulinghttp.GetAppointment()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
