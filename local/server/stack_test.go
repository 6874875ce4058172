package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ohcs/local/server"
)

// stackTemplate returns the synthesized template of make test-stack, after
// change has edited it (written to a folder of the test's own); it fails
// the test outside stack mode, which only make test-stack and make
// run-stack start.
func stackTemplate(t *testing.T, change func(resources map[string]any)) string {
	t.Helper()
	file := os.Getenv(server.EnvStackTemplate)
	if file == "" || os.Getenv(server.EnvLambdaRIE) == "" {
		t.Skip("in-process mode; make test-stack runs this test against cdk.out")
	}
	var tmpl map[string]any
	readJSON(t, file, &tmpl)
	change(tmpl["Resources"].(map[string]any))
	out, err := json.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(t.TempDir(), "Ohcs.template.json")
	if err := os.WriteFile(edited, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return edited
}

// resourceOf returns the logical id and properties of the one resource of
// a type whose id starts with prefix.
func resourceOf(t *testing.T, resources map[string]any, typ, prefix string) (string, map[string]any) {
	t.Helper()
	for id, r := range resources {
		m := r.(map[string]any)
		if m["Type"] == typ && strings.HasPrefix(id, prefix) {
			return id, m["Properties"].(map[string]any)
		}
	}
	t.Fatalf("no %s %s* in the template", typ, prefix)
	return "", nil
}

// TestStackMode (make test-stack): the server runs from the synthesized
// template. Edits to the template are what the server does: an operation
// whose security is deleted from the uploaded body is public (its function
// answers a token-less request itself); a function whose policy loses a
// table gets AccessDeniedException from the store, so that getBeneficiary
// fails as it failed in AWS before its grant; the sign-up trigger puts a
// new user in the self-service group it chose, and only in such a group.
func TestStackMode(t *testing.T) {
	var schedulingTable string
	file := stackTemplate(t, func(resources map[string]any) {
		_, api := resourceOf(t, resources, "AWS::ApiGateway::RestApi", "Api")
		delete(api["Body"].(map[string]any)["paths"].(map[string]any)["/me"].(map[string]any)["get"].(map[string]any), "security")
		schedulingTable, _ = resourceOf(t, resources, "AWS::DynamoDB::Table", "Tablescheduling")
		_, policy := resourceOf(t, resources, "AWS::IAM::Policy", "FngetBeneficiaryServiceRoleDefaultPolicy")
		doc := policy["PolicyDocument"].(map[string]any)
		var kept []any
		for _, st := range doc["Statement"].([]any) {
			if raw, _ := json.Marshal(st); !strings.Contains(string(raw), `"`+schedulingTable+`"`) {
				kept = append(kept, st)
			}
		}
		if len(kept) == len(doc["Statement"].([]any)) {
			t.Fatalf("getBeneficiary's policy has no statement on %s", schedulingTable)
		}
		doc["Statement"] = kept
	})
	c := start(t, map[string]string{server.EnvStackTemplate: file})
	if c.server.Lambda == nil {
		t.Fatal("stack mode runs no functions under the emulator")
	}

	// getMe lost its security in the body: the gateway lets the request
	// through and the function refuses it itself.
	before := c.server.Requests.Usage("getMe").Calls
	if r := getMe(c, ""); r.Status != http.StatusUnauthorized {
		t.Errorf("getMe without security and without a token: %d %s; want the function's 401", r.Status, r.Body)
	}
	if c.server.Requests.Usage("getMe").Calls != before+1 {
		t.Error("getMe without security in the template's body did not reach its function")
	}
	if r := c.call("GET", "/v1/campaigns", "", nil, nil); r.Status != http.StatusUnauthorized || c.server.Requests.Usage("listCampaigns").Calls != 0 {
		t.Errorf("listCampaigns (secured) without a token: %d, %d calls; want the gateway's 401 and no call", r.Status, c.server.Requests.Usage("listCampaigns").Calls)
	}

	// getBeneficiary without its scheduling grant: the access policy's
	// query is refused, the function fails, the denial is recorded.
	w := newWorld(t, c)
	// (Not c.call: a 500 is outside the document, on purpose here.)
	req, _ := http.NewRequest("GET", c.base+"/v1/beneficiaries/"+w.B, nil)
	req.Header.Set("Authorization", "Bearer "+w.tokens["practitioner"])
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != http.StatusInternalServerError {
		t.Errorf("getBeneficiary without its grant on the scheduling table: %v %v; want 500", res, err)
	} else {
		res.Body.Close()
	}
	denied := c.server.TakeDenied()
	found := false
	for _, d := range denied {
		found = found || (strings.HasPrefix(d, "getBeneficiary ") && strings.Contains(d, schedulingTable))
	}
	if !found {
		t.Errorf("denials: %v; want getBeneficiary on %s", denied, schedulingTable)
	}

	// Sign-up runs the template's post-confirmation trigger.
	signup := func(sub, role string) (int, map[string]any) {
		t.Helper()
		body, _ := json.Marshal(map[string]string{"sub": sub, "email": sub + "@example.org", "role": role})
		res, err := http.Post(c.base+"/_local/signup", "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	status, donor := signup("stack-donor", "donor")
	if status != http.StatusOK || len(donor["groups"].([]any)) != 1 || donor["groups"].([]any)[0] != "donor" {
		t.Fatalf("sign-up as a donor: %d %v", status, donor)
	}
	if r := listGifts(c, donor["accessToken"].(string)); r.Status != http.StatusOK {
		t.Errorf("the signed-up donor lists its donations: %d %s", r.Status, r.Body)
	}
	if status, admin := signup("stack-admin", "administrator"); status != http.StatusOK || len(admin["groups"].([]any)) != 0 {
		t.Errorf("sign-up choosing administrator: %d %v; want no group", status, admin)
	}

	// A list that pages: its function reads the cursor key from the
	// template's secret, with its role, on the first cursor (not at cold
	// start), seals it and opens it on the next page.
	campaign(t, c, w.tokens["administrator"], "USD")
	ben := w.tokens["beneficiary"]
	first := w.must(listCampaigns(c, ben, 1, ""), 200, "campaigns")
	next, _ := first["nextCursor"].(string)
	if next == "" {
		t.Fatalf("a page of one campaign of two: no cursor: %v", first)
	}
	second := w.must(listCampaigns(c, ben, 1, next), 200, "campaigns")
	a, b := first["items"].([]any), second["items"].([]any)
	if len(a) != 1 || len(b) != 1 || a[0].(map[string]any)["id"] == b[0].(map[string]any)["id"] {
		t.Errorf("two pages of one campaign: %v then %v; want two campaigns", a, b)
	}
}
