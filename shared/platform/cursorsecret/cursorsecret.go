// Package cursorsecret reads the cursor key from its Secrets Manager
// secret at cold start. Only the operations' functions page, so only they
// link it (lambdahttp.Run); the event functions neither read the secret nor
// may (the stack grants it to the operations' roles alone).
package cursorsecret

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"ohcs/shared/config"
	"ohcs/shared/dynamo"
)

// Load returns cfg with its cursor key: as configured, or else read from
// the secret CursorSecretARN names, with the function's role. An error
// when there is neither.
func Load(ctx context.Context, cfg config.Config) (config.Config, error) {
	if cfg.CursorKey != nil {
		return cfg, nil
	}
	if cfg.CursorSecretARN == "" {
		return cfg, fmt.Errorf("config: %s or %s is required", config.EnvCursorKey, config.EnvCursorSecretARN)
	}
	sm := secretsmanager.NewFromConfig(dynamo.AWSConfig(cfg), func(o *secretsmanager.Options) { o.BaseEndpoint = cfg.Endpoint("SECRETS_MANAGER") })
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &cfg.CursorSecretARN})
	if err != nil {
		return cfg, fmt.Errorf("cursor secret %s: %w", cfg.CursorSecretARN, err)
	}
	if out.SecretString == nil {
		return cfg, fmt.Errorf("cursor secret %s holds no string", cfg.CursorSecretARN)
	}
	cfg.CursorKey, err = config.CursorKeyOf(*out.SecretString)
	return cfg, err
}
