package server_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"ohcs/openapi"
)

// prism finds the contract-checking proxy the tools install. Without it
// the test is skipped, unless OHCS_REQUIRE_PRISM=1 (make test and CI set
// it, after installing the tools).
func prism(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs("../../tools/node_modules/.bin/prism")
	if err == nil {
		if _, err = os.Stat(bin); err == nil {
			return bin
		}
	}
	if os.Getenv("OHCS_REQUIRE_PRISM") == "1" {
		t.Fatalf("no Prism at %s and OHCS_REQUIRE_PRISM=1: npm ci --prefix tools", bin)
	}
	t.Skip("Prism is not installed (npm ci --prefix tools); make test installs it")
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestContractUnderLoad runs the authorization matrix's requests (every
// operation, every kind of caller on the reads, the permitted caller on
// the writes, on worlds of their own) through Prism, which checks every
// request and response against the OpenAPI document, shared among 8
// clients running at once (each also builds its world through the proxy),
// with the suite's own response validation on as well: no contract
// violation may appear.
func TestContractUnderLoad(t *testing.T) {
	bin := prism(t)
	c := start(t, nil)
	port := freePort(t)
	proxy := fmt.Sprintf("http://127.0.0.1:%d", port)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "proxy", "../../openapi/ohcs.yaml", c.base+"/v1", "-h", "127.0.0.1", "-p", fmt.Sprint(port), "--errors")
	cmd.Env = append(os.Environ(), "SCARF_ANALYTICS=false", "DO_NOT_TRACK=1")
	log, err := os.CreateTemp(t.TempDir(), "prism-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(proxy + "/knowledge/search?q=water")
		if err == nil {
			res.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(log.Name())
			t.Fatalf("Prism did not start: %v\n%s", err, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	doc := document(t)
	var requests, violations atomic.Int64
	t.Run("clients", func(t *testing.T) {
		for i := range 8 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				cc := *c
				cc.t, cc.proxy = t, proxy
				check := func(r response, what string) {
					requests.Add(1)
					if v := r.Header.Get("sl-violations"); v != "" {
						violations.Add(1)
						t.Errorf("%s: contract violation: %s", what, v)
					}
				}
				cc.observe = check
				shared := newWorld(t, &cc)
				for n, op := range openapi.Operations(doc) {
					if n%8 != i {
						continue // another client's share of the matrix
					}
					for _, rw := range matrix[op.ID] {
						if rw.mutates {
							caller := allowedCaller(op, rw)
							if caller == "" {
								continue
							}
							w := newWorld(t, &cc)
							req := rw.build(w)
							cc.call(req.method, req.path, w.tokens[caller], req.body, req.header)
							continue
						}
						req := rw.build(shared)
						for _, cl := range callers {
							cc.call(req.method, req.path, shared.tokens[cl.name], req.body, req.header)
						}
					}
				}
			})
		}
	})
	t.Logf("%d requests through the contract proxy, %d violations", requests.Load(), violations.Load())
	if requests.Load() < 800 {
		t.Errorf("only %d requests", requests.Load())
	}
}
