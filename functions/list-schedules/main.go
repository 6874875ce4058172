// Command list-schedules is the Lambda function of the listSchedules operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listSchedules", schedulinghttp.ListSchedules()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
