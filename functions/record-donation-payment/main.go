// Command record-donation-payment is the Lambda function of the recordDonationPayment operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/donation/donationhttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "recordDonationPayment", donationhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
