// Command login signs a person in to a deployed OHCS user pool the way an
// app does: the managed login's authorization code flow with PKCE and a
// loopback callback, then prints the access token (scope ohcs/api) to call
// the API with. The stack's outputs give its two settings:
//
//	OHCS_AUTH_DOMAIN=https://<prefix>.auth.<region>.amazoncognito.com \
//	OHCS_APP_CLIENT_ID=<AppClientId> make login
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Callback is the loopback callback the stack allows by default.
const (
	CallbackAddr = "localhost:8765"
	CallbackPath = "/callback"
)

type settings struct {
	Domain, ClientID string
	// Listen is the callback listener's address (CallbackAddr).
	Listen string
	// Show receives the authorization URL to open in a browser.
	Show func(authorize string)
}

func main() {
	s := settings{Domain: os.Getenv("OHCS_AUTH_DOMAIN"), ClientID: os.Getenv("OHCS_APP_CLIENT_ID"), Listen: CallbackAddr,
		Show: func(u string) { fmt.Fprintf(os.Stderr, "Open this address in a browser and sign in:\n\n  %s\n\n", u) }}
	if s.Domain == "" || s.ClientID == "" {
		fmt.Fprintln(os.Stderr, "set OHCS_AUTH_DOMAIN and OHCS_APP_CLIENT_ID (the stack outputs AuthDomain and AppClientId)")
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	tok, err := login(ctx, s)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(tok)
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// login runs the flow and returns the access token.
func login(ctx context.Context, s settings) (string, error) {
	verifier, state := random(32), random(16)
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	ln, err := net.Listen("tcp", s.Listen)
	if err != nil {
		return "", fmt.Errorf("listen for the callback: %w", err)
	}
	defer ln.Close()
	redirect := "http://" + CallbackAddr + CallbackPath
	q := url.Values{"response_type": {"code"}, "client_id": {s.ClientID}, "redirect_uri": {redirect},
		"scope": {"openid ohcs/api"}, "state": {state}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	codes := make(chan string, 1)
	errs := make(chan error, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != CallbackPath {
			http.NotFound(w, r)
			return
		}
		switch {
		case r.URL.Query().Get("state") != state:
			errs <- errors.New("the callback's state does not match: not this sign-in")
		case r.URL.Query().Get("error") != "":
			errs <- fmt.Errorf("sign-in refused: %s", r.URL.Query().Get("error"))
		default:
			codes <- r.URL.Query().Get("code")
		}
		fmt.Fprintln(w, "You can close this window.")
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	s.Show(strings.TrimRight(s.Domain, "/") + "/oauth2/authorize?" + q.Encode())
	var code string
	select {
	case code = <-codes:
	case err := <-errs:
		return "", err
	case <-ctx.Done():
		return "", errors.New("no sign-in within the time allowed")
	}
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {s.ClientID}, "code": {code},
		"redirect_uri": {redirect}, "code_verifier": {verifier}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(s.Domain, "/")+"/oauth2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("token endpoint: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
	}
	if err := json.Unmarshal(body, &out); err != nil || resp.StatusCode != http.StatusOK || out.AccessToken == "" {
		return "", fmt.Errorf("token endpoint answered %d %s", resp.StatusCode, out.Error)
	}
	return out.AccessToken, nil
}
