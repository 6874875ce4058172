// Package dynamotest starts the embedded DynamoDB-compatible store on
// loopback for tests, with every table of the table definitions created, and
// returns a real SDK client pointed at it. With OHCS_DYNAMODB_ENDPOINT set
// (make test-dynamodb-local), the tables are created in that store instead
// (Amazon's DynamoDB Local), each test with its own.
package dynamotest

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/truora/minidyn/server"

	"ohcs/shared/config"
	"ohcs/shared/cursor"
	"ohcs/shared/dynamo"
	"ohcs/shared/tables"
)

// New starts an embedded store for t and returns a client and the config
// (table names, a random cursor key) that point at it.
func New(t testing.TB) (*dynamodb.Client, config.Config) {
	t.Helper()
	endpoint, prefix := os.Getenv(config.EnvDynamoDBEndpoint), "test-"
	if endpoint != "" {
		prefix = fmt.Sprintf("t%d-%d-", os.Getpid(), stores.Add(1))
	} else {
		srv := httptest.NewServer(server.NewServer())
		t.Cleanup(srv.Close)
		endpoint = srv.URL
	}
	key := make([]byte, cursor.KeySize)
	for i := range key {
		key[i] = byte(i * 7)
	}
	env := map[string]string{
		config.EnvDynamoDBEndpoint: endpoint,
		config.EnvCursorKey:        base64.StdEncoding.EncodeToString(key),
		config.EnvTablePrefix:      prefix,
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	ctx := context.Background()
	db, err := dynamo.NewClient(ctx, cfg)
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	if err := dynamo.CreateTables(ctx, db, tables.All(), cfg.Tables); err != nil {
		t.Fatalf("tables: %v", err)
	}
	return db, cfg
}

// stores numbers the table sets made in one external store.
var stores atomic.Int64
