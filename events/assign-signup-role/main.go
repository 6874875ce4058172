// Command assign-signup-role is the user pool's post-confirmation trigger:
// it puts a person who signed up in the self-service group it chose.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"ohcs/shared/config"
	"ohcs/shared/logging"
	"ohcs/shared/signup"
)

func main() {
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The role's credentials from Lambda's variables, not the SDK's
	// default chain (TestFunctionsLinkNoDefaultChain).
	groups := cognitoidentityprovider.NewFromConfig(cfg.AWS(), func(o *cognitoidentityprovider.Options) {
		o.BaseEndpoint = cfg.Endpoint("COGNITO_IDENTITY_PROVIDER")
	})
	t := signup.Trigger{Groups: groups, Logger: logging.New(os.Stdout, cfg.LogLevel)}
	lambda.Start(t.Handle)
}
