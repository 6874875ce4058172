package cursorsecret_test

import (
	"context"
	"testing"

	"ohcs/shared/config"
	"ohcs/shared/platform/cursorsecret"
	"ohcs/shared/problem"
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

// TestSealerReadsTheSecretOnlyWhenAListPages: with the secret's ARN, the
// function starts without a request (the endpoint here answers nothing);
// the first cursor sealed asks for the key and, the secret unreachable,
// answers Unavailable. With neither key nor ARN the function does not
// start; with a key given it seals at once.
func TestSealerReadsTheSecretOnlyWhenAListPages(t *testing.T) {
	cfg := config.Config{CursorSecretARN: "arn:aws:secretsmanager:eu-west-1:1:secret:k", Region: "eu-west-1",
		Endpoints: map[string]string{"SECRETS_MANAGER": "http://127.0.0.1:9"}, MaxAttempts: 1}
	s, err := cursorsecret.Sealer(cfg)
	if err != nil || s == nil {
		t.Fatalf("with the secret's ARN: %v; want a sealer, no request yet", err)
	}
	if _, err := s.Seal("q", map[string]string{"pk": "a"}); !problem.Is(err, problem.Unavailable) {
		t.Errorf("first cursor, the secret unreachable: %v; want Unavailable", err)
	}
	if _, err := cursorsecret.Sealer(config.Config{}); err == nil {
		t.Error("neither key nor secret: a sealer; want a configuration error")
	}
	given, err := cursorsecret.Sealer(config.Config{CursorKey: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := given.Seal("q", map[string]string{"pk": "a"}); err != nil {
		t.Errorf("a key given: %v", err)
	}
}
