// Command list-schedules is the Lambda function of the listSchedules operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() { lambdahttp.Main("listSchedules", schedulinghttp.ListSchedules(), cursorsecret.Sealer) }
