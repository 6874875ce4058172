// Command cancel-appointment is the Lambda function of the cancelAppointment operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "cancelAppointment", schedulinghttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
