package server_test

import (
	"context"
	"net/http"
	"testing"

	"ohcs/openapi/ohcsclient"
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

// hits searches through the typed client, failing on anything but 200.
func hits(t testing.TB, api *ohcsclient.ClientWithResponses, p ohcsclient.SearchMedicalKnowledgeParams) []ohcsclient.ArticleHit {
	t.Helper()
	r, err := api.SearchMedicalKnowledgeWithResponse(context.Background(), &p)
	answered(t, r.StatusCode(), r.Body, err, http.StatusOK, "search")
	return r.JSON200.Items
}

// TestKnowledgeAcceptance: share, find first, find across word forms and
// languages, retract, and the rules on who shares and who reads; through
// the client generated from the document.
func TestKnowledgeAcceptance(t *testing.T) {
	c := start(t, map[string]string{"OHCS_DEMO_DATA": "on"})
	w := newWorld(t, c)
	ctx := context.Background()
	prac, anyone := c.api(w.tokens["practitioner"]), c.api("")
	q := func(text string) *string { return &text }
	public := ohcsclient.ArticleCreateAudiencePublic
	shared, err := prac.ShareMedicalKnowledgeWithResponse(ctx, ohcsclient.ArticleCreate{
		Title: "Childhood vaccinations schedule", Summary: "Which vaccinations a child needs, and when.",
		Body: "# Schedule\n\nVaccinations at birth, 6, 10 and 14 weeks, and 9 months. Bring the vaccination card.\n\n" +
			"## Missed vaccinations\n\nA missed vaccination is given at the next visit; vaccination is never restarted.", Language: "en",
		Tags: &[]string{"vaccination"}, Audience: &public})
	answered(t, shared.StatusCode(), shared.Body, err, 201, "share")
	id := shared.JSON201.Id

	found := hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q("vaccination")})
	if len(found) < 2 || found[0].Id != id {
		t.Fatalf("q=vaccination without a token: got %v; want the shared article first", found)
	}
	pt := hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q("vacinação"), Language: q("pt")})
	if len(pt) == 0 || pt[0].Title != "Vacinação das crianças: o calendário" {
		t.Errorf("q=vacinação&language=pt: got %v", pt)
	}
	if unaccented := hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q("vacinacao"), Language: q("pt")}); len(unaccented) == 0 || unaccented[0].Id != pt[0].Id {
		t.Errorf("accents folded: got %v", unaccented)
	}
	if fr := hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q("paludisme")}); len(fr) != 1 || fr[0].Language != "fr" {
		t.Errorf("q=paludisme: %v", fr)
	}
	if coded := hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q("malaria"), ConditionCode: q("icd10|B54")}); len(coded) != 3 {
		t.Errorf("malaria with B54: got %d; want the English, Spanish and Portuguese (malária, folded) articles", len(coded))
	}
	// Practitioners' articles: not without a token, yes with a practitioner's.
	if anon := hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q("danger signs")}); len(anon) != 0 {
		t.Errorf("an article for practitioners found without a token: %v", anon)
	}
	if withToken := hits(t, prac, ohcsclient.SearchMedicalKnowledgeParams{Q: q("danger signs")}); len(withToken) != 1 {
		t.Errorf("a practitioner does not find the practitioners' article: %v", withToken)
	}
	bad, err := c.api("not-a-token").SearchMedicalKnowledgeWithResponse(ctx, &ohcsclient.SearchMedicalKnowledgeParams{Q: q("x")})
	answered(t, bad.StatusCode(), bad.Body, err, http.StatusUnauthorized, "a bad token")
	none, err := anyone.SearchMedicalKnowledgeWithResponse(ctx, &ohcsclient.SearchMedicalKnowledgeParams{})
	if err != nil {
		t.Fatal(err)
	}
	assertField(t, problemOf(none.StatusCode(), none.HTTPResponse.Header, none.Body), "q")

	// Versions: the update is searchable, the first version still readable.
	updated, err := prac.UpdateMedicalKnowledgeWithResponse(ctx, id, &ohcsclient.UpdateMedicalKnowledgeParams{IfMatch: q(`"1"`)},
		ohcsclient.ArticleUpdate{Title: q("Childhood immunisation timetable")})
	answered(t, updated.StatusCode(), updated.Body, err, 200, "update")
	if updated.JSON200.Version != 2 {
		t.Errorf("version: %v", updated.JSON200.Version)
	}
	one := 1
	old, err := anyone.GetMedicalKnowledgeWithResponse(ctx, id, &ohcsclient.GetMedicalKnowledgeParams{Version: &one})
	answered(t, old.StatusCode(), old.Body, err, 200, "version 1")
	if old.JSON200.Title != "Childhood vaccinations schedule" || old.JSON200.Body != shared.JSON201.Body {
		t.Errorf("version 1: %+v", old.JSON200)
	}
	if found := hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q("timetable")}); len(found) != 1 || found[0].Id != id {
		t.Errorf("q=timetable after the update: %v", found)
	}

	// Retraction: gone from search at once; 404 but for its author and
	// administrators.
	retracted, err := prac.RetractMedicalKnowledgeWithResponse(ctx, id, &ohcsclient.RetractMedicalKnowledgeParams{IfMatch: q(`"2"`)})
	answered(t, retracted.StatusCode(), retracted.Body, err, 200, "retract")
	for _, text := range []string{"vaccination", "timetable"} {
		for _, h := range hits(t, anyone, ohcsclient.SearchMedicalKnowledgeParams{Q: q(text)}) {
			if h.Id == id {
				t.Errorf("q=%s still finds the retracted article", text)
			}
		}
	}
	for who, want := range map[string]int{"": 404, "beneficiary": 404, "practitioner": 200, "administrator": 200} {
		r, err := c.api(w.tokens[who]).GetMedicalKnowledgeWithResponse(ctx, id, nil)
		answered(t, r.StatusCode(), r.Body, err, want, "the retracted article read by "+who)
		if want == 404 {
			assertProblem(t, problemOf(r.StatusCode(), r.HTTPResponse.Header, r.Body), http.StatusNotFound)
		}
	}

	// An unverified practitioner cannot share.
	fresh := c.token("unverified", "practitioner")
	w.must(createPractitioner(c, fresh, "Dr New"), 201, "profile")
	refused, err := c.api(fresh).ShareMedicalKnowledgeWithResponse(ctx, ohcsclient.ArticleCreate{Title: "T", Summary: "S", Body: "B", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	assertProblem(t, problemOf(refused.StatusCode(), refused.HTTPResponse.Header, refused.Body), http.StatusForbidden)

	// Stable pagination of ranked results.
	limit := 1
	first, err := anyone.SearchMedicalKnowledgeWithResponse(ctx, &ohcsclient.SearchMedicalKnowledgeParams{Q: q("children"), Limit: &limit})
	answered(t, first.StatusCode(), first.Body, err, 200, "first page")
	second, err := anyone.SearchMedicalKnowledgeWithResponse(ctx, &ohcsclient.SearchMedicalKnowledgeParams{Q: q("children"), Limit: &limit,
		Cursor: first.JSON200.NextCursor})
	answered(t, second.StatusCode(), second.Body, err, 200, "second page")
	if first.JSON200.Items[0].Id == second.JSON200.Items[0].Id {
		t.Errorf("the second page repeats the first")
	}
}
