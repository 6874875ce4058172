package platform_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ohcs/shared/platform"
	"ohcs/shared/problem"
)

type things struct{ name string }

func (h *things) Get(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("fail") != "" {
		return problem.New(problem.NotFound, "no thing %s", h.name)
	}
	w.Write([]byte(h.name + "|" + w.Header().Get("X-Trail")))
	return nil
}

// TestBuildServesTheMethodInsideItsWraps: the handlers are built once per
// constructor call, the method named serves, the first wrap is the
// outermost, and an error the method returns is answered as problem+json.
func TestBuildServesTheMethodInsideItsWraps(t *testing.T) {
	built := 0
	newThings := func(*platform.Env) *things { built++; return &things{name: "ana"} }
	mark := func(label string) func(*things, http.Handler) http.Handler {
		return func(h *things, next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Trail", w.Header().Get("X-Trail")+label+h.name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h, err := platform.Build(newThings, (*things).Get, mark("outer:"), mark(" inner:"))(&platform.Env{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/things/1", nil))
	if got := rec.Body.String(); got != "ana|outer:ana inner:ana" || built != 1 {
		t.Errorf("got %q after %d builds; want the method inside outer then inner, built once", got, built)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/things/1?fail=1", nil))
	if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") || built != 1 {
		t.Errorf("an error: got %d %q after %d builds; want 404 problem+json", rec.Code, rec.Header().Get("Content-Type"), built)
	}
}
