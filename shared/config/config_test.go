package config_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"ohcs/shared/config"
)

func TestLoad(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for _, tc := range []struct {
		name string
		env  map[string]string
		ok   bool
		test func(t *testing.T, c config.Config)
	}{
		{"defaults", map[string]string{config.EnvCursorKey: key}, true, func(t *testing.T, c config.Config) {
			if c.Tables["practitioners"] != "ohcs-practitioners" || c.IdempotencyTTL != 24*time.Hour || c.Region == "" {
				t.Errorf("got %+v", c)
			}
		}},
		{"table names from the stack", map[string]string{config.EnvCursorKey: key, "OHCS_TABLE_PRACTITIONERS": "Stack-Practitioners-X1"}, true, func(t *testing.T, c config.Config) {
			if c.Tables["practitioners"] != "Stack-Practitioners-X1" {
				t.Errorf("got %v", c.Tables)
			}
		}},
		{"no cursor key (an event function's)", map[string]string{}, true, func(t *testing.T, c config.Config) {
			if c.CursorKey != nil {
				t.Errorf("key %v; want none", c.CursorKey)
			}
		}},
		{"a short cursor key", map[string]string{config.EnvCursorKey: "short"}, false, nil},
		{"generated secret", map[string]string{config.EnvCursorKey: "Qx7!pL0-vZ3@kT9#mN2$wR5%yB8^cF1&"}, true, func(t *testing.T, c config.Config) {
			if len(c.CursorKey) != 32 {
				t.Errorf("key of %d bytes", len(c.CursorKey))
			}
		}},
		{"short cursor key", map[string]string{config.EnvCursorKey: base64.StdEncoding.EncodeToString([]byte("short"))}, false, nil},
		{"idempotency shorter than a day", map[string]string{config.EnvCursorKey: key, config.EnvIdempotencyTTL: "1h"}, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(func(k string) string { return tc.env[k] })
			if (err == nil) != tc.ok {
				t.Fatalf("got %v; want ok=%v", err, tc.ok)
			}
			if err != nil && strings.Contains(err.Error(), key) {
				t.Errorf("the error shows the key")
			}
			if tc.test != nil {
				tc.test(t, c)
			}
		})
	}
}
