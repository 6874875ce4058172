// Command update-appointment-status is the Lambda function of the updateAppointmentStatus operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() { lambdahttp.Main("updateAppointmentStatus", schedulinghttp.UpdateAppointmentStatus()) }
