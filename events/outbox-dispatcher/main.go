// Command outbox-dispatcher is the scheduled function that publishes the
// due outbox messages to the notification topic and marks them published.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
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
	logger := logging.New(os.Stdout, cfg.LogLevel)
	env, err := platform.NewEnv(ctx, cfg, logger)
	if err != nil {
		return err
	}
	// The role's credentials from Lambda's variables, as every function
	// (dynamo.AWSConfig); the topic's endpoint variable as the SDK names it.
	client := sns.NewFromConfig(dynamo.AWSConfig(cfg), func(o *sns.Options) { o.BaseEndpoint = cfg.Endpoint("SNS") })
	topic := &awssend.Topic{Client: client, ARN: getenv("OHCS_NOTIFICATION_TOPIC_ARN")}
	d := app.Of(env).Dispatcher(topic.Publish)
	lambda.StartWithOptions(func(ctx context.Context, ev events.CloudWatchEvent) error {
		n, err := d.Run(ctx, platform.ScheduledAt(ev, time.Now()), 200)
		logger.Info("outbox dispatched", slog.Int("published", n))
		return err
	}, lambda.WithContext(ctx))
	return nil
}
