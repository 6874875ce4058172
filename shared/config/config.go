// Package config owns the configuration of OHCS: environment variables read
// once at cold start into a typed Config. The CDK stack sets them in AWS and
// the local server sets them on a laptop.
package config

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"ohcs/shared/cursor"
	"ohcs/shared/tables"
)

// Environment variable names.
const (
	EnvRegion           = "AWS_REGION"
	EnvDynamoDBEndpoint = "OHCS_DYNAMODB_ENDPOINT"
	EnvTablePrefix      = "OHCS_TABLE_PREFIX"
	EnvCursorKey        = "OHCS_CURSOR_KEY"
	// EnvCursorSecretARN names the Secrets Manager secret the cursor key
	// is derived from; the function reads it at cold start (the stack sets
	// this, never the key itself, so that no secret sits in a function's
	// configuration).
	EnvCursorSecretARN = "OHCS_CURSOR_SECRET_ARN"
	EnvLogLevel        = "OHCS_LOG_LEVEL"
	EnvIdempotencyTTL  = "OHCS_IDEMPOTENCY_TTL"
	EnvTokenIssuer     = "OHCS_TOKEN_ISSUER"
	EnvTokenClientID   = "OHCS_TOKEN_CLIENT_ID"
	EnvJWKSURL         = "OHCS_JWKS_URL"
	// EnvCORSOrigins lists the browser origins allowed to call the API,
	// comma-separated; none turns CORS off.
	EnvCORSOrigins = "OHCS_CORS_ORIGINS"
)

// Config is the typed configuration.
type Config struct {
	Region string
	// DynamoDBEndpoint, when set, points the SDK at a DynamoDB-compatible
	// endpoint instead of AWS (the embedded store, for one).
	DynamoDBEndpoint string
	// Tables maps logical table names to physical ones.
	Tables map[string]string
	// CursorKey seals pagination cursors. Without EnvCursorKey it is nil
	// until cursorsecret.Load reads the secret CursorSecretARN names.
	CursorKey       []byte
	CursorSecretARN string
	LogLevel        string
	// IdempotencyTTL is how long an Idempotency-Key is remembered.
	IdempotencyTTL time.Duration
	// TokenIssuer, TokenClientID and JWKSURL let functions that are public
	// at the gateway check an optional bearer token themselves.
	TokenIssuer, TokenClientID, JWKSURL string
	// CORSOrigins are the browser origins allowed to call the API.
	CORSOrigins []string
	// Credentials are the function role's, from the variables Lambda sets
	// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
	Credentials Credentials
	// MaxAttempts bounds the SDK's attempts of a request
	// (AWS_MAX_ATTEMPTS); 0 leaves the SDK's default.
	MaxAttempts int
	// Endpoints replace AWS's regional endpoints of the services a
	// function calls besides DynamoDB, by the SDK's service id (SNS, SES,
	// SECRETS_MANAGER, COGNITO_IDENTITY_PROVIDER), from the variables the
	// SDK names
	// (AWS_ENDPOINT_URL_<ID>).
	Endpoints map[string]string
}

// endpointServices are the services whose endpoint variables are read.
var endpointServices = []string{"SNS", "SES", "SECRETS_MANAGER", "COGNITO_IDENTITY_PROVIDER"}

// Endpoint returns the endpoint set for service, or nil for AWS's own.
func (c Config) Endpoint(service string) *string {
	if v, ok := c.Endpoints[service]; ok {
		return &v
	}
	return nil
}

// AWS is the SDK configuration of a function: its region, and its role's
// credentials straight from the variables Lambda sets. The SDK's default
// chain (shared files, SSO, STS, instance metadata) would find the same
// variables first, and would link its clients into every function.
func (c Config) AWS() aws.Config {
	return aws.Config{Region: c.Region, RetryMaxAttempts: c.MaxAttempts,
		Credentials: aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			c.Credentials.AccessKeyID, c.Credentials.SecretAccessKey, c.Credentials.SessionToken))}
}

// Credentials are AWS access keys.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// TableEnv is the variable naming the physical table of a logical one:
// OHCS_TABLE_PRACTITIONERS for "practitioners".
func TableEnv(logical string) string {
	return "OHCS_TABLE_" + strings.ToUpper(strings.ReplaceAll(logical, "-", "_"))
}

// Load reads the configuration through getenv.
func Load(getenv func(string) string) (Config, error) {
	c := Config{
		Region:           getenv(EnvRegion),
		DynamoDBEndpoint: getenv(EnvDynamoDBEndpoint),
		LogLevel:         getenv(EnvLogLevel),
		Tables:           map[string]string{},
		IdempotencyTTL:   24 * time.Hour,
		TokenIssuer:      getenv(EnvTokenIssuer),
		TokenClientID:    getenv(EnvTokenClientID),
		JWKSURL:          getenv(EnvJWKSURL),
		Credentials: Credentials{AccessKeyID: getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"),
			SessionToken: getenv("AWS_SESSION_TOKEN")},
		Endpoints: map[string]string{},
	}
	for _, id := range endpointServices {
		if v := getenv("AWS_ENDPOINT_URL_" + id); v != "" {
			c.Endpoints[id] = v
		}
	}
	if v := getenv("AWS_MAX_ATTEMPTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, fmt.Errorf("config: AWS_MAX_ATTEMPTS must be a positive integer")
		}
		c.MaxAttempts = n
	}
	for _, o := range strings.Split(getenv(EnvCORSOrigins), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	prefix := getenv(EnvTablePrefix)
	if prefix == "" {
		prefix = "ohcs-"
	}
	for _, t := range tables.All() {
		name := getenv(TableEnv(t.Name))
		if name == "" {
			name = prefix + t.Name
		}
		c.Tables[t.Name] = name
	}
	key := getenv(EnvCursorKey)
	c.CursorSecretARN = getenv(EnvCursorSecretARN)
	if key != "" {
		// Else read from Secrets Manager at cold start by the functions
		// that page (cursorsecret.Load); the event functions have none.
		var err error
		if c.CursorKey, err = CursorKeyOf(key); err != nil {
			return c, err
		}
	}
	if v := getenv(EnvIdempotencyTTL); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 24*time.Hour {
			return c, fmt.Errorf("config: %s must be a duration of at least 24h", EnvIdempotencyTTL)
		}
		c.IdempotencyTTL = d
	}
	return c, nil
}

// CursorKeyOf derives the cursor key from its configured value: base64 of
// cursor.KeySize random bytes, or a generated secret of at least 32
// characters (the stack's Secrets Manager secret), hashed.
func CursorKeyOf(value string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(value)
	switch {
	case err == nil && len(raw) == cursor.KeySize:
		return raw, nil
	case len(value) >= 32:
		sum := sha256.Sum256([]byte(value))
		return sum[:], nil
	}
	return nil, fmt.Errorf("config: %s must be base64 of %d random bytes, or a secret of at least 32 characters", EnvCursorKey, cursor.KeySize)
}

// Table returns the physical name of a logical table.
func (c Config) Table(t tables.Table) string { return c.Tables[t.Name] }
