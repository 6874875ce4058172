package auth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Scope is the OAuth scope the API's methods require.
const Scope = "ohcs/api"

// ErrInvalidToken is the error of every rejected token; the reason is
// wrapped for logs and never shown to the client.
var ErrInvalidToken = errors.New("invalid token")

// Verifier checks bearer tokens the way API Gateway's Cognito authorizer
// does: RS256 only, a known key, the issuer, expiry and issue time,
// token_use "access", the app client and the API scope. Operations that are
// public at the gateway use it for an optional token.
type Verifier struct {
	Issuer string
	// ClientID is the app client whose tokens are accepted, or several
	// separated by commas (the stack's app and machine clients): API
	// Gateway's Cognito authorizer accepts the access tokens of every
	// client of the pool that carry the scope.
	ClientID string
	// Key returns the public key of a key id.
	Key func(ctx context.Context, kid string) (*rsa.PublicKey, error)
	Now func() time.Time
}

// Verify returns the claims of a valid token as the authorizer passes them:
// every value a string, groups joined by commas.
func (v *Verifier) Verify(ctx context.Context, raw string) (map[string]any, error) {
	now := v.Now
	if now == nil {
		now = time.Now
	}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}), jwt.WithIssuer(v.Issuer),
		jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithTimeFunc(now))
	tok, err := parser.Parse(raw, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return v.Key(ctx, kid)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	claims, _ := tok.Claims.(jwt.MapClaims)
	if use, _ := claims["token_use"].(string); use != "access" {
		return nil, fmt.Errorf("%w: token_use %q", ErrInvalidToken, use)
	}
	if cid, _ := claims["client_id"].(string); cid == "" || !slices.Contains(strings.Split(v.ClientID, ","), cid) {
		return nil, fmt.Errorf("%w: client_id", ErrInvalidToken)
	}
	if sub, _ := claims["sub"].(string); sub == "" {
		return nil, fmt.Errorf("%w: no sub", ErrInvalidToken)
	}
	if scope, _ := claims["scope"].(string); !strings.Contains(" "+scope+" ", " "+Scope+" ") {
		return nil, fmt.Errorf("%w: scope", ErrInvalidToken)
	}
	out := map[string]any{}
	for k, c := range claims {
		switch x := c.(type) {
		case string:
			out[k] = x
		case float64:
			out[k] = strconv.FormatInt(int64(x), 10)
		case []any:
			parts := make([]string, 0, len(x))
			for _, p := range x {
				if s, ok := p.(string); ok {
					parts = append(parts, s)
				}
			}
			out[k] = strings.Join(parts, ",")
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	return out, nil
}

// JWKS fetches a JSON Web Key Set once and caches its RSA keys for an
// hour; an unknown key id refetches at most once a minute.
type JWKS struct {
	URL    string
	Client *http.Client
	mu     sync.Mutex
	keys   map[string]*rsa.PublicKey
	at     time.Time
}

// Key returns the key of kid.
func (j *JWKS) Key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if k, ok := j.keys[kid]; ok && time.Since(j.at) < time.Hour {
		return k, nil
	}
	if time.Since(j.at) < time.Minute && j.keys != nil {
		return nil, errors.New("unknown key id")
	}
	if err := j.fetch(ctx); err != nil {
		return nil, err
	}
	if k, ok := j.keys[kid]; ok {
		return k, nil
	}
	return nil, errors.New("unknown key id")
}

func (j *JWKS) fetch(ctx context.Context) error {
	client := j.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.URL, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	var set struct {
		Keys []struct {
			Kty, Kid, N, E string
		} `json:"keys"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		return fmt.Errorf("decode JWKS: %w", err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if k.Kty != "RSA" {
			continue
		}
		n, err1 := base64.RawURLEncoding.DecodeString(k.N)
		e, err2 := base64.RawURLEncoding.DecodeString(k.E)
		if err1 != nil || err2 != nil {
			continue
		}
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	j.keys, j.at = keys, time.Now()
	return nil
}
