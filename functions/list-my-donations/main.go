// Command list-my-donations is the Lambda function of the listMyDonations operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "listMyDonations", donationhttp.ListMyDonations()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
