package issuer_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"ohcs/local/issuer"
)

func newIssuer(t *testing.T) *issuer.Issuer {
	t.Helper()
	iss, err := issuer.New("http://127.0.0.1:8080/_local", "ohcs-local")
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

func claims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "u1", "iss": "http://127.0.0.1:8080/_local", "client_id": "ohcs-local",
		"token_use": "access", "scope": "ohcs/api", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"cognito:groups": []string{"practitioner", "beneficiary"},
	}
}

func TestMintVerify(t *testing.T) {
	iss := newIssuer(t)
	tok, err := iss.Mint(issuer.Identity{Sub: "u1", Groups: []string{"practitioner", "beneficiary"}, Email: "u1@example.org"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got, err := iss.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	// The shape Cognito's token endpoint issues: scope and client_id, no
	// email (access tokens carry none).
	if got["sub"] != "u1" || got["cognito:groups"] != "practitioner,beneficiary" || got["token_use"] != "access" ||
		got["scope"] != "ohcs/api" || got["client_id"] != iss.ClientID || got["email"] != nil {
		t.Errorf("claims: got %v", got)
	}
	// The ID token, and an access token from SRP (scope
	// aws.cognito.signin.user.admin only), are refused.
	id, err := iss.MintID(issuer.Identity{Sub: "u1", Email: "u1@example.org"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Verify(id); err == nil {
		t.Error("an ID token was accepted")
	}
	var jwks struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(iss.JWKS(), &jwks); err != nil || len(jwks.Keys) != 1 || jwks.Keys[0]["alg"] != "RS256" {
		t.Errorf("JWKS: got %s", iss.JWKS())
	}
}

// TestRejects covers the tokens API Gateway's Cognito authorizer refuses.
func TestRejects(t *testing.T) {
	iss := newIssuer(t)
	now := time.Now()
	otherKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	sign := func(mutate func(jwt.MapClaims)) string {
		c := claims(now)
		mutate(c)
		tok, err := iss.SignWith(jwt.SigningMethodRS256, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	valid := sign(func(jwt.MapClaims) {})
	if _, err := iss.Verify(valid); err != nil {
		t.Fatalf("the valid token of the test is refused: %v", err)
	}
	parts := strings.Split(valid, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	edited := strings.Replace(string(payload), `"practitioner","beneficiary"`, `"administrator"`, 1)
	editedGroups := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(edited)) + "." + parts[2]
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims(now)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	foreign, _ := iss.SignWith(jwt.SigningMethodRS256, claims(now), otherKey)
	unknownKid := jwt.NewWithClaims(jwt.SigningMethodRS256, claims(now))
	unknownKid.Header["kid"] = "someone-else"
	unknownKidTok, _ := unknownKid.SignedString(otherKey)
	pub, _ := json.Marshal(iss.JWKS())
	hs, _ := iss.SignWith(jwt.SigningMethodHS256, claims(now), pub)

	for name, tok := range map[string]string{
		"garbage":        "not.a.token",
		"empty":          "",
		"expired":        sign(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() }),
		"no expiry":      sign(func(c jwt.MapClaims) { delete(c, "exp") }),
		"not yet issued": sign(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }),
		"not yet valid":  sign(func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() }),
		"wrong issuer":   sign(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" }),
		"wrong client":   sign(func(c jwt.MapClaims) { c["client_id"] = "other-app" }),
		"id token":       sign(func(c jwt.MapClaims) { c["token_use"] = "id" }),
		"no scope":       sign(func(c jwt.MapClaims) { delete(c, "scope") }),
		"no sub":         sign(func(c jwt.MapClaims) { delete(c, "sub") }),
		"alg none":       none,
		"HS256 with key": hs,
		"other signer":   foreign,
		"unknown key id": unknownKidTok,
		"edited groups":  editedGroups,
	} {
		t.Run(name, func(t *testing.T) {
			if got, err := iss.Verify(tok); err == nil {
				t.Errorf("accepted: %v", got)
			}
		})
	}
}
