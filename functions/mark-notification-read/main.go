// Command mark-notification-read is the Lambda function of the markNotificationRead operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "markNotificationRead", notificationhttp.MarkNotificationRead()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
