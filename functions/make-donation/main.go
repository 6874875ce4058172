// Command make-donation is the Lambda function of the makeDonation operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("makeDonation", donationhttp.MakeDonation()) }
