// Command list-campaigns is the Lambda function of the listCampaigns operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/platform/cursorsecret"
)

func main() { lambdahttp.Main("listCampaigns", donationhttp.ListCampaigns(), cursorsecret.Sealer) }
