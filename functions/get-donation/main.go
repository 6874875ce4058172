// Command get-donation is the Lambda function of the getDonation operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getDonation", donationhttp.GetDonation()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
