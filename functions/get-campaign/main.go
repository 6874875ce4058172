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
	if err := lambdahttp.Run(context.Background(), os.Getenv, "getCampaign", donationhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
