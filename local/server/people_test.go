package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestPeopleAcceptance walks the acceptance.
func TestPeopleAcceptance(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	ben, admin := w.tokens["beneficiary"], w.tokens["administrator"]

	// The beneficiary reads its profile; another gets 404; an
	// administrator sees demographics only.
	own := w.must(c.call("GET", "/v1/beneficiaries/"+w.B, ben, nil, nil), 200, "own read")
	if own["preferredLanguage"] != "pt-MZ" || own["emergencyContact"] == nil {
		t.Errorf("own view lacks fields: %v", own)
	}
	assertProblem(t, c.call("GET", "/v1/beneficiaries/"+w.B, w.tokens["beneficiary-other"], nil, nil), http.StatusNotFound)
	demo := w.must(c.call("GET", "/v1/beneficiaries/"+w.B, admin, nil, nil), 200, "administrator read")
	for _, f := range []string{"fullName", "birthDate", "sex", "phone", "email", "address"} {
		if _, ok := demo[f]; !ok {
			t.Errorf("demographics lack %s", f)
		}
	}
	for _, f := range []string{"emergencyContact", "preferredLanguage", "timeZone", "managedBy"} {
		if _, ok := demo[f]; ok {
			t.Errorf("administrator sees %s", f)
		}
	}

	// A caregiver with manageProfile updates the profile; one without
	// cannot.
	// C2's pending link holds manageProfile: granting again is a conflict
	// naming it; accepted, it lets C2 update the profile.
	conflict := assertProblem(t, c.call("POST", "/v1/beneficiaries/"+w.B+"/care-links", ben,
		map[string]any{"caregiverId": w.C2, "permissions": []string{"manageProfile"}}, nil), http.StatusConflict)
	if !strings.Contains(conflict["detail"].(string), w.LPend) {
		t.Errorf("the conflict does not name the existing link: %v", conflict)
	}
	acceptLink(t, c, w.tokens["caregiver-other"], w.B, w.LPend)
	assertProblem(t, c.call("PATCH", "/v1/beneficiaries/"+w.B, w.tokens["caregiver"],
		map[string]any{"phone": "+258847777777"}, map[string]string{"If-Match": `"1"`}), http.StatusNotFound)
	upd := c.call("PATCH", "/v1/beneficiaries/"+w.B, w.tokens["caregiver-other"], map[string]any{"phone": "+258847777777"}, map[string]string{"If-Match": `"1"`})
	if p := w.must(upd, 200, "update by manageProfile"); p["phone"] != "+258847777777" || upd.Header.Get("ETag") != `"2"` {
		t.Errorf("update: got %v %s", p, upd.Header.Get("ETag"))
	}
	assertProblem(t, c.call("PATCH", "/v1/beneficiaries/"+w.B, ben, map[string]any{"phone": "+258841111111"}, map[string]string{"If-Match": `"1"`}), http.StatusPreconditionFailed)
	assertProblem(t, c.call("PATCH", "/v1/beneficiaries/"+w.B, ben, map[string]any{"phone": "+258841111111"}, nil), http.StatusPreconditionRequired)

	// A caregiver creates a dependent, grants a second caregiver
	// viewRecords, revokes it: the second caregiver's next request fails.
	mgr, second := w.tokens["caregiver-manager"], w.tokens["caregiver-other"]
	dep := beneficiaryBody("Little One")
	dep["forDependent"] = true
	d := w.must(c.call("POST", "/v1/beneficiaries", mgr, dep, nil), 201, "dependent")
	if d["managedBy"] != w.CMgr {
		t.Errorf("managedBy: got %v; want %s", d["managedBy"], w.CMgr)
	}
	depID := d["id"].(string)
	link := w.must(c.call("POST", "/v1/beneficiaries/"+depID+"/care-links", mgr,
		map[string]any{"caregiverId": w.C2, "permissions": []string{"viewRecords"}}, nil), 201, "grant to second")
	if link["status"] != "pending" {
		t.Errorf("link: got %v; want pending until the caregiver accepts", link)
	}
	acceptLink(t, c, second, depID, link["id"].(string))
	w.must(c.call("GET", "/v1/beneficiaries/"+depID+"/access-log", second, nil, nil), 200, "second reads with viewRecords")
	revoked := w.must(c.call("POST", "/v1/beneficiaries/"+depID+"/care-links/"+link["id"].(string)+"/revocation", mgr, nil, nil), 200, "revoke")
	if revoked["status"] != "revoked" || revoked["revokedAt"] == nil {
		t.Errorf("revoked link: got %v", revoked)
	}
	assertProblem(t, c.call("GET", "/v1/beneficiaries/"+depID+"/access-log", second, nil, nil), http.StatusNotFound)
	assertProblem(t, c.call("GET", "/v1/beneficiaries/"+depID, second, nil, nil), http.StatusNotFound)
	again := w.must(c.call("POST", "/v1/beneficiaries/"+depID+"/care-links/"+link["id"].(string)+"/revocation", mgr, nil, nil), 200, "revoke twice")
	if again["version"] != revoked["version"] {
		t.Errorf("a second revocation changed the link: %v then %v", revoked["version"], again["version"])
	}

	// The access log shows the administrator's read of the demographics.
	log := w.must(c.call("GET", "/v1/beneficiaries/"+w.B+"/access-log?limit=100", ben, nil, nil), 200, "access log")
	found := false
	for _, it := range log["items"].([]any) {
		e := it.(map[string]any)
		if e["actorRole"] == "administrator" && e["action"] == "getBeneficiary" && e["outcome"] == "allowed" {
			found = true
		}
		for k := range e {
			if !slices.Contains([]string{"id", "time", "actorSub", "actorRole", "action", "resourceType", "resourceId", "beneficiaryId", "outcome", "requestId", "count", "lastTime"}, k) {
				t.Errorf("audit event carries %s", k)
			}
		}
	}
	if !found {
		t.Errorf("the access log lacks the administrator's read: %v", log["items"])
	}

	me := w.must(c.call("GET", "/v1/me", mgr, nil, nil), 200, "me")
	if me["profiles"].(map[string]any)["caregiverId"] != w.CMgr {
		t.Errorf("getMe: got %v", me)
	}
}

// TestAuditCompleteness scripts reads, writes and denials on a new
// beneficiary and compares its access log with the script.
func TestAuditCompleteness(t *testing.T) {
	c := start(t, nil)
	w := newWorld(t, c)
	ben, cg, other, admin := w.tokens["beneficiary"], w.tokens["caregiver"], w.tokens["beneficiary-other"], w.tokens["administrator"]
	fresh := w.must(c.call("POST", "/v1/beneficiaries", c.token("audit-subject", "beneficiary"), beneficiaryBody("Audit Subject"), nil), 201, "subject")
	id := fresh["id"].(string)
	subj := c.token("audit-subject", "beneficiary")

	type step struct {
		token, method, path string
		body                any
		header              map[string]string
		actor, action       string
		outcome             string
	}
	script := []step{
		{subj, "GET", "/v1/beneficiaries/" + id, nil, nil, "audit-subject", "getBeneficiary", "allowed"},
		{other, "GET", "/v1/beneficiaries/" + id, nil, nil, "", "getBeneficiary", "denied"},
		{admin, "GET", "/v1/beneficiaries/" + id, nil, nil, "", "getBeneficiary", "allowed"},
		{subj, "PATCH", "/v1/beneficiaries/" + id, map[string]any{"sex": "other"}, map[string]string{"If-Match": `"1"`}, "audit-subject", "updateBeneficiaryProfile", "allowed"},
		{cg, "GET", "/v1/beneficiaries/" + id, nil, nil, "", "getBeneficiary", "denied"},
		{subj, "POST", "/v1/beneficiaries/" + id + "/care-links", map[string]any{"caregiverId": w.C, "permissions": []string{"viewRecords"}}, nil, "audit-subject", "grantCaregiverAccess", "allowed"},
		// Pending: the link grants nothing until the caregiver accepts. The
		// denial counts on cg's earlier one of the same action (one
		// event per actor, action and hour), so it adds no line.
		{cg, "GET", "/v1/beneficiaries/" + id, nil, nil, "", "", "denied"},
		{cg, "ACCEPT", "", nil, nil, "", "", ""}, // not an access to the record: not in its log
		{cg, "GET", "/v1/beneficiaries/" + id, nil, nil, "", "getBeneficiary", "allowed"},
		{ben, "POST", "/v1/beneficiaries/" + id + "/practitioner-revocations", map[string]any{"practitionerId": w.P}, nil, "", "revokePractitionerAccess", "denied"},
	}
	var link string
	for _, s := range script {
		if s.method == "ACCEPT" {
			acceptLink(t, c, s.token, id, link)
			continue
		}
		r := c.call(s.method, s.path, s.token, s.body, s.header)
		if s.action == "grantCaregiverAccess" {
			link = r.json(t)["id"].(string)
		}
	}
	log := w.must(c.call("GET", "/v1/beneficiaries/"+id+"/access-log?limit=100", subj, nil, nil), 200, "access log")
	items := log["items"].([]any)
	// The log itself was read once more, by the subject, newest of all;
	// and the profile's creation is the oldest.
	want := []string{"listMyAccessLog/allowed"}
	for i := len(script) - 1; i >= 0; i-- {
		if script[i].action != "" {
			want = append(want, script[i].action+"/"+script[i].outcome)
		}
	}
	want = append(want, "createBeneficiaryProfile/allowed")
	var got []string
	for _, it := range items {
		e := it.(map[string]any)
		got = append(got, e["action"].(string)+"/"+e["outcome"].(string))
		if e["beneficiaryId"] != id {
			t.Errorf("event of another beneficiary: %v", e)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("access log:\n got %v\nwant %v", got, want)
	}
	// Administrators find the same events by beneficiary, and by actor.
	byBen := w.must(c.call("GET", "/v1/audit-events?beneficiaryId="+id+"&limit=100", admin, nil, nil), 200, "by beneficiary")
	if n := len(byBen["items"].([]any)); n != len(want) {
		t.Errorf("audit events of the beneficiary: got %d; want %d", n, len(want))
	}
	byActor := w.must(c.call("GET", "/v1/audit-events?actorSub=audit-subject&action=getBeneficiary", admin, nil, nil), 200, "by actor")
	if n := len(byActor["items"].([]any)); n != 1 {
		t.Errorf("the subject's getBeneficiary events: got %d; want 1", n)
	}
	page := w.must(c.call("GET", "/v1/audit-events?beneficiaryId="+id+"&limit=3", admin, nil, nil), 200, "page")
	next := page["nextCursor"].(string)
	rest := w.must(c.call("GET", "/v1/audit-events?beneficiaryId="+id+"&limit=100&cursor="+next, admin, nil, nil), 200, "rest")
	// Administrators' listings are not accesses to the beneficiary's data:
	// the two pages hold exactly the events of the access log.
	if n := len(page["items"].([]any)) + len(rest["items"].([]any)); n != len(want) {
		t.Errorf("paged events: got %d; want %d", n, len(want))
	}
	assertField(t, c.call("GET", "/v1/audit-events", admin, nil, nil), "beneficiaryId")
	assertField(t, c.call("GET", "/v1/audit-events?beneficiaryId="+id+"&cursor="+next+"x", admin, nil, nil), "cursor")
}
