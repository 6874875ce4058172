// Command list-available-slots is the Lambda function of the listAvailableSlots operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	lambdahttp.Main("listAvailableSlots", schedulinghttp.ListAvailableSlots(), cursorsecret.Sealer)
}
