// Command get-campaign is the Lambda function of the getCampaign operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getCampaign", donationhttp.GetCampaign()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
