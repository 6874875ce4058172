// Command make-donation is the Lambda function of the makeDonation operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "makeDonation", donationhttp.MakeDonation()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
