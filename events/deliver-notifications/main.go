// Command deliver-notifications is subscribed to the notification topic: it
// delivers each outbox message once per recipient and channel. A failure
// returns an error, so SNS retries and, after its last retry, the message
// lands in the dead-letter queue.
package main

import (
	"context"
	"errors"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"ohcs/shared/app"
	"ohcs/shared/dynamo"
	"ohcs/shared/notification/awssend"
	"ohcs/shared/platform"
)

func main() {
	platform.Start(func(env *platform.Env) (any, error) {
		// The role's credentials from Lambda's variables, as every function
		// (dynamo.AWSConfig); the services' endpoint variables as the SDK
		// names them.
		cfg := env.Config
		aws := dynamo.AWSConfig(cfg)
		mail := ses.NewFromConfig(aws, func(o *ses.Options) { o.BaseEndpoint = cfg.Endpoint("SES") })
		text := sns.NewFromConfig(aws, func(o *sns.Options) { o.BaseEndpoint = cfg.Endpoint("SNS") })
		router := app.Of(env).Router(&awssend.Mail{Client: mail, From: os.Getenv("OHCS_MAIL_FROM")}, &awssend.Text{Client: text})
		return func(ctx context.Context, ev events.SNSEvent) error {
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
		}, nil
	})
}
