package cursorsecret_test

import (
	"context"
	"testing"

	"ohcs/shared/config"
	"ohcs/shared/platform/cursorsecret"
)

// TestLoad: a function that pages has its key, given directly, without a
// request; with neither the key nor the secret's ARN it does not start.
// (Reading the secret itself is held by the stack mode's Secrets Manager:
// make test-stack.)
func TestLoad(t *testing.T) {
	ctx := context.Background()
	key := make([]byte, 32)
	c, err := cursorsecret.Load(ctx, config.Config{CursorKey: key, CursorSecretARN: "arn:aws:secretsmanager:eu-west-1:1:secret:k",
		Endpoints: map[string]string{"SECRETS_MANAGER": "http://127.0.0.1:9"}})
	if err != nil || len(c.CursorKey) != 32 {
		t.Errorf("a key given: %v %v; want it kept", c.CursorKey, err)
	}
	if _, err := cursorsecret.Load(ctx, config.Config{}); err == nil {
		t.Error("neither key nor secret: started; want a configuration error")
	}
}
