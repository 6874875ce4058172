// Command monthly-gifts is the scheduled function that gives each monthly
// pledge's gift when it is due, once per month however often it runs.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"ohcs/shared/config"
	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/logging"
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
	svc := donationhttp.New(env).Service
	lambda.StartWithOptions(func(ctx context.Context, ev events.CloudWatchEvent) error {
		n, err := svc.GiveDue(ctx, platform.ScheduledAt(ev, time.Now()))
		logger.Info("monthly gifts", slog.Int("created", n))
		return err
	}, lambda.WithContext(ctx))
	return nil
}
