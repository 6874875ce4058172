// Package issuer is the local server's token issuer: it mints RS256 access
// tokens shaped like the OHCS Cognito user pool's, serves its JWKS, and
// verifies bearer tokens the way API Gateway's Cognito authorizer does
// (signature, algorithm, issuer, expiry, token_use, client id). It exists for
// development only; no Lambda function or deployed stack uses it.
package issuer

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"ohcs/shared/auth"
)

// Scope is the OAuth scope the API's methods require.
const Scope = auth.Scope

// Issuer mints and verifies tokens.
type Issuer struct {
	URL      string
	ClientID string
	Now      func() time.Time
	key      *rsa.PrivateKey
	kid      string
}

// New returns an issuer with a fresh 2048-bit RSA key.
func New(url, clientID string) (*Issuer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	kid := make([]byte, 8)
	if _, err := rand.Read(kid); err != nil {
		return nil, fmt.Errorf("issuer key id: %w", err)
	}
	return &Issuer{URL: url, ClientID: clientID, Now: time.Now, key: key, kid: hex.EncodeToString(kid)}, nil
}

// Identity is who a token is minted for.
type Identity struct {
	Sub    string
	Groups []string
	Email  string
}

// Mint returns a signed access token for id, valid for ttl, shaped as
// Cognito's OAuth token endpoint issues it after the authorization code
// flow: scope, client_id, cognito:groups, token_use access, and no email
// (access tokens carry none).
func (i *Issuer) Mint(id Identity, ttl time.Duration) (string, error) {
	now := i.Now()
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	claims := jwt.MapClaims{
		"sub":            id.Sub,
		"iss":            i.URL,
		"client_id":      i.ClientID,
		"token_use":      "access",
		"scope":          Scope,
		"username":       id.Sub,
		"auth_time":      now.Unix(),
		"iat":            now.Unix(),
		"exp":            now.Add(ttl).Unix(),
		"jti":            hex.EncodeToString(jti),
		"cognito:groups": id.Groups,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = i.kid
	return tok.SignedString(i.key)
}

// MintID returns the ID token Cognito issues beside the access token:
// token_use id, aud the client, the email, no scope. The API's methods
// require a scope, so API Gateway's authorizer refuses it.
func (i *Issuer) MintID(id Identity, ttl time.Duration) (string, error) {
	now := i.Now()
	claims := jwt.MapClaims{
		"sub": id.Sub, "iss": i.URL, "aud": i.ClientID, "token_use": "id",
		"cognito:username": id.Sub, "auth_time": now.Unix(), "iat": now.Unix(), "exp": now.Add(ttl).Unix(),
		"cognito:groups": id.Groups,
	}
	if id.Email != "" {
		claims["email"], claims["email_verified"] = id.Email, true
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = i.kid
	return tok.SignedString(i.key)
}

// SignWith signs arbitrary claims with the issuer's key and kid, for tests of
// the verifier.
func (i *Issuer) SignWith(method jwt.SigningMethod, claims jwt.MapClaims, key any) (string, error) {
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = i.kid
	if key == nil {
		key = i.key
	}
	return tok.SignedString(key)
}

// JWKS returns the issuer's JSON Web Key Set.
func (i *Issuer) JWKS() []byte {
	pub := i.key.PublicKey
	set := map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "alg": "RS256", "use": "sig", "kid": i.kid,
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}}
	out, _ := json.Marshal(set)
	return out
}

// ErrInvalid is the error of every rejected token.
var ErrInvalid = auth.ErrInvalidToken

// Verifier returns the verifier of this issuer's tokens, as the Cognito
// authorizer would check them.
func (i *Issuer) Verifier() *auth.Verifier {
	return &auth.Verifier{Issuer: i.URL, ClientID: i.ClientID, Now: i.Now,
		Key: func(_ context.Context, kid string) (*rsa.PublicKey, error) {
			if kid != i.kid {
				return nil, errors.New("unknown key id")
			}
			return &i.key.PublicKey, nil
		}}
}

// Verify checks a bearer token and returns its claims as the Cognito
// authorizer passes them to the integration.
func (i *Issuer) Verify(raw string) (map[string]any, error) {
	return i.Verifier().Verify(context.Background(), raw)
}
