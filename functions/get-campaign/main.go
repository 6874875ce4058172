// Command get-campaign is the Lambda function of the getCampaign operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getCampaign", donationhttp.GetCampaign()) }
