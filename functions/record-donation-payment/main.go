// Command record-donation-payment is the Lambda function of the recordDonationPayment operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "recordDonationPayment", donationhttp.RecordDonationPayment()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
