// Package lambdamode runs every operation's function as AWS Lambda runs it:
// its own bootstrap binary, started lazily on the first request (a cold
// start) under the Lambda runtime interface emulator, receiving the API
// Gateway proxy event over the Lambda runtime API. The local gateway then
// invokes the emulator instead of calling handlers in-process. An emulator
// instance serves one invoke at a time, so each function has a small pool.
package lambdamode

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/local/gateway"
)

// ErrTimeout is a function that did not answer in time (API Gateway
// answers 504).
var ErrTimeout = gateway.ErrTimeout

// Invoker invokes functions under the runtime interface emulator.
type Invoker struct {
	// RIE is the emulator's binary.
	RIE string
	// Bootstrap returns the path of a function's binary (building it if
	// needed) from its folder name.
	Bootstrap func(ctx context.Context, folder string) (string, error)
	// Folders maps operation ids to function folder names.
	Folders map[string]string
	// Env is the functions' environment (the configuration a stack sets);
	// FunctionEnv, when set, adds to it per function folder.
	Env         []string
	FunctionEnv func(folder string) []string
	// PoolSize is how many instances a function may run at once.
	PoolSize int
	// Timeout is the functions' timeout; Timeouts, when it names a
	// folder, that function's own.
	Timeout  time.Duration
	Timeouts map[string]time.Duration
	Logger   *slog.Logger

	mu    sync.Mutex
	pools map[string]*pool
	all   []*instance
	inits []Init
}

// Init is one cold start: the INIT REPORT the emulator wrote.
type Init struct {
	Function string
	Duration time.Duration
}

// pool holds a function's instances: slots bounds the invokes at once
// (one per instance), idle the warm instances, reused before any new one
// starts.
type pool struct {
	slots chan struct{}
	mu    sync.Mutex
	idle  []*instance
}

type instance struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{} // closed when the process has exited
}

func (in *instance) stop() {
	_ = in.cmd.Process.Kill()
	<-in.done
}

// Invoke sends event to the function of op and returns its answer.
func (iv *Invoker) Invoke(ctx context.Context, op string, event events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	folder, ok := iv.Folders[op]
	if !ok {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("no function for %s", op)
	}
	payload, err := json.Marshal(event)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	out, err := iv.InvokeFunction(ctx, folder, payload)
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	var resp events.APIGatewayProxyResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.StatusCode == 0 {
		return events.APIGatewayProxyResponse{}, fmt.Errorf("the function's answer is not a proxy response: %.200s", out)
	}
	return resp, nil
}

// InvokeFunction sends any event (a schedule's, a topic's, a trigger's) to
// the function of a folder and returns its answer; a function error is an
// error (FunctionError), a timeout ErrTimeout.
func (iv *Invoker) InvokeFunction(ctx context.Context, folder string, payload []byte) ([]byte, error) {
	in, p, err := iv.take(ctx, folder)
	if err != nil {
		return nil, err
	}
	out, err := iv.invoke(ctx, in, payload)
	var fe *FunctionError
	if err != nil && !errors.Is(err, ErrTimeout) && !errors.As(err, &fe) {
		// The emulator itself failed: a broken instance is not reused; the
		// next request starts another.
		if iv.Logger != nil {
			iv.Logger.Warn("invoke failed", slog.String("function", folder), slog.String("error", err.Error()))
		}
		go in.stop()
		p.release(nil)
		return nil, err
	}
	p.release(in)
	return out, err
}

// FunctionError is the error a function returned (Lambda's errorType and
// errorMessage).
type FunctionError struct{ Type, Message string }

func (e *FunctionError) Error() string { return "function error " + e.Type + ": " + e.Message }

// take returns a warm instance of the function, or starts one, once the
// pool has a free slot.
func (iv *Invoker) take(ctx context.Context, folder string) (*instance, *pool, error) {
	iv.mu.Lock()
	if iv.pools == nil {
		iv.pools = map[string]*pool{}
	}
	p := iv.pools[folder]
	if p == nil {
		size := max(iv.PoolSize, 1)
		p = &pool{slots: make(chan struct{}, size)}
		for range size {
			p.slots <- struct{}{}
		}
		iv.pools[folder] = p
	}
	iv.mu.Unlock()
	select {
	case <-p.slots:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		in := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return in, p, nil
	}
	p.mu.Unlock()
	in, err := iv.start(ctx, folder)
	if err != nil {
		p.release(nil)
		return nil, nil, err
	}
	return in, p, nil
}

// release gives back a slot, and the instance, if it is still good.
func (p *pool) release(in *instance) {
	if in != nil {
		p.mu.Lock()
		p.idle = append(p.idle, in)
		p.mu.Unlock()
	}
	p.slots <- struct{}{}
}

var (
	portsMu sync.Mutex
	given   = map[int]bool{}
)

// freePort returns a free loopback port not handed out before in this
// process: two instances starting at once must not get the same one.
func freePort() (int, error) {
	portsMu.Lock()
	defer portsMu.Unlock()
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if !given[port] {
			given[port] = true
			return port, nil
		}
	}
}

// initReport is the emulator's record of a cold start's init phase.
var initReport = regexp.MustCompile(`INIT REPORT\(durationMs: ([0-9.]+)\)`)

// start runs a new emulator instance of the function and waits until it
// accepts invokes, trying again on other ports if it exits first.
func (iv *Invoker) start(ctx context.Context, folder string) (*instance, error) {
	bin, err := iv.Bootstrap(ctx, folder)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", folder, err)
	}
	for attempt := 1; ; attempt++ {
		in, err := iv.startOnce(folder, bin)
		if err == nil || attempt == 3 {
			return in, err
		}
		if iv.Logger != nil {
			iv.Logger.Warn("emulator did not start; again", slog.String("function", folder), slog.String("error", err.Error()))
		}
	}
}

func (iv *Invoker) startOnce(folder, bin string) (*instance, error) {
	api, err := freePort()
	if err != nil {
		return nil, err
	}
	rt, err := freePort()
	if err != nil {
		return nil, err
	}
	emulator, err := filepath.Abs(iv.RIE) // the command runs in the function's folder
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(emulator, "--runtime-interface-emulator-address", "127.0.0.1:"+strconv.Itoa(api),
		"--runtime-api-address", "127.0.0.1:"+strconv.Itoa(rt), bin)
	timeout := iv.Timeout
	if d, ok := iv.Timeouts[folder]; ok {
		timeout = d
	}
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	cmd.Dir = filepath.Dir(bin)
	cmd.Env = append([]string{}, iv.Env...)
	if iv.FunctionEnv != nil {
		cmd.Env = append(cmd.Env, iv.FunctionEnv(folder)...)
	}
	cmd.Env = append(cmd.Env,
		"AWS_LAMBDA_FUNCTION_NAME="+folder, "AWS_LAMBDA_FUNCTION_TIMEOUT="+strconv.Itoa(int(timeout.Seconds())),
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256", "LAMBDA_TASK_ROOT="+filepath.Dir(bin), "TZ=UTC", "PATH="+os.Getenv("PATH"))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the emulator for %s: %w", folder, err)
	}
	go iv.watch(folder, stderr)
	go iv.watch(folder, stdout)
	in := &instance{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d/2015-03-31/functions/function/invocations", api), done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(in.done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", api), 200*time.Millisecond)
		if err == nil {
			c.Close()
			iv.mu.Lock()
			iv.all = append(iv.all, in)
			iv.mu.Unlock()
			return in, nil
		}
		select {
		case <-in.done:
			return nil, fmt.Errorf("the emulator for %s exited at start", folder)
		default:
		}
		if time.Now().After(deadline) {
			in.stop()
			return nil, fmt.Errorf("the emulator for %s did not start", folder)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// watch logs the function's output and records its INIT REPORT.
func (iv *Invoker) watch(folder string, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if m := initReport.FindStringSubmatch(line); m != nil {
			ms, _ := strconv.ParseFloat(m[1], 64)
			iv.mu.Lock()
			iv.inits = append(iv.inits, Init{Function: folder, Duration: time.Duration(ms * float64(time.Millisecond))})
			iv.mu.Unlock()
		}
		if iv.Logger != nil {
			iv.Logger.Debug("function", slog.String("function", folder), slog.String("line", line))
		}
	}
}

// Inits returns the cold starts seen so far.
func (iv *Invoker) Inits() []Init {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	return append([]Init(nil), iv.inits...)
}

// invoke posts the event to an instance and returns the function's answer;
// an error answer is a FunctionError, a timeout ErrTimeout (API Gateway
// maps them to 502 and 504).
func (iv *Invoker) invoke(ctx context.Context, in *instance, payload []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, in.url, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("invoke: %w", err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("read the answer: %w", err)
	}
	if bytes.HasPrefix(bytes.TrimSpace(out), []byte("Task timed out")) || bytes.Contains(out, []byte(`"Task timed out`)) {
		return nil, ErrTimeout
	}
	var failure struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}
	if json.Unmarshal(out, &failure) == nil && (failure.ErrorType != "" || failure.ErrorMessage != "") {
		return nil, &FunctionError{Type: failure.ErrorType, Message: failure.ErrorMessage}
	}
	return out, nil
}

// Close stops every instance.
func (iv *Invoker) Close() {
	iv.mu.Lock()
	all := iv.all
	iv.all = nil
	iv.mu.Unlock()
	for _, in := range all {
		in.stop()
	}
}

// Builder builds function binaries for this machine into Dir, once each.
type Builder struct {
	Dir  string // where bootstrap binaries go
	Root string // the module root
	Go   string // the go command

	mu    sync.Mutex
	built map[string]*buildResult
}

type buildResult struct {
	once sync.Once
	path string
	err  error
}

// Bootstrap builds functions/<folder> on first use; a folder with a slash
// (functions/<op>, events/<name>) is a path from the module root.
func (b *Builder) Bootstrap(ctx context.Context, folder string) (string, error) {
	b.mu.Lock()
	if b.built == nil {
		b.built = map[string]*buildResult{}
	}
	r := b.built[folder]
	if r == nil {
		r = &buildResult{}
		b.built[folder] = r
	}
	b.mu.Unlock()
	r.once.Do(func() {
		src := "./functions/" + folder
		if strings.Contains(folder, "/") {
			src = "./" + folder // functions/<op> or events/<name>
		}
		out := filepath.Join(b.Dir, filepath.Base(folder), "bootstrap")
		goCmd := b.Go
		if goCmd == "" {
			goCmd = "go"
		}
		cmd := exec.CommandContext(ctx, goCmd, "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", out, src)
		cmd.Dir = b.Root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			r.err = fmt.Errorf("%w: %s", err, msg)
			return
		}
		r.path = out
	})
	return r.path, r.err
}
