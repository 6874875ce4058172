package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"ohcs/shared/practitioner"
)

func profile(name string) map[string]any {
	return map[string]any{
		"fullName":          name,
		"gender":            "female",
		"birthDate":         "1985-04-12",
		"phone":             "+258841234567",
		"email":             "ana@example.org",
		"specialties":       []any{map[string]any{"code": "pediatrics", "display": "Pediatrics"}},
		"languages":         []any{"pt-MZ", "en"},
		"consultationModes": []any{"inPerson", "video"},
		"location": map[string]any{
			"address":  map[string]any{"line": "Av. Julius Nyerere 100", "city": "Maputo", "country": "MZ"},
			"latitude": -25.96, "longitude": 32.57,
		},
		"timeZone": "Africa/Maputo",
		"bio":      "Paediatrician.",
		"licenses": []any{map[string]any{"number": "MZ-12345", "issuer": "Ordem dos Médicos", "country": "MZ", "validFrom": "2015-01-01", "validTo": "2030-01-01"}},
	}
}

func findIDs(t testing.TB, c *client, token, query string) []string {
	t.Helper()
	r := c.call("GET", "/v1/practitioners?"+query, token, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("find %s: %d %s", query, r.Status, r.Body)
	}
	var ids []string
	items, _ := r.json(t)["items"].([]any)
	for _, it := range items {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	return ids
}

// TestPractitionerLifecycle walks the acceptance: create, read,
// verify, search, with the visibility rules on the way.
func TestPractitionerLifecycle(t *testing.T) {
	c := start(t, nil)
	prac := c.token("prac-1", "practitioner")
	admin := c.token("admin-1", "administrator")
	patient := c.token("patient-1", "beneficiary")

	created := createPractitioner(c, prac, "Ana Cossa")
	if created.Status != http.StatusCreated {
		t.Fatalf("create: got %d; want 201: %s", created.Status, created.Body)
	}
	p := created.json(t)
	id := p["id"].(string)
	if got := created.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag: got %s; want \"1\"", got)
	}
	if got := created.Header.Get("Location"); got != "/v1/practitioners/"+id {
		t.Errorf("Location: got %s", got)
	}
	if p["verification"] != "pending" || p["version"] != float64(1) || p["phone"] != "+258841234567" {
		t.Errorf("created: got %v", p)
	}

	// Pending: the owner and administrators see it, nobody else.
	if r := getPractitioner(c, prac, id); r.Status != http.StatusOK {
		t.Errorf("owner get: %d", r.Status)
	}
	assertProblem(t, getPractitioner(c, patient, id), http.StatusNotFound)
	if ids := findIDs(t, c, patient, ""); slices.Contains(ids, id) {
		t.Errorf("a pending practitioner is in search")
	}

	me := getMe(c, prac).json(t)
	if me["sub"] != "prac-1" || me["profiles"].(map[string]any)["practitionerId"] != id {
		t.Errorf("getMe: got %v", me)
	}

	// Verification needs the administrator role and the reviewed version.
	decision := map[string]any{"decision": "verified", "note": "license checked"}
	assertProblem(t, decideVerification(c, prac, id, `"1"`, decision), http.StatusForbidden)
	assertProblem(t, decideVerification(c, admin, id, "", decision), http.StatusPreconditionRequired)
	assertProblem(t, decideVerification(c, admin, id, `"7"`, decision), http.StatusPreconditionFailed)
	verified := decideVerification(c, admin, id, `"1"`, decision)
	if verified.Status != http.StatusOK || verified.json(t)["verification"] != "verified" {
		t.Fatalf("verify: %d %s", verified.Status, verified.Body)
	}

	if ids := findIDs(t, c, patient, ""); !slices.Contains(ids, id) {
		t.Errorf("a verified practitioner is missing from search: %v", ids)
	}
	public := getPractitioner(c, patient, id)
	if public.Status != http.StatusOK {
		t.Fatalf("public get: %d", public.Status)
	}
	pv := public.json(t)
	for _, private := range []string{"phone", "email", "birthDate", "verificationNote"} {
		if _, ok := pv[private]; ok {
			t.Errorf("public view shows %s", private)
		}
	}
	lic := pv["licenses"].([]any)[0].(map[string]any)
	if _, ok := lic["number"]; ok {
		t.Errorf("public view shows the license number")
	}
	adminView := getPractitioner(c, admin, id).json(t)
	if adminView["phone"] != "+258841234567" || adminView["licenses"].([]any)[0].(map[string]any)["number"] != "MZ-12345" {
		t.Errorf("administrator view lacks private fields: %v", adminView)
	}

	// Updates: If-Match required, stale refused, licenses send it back to pending.
	patch := map[string]any{"bio": "Paediatrician, Maputo."}
	assertProblem(t, updatePractitioner(c, prac, id, "", patch), http.StatusPreconditionRequired)
	assertProblem(t, updatePractitioner(c, prac, id, `"1"`, patch), http.StatusPreconditionFailed)
	updated := updatePractitioner(c, prac, id, `"2"`, patch)
	if updated.Status != http.StatusOK || updated.Header.Get("ETag") != `"3"` {
		t.Fatalf("update: %d %s %s", updated.Status, updated.Header.Get("ETag"), updated.Body)
	}
	u := updated.json(t)
	if u["bio"] != "Paediatrician, Maputo." || u["fullName"] != "Ana Cossa" || u["verification"] != "verified" {
		t.Errorf("update: got %v", u)
	}
	other := c.token("prac-2", "practitioner")
	assertProblem(t, updatePractitioner(c, other, id, `"3"`, patch), http.StatusForbidden)

	lic2 := map[string]any{"licenses": []any{map[string]any{"number": "MZ-99999", "issuer": "Ordem dos Médicos", "country": "MZ", "validFrom": "2024-01-01"}}}
	// A verified practitioner's new licenses wait for review: it stays
	// verified and searchable with its verified licenses.
	relicensed := updatePractitioner(c, prac, id, `"3"`, lic2)
	if rl := relicensed.json(t); relicensed.Status != http.StatusOK || rl["verification"] != "verified" || rl["pendingChanges"] == nil {
		t.Fatalf("license change: %d %s", relicensed.Status, relicensed.Body)
	}
	if ids := findIDs(t, c, patient, ""); !slices.Contains(ids, id) {
		t.Errorf("a practitioner whose license change waits for review left search")
	}

	// Rejected stays out of search.
	rejected := verifyPractitioner(c, admin, id, `"4"`, "rejected")
	if rejected.Status != http.StatusOK || rejected.json(t)["verification"] != "rejected" {
		t.Fatalf("reject: %d %s", rejected.Status, rejected.Body)
	}
	if ids := findIDs(t, c, patient, ""); slices.Contains(ids, id) {
		t.Errorf("a rejected practitioner is in search")
	}
}

func TestAccessRules(t *testing.T) {
	c := start(t, nil)
	prac := c.token("prac-1", "practitioner")
	patient := c.token("patient-1", "beneficiary")

	for _, tc := range []struct{ method, path string }{
		{"GET", "/v1/me"}, {"GET", "/v1/practitioners"}, {"POST", "/v1/practitioners"},
		{"GET", "/v1/practitioners/X1"}, {"PATCH", "/v1/practitioners/X1"}, {"POST", "/v1/practitioners/X1/verification"},
	} {
		t.Run(tc.method+tc.path, func(t *testing.T) {
			assertProblem(t, c.call(tc.method, tc.path, "", map[string]any{}, nil), http.StatusUnauthorized)
			assertProblem(t, c.call(tc.method, tc.path, "not.a.token", map[string]any{}, nil), http.StatusUnauthorized)
		})
	}
	assertProblem(t, createPractitioner(c, patient, "Ana"), http.StatusForbidden)
	if r := createPractitioner(c, prac, "Ana"); r.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	assertProblem(t, createPractitioner(c, prac, "Ana again"), http.StatusConflict)
	assertProblem(t, c.call("GET", "/v1/practitioners/01NOPE", patient, nil, nil), http.StatusNotFound)
	assertProblem(t, c.call("GET", "/v1/nowhere", patient, nil, nil), http.StatusNotFound)
	// API Gateway answers an unknown method on a known resource as an
	// unknown route: MISSING_AUTHENTICATION_TOKEN, which the body maps to
	// 404 (AWS's default is 403).
	assertProblem(t, c.call("DELETE", "/v1/practitioners", patient, nil, nil), http.StatusNotFound)
}

func TestInvalidInput(t *testing.T) {
	c := start(t, nil)
	prac := c.token("prac-1", "practitioner")
	long := profile(strings.Repeat("a", 300))
	unknown := profile("Ana")
	unknown["favouriteColour"] = "blue"
	wrongType := profile("Ana")
	wrongType["languages"] = "pt"
	badZone := profile("Ana")
	badZone["timeZone"] = "Mars/Olympus_Mons"
	for _, tc := range []struct {
		name  string
		body  any
		field string
	}{
		{"malformed JSON", `{"fullName": "Ana"`, "body"},
		{"unknown field", unknown, "favouriteColour"},
		{"300-character name", long, "fullName"},
		{"wrong type", wrongType, "languages"},
		{"unknown time zone", badZone, "timeZone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assertField(t, c.call("POST", "/v1/practitioners", prac, tc.body, nil), tc.field)
		})
	}
	for _, q := range []struct{ query, field string }{
		{"limit=500", "limit"}, {"limit=0", "limit"}, {"limit=abc", "limit"},
		{"mode=carrier-pigeon", "mode"}, {"name=" + strings.Repeat("x", 101), "name"},
	} {
		t.Run(q.query[:min(len(q.query), 20)], func(t *testing.T) {
			assertField(t, c.call("GET", "/v1/practitioners?"+q.query, prac, nil, nil), q.field)
		})
	}
	big := fmt.Sprintf(`{"fullName": %q}`, strings.Repeat("a", 300<<10))
	assertProblem(t, c.call("POST", "/v1/practitioners", prac, big, nil), http.StatusRequestEntityTooLarge)
}

// TestSearch runs on the demo data: filters, name order, pagination and
// cursors that refuse to be forged or reused for another query.
func TestSearch(t *testing.T) {
	c := start(t, map[string]string{"OHCS_DEMO_DATA": "on"})
	tok := c.token("patient-1", "beneficiary")

	var names []string
	seen := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		q := "limit=4"
		if cursor != "" {
			q += "&cursor=" + url.QueryEscape(cursor)
		}
		r := c.call("GET", "/v1/practitioners?"+q, tok, nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages, r.Status, r.Body)
		}
		body := r.json(t)
		items := body["items"].([]any)
		if len(items) > 4 {
			t.Fatalf("page of %d items; want at most 4", len(items))
		}
		for _, it := range items {
			m := it.(map[string]any)
			if seen[m["id"].(string)] {
				t.Fatalf("%s appears twice", m["id"])
			}
			seen[m["id"].(string)] = true
			names = append(names, practitioner.Fold(m["fullName"].(string)))
		}
		pages++
		next, ok := body["nextCursor"].(string)
		if !ok {
			break
		}
		cursor = next
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if len(names) != 16 || !slices.IsSorted(names) {
		t.Errorf("walked %d practitioners in %d pages, sorted %v; want 16 sorted: %v", len(names), pages, slices.IsSorted(names), names)
	}

	for _, tc := range []struct {
		query string
		want  int
	}{
		{"specialty=pediatrics", 3},
		{"language=pt", 6},
		{"language=pt-BR", 1},
		{"mode=video", 12},
		{"specialty=pediatrics&language=es", 1},
		{"specialty=obstetrics&mode=phone&language=en", 2},
		{"specialty=obstetrics&language=pt", 1},
		{"name=amel", 1},
		{"name=AMÉLIA%20mach", 1},
		{"name=luc", 1},
		{"specialty=no-such-thing", 0},
	} {
		t.Run(tc.query, func(t *testing.T) {
			if ids := findIDs(t, c, tok, tc.query+"&limit=100"); len(ids) != tc.want {
				t.Errorf("got %d practitioners; want %d", len(ids), tc.want)
			}
		})
	}

	first := c.call("GET", "/v1/practitioners?limit=2", tok, nil, nil).json(t)
	valid := first["nextCursor"].(string)
	tampered := []byte(valid)
	tampered[len(tampered)/2] ^= 1
	for name, q := range map[string]string{
		"forged":  "limit=2&cursor=eyJwayI6IlBSQUNUSVRJT05FUiMxIn0",
		"altered": "limit=2&cursor=" + url.QueryEscape(string(tampered)),
		"foreign": "limit=2&specialty=pediatrics&cursor=" + url.QueryEscape(valid),
		"not b64": "limit=2&cursor=%25%25%25",
	} {
		t.Run("cursor "+name, func(t *testing.T) {
			assertField(t, c.call("GET", "/v1/practitioners?"+q, tok, nil, nil), "cursor")
		})
	}
}
