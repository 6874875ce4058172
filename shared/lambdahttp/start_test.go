package lambdahttp_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"ohcs/shared/lambdahttp"
	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/platform"
)

const thing = "01JDQ3Z5V8Y6W2X4N7M9K0P1R2"

// echo serves what the preambles read, or their error as problem+json.
var echo = platform.Handle(func(w http.ResponseWriter, r *http.Request) error {
	switch r.URL.Query().Get("read") {
	case "target":
		p, id, err := lambdahttp.Target(r, "thingId")
		if err != nil {
			return err
		}
		lambdahttp.Versioned(w, http.StatusOK, 3, map[string]string{"sub": p.Sub, "id": id})
	case "change":
		p, id, version, err := lambdahttp.Change(r, "thingId")
		if err != nil {
			return err
		}
		lambdahttp.Versioned(w, http.StatusOK, version+1, map[string]string{"sub": p.Sub, "id": id, "version": fmt.Sprint(version)})
	default:
		var in struct {
			Name string `json:"name"`
		}
		p, err := lambdahttp.Input(r, &in, "id")
		if err != nil {
			return err
		}
		lambdahttp.Created(w, "/v1/things/"+thing, 1, map[string]string{"sub": p.Sub, "name": in.Name})
	}
	return nil
})

func call(t *testing.T, read string, caller *lambdahttptest.Caller, id, body string, header map[string]string) (int, string, string) {
	t.Helper()
	ev := lambdahttptest.Event("POST", "/v1/things/{thingId}", map[string]string{"thingId": id}, caller, body, header)
	ev.QueryStringParameters = map[string]string{"read": read}
	ev.MultiValueQueryStringParameters = map[string][]string{"read": {read}}
	resp := lambdahttptest.Invoke(t, "echo", echo, ev)
	if loc := http.Header(resp.MultiValueHeaders).Get("Location"); resp.StatusCode == http.StatusCreated && loc != "/v1/things/"+thing {
		t.Errorf("created at %q; want /v1/things/%s", loc, thing)
	}
	return resp.StatusCode, http.Header(resp.MultiValueHeaders).Get("ETag"), resp.Body
}

// TestPreambles: Target, Change and Input read the caller first (no token
// answers 401 whatever else is wrong), then the path's id (400 naming the
// parameter), then the If-Match version (428 without it) or the body (400
// naming an unknown or server-owned field); Versioned answers the body with
// its ETag, Created with its Location too.
func TestPreambles(t *testing.T) {
	who := lambdahttptest.Beneficiary
	cases := []struct {
		name, read, id, body string
		caller               *lambdahttptest.Caller
		header               map[string]string
		status               int
		etag, has            string
	}{
		{"target", "target", thing, "", who, nil, 200, `"3"`, `"id":"` + thing + `"`},
		{"target without a token", "target", "not an id", "", nil, nil, 401, "", "bearer token"},
		{"target of a bad id", "target", "not an id", "", who, nil, 400, "", "thingId"},
		{"change", "change", thing, "", who, map[string]string{"If-Match": `"4"`}, 200, `"5"`, `"version":"4"`},
		{"change without If-Match", "change", thing, "", who, nil, 428, "", "If-Match"},
		{"change of a bad id", "change", "not an id", "", who, map[string]string{"If-Match": `"4"`}, 400, "", "thingId"},
		{"input", "input", thing, `{"name":"Ana"}`, who, nil, 201, `"1"`, `"name":"Ana"`},
		{"input without a token", "input", thing, `{"bad":1}`, nil, nil, 401, "", "bearer token"},
		{"input of an unknown field", "input", thing, `{"bad":1}`, who, nil, 400, "", "bad"},
		{"input of a server-owned field", "input", thing, `{"name":"Ana","id":"x"}`, who, nil, 400, "", "id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, etag, body := call(t, tc.read, tc.caller, tc.id, tc.body, tc.header)
			if status != tc.status || etag != tc.etag || !strings.Contains(body, tc.has) {
				t.Errorf("got %d, ETag %q, %s; want %d, ETag %q, a body with %s", status, etag, body, tc.status, tc.etag, tc.has)
			}
		})
	}
}
