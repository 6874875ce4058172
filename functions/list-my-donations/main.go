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
	if err := lambdahttp.Run(context.Background(), os.Getenv, "listMyDonations", donationhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
