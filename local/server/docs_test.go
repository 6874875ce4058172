package server_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"ohcs/openapi"
)

func TestDocumentEndpoints(t *testing.T) {
	c := start(t, nil)
	for path, want := range map[string]string{
		"/openapi.json": `"operationId":"createPractitionerProfile"`,
		"/openapi.yaml": "operationId: createPractitionerProfile",
		"/docs/":        "swagger-ui",
	} {
		r := c.call("GET", path, "", nil, nil)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), want) {
			t.Errorf("GET %s: got %d without %q", path, r.Status, want)
		}
	}
}

// TestDocsRender opens /docs in headless Chromium and checks that the
// reference rendered every operation of the document. Without a Chromium on
// the machine it is skipped, unless OHCS_REQUIRE_BROWSER=1 (CI sets it).
func TestDocsRender(t *testing.T) {
	browser := findBrowser(t, "render /docs")
	c := start(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=15000", "--dump-dom", c.base+"/docs/")
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	doc := document(t)
	html := string(dom)
	if !strings.Contains(html, doc.Info.Title) {
		t.Errorf("the rendered page lacks the title %q", doc.Info.Title)
	}
	for _, op := range openapi.Operations(doc) {
		if !strings.Contains(html, `data-path="`+op.Path+`"`) {
			t.Errorf("the rendered reference lacks %s %s (%s)", op.Method, op.Path, op.ID)
		}
	}
}

// findBrowser returns the path of a Chromium, or skips the test (fails it
// when OHCS_REQUIRE_BROWSER=1, as in CI) on a machine without one.
func findBrowser(t *testing.T, what string) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("OHCS_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found and OHCS_REQUIRE_BROWSER=1")
	}
	t.Skip("no Chromium on this machine: install it to " + what + " (CI does)")
	return ""
}
