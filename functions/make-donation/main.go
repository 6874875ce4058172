// Command make-donation is the Lambda function of the makeDonation operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/donation/donationhttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "makeDonation", donationhttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
