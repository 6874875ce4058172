// Command get-me is the Lambda function of the getMe operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/account/accounthttp"
	"ohcs/shared/lambdahttp"
)

func main() {
	if err := lambdahttp.RunOperation(context.Background(), os.Getenv, "getMe", accounthttp.GetMe()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
