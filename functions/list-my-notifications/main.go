// Command list-my-notifications is the Lambda function of the listMyNotifications operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification/notificationhttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() {
	lambdahttp.Main("listMyNotifications", notificationhttp.ListMyNotifications(), cursorsecret.Sealer)
}
