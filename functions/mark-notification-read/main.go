// Command mark-notification-read is the Lambda function of the markNotificationRead operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() { lambdahttp.Main("markNotificationRead", notificationhttp.MarkNotificationRead()) }
