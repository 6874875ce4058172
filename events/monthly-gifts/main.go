// Command monthly-gifts is the scheduled function that gives each monthly
// pledge's gift when it is due, once per month however often it runs.
package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/shared/donation/donationhttp"
	"ohcs/shared/platform"
)

func main() {
	platform.Start(func(env *platform.Env) (any, error) {
		svc := donationhttp.New(env).Service
		return func(ctx context.Context, ev events.CloudWatchEvent) error {
			n, err := svc.GiveDue(ctx, platform.ScheduledAt(ev, time.Now()))
			env.Logger.Info("monthly gifts", slog.Int("created", n))
			return err
		}, nil
	})
}
