package lambdamode_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/local/gateway"
	"ohcs/local/lambdamode"
)

// rie returns the emulator named by OHCS_LAMBDA_RIE (make test installs it
// and sets it); without it the test is skipped.
func rie(t *testing.T) string {
	t.Helper()
	p := os.Getenv("OHCS_LAMBDA_RIE")
	if p == "" {
		t.Skip("OHCS_LAMBDA_RIE names no runtime interface emulator (make test-lambda-smoke installs one)")
	}
	return p
}

// TestInvoker runs a test function under the emulator: answers come back
// as proxy responses, a function error is an error (502), a timeout is
// gateway.ErrTimeout (504), the pool serves concurrent invokes one per
// instance, and each cold start's INIT REPORT is recorded.
func TestInvoker(t *testing.T) {
	emulator := rie(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "fn", "bootstrap")
	build := exec.Command("go", "build", "-o", bin, "./testdata/fn")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	iv := &lambdamode.Invoker{RIE: emulator, Folders: map[string]string{"op": "fn"}, PoolSize: 2, Timeout: 2 * time.Second,
		Bootstrap: func(context.Context, string) (string, error) { return bin, nil }}
	defer iv.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := iv.Invoke(ctx, "op", events.APIGatewayProxyRequest{Path: "/ok"})
			if err != nil || resp.StatusCode != 200 || resp.Body != "/ok" {
				t.Errorf("invoke %d: %+v %v", i, resp, err)
			}
		}()
	}
	wg.Wait()
	if n := len(iv.Inits()); n < 1 || n > 2 {
		t.Errorf("cold starts: %d; want 1 or 2 (a pool of 2)", n)
	}
	for _, in := range iv.Inits() {
		if in.Function != "fn" || in.Duration <= 0 || in.Duration > 5*time.Second {
			t.Errorf("init: %+v", in)
		}
	}
	if _, err := iv.Invoke(ctx, "op", events.APIGatewayProxyRequest{Path: "/fail"}); err == nil || errors.Is(err, gateway.ErrTimeout) {
		t.Errorf("a function error: %v; want an error, not a timeout", err)
	}
	if _, err := iv.Invoke(ctx, "op", events.APIGatewayProxyRequest{Path: "/slow"}); !errors.Is(err, gateway.ErrTimeout) {
		t.Errorf("a slow function: %v; want the timeout", err)
	}
	if resp, err := iv.Invoke(ctx, "op", events.APIGatewayProxyRequest{Path: "/after"}); err != nil || resp.Body != "/after" {
		t.Errorf("after the failures: %+v %v", resp, err)
	}
	// One at a time, a warm instance serves: no new cold start. The
	// emulator starts the runtime again after a timeout on the next
	// invoke, and its INIT REPORT is read from the emulator's log as it
	// comes: one warm-up invoke, then the count once it has settled.
	if _, err := iv.Invoke(ctx, "op", events.APIGatewayProxyRequest{Path: "/warm"}); err != nil {
		t.Fatal(err)
	}
	before := settled(iv)
	for range 3 {
		if _, err := iv.Invoke(ctx, "op", events.APIGatewayProxyRequest{Path: "/warm"}); err != nil {
			t.Fatal(err)
		}
	}
	if after := settled(iv); after != before {
		t.Errorf("sequential invokes started %d more instances", after-before)
	}
	if _, err := iv.Invoke(ctx, "nothing", events.APIGatewayProxyRequest{}); err == nil {
		t.Error("an unknown operation invoked something")
	}
}

// settled is the number of cold starts seen once no new one has been
// logged for 300 ms (at most 3 s).
func settled(iv *lambdamode.Invoker) int {
	n := len(iv.Inits())
	for start, last := time.Now(), time.Now(); time.Since(start) < 3*time.Second && time.Since(last) < 300*time.Millisecond; {
		time.Sleep(50 * time.Millisecond)
		if m := len(iv.Inits()); m != n {
			n, last = m, time.Now()
		}
	}
	return n
}
