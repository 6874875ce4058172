package config_test

import (
	"testing"

	"ohcs/shared/config"
)

// TestCursorKeyFromSecret: with only the secret's ARN configured (as the
// stack configures every function) the key waits to be read at cold
// start (cursorsecret.Load, which refuses neither); a key given directly
// (the local server) wins.
func TestCursorKeyFromSecret(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := config.Load(env(map[string]string{config.EnvCursorSecretARN: "arn:aws:secretsmanager:eu-west-1:1:secret:k"}))
	if err != nil || c.CursorKey != nil || c.CursorSecretARN == "" {
		t.Errorf("ARN only: %v %v %q; want no key yet and the ARN", err, c.CursorKey, c.CursorSecretARN)
	}
	if c, err := config.Load(env(map[string]string{})); err != nil || c.CursorKey != nil {
		t.Errorf("neither key nor secret (an event function): %v %v; want no key and no error", c.CursorKey, err)
	}
	c, err = config.Load(env(map[string]string{config.EnvCursorSecretARN: "arn:x", config.EnvCursorKey: "0123456789abcdef0123456789abcdef0123456789"}))
	if err != nil || len(c.CursorKey) != 32 {
		t.Errorf("key and ARN: %v %v; want the key", err, c.CursorKey)
	}
	a, _ := config.CursorKeyOf("a generated secret of sixty-four characters, letters and digits0")
	b, _ := config.CursorKeyOf("a generated secret of sixty-four characters, letters and digits0")
	if len(a) != 32 || string(a) != string(b) {
		t.Error("the key derived from a secret is not stable")
	}
}
