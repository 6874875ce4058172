package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// corsPage is a page on one loopback origin whose script calls the API on
// another: a success, an error of a function and an error of the gateway,
// reading each body.
const corsPage = `<!doctype html><html><body><pre id="out">pending</pre><script>
const api = %q, tok = %q;
async function call(method, path, body, anonymous) {
  const init = {method, headers: anonymous ? {} : {"Authorization": "Bearer " + tok}};
  if (body !== undefined) { init.headers["Content-Type"] = "application/json"; init.body = body; }
  const r = await fetch(api + path, init);
  return {status: r.status, type: r.headers.get("content-type"), body: await r.json()};
}
(async () => {
  try {
    const out = {ok: await call("GET", "/v1/me"), invalid: await call("POST", "/v1/practitioners", "{}"), unknown: await call("GET", "/v1/nowhere", undefined, true)};
    document.getElementById("out").textContent = JSON.stringify(out);
  } catch (e) { document.getElementById("out").textContent = "ERR " + e; }
})();
</script></body></html>`

// TestBrowserCORS runs headless Chromium on a page of one loopback origin
// that calls the local API on another: with the origin allowed
// (OHCS_CORS_ORIGINS), the script reads a 200 and the problem bodies of a
// function's 400 and the gateway's 404 (asked without a token: a preflight
// of an unknown route fails in AWS too, having no OPTIONS method); from an
// origin not allowed, the browser refuses to hand the script any answer.
func TestBrowserCORS(t *testing.T) {
	browser := findBrowser(t, "test CORS in a browser")
	allowedLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	otherLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	allowed := "http://" + allowedLn.Addr().String()
	c := start(t, map[string]string{"OHCS_CORS_ORIGINS": allowed})
	tok := c.token("browser", "practitioner")
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, corsPage, c.base, tok)
	})
	for _, ln := range []net.Listener{allowedLn, otherLn} {
		srv := &http.Server{Handler: page, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		t.Cleanup(func() { _ = srv.Close() })
	}
	run := func(url string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
			"--user-data-dir="+t.TempDir(), "--virtual-time-budget=10000", "--dump-dom", url).Output()
		if err != nil {
			t.Fatalf("chromium: %v", err)
		}
		m := regexp.MustCompile(`(?s)<pre id="out">(.*?)</pre>`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("no result in the page: %s", out)
		}
		return html.UnescapeString(string(m[1]))
	}
	var got struct {
		OK, Invalid, Unknown struct {
			Status int
			Type   string
			Body   map[string]any
		}
	}
	res := run(allowed + "/")
	if err := json.Unmarshal([]byte(res), &got); err != nil {
		t.Fatalf("the allowed origin's script: %s", res)
	}
	if got.OK.Status != 200 || got.OK.Body["sub"] != "browser" {
		t.Errorf("success: %+v", got.OK)
	}
	if got.Invalid.Status != 400 || !strings.Contains(got.Invalid.Type, "problem+json") || got.Invalid.Body["errors"] == nil {
		t.Errorf("a function's 400: %+v; want a problem naming the fields", got.Invalid)
	}
	if got.Unknown.Status != 404 || got.Unknown.Body["status"] != float64(404) {
		t.Errorf("the gateway's 404: %+v", got.Unknown)
	}
	if res := run("http://" + otherLn.Addr().String() + "/"); !strings.HasPrefix(res, "ERR") {
		t.Errorf("an origin not allowed read the API: %s", res)
	}
}
