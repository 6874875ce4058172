// Package lambdahttp owns the path from an API Gateway proxy event to an
// operation's net/http handler: the api-proxy adapter (ProxyWithContext
// only), path parameters and the request id in the context, one log line per
// request, and recovery from panics. The Lambda functions and the local
// gateway call handlers through the same Proxy.
package lambdahttp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/core"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"ohcs/shared/auth"
	"ohcs/shared/config"
	"ohcs/shared/cursor"
	"ohcs/shared/etag"
	"ohcs/shared/jsonio"
	"ohcs/shared/logging"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Func is a Lambda handler of API Gateway REST proxy events.
type Func func(ctx context.Context, event events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error)

type pathKey struct{}

type sourceKey struct{}

// SourceIP returns the client address API Gateway saw (the request
// context's identity), for limits on anonymous callers.
func SourceIP(r *http.Request) string {
	ip, _ := r.Context().Value(sourceKey{}).(string)
	return ip
}

// PathParam returns the path parameter name of r, as API Gateway matched it.
func PathParam(r *http.Request, name string) string {
	params, _ := r.Context().Value(pathKey{}).(map[string]string)
	return params[name]
}

// PathID returns the path parameter name if it has the shape of an id;
// Invalid, naming the parameter, if not.
func PathID(r *http.Request, name string) (string, error) {
	id := PathParam(r, name)
	if !validate.IsID(id) {
		return "", problem.Field(name, "is not an id")
	}
	return id, nil
}

// Proxy returns the Lambda handler serving operation op with h.
func Proxy(op string, h http.Handler, logger *slog.Logger) Func {
	adapter := httpadapter.New(observe(op, h, logger))
	return func(ctx context.Context, event events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		if field := controlCharacter(event); field != "" {
			// API Gateway passes path and query values as the client
			// sent them, NUL included; no URL holds them, and the
			// adapter would fail the invocation (502).
			refusal := httpadapter.New(observe(op, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				problem.Write(w, r, problem.Field(field, "holds a control character"))
			}), logger))
			event.Path, event.PathParameters = "/", nil
			event.QueryStringParameters, event.MultiValueQueryStringParameters = nil, nil
			return refusal.ProxyWithContext(ctx, event)
		}
		ctx = context.WithValue(ctx, pathKey{}, event.PathParameters)
		ctx = context.WithValue(ctx, sourceKey{}, event.RequestContext.Identity.SourceIP)
		return adapter.ProxyWithContext(ctx, event)
	}
}

// CORS adds the CORS headers to h's answers when the request comes from an
// allowed origin. With a proxy integration the function, not API Gateway,
// writes every header of its answers (API Gateway developer guide,
// "Enabling CORS for a REST API resource": for a Lambda proxy integration
// the backend returns Access-Control-Allow-Origin); the preflight is the
// body's mock integration.
func CORS(origins []string, h http.Handler) http.Handler {
	if len(origins) == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if o := r.Header.Get("Origin"); o != "" && slices.Contains(origins, o) {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Expose-Headers", CORSExposeHeaders)
		}
		h.ServeHTTP(w, r)
	})
}

// CORSExposeHeaders are the answer headers a browser script may read.
const CORSExposeHeaders = "ETag,Location,Retry-After"

// controlCharacter names the path or query parameter of event that holds
// a control character, "path" for the path itself, or "".
func controlCharacter(event events.APIGatewayProxyRequest) string {
	bad := func(s string) bool {
		for _, c := range s {
			if c < 0x20 || c == 0x7f {
				return true
			}
		}
		return false
	}
	for k, v := range event.PathParameters {
		if bad(v) {
			return k
		}
	}
	for k, vs := range event.MultiValueQueryStringParameters {
		for _, v := range vs {
			if bad(v) {
				return k
			}
		}
	}
	for k, v := range event.QueryStringParameters {
		if bad(v) {
			return k
		}
	}
	if bad(event.Path) {
		return "path"
	}
	return ""
}

// observe adds the request id and the operation to the logger, logs one line
// per request (method, operation, status, duration: never the query or the
// body, which may hold personal data) and turns a panic into a 500 problem.
func observe(op string, next http.Handler, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		requestID := ""
		if gw, ok := core.GetAPIGatewayContextFromContext(r.Context()); ok {
			requestID = gw.RequestID
		}
		log := logger.With(slog.String("request_id", requestID), slog.String("operation", op))
		ctx := logging.WithRequestID(logging.WithLogger(r.Context(), log), requestID)
		r = r.WithContext(ctx)
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				log.Error("panic", slog.String("panic", fmt.Sprint(v)))
				if rec.status == 0 {
					problem.Write(rec, r, fmt.Errorf("panic in %s", op))
				}
			}
			log.Info("request", slog.String("method", r.Method), slog.Int("status", rec.status),
				slog.Int64("duration_ms", time.Since(start).Milliseconds()))
		}()
		next.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Cursors is where a function that pages takes its cursor key from
// (cursorsecret.Sealer): only the mains of the operations that page name
// it, so that the others neither link the Secrets Manager client nor start
// it (its package initialisation is a fifth of a millisecond of every cold
// start).
type Cursors func(config.Config) (*cursor.Sealer, error)

// RunOperation is the whole of a function's main: Run with a registry of
// one operation, so that the function links that operation's handler and
// what it needs, not its domain's others.
func RunOperation(ctx context.Context, getenv func(string) string, op string, o platform.Operation, cursors ...Cursors) error {
	return Run(ctx, getenv, op, platform.Registry{op: o}, cursors...)
}

// Main is an operation function's main: it runs operation op
// (RunOperation with the process's environment) and exits with the error
// when the configuration is refused. An operation that pages passes its
// cursors (TestOperationsAgree holds the mains to the document).
func Main(op string, o platform.Operation, cursors ...Cursors) {
	if err := RunOperation(context.Background(), os.Getenv, op, o, cursors...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Run reads the configuration through getenv, builds the clients once,
// builds operation op's handler from reg and starts the Lambda runtime. It
// returns only on a configuration error.
func Run(ctx context.Context, getenv func(string) string, op string, reg platform.Registry, cursors ...Cursors) error {
	env, err := platform.Load(ctx, getenv)
	if err != nil {
		return err
	}
	cfg := env.Config
	// The cursor key of a function that pages: NewEnv has made its sealer
	// when the key is given directly; else the first source makes one that
	// reads the key from its secret when a list first pages.
	if env.Cursors == nil && len(cursors) > 0 {
		if env.Cursors, err = cursors[0](cfg); err != nil {
			return err
		}
	}
	h, err := reg.Build(op, env)
	if err != nil {
		return err
	}
	lambda.StartWithOptions(Proxy(op, CORS(cfg.CORSOrigins, h), env.Logger), lambda.WithContext(ctx))
	return nil
}

// Update is what an update request carries: its caller, the id in its
// path, the version its If-Match names and its body.
type Update struct {
	Caller  auth.Principal
	ID      string
	IfMatch int64
	Body    []byte
}

// ReadUpdate reads an update request whose path names its target by
// idParam. Unauthenticated, Invalid, PreconditionRequired.
func ReadUpdate(r *http.Request, idParam string) (Update, error) {
	var u Update
	var err error
	if u.Caller, u.ID, u.IfMatch, err = Change(r, idParam); err != nil {
		return u, err
	}
	u.Body, err = jsonio.Read(r)
	return u, err
}

// Target reads the caller and the id in path parameter idParam: what an
// operation on one resource starts from.
func Target(r *http.Request, idParam string) (auth.Principal, string, error) {
	p, err := auth.FromRequest(r)
	if err != nil {
		return p, "", err
	}
	id, err := PathID(r, idParam)
	return p, id, err
}

// Change reads what a change of one resource starts from: the caller, the
// id in path parameter idParam and the version its If-Match names.
func Change(r *http.Request, idParam string) (auth.Principal, string, int64, error) {
	p, id, err := Target(r, idParam)
	if err != nil {
		return p, id, 0, err
	}
	version, err := etag.IfMatch(r)
	return p, id, version, err
}

// Input reads the caller, then decodes the request's JSON body into in,
// refusing the fields the server owns (jsonio.DecodeExcept).
func Input(r *http.Request, in any, serverOwned ...string) (auth.Principal, error) {
	p, err := auth.FromRequest(r)
	if err != nil {
		return p, err
	}
	return p, jsonio.DecodeExcept(r, in, serverOwned...)
}

// Versioned answers status with body and the ETag of version, as every
// read or change of a versioned resource answers.
func Versioned(w http.ResponseWriter, status int, version int64, body any) {
	etag.Set(w, version)
	jsonio.Write(w, status, body)
}

// Created answers 201 with the body of the resource just made, its ETag
// and its Location.
func Created(w http.ResponseWriter, location string, version int64, body any) {
	w.Header().Set("Location", location)
	Versioned(w, http.StatusCreated, version, body)
}
