// Command list-appointments is the Lambda function of the listAppointments operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() {
	lambdahttp.Main("listAppointments", schedulinghttp.ListAppointments(), cursorsecret.Sealer)
}
