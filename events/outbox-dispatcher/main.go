// Command outbox-dispatcher is the scheduled function that publishes the
// due outbox messages to the notification topic and marks them published.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"ohcs/shared/app"
	"ohcs/shared/dynamo"
	"ohcs/shared/notification/awssend"
	"ohcs/shared/platform"
)

func main() {
	platform.Start(func(env *platform.Env) (any, error) {
		// The role's credentials from Lambda's variables, as every function
		// (dynamo.AWSConfig); the topic's endpoint variable as the SDK names it.
		cfg := env.Config
		client := sns.NewFromConfig(dynamo.AWSConfig(cfg), func(o *sns.Options) { o.BaseEndpoint = cfg.Endpoint("SNS") })
		topic := &awssend.Topic{Client: client, ARN: os.Getenv("OHCS_NOTIFICATION_TOPIC_ARN")}
		d := app.Of(env).Dispatcher(topic.Publish)
		return func(ctx context.Context, ev events.CloudWatchEvent) error {
			n, err := d.Run(ctx, platform.ScheduledAt(ev, time.Now()), 200)
			env.Logger.Info("outbox dispatched", slog.Int("published", n))
			return err
		}, nil
	})
}
