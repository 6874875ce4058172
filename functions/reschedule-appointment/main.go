// Command reschedule-appointment is the Lambda function of the rescheduleAppointment operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() { lambdahttp.Main("rescheduleAppointment", schedulinghttp.RescheduleAppointment()) }
