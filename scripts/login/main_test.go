package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// TestLoginPKCE runs the flow against a stand-in of Cognito's OAuth
// endpoints that checks what Cognito checks: the S256 challenge of the
// authorize request matches the verifier of the token request, the code
// and the redirect URI are the ones issued. The user pool itself cannot
// run here.
func TestLoginPKCE(t *testing.T) {
	var challenge, redirect string
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		sum := sha256.Sum256([]byte(r.Form.Get("code_verifier")))
		if r.URL.Path != "/oauth2/token" || r.Form.Get("grant_type") != "authorization_code" || r.Form.Get("code") != "the-code" ||
			r.Form.Get("redirect_uri") != redirect || base64.RawURLEncoding.EncodeToString(sum[:]) != challenge || r.Form.Get("client_id") != "app" {
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "access-token", "token_type": "Bearer", "expires_in": 3600})
	}))
	defer tokens.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := settings{Domain: tokens.URL, ClientID: "app", Listen: "127.0.0.1:0"}
	got := make(chan string, 1)
	s.Show = func(authorize string) {
		u, _ := url.Parse(authorize)
		q := u.Query()
		if q.Get("code_challenge_method") != "S256" || q.Get("response_type") != "code" || q.Get("scope") != "openid ohcs/api" {
			t.Errorf("authorize request %s", authorize)
		}
		challenge, redirect = q.Get("code_challenge"), q.Get("redirect_uri")
		got <- q.Get("state")
	}
	done := make(chan struct{})
	var tok string
	var err error
	s.Listen = "127.0.0.1:18765"
	go func() { tok, err = login(ctx, s); close(done) }()
	// The browser follows the redirect to the callback once signed in.
	state := <-got
	resp, e := http.Get("http://" + s.Listen + CallbackPath + "?code=the-code&state=" + url.QueryEscape(state))
	if e != nil {
		t.Fatal(e)
	}
	resp.Body.Close()
	<-done
	if err != nil || tok != "access-token" {
		t.Fatalf("got %q, %v; want the access token", tok, err)
	}
}
