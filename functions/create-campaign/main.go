// Command create-campaign is the Lambda function of the createCampaign operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("createCampaign", donationhttp.CreateCampaign()) }
