package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/swaggest/swgui/v5emb"

	"os/exec"
	"path/filepath"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"ohcs/local/gateway"
	"ohcs/local/lambdamode"
	"ohcs/local/localmail"
	"ohcs/openapi"
	"ohcs/shared/app"
	"ohcs/shared/config"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/logging"
	"ohcs/shared/operations"
	"ohcs/shared/outbox"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
)

func (s *Server) routes(ctx context.Context, env *platform.Env, getenv func(string) string, logger *slog.Logger) (http.Handler, error) {
	doc, err := openapi.Load(ctx)
	if err != nil {
		return nil, err
	}
	registry := operations.All()
	functions := gateway.Functions{}
	for _, op := range openapi.Operations(doc) {
		h, err := registry.Build(op.ID, env)
		if err != nil {
			return nil, err
		}
		proxy, id := lambdahttp.Proxy(op.ID, lambdahttp.CORS(env.Config.CORSOrigins, h), logger), op.ID
		functions[op.ID] = func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
			return proxy(s.Requests.Begin(ctx, id), ev)
		}
	}
	s.Functions = functions
	var invoker gateway.Invoker = functions
	var body map[string]any
	switch rie := getenv(EnvLambdaRIE); {
	case s.stack != nil:
		if s.Lambda, err = s.stackInvoker(env, getenv, rie); err != nil {
			return nil, err
		}
		invoker = counting{s.Requests, s.Lambda}
		// The body the template uploads, its references resolved.
		body = s.stack.body
	case rie != "":
		if s.Lambda, err = s.lambdaMode(env, getenv, rie, doc, logger); err != nil {
			return nil, err
		}
		invoker = counting{s.Requests, s.Lambda}
	}
	if body == nil {
		// The gateway serves the body the stack uploads, filled with local
		// stand-ins for the deploy-time values.
		if body, err = openapi.Body(ctx, openapi.Deployment{
			Integration: func(op string) string { return "local:function:" + op },
			UserPoolARN: LocalUserPoolARN,
			CORSOrigins: env.Config.CORSOrigins,
		}); err != nil {
			return nil, err
		}
	}
	if s.bodyHook != nil {
		s.bodyHook(body)
	}
	s.Gateway, err = gateway.New(body, s.Issuer, invoker, logger)
	if err != nil {
		return nil, err
	}
	docJSON, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi json: %w", err)
	}
	s.Mail = &localmail.Recorder{}
	router := app.Of(env).Router(s.Mail, s.Mail)
	// The topic delivers to the delivery function, under its own grants.
	s.dispatcher = app.Of(env).Dispatcher(func(ctx context.Context, m outbox.Message) error {
		return router.HandleMessage(s.Requests.Begin(ctx, "deliver-notifications"), m)
	})
	mux := http.NewServeMux()
	mux.Handle("/v1/", s.Gateway)
	mux.Handle("GET /_local/outbox", loopbackOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		jsonio.Write(w, http.StatusOK, map[string]any{"messages": s.Mail.Sent()})
	})))
	mux.Handle("POST /_local/token", loopbackOnly(http.HandlerFunc(s.token)))
	jwks := loopbackOnly(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.Issuer.JWKS())
	}))
	mux.Handle("GET /_local/jwks.json", jwks)
	// Where Cognito publishes a pool's keys: the issuer URL's
	// /.well-known/jwks.json, as the template points its functions.
	mux.Handle("GET /_local/.well-known/jwks.json", jwks)
	mux.Handle("POST /_local/signup", loopbackOnly(http.HandlerFunc(s.signup)))
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(docJSON)
	})
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openapi.YAML())
	})
	mux.Handle("GET /docs/", v5emb.New("OHCS API", "/openapi.json", "/docs/"))
	mux.Handle("GET /docs", http.RedirectHandler("/docs/", http.StatusMovedPermanently))
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, "/docs/", http.StatusFound)
			return
		}
		problem.Write(w, r.WithContext(logging.WithLogger(r.Context(), logger)),
			problem.New(problem.NotFound, "no resource at %s; the API is under /v1", r.URL.Path))
	}))
	return refuseDotSegments(mux), nil
}

// refuseDotSegments answers 400 to a path with "." or ".." segments, raw
// or percent-encoded, before anything resolves them: a path names one
// resource as written, or none.
func refuseDotSegments(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, path := range []string{r.URL.EscapedPath(), r.URL.Path} {
			for _, seg := range strings.Split(path, "/") {
				if seg == "." || seg == ".." {
					problem.Write(w, r, problem.New(problem.Invalid, "the path must not hold . or .. segments"))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// lambdaMode builds the invoker that runs each operation's function binary
// under the runtime interface emulator, configured as the stack configures
// it in AWS, against this server's store and token issuer.
func (s *Server) lambdaMode(env *platform.Env, getenv func(string) string, rie string, doc *openapi3.T, logger *slog.Logger) (*lambdamode.Invoker, error) {
	root, dir, err := buildDirs(getenv)
	if err != nil {
		return nil, err
	}
	folders, ops := map[string]string{}, map[string]string{}
	for _, op := range openapi.Operations(doc) {
		folders[op.ID] = operations.Folder(op.ID)
		ops[operations.Folder(op.ID)] = op.ID
	}
	cfg := env.Config
	fnEnv := []string{
		config.EnvRegion + "=" + cfg.Region,
		config.EnvDynamoDBEndpoint + "=" + cfg.DynamoDBEndpoint,
		config.EnvCursorKey + "=" + base64.StdEncoding.EncodeToString(cfg.CursorKey),
		config.EnvTokenIssuer + "=" + s.Issuer.URL,
		config.EnvJWKSURL + "=" + s.URL + "/_local/jwks.json",
		config.EnvTokenClientID + "=" + ClientID,
		config.EnvLogLevel + "=" + getenv(config.EnvLogLevel),
		config.EnvCORSOrigins + "=" + strings.Join(cfg.CORSOrigins, ","),
	}
	if p := getenv(config.EnvTablePrefix); p != "" {
		fnEnv = append(fnEnv, config.EnvTablePrefix+"="+p)
	}
	iv := &lambdamode.Invoker{RIE: rie, Folders: folders, Env: fnEnv, PoolSize: 2, Logger: logger,
		Bootstrap: (&lambdamode.Builder{Dir: dir, Root: root}).Bootstrap}
	if s.store != nil {
		base, err := s.startProxy(env)
		if err != nil {
			return nil, err
		}
		iv.FunctionEnv = func(folder string) []string {
			return []string{config.EnvDynamoDBEndpoint + "=" + base + "/fn/" + ops[folder], "AWS_MAX_ATTEMPTS=" + strconv.Itoa(sdkAttempts)}
		}
	}
	return iv, nil
}

// startProxy starts the proxy through which the functions of Lambda mode
// reach the store (and, in stack mode, SNS, SES and Cognito): it knows which
// function sends each request, so that requests are counted, open to the
// tests' faults and held to the function's grants as in process. It
// returns the proxy's base URL.
func (s *Server) startProxy(env *platform.Env) (string, error) {
	var store http.Handler
	if s.store != nil {
		store = s.store.Handler
	} else {
		target, err := url.Parse(env.Config.DynamoDBEndpoint)
		if err != nil {
			return "", fmt.Errorf("store proxy: %w", err)
		}
		store = httputil.NewSingleHostReverseProxy(target)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("lambda mode: store proxy: %w", err)
	}
	// Idle connections outlive the SDK's own idle limit (90 s): the
	// client, not the server, ends them.
	s.proxy = &http.Server{Handler: s.storeProxy(store), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 10 * time.Minute}
	go func() { _ = s.proxy.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// buildDirs returns the module root and the folder Lambda mode builds
// function binaries for this machine into (EnvLambdaBuild, build/host by
// default).
func buildDirs(getenv func(string) string) (root, dir string, err error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", "", fmt.Errorf("lambda mode: find the module: %w", err)
	}
	root = filepath.Dir(strings.TrimSpace(string(out)))
	if dir = getenv(EnvLambdaBuild); dir == "" {
		dir = filepath.Join(root, "build", "host")
	}
	return root, dir, nil
}

// stackInvoker builds the invoker of the template-driven Lambda mode.
func (s *Server) stackInvoker(env *platform.Env, getenv func(string) string, rie string) (*lambdamode.Invoker, error) {
	root, dir, err := buildDirs(getenv)
	if err != nil {
		return nil, err
	}
	base, err := s.startProxy(env)
	if err != nil {
		return nil, err
	}
	return s.stack.newInvoker(rie, base, &lambdamode.Builder{Dir: dir, Root: root}), nil
}
