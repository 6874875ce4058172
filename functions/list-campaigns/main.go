// Command list-campaigns is the Lambda function of the listCampaigns operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listCampaigns", donationhttp.ListCampaigns()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
