// Command send-notification is the Lambda function of the sendNotification operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() { lambdahttp.Main("sendNotification", notificationhttp.SendNotification()) }
