// Command get-notification is the Lambda function of the getNotification operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
)

func main() { lambdahttp.Main("getNotification", notificationhttp.GetNotification()) }
