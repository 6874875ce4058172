package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"

	"ohcs/shared/dynamo/dynamoprobe"

	"github.com/aws/aws-lambda-go/events"

	"net/http/httptest"

	"ohcs/local/gateway"
	"ohcs/local/issuer"
	"ohcs/shared/auth"
	"ohcs/shared/jsonio"
	"ohcs/shared/problem"
)

type signupRequest struct {
	Sub   string `json:"sub"`
	Email string `json:"email"`
	Role  string `json:"role"`
}

// signup serves POST /_local/signup in stack mode: the user confirms its
// sign-up, the user pool runs its post-confirmation trigger (the
// template's function), and the answer is the user's access token with
// the groups the trigger put it in. A trigger failure answers 502, as the
// confirmation fails in Cognito.
func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	if s.stack == nil {
		problem.Write(w, r, problem.New(problem.NotFound, "sign-up runs the template's trigger: start the server in stack mode (make run-stack)"))
		return
	}
	r.Header.Del("Content-Type")
	var in signupRequest
	if err := jsonio.DecodeLimit(r, &in, 4096); err != nil {
		problem.Write(w, r, err)
		return
	}
	if in.Sub == "" || len(in.Sub) > 128 {
		problem.Write(w, r, problem.Field("sub", "must be 1 to 128 characters"))
		return
	}
	groups, err := s.stack.confirmSignUp(r.Context(), in.Sub, in.Email, in.Role)
	if err != nil {
		w.Header().Set("Content-Type", problem.ContentType)
		w.WriteHeader(http.StatusBadGateway)
		out, _ := json.Marshal(map[string]any{"type": "about:blank", "title": "Bad Gateway", "status": http.StatusBadGateway,
			"detail": "PostConfirmation failed with error " + err.Error()})
		_, _ = w.Write(out)
		return
	}
	tok, err := s.Issuer.Mint(issuer.Identity{Sub: in.Sub, Groups: groups, Email: in.Email}, TokenTTL)
	if err != nil {
		problem.Write(w, r, err)
		return
	}
	jsonio.Write(w, http.StatusOK, map[string]any{"accessToken": tok, "groups": groups, "tokenType": "Bearer", "expiresIn": int(TokenTTL.Seconds())})
}

// counting counts each invoke of an operation, as the in-process functions
// do, so that per-call figures hold in Lambda mode.
type counting struct {
	calls *dynamoprobe.Counter
	next  gateway.Invoker
}

func (c counting) Invoke(ctx context.Context, op string, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	return c.next.Invoke(c.calls.Begin(ctx, op), op, ev)
}

// inMemory hands each request to the store's handler directly.
type inMemory struct{ h http.Handler }

func (m inMemory) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// loopbackOnly hides development endpoints from anything but this machine,
// even when the server listens on another interface.
func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			problem.Write(w, r, problem.New(problem.NotFound, "no resource at %s", r.URL.Path))
			return
		}
		next.ServeHTTP(w, r)
	})
}

type tokenRequest struct {
	Sub    string   `json:"sub"`
	Groups []string `json:"groups"`
	Email  string   `json:"email"`
}

type tokenResponse struct {
	AccessToken string `json:"accessToken"`
	// IDToken is the ID token Cognito also issues; the API refuses it.
	IDToken   string `json:"idToken"`
	TokenType string `json:"tokenType"`
	ExpiresIn int    `json:"expiresIn"`
}

// token serves POST /_local/token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	// Any Content-Type: `curl -d` sends a form type with a JSON body.
	r.Header.Del("Content-Type")
	var in tokenRequest
	if err := jsonio.DecodeLimit(r, &in, 4096); err != nil {
		problem.Write(w, r, err)
		return
	}
	var l problem.FieldList
	if in.Sub == "" || len(in.Sub) > 128 {
		l.Add("sub", "must be 1 to 128 characters")
	}
	for i, g := range in.Groups {
		if len(auth.ParseGroups(g)) != 1 {
			l.Add(fmt.Sprintf("groups[%d]", i), "must be one of practitioner, beneficiary, caregiver, donor, administrator")
		}
	}
	if len(in.Email) > 254 {
		l.Add("email", "must be at most 254 characters")
	}
	if err := l.Err(); err != nil {
		problem.Write(w, r, err)
		return
	}
	if in.Groups == nil {
		in.Groups = []string{}
	}
	tok, err := s.Issuer.Mint(issuer.Identity{Sub: in.Sub, Groups: in.Groups, Email: in.Email}, TokenTTL)
	if err != nil {
		problem.Write(w, r, err)
		return
	}
	idTok, err := s.Issuer.MintID(issuer.Identity{Sub: in.Sub, Groups: in.Groups, Email: in.Email}, TokenTTL)
	if err != nil {
		problem.Write(w, r, err)
		return
	}
	jsonio.Write(w, http.StatusOK, tokenResponse{AccessToken: tok, IDToken: idTok, TokenType: "Bearer", ExpiresIn: int(TokenTTL.Seconds())})
}
