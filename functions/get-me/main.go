// Command get-me is the Lambda function of the getMe operation.
package main

import (
	"context"
	"fmt"
	"os"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/account/accounthttp"
)

func main() {
	if err := lambdahttp.Run(context.Background(), os.Getenv, "getMe", accounthttp.Registry); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
