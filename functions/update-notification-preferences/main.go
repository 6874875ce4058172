// Command update-notification-preferences is the Lambda function of the updateNotificationPreferences operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "updateNotificationPreferences", notificationhttp.UpdateNotificationPreferences()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
