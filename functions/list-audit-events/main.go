// Command list-audit-events is the Lambda function of the listAuditEvents operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people/peoplehttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() { lambdahttp.Main("listAuditEvents", peoplehttp.ListAuditEvents(), cursorsecret.Sealer) }
