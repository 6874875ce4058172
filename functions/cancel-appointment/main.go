// Command cancel-appointment is the Lambda function of the cancelAppointment operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() { lambdahttp.Main("cancelAppointment", schedulinghttp.CancelAppointment()) }
