// Command place-availability-schedule is the Lambda function of the placeAvailabilitySchedule operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/scheduling/schedulinghttp"
)

func main() { lambdahttp.Main("placeAvailabilitySchedule", schedulinghttp.PlaceAvailabilitySchedule()) }
