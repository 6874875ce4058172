package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ohcs/local/issuer"
	"ohcs/shared/auth"
)

// TestVerifierAcceptsEachListedClient: the functions that check an
// optional token themselves accept the access tokens of each client the
// stack lists (the app client and the machine client, comma-separated in
// OHCS_TOKEN_CLIENT_ID), and no other. Before, the list was compared whole,
// so that in AWS every signed-in call of a public operation answered 401
// (found by the template-driven Lambda mode).
func TestVerifierAcceptsEachListedClient(t *testing.T) {
	mint := func(client string) (string, *auth.Verifier) {
		t.Helper()
		iss, err := issuer.New("https://issuer.example", client)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := iss.Mint(issuer.Identity{Sub: "s-1", Groups: []string{"donor"}}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok, iss.Verifier()
	}
	for _, tc := range []struct {
		client, accepted string
		ok               bool
	}{
		{"app", "app,machine", true},
		{"machine", "app,machine", true},
		{"app", "app", true},
		{"other", "app,machine", false},
		{"pp", "app,machine", false},
	} {
		tok, v := mint(tc.client)
		v.ClientID = tc.accepted
		_, err := v.Verify(context.Background(), tok)
		if tc.ok && err != nil {
			t.Errorf("client %q against %q: %v", tc.client, tc.accepted, err)
		}
		if !tc.ok && !errors.Is(err, auth.ErrInvalidToken) {
			t.Errorf("client %q against %q: %v; want ErrInvalidToken", tc.client, tc.accepted, err)
		}
	}
}
