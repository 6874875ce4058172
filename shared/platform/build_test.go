package platform_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

type things struct {
	name  string
	calls *int
}

func (h *things) Get(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("fail") != "" {
		return problem.New(problem.NotFound, "no thing %s", h.name)
	}
	*h.calls++
	fmt.Fprintf(w, "%s %d", h.name, *h.calls)
	return nil
}

// TestBuildServesTheMethod: the handlers are built once per constructor
// call, the method named serves, and an error the method returns is
// answered as problem+json.
func TestBuildServesTheMethod(t *testing.T) {
	built, calls := 0, 0
	newThings := func(*platform.Env) *things { built++; return &things{name: "ana", calls: &calls} }
	h, err := platform.Build(newThings, (*things).Get)(&platform.Env{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/things/1", nil))
	if got := rec.Body.String(); got != "ana 1" || built != 1 {
		t.Errorf("got %q after %d builds; want the method's answer, built once", got, built)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/things/1?fail=1", nil))
	if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/problem+json") || built != 1 {
		t.Errorf("an error: got %d %q after %d builds; want 404 problem+json", rec.Code, rec.Header().Get("Content-Type"), built)
	}
}

// TestKeyedOperationsAnswerRetriesOnce: an operation whose document entry
// takes an Idempotency-Key (makeDonation) is wrapped by the registry, so a
// retry with the same key is answered from the first reply without serving
// again; one whose entry takes none (getCampaign) serves every request,
// the header or not; and a keyed operation not granted the idempotency
// table is refused at build, before it could fail in AWS.
func TestKeyedOperationsAnswerRetriesOnce(t *testing.T) {
	env := lambdahttptest.Env(t)
	calls := map[string]*int{"makeDonation": new(int), "getCampaign": new(int)}
	op := func(id string, ts ...tables.Table) platform.Operation {
		return platform.Operation{Build: platform.Build(func(*platform.Env) *things { return &things{name: id, calls: calls[id]} }, (*things).Get),
			Reads: ts, Writes: ts}
	}
	reg := platform.Registry{"makeDonation": op("makeDonation", tables.Donations, tables.Idempotency), "getCampaign": op("getCampaign", tables.Donations)}
	key := map[string]string{"Idempotency-Key": "k-1"}
	for id, want := range map[string]string{"makeDonation": "makeDonation 1", "getCampaign": "getCampaign 2"} {
		h, err := reg.Build(id, env)
		if err != nil {
			t.Fatal(err)
		}
		var last string
		for range 2 {
			resp := lambdahttptest.Invoke(t, id, h, lambdahttptest.Event("POST", "/v1/things", nil, lambdahttptest.Donor, `{"amount":1}`, key))
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %s", id, resp.StatusCode, resp.Body)
			}
			last = resp.Body
		}
		if last != want {
			t.Errorf("%s answered %q to the second request; want %q", id, last, want)
		}
	}
	reg["makeDonation"] = op("makeDonation", tables.Donations)
	if _, err := reg.Build("makeDonation", env); err == nil || !strings.Contains(err.Error(), "idempotency table") {
		t.Errorf("a keyed operation without the idempotency table built: %v", err)
	}
}

// TestOpsDeclareTheirTables: an operation declared through Ops reads the
// package's tables and writes those every operation of the package writes
// and its own, and one operation's writes never leak into another's.
func TestOpsDeclareTheirTables(t *testing.T) {
	calls := 0
	op := platform.Ops(func(*platform.Env) *things { return &things{name: "ana", calls: &calls} }, []tables.Table{tables.People, tables.Audit}, tables.Audit)
	get, update, create := op((*things).Get), op((*things).Get, tables.People), op((*things).Get, tables.Outbox)
	names := func(ts []tables.Table) string {
		var out []string
		for _, x := range ts {
			out = append(out, x.Name)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		o             platform.Operation
		reads, writes string
	}{{get, "people,audit", "audit"}, {update, "people,audit", "audit,people"}, {create, "people,audit", "audit,outbox"}} {
		if names(c.o.Reads) != c.reads || names(c.o.Writes) != c.writes {
			t.Errorf("reads %s, writes %s; want %s, %s", names(c.o.Reads), names(c.o.Writes), c.reads, c.writes)
		}
		h, err := c.o.Build(&platform.Env{})
		if err != nil {
			t.Fatal(err)
		}
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/things/1", nil))
	}
	if calls != 3 {
		t.Errorf("the method served %d times; want 3", calls)
	}
}
