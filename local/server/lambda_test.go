package server_test

import (
	"os"
	"testing"

	"ohcs/local/server"
)

// TestLambdaMode (run by make test-lambda-smoke and make test-lambda): with
// OHCS_LAMBDA_RIE set, requests reach each operation's own function binary
// under the runtime interface emulator: the first call of a function is a
// cold start with its INIT REPORT, the next ones are warm, the answers are
// the in-process ones, and the function's store requests are counted.
func TestLambdaMode(t *testing.T) {
	if os.Getenv(server.EnvLambdaRIE) == "" {
		t.Skip("in-process mode; make test-lambda-smoke runs this test in Lambda mode")
	}
	c := start(t, nil)
	if c.server.Lambda == nil {
		t.Fatal("OHCS_LAMBDA_RIE is set but the server runs functions in-process")
	}
	tok := c.token("lambda-mode", "beneficiary")
	for range 3 {
		me := getMe(c, tok)
		if me.Status != 200 || me.json(t)["sub"] != "lambda-mode" {
			t.Fatalf("getMe: %d %s", me.Status, me.Body)
		}
	}
	inits := 0
	for _, in := range c.server.Lambda.Inits() {
		if in.Function == c.server.Lambda.Folders["getMe"] {
			inits++
		}
	}
	if inits != 1 {
		t.Errorf("cold starts of get-me: %d; want 1 (then warm): %+v", inits, c.server.Lambda.Inits())
	}
	// The function's own DynamoDB requests are counted through the store
	// proxy, per call, as in process.
	if u := c.server.Requests.Usage("getMe"); u.Calls != 3 || u.Total() == 0 {
		t.Errorf("getMe usage in Lambda mode: %+v", u)
	}
}
