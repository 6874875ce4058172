// Command make-appointment is the Lambda function of the makeAppointment operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() { lambdahttp.Main("makeAppointment", schedulinghttp.MakeAppointment()) }
