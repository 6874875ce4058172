// Command list-campaigns is the Lambda function of the listCampaigns operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("listCampaigns", donationhttp.ListCampaigns()) }
