package server_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"ohcs/openapi"
)

// TestTokenAttacks sends every protected operation with every kind of bad
// token: each answers 401 problem+json at the gateway, and no handler runs
// (the request counter sees no call of the operation). A control token,
// signed the same way with nothing wrong, does reach the handler, so the
// attacks fail for their defect and nothing else.
func TestTokenAttacks(t *testing.T) {
	c := start(t, nil)
	doc := document(t)
	w := newWorld(t, c)
	iss := c.server.Issuer
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := func(role string) jwt.MapClaims {
		return jwt.MapClaims{"sub": "attacker", "iss": iss.URL, "client_id": iss.ClientID, "token_use": "access",
			"scope": "ohcs/api", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "cognito:groups": []string{role}}
	}
	sign := func(method jwt.SigningMethod, c jwt.MapClaims, key any) string {
		tok, err := iss.SignWith(method, c, key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	edit := func(role string, change func(jwt.MapClaims)) string {
		c := claims(role)
		change(c)
		return sign(jwt.SigningMethodRS256, c, nil)
	}
	attacks := func(role string) map[string]string {
		valid := sign(jwt.SigningMethodRS256, claims("beneficiary"), nil)
		parts := strings.Split(valid, ".")
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var body map[string]any
		if err := json.Unmarshal(payload, &body); err != nil {
			t.Fatal(err)
		}
		body["cognito:groups"] = []string{role, "administrator"}
		edited, _ := json.Marshal(body)
		none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims(role)).SignedString(jwt.UnsafeAllowNoneSignatureType)
		unknownKid := jwt.NewWithClaims(jwt.SigningMethodRS256, claims(role))
		unknownKid.Header["kid"] = "someone-else"
		unknownKidTok, _ := unknownKid.SignedString(otherKey)
		return map[string]string{
			"malformed":     "not-a-token",
			"three garbage": "a.b.c",
			"expired":       edit(role, func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }),
			"not yet valid": edit(role, func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() }),
			"issued later":  edit(role, func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }),
			"wrong issuer":  edit(role, func(c jwt.MapClaims) { c["iss"] = "https://issuer.invalid" }),
			"wrong client":  edit(role, func(c jwt.MapClaims) { c["client_id"] = "another-app" }),
			"id token":      edit(role, func(c jwt.MapClaims) { c["token_use"] = "id" }),
			"no scope":      edit(role, func(c jwt.MapClaims) { delete(c, "scope") }),
			// InitiateAuth and SRP give access tokens with this scope only:
			// the API's methods require ohcs/api.
			"SRP token":      edit(role, func(c jwt.MapClaims) { c["scope"] = "aws.cognito.signin.user.admin" }),
			"alg none":       none,
			"HS256 with key": sign(jwt.SigningMethodHS256, claims(role), iss.JWKS()),
			"other signer":   sign(jwt.SigningMethodRS256, claims(role), otherKey),
			"unknown kid":    unknownKidTok,
			"edited groups":  parts[0] + "." + base64.RawURLEncoding.EncodeToString(edited) + "." + parts[2],
		}
	}
	for _, op := range openapi.Operations(doc) {
		if op.Public || len(op.Roles) == 0 {
			continue
		}
		rows := matrix[op.ID]
		if len(rows) == 0 {
			t.Errorf("%s has no request in the authorization matrix", op.ID)
			continue
		}
		t.Run(op.ID, func(t *testing.T) {
			ww := w
			if rows[0].mutates {
				ww = newWorld(t, c)
			}
			req := rows[0].build(ww)
			for name, tok := range attacks(op.Roles[0]) {
				var r response
				used := usage(c, op.ID, func() { r = c.call(req.method, req.path, tok, req.body, req.header) })
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s: got %d; want 401: %s", name, r.Status, r.Body)
					continue
				}
				assertProblem(t, r, http.StatusUnauthorized)
				if used.Calls != 0 {
					t.Errorf("%s: the handler ran", name)
				}
			}
			// The control: the same claims, nothing wrong, reach the handler.
			var r response
			used := usage(c, op.ID, func() {
				r = c.call(req.method, req.path, sign(jwt.SigningMethodRS256, claims(op.Roles[0]), nil), req.body, req.header)
			})
			if r.Status == http.StatusUnauthorized || used.Calls != 1 {
				t.Errorf("the control token did not reach the handler: %d %s", r.Status, r.Body)
			}
		})
	}
}
