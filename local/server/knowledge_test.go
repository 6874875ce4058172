package server_test

import (
	"net/http"
	"net/url"
	"testing"
)

func search(t testing.TB, c *client, token, query string) []map[string]any {
	t.Helper()
	r := c.call("GET", "/v1/knowledge/search?"+query, token, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("search %s: %d %s", query, r.Status, r.Body)
	}
	var out []map[string]any
	for _, it := range r.json(t)["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

// TestKnowledgeAcceptance: share, find first, find across word forms and
// languages, retract, and the rules on who shares and who reads.
func TestKnowledgeAcceptance(t *testing.T) {
	c := start(t, map[string]string{"OHCS_DEMO_DATA": "on"})
	w := newWorld(t, c)
	prac := w.tokens["practitioner"]
	shared := w.must(c.call("POST", "/v1/knowledge", prac, map[string]any{
		"title": "Childhood vaccinations schedule", "summary": "Which vaccinations a child needs, and when.",
		"body": "# Schedule\n\nVaccinations at birth, 6, 10 and 14 weeks, and 9 months. Bring the vaccination card.\n\n" +
			"## Missed vaccinations\n\nA missed vaccination is given at the next visit; vaccination is never restarted.", "language": "en",
		"tags": []string{"vaccination"}, "audience": "public"}, nil), 201, "share")
	id := shared["id"].(string)

	hits := search(t, c, "", "q=vaccination")
	if len(hits) < 2 || hits[0]["id"] != id {
		t.Fatalf("q=vaccination without a token: got %v; want the shared article first", hits)
	}
	pt := search(t, c, "", "q="+url.QueryEscape("vacinação")+"&language=pt")
	if len(pt) == 0 || pt[0]["title"] != "Vacinação das crianças: o calendário" {
		t.Errorf("q=vacinação&language=pt: got %v", pt)
	}
	if unaccented := search(t, c, "", "q=vacinacao&language=pt"); len(unaccented) == 0 || unaccented[0]["id"] != pt[0]["id"] {
		t.Errorf("accents folded: got %v", unaccented)
	}
	if fr := search(t, c, "", "q=paludisme"); len(fr) != 1 || fr[0]["language"] != "fr" {
		t.Errorf("q=paludisme: %v", fr)
	}
	if coded := search(t, c, "", "q=malaria&conditionCode="+url.QueryEscape("icd10|B54")); len(coded) != 3 {
		t.Errorf("malaria with B54: got %d; want the English, Spanish and Portuguese (malária, folded) articles", len(coded))
	}
	// Practitioners' articles: not without a token, yes with a practitioner's.
	if anon := search(t, c, "", "q=danger+signs"); len(anon) != 0 {
		t.Errorf("an article for practitioners found without a token: %v", anon)
	}
	if withToken := search(t, c, prac, "q=danger+signs"); len(withToken) != 1 {
		t.Errorf("a practitioner does not find the practitioners' article: %v", withToken)
	}
	assertProblem(t, c.call("GET", "/v1/knowledge/search?q=x", "not-a-token", nil, nil), http.StatusUnauthorized)
	assertField(t, c.call("GET", "/v1/knowledge/search", "", nil, nil), "q")

	// Versions: the update is searchable, the first version still readable.
	updated := w.must(c.call("PATCH", "/v1/knowledge/"+id, prac, map[string]any{"title": "Childhood immunisation timetable"},
		map[string]string{"If-Match": `"1"`}), 200, "update")
	if updated["version"] != float64(2) {
		t.Errorf("version: %v", updated["version"])
	}
	old := w.must(c.call("GET", "/v1/knowledge/"+id+"?version=1", "", nil, nil), 200, "version 1")
	if old["title"] != "Childhood vaccinations schedule" || old["body"] != shared["body"] {
		t.Errorf("version 1: %v", old)
	}
	if hits := search(t, c, "", "q=timetable"); len(hits) != 1 || hits[0]["id"] != id {
		t.Errorf("q=timetable after the update: %v", hits)
	}

	// Retraction: gone from search at once; 404 but for its author and
	// administrators.
	w.must(c.call("POST", "/v1/knowledge/"+id+"/retraction", prac, nil, map[string]string{"If-Match": `"2"`}), 200, "retract")
	for _, q := range []string{"q=vaccination", "q=timetable"} {
		for _, h := range search(t, c, "", q) {
			if h["id"] == id {
				t.Errorf("%s still finds the retracted article", q)
			}
		}
	}
	assertProblem(t, c.call("GET", "/v1/knowledge/"+id, "", nil, nil), http.StatusNotFound)
	assertProblem(t, c.call("GET", "/v1/knowledge/"+id, w.tokens["beneficiary"], nil, nil), http.StatusNotFound)
	w.must(c.call("GET", "/v1/knowledge/"+id, prac, nil, nil), 200, "author reads")
	w.must(c.call("GET", "/v1/knowledge/"+id, w.tokens["administrator"], nil, nil), 200, "administrator reads")

	// An unverified practitioner cannot share.
	fresh := c.token("unverified", "practitioner")
	w.must(c.call("POST", "/v1/practitioners", fresh, profile("Dr New"), nil), 201, "profile")
	assertProblem(t, c.call("POST", "/v1/knowledge", fresh, map[string]any{"title": "T", "summary": "S", "body": "B", "language": "en"}, nil), http.StatusForbidden)

	// Stable pagination of ranked results.
	first := c.call("GET", "/v1/knowledge/search?q=children&limit=1", "", nil, nil).json(t)
	next := first["nextCursor"].(string)
	second := c.call("GET", "/v1/knowledge/search?q=children&limit=1&cursor="+url.QueryEscape(next), "", nil, nil).json(t)
	if first["items"].([]any)[0].(map[string]any)["id"] == second["items"].([]any)[0].(map[string]any)["id"] {
		t.Errorf("the second page repeats the first")
	}
}
