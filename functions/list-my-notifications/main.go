// Command list-my-notifications is the Lambda function of the listMyNotifications operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listMyNotifications", notificationhttp.ListMyNotifications()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
