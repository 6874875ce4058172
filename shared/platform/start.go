package platform

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"ohcs/shared/config"
	"ohcs/shared/logging"
)

// Load reads the configuration through getenv and builds the environment
// of a function from it, with its logger on standard output.
func Load(ctx context.Context, getenv func(string) string) (*Env, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	return NewEnv(ctx, cfg, logging.New(os.Stdout, cfg.LogLevel))
}

// Start is an event function's main: it builds the environment (Load, from
// the process's variables), hands it to build and starts the Lambda
// runtime with the handler build returns (a function as lambda.Start takes
// it). A configuration that is refused ends the process with its error.
func Start(build func(env *Env) (any, error)) {
	ctx := context.Background()
	env, err := Load(ctx, os.Getenv)
	var h any
	if err == nil {
		h, err = build(env)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lambda.StartWithOptions(h, lambda.WithContext(ctx))
}
