// Command get-me is the Lambda function of the getMe operation.
package main

import (
	"ohcs/shared/account/accounthttp"
	"ohcs/shared/lambdahttp"
)

func main() { lambdahttp.Main("getMe", accounthttp.GetMe()) }
