// Command record-donation-payment is the Lambda function of the recordDonationPayment operation.
package main

import (
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("recordDonationPayment", donationhttp.RecordDonationPayment()) }
