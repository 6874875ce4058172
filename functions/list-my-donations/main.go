// Command list-my-donations is the Lambda function of the listMyDonations operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() { lambdahttp.Main("listMyDonations", donationhttp.ListMyDonations(), cursorsecret.Sealer) }
