// Command get-notification is the Lambda function of the getNotification operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getNotification", notificationhttp.GetNotification()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
