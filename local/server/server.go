// Package server is the local server: the whole OHCS API on a laptop, with
// an embedded DynamoDB-compatible store, a development token issuer, the
// local gateway and every operation's handler in-process, plus the
// interactive API reference.
package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"ohcs/shared/app"
	"ohcs/shared/dynamo/dynamoprobe"

	"github.com/truora/minidyn/server"

	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/local/demo"
	"ohcs/local/dynamodblocal"
	"ohcs/local/gateway"
	"ohcs/local/issuer"
	"ohcs/local/lambdamode"
	"ohcs/local/localmail"
	"ohcs/shared/config"
	"ohcs/shared/cursor"
	"ohcs/shared/dynamo"
	"ohcs/shared/logging"
	"ohcs/shared/operations"
	"ohcs/shared/outbox"
	"ohcs/shared/platform"
	"ohcs/shared/practitioner"
	"ohcs/shared/tables"
)

// Environment variables of the local server.
const (
	EnvAddr     = "OHCS_ADDR"
	EnvDemoData = "OHCS_DEMO_DATA"
	// EnvLambdaRIE, when set, names the Lambda runtime interface emulator:
	// every operation then runs as its own function binary under it
	// (Lambda mode), built into EnvLambdaBuild (build/host by default).
	EnvLambdaRIE   = "OHCS_LAMBDA_RIE"
	EnvLambdaBuild = "OHCS_LAMBDA_BUILD"
	// EnvStore=memory reaches the embedded store in memory instead of over
	// loopback HTTP: a store without network latency, for the handler
	// benchmarks (not with Lambda mode, whose functions need the port).
	// EnvStore=dynamodb-local starts Amazon's DynamoDB Local (Java 17)
	// instead of the embedded store.
	EnvStore = "OHCS_STORE"
	// StoreDynamoDBLocal is the EnvStore value of Amazon's DynamoDB Local.
	StoreDynamoDBLocal = "dynamodb-local"
	// LocalUserPoolARN stands for the user pool in the local body.
	LocalUserPoolARN = "arn:aws:cognito-idp:local:000000000000:userpool/local"
	// ClientID is the app client id of locally minted tokens.
	ClientID = "ohcs-local"
	// TokenTTL is the lifetime of a locally minted token.
	TokenTTL = time.Hour
)

// Server is a running local server.
type Server struct {
	// URL is the server's base URL, such as http://127.0.0.1:8080.
	URL     string
	Gateway *gateway.Gateway
	Issuer  *issuer.Issuer
	Env     *platform.Env
	// Mail records the email and SMS sent (GET /_local/outbox).
	Mail *localmail.Recorder
	// Requests counts the DynamoDB requests of every operation served.
	Requests *dynamoprobe.Counter
	// Faults makes chosen DynamoDB requests fail, for the tests. In Lambda
	// mode the functions run in their own processes, with their own
	// clients: neither Requests nor Faults sees their requests.
	Faults *dynamoprobe.Faults
	// Grants refuses what a function's IAM role would not allow.
	Grants *dynamoprobe.Grants
	// Lambda runs the functions in Lambda mode; nil in-process.
	Lambda *lambdamode.Invoker
	// Functions are the in-process functions, by operation id.
	Functions gateway.Functions
	// bodyHook, when set (StartWithBody), changes the API body the
	// gateway serves, as an operator could change the uploaded one.
	bodyHook   func(body map[string]any)
	memory     http.Handler
	proxy      *http.Server
	offset     atomic.Int64 // added to the clock, for tests of the future
	dispatchMu sync.Mutex   // one dispatcher run at a time: the ticker's or a test's
	dispatcher *outbox.Dispatcher
	stop       context.CancelFunc
	http       *http.Server
	store      *http.Server
	done       chan error
	// dynamoLocal is the DynamoDB Local this server started, if any.
	dynamoLocal *dynamodblocal.Instance
	// stack is the template-driven Lambda mode's template, if it runs.
	stack *stackMode
}

// Start starts the local server with the configuration read through getenv
// and returns once it accepts connections.
func Start(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*Server, error) {
	return StartWithBody(ctx, getenv, logger, nil)
}

// StartWithBody is Start with the API body changed by hook before the
// gateway serves it: tests show that the gateway honours the body, not the
// document.
func StartWithBody(ctx context.Context, getenv func(string) string, logger *slog.Logger, hook func(body map[string]any)) (*Server, error) {
	addr := getenv(EnvAddr)
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{URL: "http://" + ln.Addr().String(), done: make(chan error, 1), bodyHook: hook}
	if file := getenv(EnvStackTemplate); file != "" {
		if getenv(EnvLambdaRIE) == "" {
			ln.Close()
			return nil, fmt.Errorf("%s needs %s: the template's functions run under the Lambda runtime interface emulator", EnvStackTemplate, EnvLambdaRIE)
		}
		region := getenv(config.EnvRegion)
		if region == "" {
			region = "us-east-1"
		}
		if s.stack, err = newStackMode(file, s.URL, region, logger); err != nil {
			ln.Close()
			return nil, fmt.Errorf("stack mode: %w", err)
		}
		getenv = s.stack.getenv(getenv)
	}
	env, err := s.environment(ctx, getenv, logger)
	if err != nil {
		ln.Close()
		s.closeStore()
		return nil, err
	}
	// The handlers and the dispatcher read one clock, which tests may move
	// forward (Advance).
	env.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(s.offset.Load())) }
	if s.memory != nil {
		env.DynamoDB = dynamodb.New(env.DynamoDB.Options(), func(o *dynamodb.Options) {
			o.HTTPClient = &http.Client{Transport: inMemory{s.memory}}
		})
	}
	s.Requests, s.Faults = &dynamoprobe.Counter{}, &dynamoprobe.Faults{}
	// Each function may touch only the tables and actions its role is
	// granted in AWS: a request beyond them fails as DynamoDB refuses it.
	if s.stack != nil {
		// The grants are the template's policies, evaluated.
		s.Grants = s.stack.grants()
	} else if s.Grants, err = operations.Grants(env.Config); err != nil {
		ln.Close()
		s.closeStore()
		return nil, err
	}
	env.DynamoDB = s.Grants.Instrument(s.Faults.Instrument(s.Requests.Instrument(env.DynamoDB)))
	s.Env = env
	s.Issuer, err = issuer.New(s.URL+"/_local", ClientID)
	if err != nil {
		ln.Close()
		s.closeStore()
		return nil, err
	}
	env.Tokens = s.Issuer.Verifier()
	createTables := func() error { return dynamo.CreateTables(ctx, env.DynamoDB, tables.All(), env.Config.Tables) }
	if s.stack != nil {
		// Only the tables the template declares, as it declares them.
		createTables = func() error { return s.stack.createTables(ctx, env.DynamoDB) }
	}
	if err := createTables(); err != nil {
		ln.Close()
		s.closeStore()
		return nil, err
	}
	if getenv(EnvDemoData) != "off" {
		n, err := demo.Seed(ctx, app.Of(env).Practitioners(), app.Of(env).Availability())
		if err == nil && n > 0 {
			// The articles are written by the first demo practitioner.
			var author practitioner.Practitioner
			if author, err = app.Of(env).Practitioners().Store.GetBySub(ctx, demo.AuthorSub); err == nil {
				err = demo.SeedArticles(ctx, app.Of(env).Knowledge(), author.ID, author.Sub)
			}
		}
		if err != nil {
			ln.Close()
			s.closeStore()
			return nil, err
		}
		logger.Info("demo data seeded", slog.Int("practitioners", n))
	}
	handler, err := s.routes(ctx, env, getenv, logger)
	if err != nil {
		ln.Close()
		s.closeStore()
		return nil, err
	}
	s.http = &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.done <- s.http.Serve(ln) }()
	// The outbox dispatcher runs every second, as EventBridge runs it every
	// minute in AWS; the local topic delivers in-process.
	tick, stop := context.WithCancel(context.Background())
	s.stop = stop
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-tick.Done():
				return
			case <-t.C:
				if s.stack != nil {
					s.runDue(tick, logger)
					continue
				}
				if _, err := s.Dispatch(tick); err != nil && tick.Err() == nil {
					logger.Warn("dispatch", slog.String("error", err.Error()))
				}
			}
		}
	}()
	return s, nil
}

// Dispatch publishes every due outbox message now, as the scheduled
// dispatcher does, and returns how many it published.
func (s *Server) Dispatch(ctx context.Context) (int, error) {
	return s.DispatchAt(ctx, s.Env.Now())
}

// Advance moves the server's clock forward by d, as if the time had
// passed: appointments start, reminders fall due. The functions of Lambda
// mode run in their own processes on the real clock.
func (s *Server) Advance(d time.Duration) { s.offset.Add(int64(d)) }

// runDue runs the template's schedule rules that are due (stack mode).
func (s *Server) runDue(ctx context.Context, logger *slog.Logger) {
	for _, rule := range s.stack.due(time.Now()) {
		var err error
		if fn := s.stack.fns[rule.Function]; fn != nil && fn.Source == "events/outbox-dispatcher" {
			_, err = s.Dispatch(ctx)
		} else {
			_, err = s.stack.runSchedule(ctx, rule, time.Now())
		}
		if err != nil && ctx.Err() == nil {
			logger.Warn("schedule", slog.String("rule", rule.Rule), slog.String("error", err.Error()))
		}
	}
}

// DispatchAt is Dispatch as it would run at the time at: a later time
// fires the reminders due by then, as if the days had passed.
func (s *Server) DispatchAt(ctx context.Context, at time.Time) (int, error) {
	s.dispatchMu.Lock()
	defer s.dispatchMu.Unlock()
	if s.stack != nil {
		// The template's dispatcher function, invoked as its rule invokes
		// it, with the event's time at; it delivers through the topic's
		// subscription, whose invokes this waits for.
		rule, ok := s.stack.scheduleOf("events/outbox-dispatcher")
		if !ok {
			return 0, errors.New("stack mode: no schedule invokes the outbox dispatcher")
		}
		total := 0
		for range 20 {
			n, err := s.stack.runSchedule(ctx, rule, at)
			total += n
			if err != nil || n == 0 {
				return total, err
			}
		}
		return total, nil
	}
	ctx = s.Requests.Begin(ctx, "outbox-dispatcher") // counted, and reachable by Faults, under its function's name
	total := 0
	for range 20 {
		n, err := s.dispatcher.Run(ctx, at, 100)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
	return total, nil
}

// environment builds the platform Env: the embedded store unless
// OHCS_DYNAMODB_ENDPOINT names another, and a fresh cursor key unless
// OHCS_CURSOR_KEY is set.
func (s *Server) environment(ctx context.Context, getenv func(string) string, logger *slog.Logger) (*platform.Env, error) {
	overrides := map[string]string{}
	if getenv(config.EnvDynamoDBEndpoint) == "" && getenv(EnvStore) == StoreDynamoDBLocal {
		in, err := dynamodblocal.Start(ctx)
		if err != nil {
			return nil, err
		}
		s.dynamoLocal = in
		overrides[config.EnvDynamoDBEndpoint] = in.Endpoint
	} else if getenv(config.EnvDynamoDBEndpoint) == "" && getenv(EnvStore) == "memory" {
		s.memory = server.NewServer()
		overrides[config.EnvDynamoDBEndpoint] = "http://embedded.store.invalid"
	} else if getenv(config.EnvDynamoDBEndpoint) == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("embedded store: %w", err)
		}
		s.store = &http.Server{Handler: server.NewServer(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 10 * time.Minute}
		go func() { _ = s.store.Serve(ln) }()
		overrides[config.EnvDynamoDBEndpoint] = "http://" + ln.Addr().String()
	}
	if getenv(config.EnvCursorKey) == "" {
		key := make([]byte, cursor.KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		overrides[config.EnvCursorKey] = base64.StdEncoding.EncodeToString(key)
	}
	cfg, err := config.Load(func(k string) string {
		if v, ok := overrides[k]; ok {
			return v
		}
		return getenv(k)
	})
	if err != nil {
		return nil, err
	}
	return platform.NewEnv(ctx, cfg, logger)
}

// TakeDenied returns every request a function sent beyond its grants since
// the last call (DynamoDB, and in stack mode SNS, SES and Cognito), and
// forgets them.
func (s *Server) TakeDenied() []string {
	out := s.Grants.TakeDenied()
	if s.stack != nil {
		out = append(out, s.stack.takeDenied()...)
	}
	return out
}

// DeadLetters returns the asynchronous events of stack mode that failed
// their last retry.
func (s *Server) DeadLetters() []DeadLetter {
	if s.stack == nil {
		return nil
	}
	s.stack.mu.Lock()
	defer s.stack.mu.Unlock()
	return append([]DeadLetter(nil), s.stack.dead...)
}

// Close stops the server and the embedded store.
func (s *Server) Close() error {
	if s.stop != nil {
		s.stop()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if s.Lambda != nil {
		s.Lambda.Close()
	}
	if s.proxy != nil {
		_ = s.proxy.Close()
	}
	s.closeStore()
	if serveErr := <-s.done; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}

// Wait blocks until the server stops.
func (s *Server) Wait() error {
	err := <-s.done
	s.done <- err
	return err
}

func (s *Server) closeStore() {
	if s.store != nil {
		_ = s.store.Close()
	}
	if s.dynamoLocal != nil {
		s.dynamoLocal.Close()
	}
}

// Run starts the local server and serves until ctx is done.
func Run(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	logger := logging.New(stdout, getenv(config.EnvLogLevel))
	s, err := Start(ctx, getenv, logger)
	if err != nil {
		return err
	}
	logger.Info("OHCS local server ready", slog.String("url", s.URL), slog.String("docs", s.URL+"/docs/"),
		slog.String("token", "POST "+s.URL+"/_local/token"))
	<-ctx.Done()
	return s.Close()
}
