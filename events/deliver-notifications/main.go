// Command deliver-notifications is subscribed to the notification topic: it
// delivers each outbox message once per recipient and channel. A failure
// returns an error, so SNS retries and, after its last retry, the message
// lands in the dead-letter queue.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"ohcs/shared/app"
	"ohcs/shared/config"
	"ohcs/shared/dynamo"
	"ohcs/shared/logging"
	"ohcs/shared/notification/awssend"
	"ohcs/shared/platform"
)

func main() {
	if err := run(context.Background(), os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, getenv func(string) string) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	env, err := platform.NewEnv(ctx, cfg, logging.New(os.Stdout, cfg.LogLevel))
	if err != nil {
		return err
	}
	// The role's credentials from Lambda's variables, as every function
	// (dynamo.AWSConfig); the services' endpoint variables as the SDK
	// names them.
	aws := dynamo.AWSConfig(cfg)
	mail := ses.NewFromConfig(aws, func(o *ses.Options) { o.BaseEndpoint = cfg.Endpoint("SES") })
	text := sns.NewFromConfig(aws, func(o *sns.Options) { o.BaseEndpoint = cfg.Endpoint("SNS") })
	router := app.Of(env).Router(&awssend.Mail{Client: mail, From: getenv("OHCS_MAIL_FROM")}, &awssend.Text{Client: text})
	lambda.StartWithOptions(func(ctx context.Context, ev events.SNSEvent) error {
		var errs []error
		for _, rec := range ev.Records {
			m, err := awssend.Decode(rec.SNS.Message)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			errs = append(errs, router.HandleMessage(ctx, m))
		}
		return errors.Join(errs...)
	}, lambda.WithContext(ctx))
	return nil
}
