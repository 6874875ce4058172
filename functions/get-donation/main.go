// Command get-donation is the Lambda function of the getDonation operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getDonation", donationhttp.GetDonation()) }
