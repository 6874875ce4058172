// Command place-availability-schedule is the Lambda function of the placeAvailabilitySchedule operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "placeAvailabilitySchedule", schedulinghttp.PlaceAvailabilitySchedule()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
