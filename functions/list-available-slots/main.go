// Command list-available-slots is the Lambda function of the listAvailableSlots operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listAvailableSlots", schedulinghttp.ListAvailableSlots()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
