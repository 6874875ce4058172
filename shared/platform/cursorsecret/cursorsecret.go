// Package cursorsecret reads the cursor key from its Secrets Manager
// secret when a function first seals or opens a cursor (Sealer), not at
// cold start: most operations never page, and the read is a round trip.
// Only the mains of the operations that page name it (lambdahttp.Main's
// cursors), so only those functions link and start the Secrets Manager
// client; the others neither read the secret nor may (the stack grants it
// to the paging operations' roles alone).
package cursorsecret

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"ohcs/shared/config"
	"ohcs/shared/cursor"
)

// Sealer returns the sealer of cfg's cursor key: at once for a key given,
// or one that reads the secret CursorSecretARN names on first use. An
// error, at start, when there is neither.
func Sealer(cfg config.Config) (*cursor.Sealer, error) {
	if cfg.CursorKey != nil {
		return cursor.NewSealer(cfg.CursorKey)
	}
	if cfg.CursorSecretARN == "" {
		return nil, fmt.Errorf("config: %s or %s is required", config.EnvCursorKey, config.EnvCursorSecretARN)
	}
	return cursor.NewLazySealer(func() ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := Load(ctx, cfg)
		return c.CursorKey, err
	}), nil
}

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
	sm := secretsmanager.NewFromConfig(cfg.AWS(), func(o *secretsmanager.Options) { o.BaseEndpoint = cfg.Endpoint("SECRETS_MANAGER") })
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
