// Command list-my-access-log is the Lambda function of the listMyAccessLog operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() { lambdahttp.Main("listMyAccessLog", peoplehttp.ListMyAccessLog(), cursorsecret.Sealer) }
