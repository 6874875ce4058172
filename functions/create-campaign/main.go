// Command create-campaign is the Lambda function of the createCampaign operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "createCampaign", donationhttp.CreateCampaign()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
