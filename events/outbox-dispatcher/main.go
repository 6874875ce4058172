// Command outbox-dispatcher is the scheduled function that publishes the
// due outbox messages to the notification topic and marks them published.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/shared/app"
	"ohcs/shared/notification/awssend"
	"ohcs/shared/platform"
)

func main() {
	platform.Start(func(env *platform.Env) (any, error) {
		d := app.Of(env).Dispatcher(awssend.NewTopic(env.Config, os.Getenv("OHCS_NOTIFICATION_TOPIC_ARN")).Publish)
		return func(ctx context.Context, ev events.CloudWatchEvent) error {
			n, err := d.Run(ctx, platform.ScheduledAt(ev, time.Now()), 200)
			env.Logger.Info("outbox dispatched", slog.Int("published", n))
			return err
		}, nil
	})
}
