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

	"ohcs/shared/app"
	"ohcs/shared/notification/awssend"
	"ohcs/shared/platform"
)

func main() {
	platform.Start(func(env *platform.Env) (any, error) {
		router := app.Of(env).Router(awssend.NewMail(env.Config, os.Getenv("OHCS_MAIL_FROM")), awssend.NewText(env.Config))
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
