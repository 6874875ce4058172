// Command send-notification is the Lambda function of the sendNotification operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "sendNotification", notificationhttp.SendNotification()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
