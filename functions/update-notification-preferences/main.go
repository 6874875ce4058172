// Command update-notification-preferences is the Lambda function of the updateNotificationPreferences operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() {
	lambdahttp.Main("updateNotificationPreferences", notificationhttp.UpdateNotificationPreferences())
}
