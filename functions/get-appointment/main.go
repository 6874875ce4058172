// Command get-appointment is the Lambda function of the getAppointment operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() { lambdahttp.Main("getAppointment", schedulinghttp.GetAppointment()) }
