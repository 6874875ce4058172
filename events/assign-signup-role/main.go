// Command assign-signup-role is the user pool's post-confirmation trigger:
// it puts a person who signed up in the self-service group it chose.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"ohcs/shared/logging"
	"ohcs/shared/signup"
)

func main() {
	cfg, err := awsconfig.LoadDefaultConfig(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	t := signup.Trigger{Groups: cognitoidentityprovider.NewFromConfig(cfg), Logger: logging.New(os.Stdout, os.Getenv("OHCS_LOG_LEVEL"))}
	lambda.Start(t.Handle)
}
