package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"ohcs/openapi/ohcsclient"
)

// TestPeopleAcceptance walks the acceptance.
func TestPeopleAcceptance(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	ben, admin := c.api(w.tokens["beneficiary"]), c.api(w.tokens["administrator"])
	answer := func(err error, resp *http.Response, body []byte) response {
		return c.answer(err, "call", func() (*http.Response, []byte) { return resp, body })
	}
	read := func(api *ohcsclient.ClientWithResponses, id string) *ohcsclient.GetBeneficiaryResponse {
		t.Helper()
		r, err := api.GetBeneficiaryWithResponse(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	// The beneficiary reads its profile; another gets 404; an
	// administrator sees demographics only.
	own := read(ben, w.B)
	if answered(t, own.StatusCode(), own.Body, nil, 200, "own read"); own.JSON200.PreferredLanguage == nil || *own.JSON200.PreferredLanguage != "pt-MZ" || own.JSON200.EmergencyContact == nil {
		t.Errorf("own view lacks fields: %s", own.Body)
	}
	other := read(c.api(w.tokens["beneficiary-other"]), w.B)
	assertProblem(t, answer(nil, other.HTTPResponse, other.Body), http.StatusNotFound)
	demo := read(admin, w.B)
	answered(t, demo.StatusCode(), demo.Body, nil, 200, "administrator read")
	fields := answer(nil, demo.HTTPResponse, demo.Body).json(t) // which fields are there at all
	for _, f := range []string{"fullName", "birthDate", "sex", "phone", "email", "address"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("demographics lack %s", f)
		}
	}
	for _, f := range []string{"emergencyContact", "preferredLanguage", "timeZone", "managedBy"} {
		if _, ok := fields[f]; ok {
			t.Errorf("administrator sees %s", f)
		}
	}

	// A caregiver with manageProfile updates the profile; one without
	// cannot.
	// C2's pending link holds manageProfile: granting again is a conflict
	// naming it; accepted, it lets C2 update the profile.
	again, err := ben.GrantCaregiverAccessWithResponse(ctx, w.B, ohcsclient.CareLinkGrant{CaregiverId: w.C2, Permissions: ohcsclient.Permissions{ohcsclient.ManageProfile}})
	if conflict := assertProblem(t, answer(err, again.HTTPResponse, again.Body), http.StatusConflict); !strings.Contains(conflict["detail"].(string), w.LPend) {
		t.Errorf("the conflict does not name the existing link: %v", conflict)
	}
	acceptLink(t, c, w.tokens["caregiver-other"], w.B, w.LPend)
	update := func(token, etag, phone string) *ohcsclient.UpdateBeneficiaryProfileResponse {
		t.Helper()
		var params *ohcsclient.UpdateBeneficiaryProfileParams
		if etag != "" {
			params = &ohcsclient.UpdateBeneficiaryProfileParams{IfMatch: ptr(etag)}
		}
		r, err := c.api(token).UpdateBeneficiaryProfileWithResponse(ctx, w.B, params, ohcsclient.BeneficiaryUpdate{Phone: ptr(phone)})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	u := update(w.tokens["caregiver"], `"1"`, "+258847777777")
	assertProblem(t, answer(nil, u.HTTPResponse, u.Body), http.StatusNotFound)
	u = update(w.tokens["caregiver-other"], `"1"`, "+258847777777")
	if answered(t, u.StatusCode(), u.Body, nil, 200, "update by manageProfile"); *u.JSON200.Phone != "+258847777777" || u.HTTPResponse.Header.Get("ETag") != `"2"` {
		t.Errorf("update: got %s %s", u.Body, u.HTTPResponse.Header.Get("ETag"))
	}
	u = update(w.tokens["beneficiary"], `"1"`, "+258841111111")
	assertProblem(t, answer(nil, u.HTTPResponse, u.Body), http.StatusPreconditionFailed)
	u = update(w.tokens["beneficiary"], "", "+258841111111")
	assertProblem(t, answer(nil, u.HTTPResponse, u.Body), http.StatusPreconditionRequired)

	// A caregiver creates a dependent, grants a second caregiver
	// viewRecords, revokes it: the second caregiver's next request fails.
	mgr, second := c.api(w.tokens["caregiver-manager"]), c.api(w.tokens["caregiver-other"])
	var dep ohcsclient.BeneficiaryCreate
	raw, _ := json.Marshal(beneficiaryBody("Little One"))
	if err := json.Unmarshal(raw, &dep); err != nil {
		t.Fatal(err)
	}
	dep.ForDependent = ptr(true)
	d, err := mgr.CreateBeneficiaryProfileWithResponse(ctx, dep)
	if answered(t, d.StatusCode(), d.Body, err, 201, "dependent"); d.JSON201.ManagedBy == nil || *d.JSON201.ManagedBy != w.CMgr {
		t.Errorf("managedBy: got %s; want %s", d.Body, w.CMgr)
	}
	depID := d.JSON201.Id
	link, err := mgr.GrantCaregiverAccessWithResponse(ctx, depID, ohcsclient.CareLinkGrant{CaregiverId: w.C2, Permissions: ohcsclient.Permissions{ohcsclient.ViewRecords}})
	if answered(t, link.StatusCode(), link.Body, err, 201, "grant to second"); link.JSON201.Status != ohcsclient.CareLinkStatusPending {
		t.Errorf("link: got %s; want pending until the caregiver accepts", link.Body)
	}
	acceptLink(t, c, w.tokens["caregiver-other"], depID, link.JSON201.Id)
	accessLog := func(api *ohcsclient.ClientWithResponses, id string, limit int) *ohcsclient.ListMyAccessLogResponse {
		t.Helper()
		r, err := api.ListMyAccessLogWithResponse(ctx, id, &ohcsclient.ListMyAccessLogParams{Limit: ptr(limit)})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	l := accessLog(second, depID, 20)
	answered(t, l.StatusCode(), l.Body, nil, 200, "second reads with viewRecords")
	revoke := func() *ohcsclient.RevokeCaregiverAccessResponse {
		t.Helper()
		r, err := mgr.RevokeCaregiverAccessWithResponse(ctx, depID, link.JSON201.Id)
		answered(t, r.StatusCode(), r.Body, err, 200, "revoke")
		return r
	}
	revoked := revoke().JSON200
	if revoked.Status != ohcsclient.CareLinkStatusRevoked || revoked.RevokedAt == nil {
		t.Errorf("revoked link: got %+v", revoked)
	}
	l = accessLog(second, depID, 20)
	assertProblem(t, answer(nil, l.HTTPResponse, l.Body), http.StatusNotFound)
	gone := read(second, depID)
	assertProblem(t, answer(nil, gone.HTTPResponse, gone.Body), http.StatusNotFound)
	if twice := revoke().JSON200; twice.Version != revoked.Version {
		t.Errorf("a second revocation changed the link: %v then %v", revoked.Version, twice.Version)
	}

	// The access log shows the administrator's read of the demographics.
	l = accessLog(ben, w.B, 100)
	answered(t, l.StatusCode(), l.Body, nil, 200, "access log")
	found := false
	for _, e := range answer(nil, l.HTTPResponse, l.Body).json(t)["items"].([]any) { // every field an event carries
		e := e.(map[string]any)
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
		t.Errorf("the access log lacks the administrator's read: %s", l.Body)
	}

	me, err := mgr.GetMeWithResponse(ctx)
	if answered(t, me.StatusCode(), me.Body, err, 200, "me"); me.JSON200.Profiles.CaregiverId == nil || *me.JSON200.Profiles.CaregiverId != w.CMgr {
		t.Errorf("getMe: got %s", me.Body)
	}
}

// TestAuditCompleteness scripts reads, writes and denials on a new
// beneficiary and compares its access log with the script.
func TestAuditCompleteness(t *testing.T) {
	c, w := startWorld(t)
	ben, cg, other, admin := w.tokens["beneficiary"], w.tokens["caregiver"], w.tokens["beneficiary-other"], w.tokens["administrator"]
	fresh := w.must(createBeneficiary(c, c.token("audit-subject", "beneficiary"), "Audit Subject"), 201, "subject")
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
	log := w.must(accessLog(c, subj, id, 100), 200, "access log")
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
	byBen := w.must(auditEvents(c, admin, ohcsclient.ListAuditEventsParams{BeneficiaryId: &id, Limit: ptr(100)}), 200, "by beneficiary")
	if n := len(byBen["items"].([]any)); n != len(want) {
		t.Errorf("audit events of the beneficiary: got %d; want %d", n, len(want))
	}
	byActor := w.must(auditEvents(c, admin, ohcsclient.ListAuditEventsParams{ActorSub: ptr("audit-subject"), Action: ptr("getBeneficiary")}), 200, "by actor")
	if n := len(byActor["items"].([]any)); n != 1 {
		t.Errorf("the subject's getBeneficiary events: got %d; want 1", n)
	}
	page := w.must(auditEvents(c, admin, ohcsclient.ListAuditEventsParams{BeneficiaryId: &id, Limit: ptr(3)}), 200, "page")
	next := page["nextCursor"].(string)
	rest := w.must(auditEvents(c, admin, ohcsclient.ListAuditEventsParams{BeneficiaryId: &id, Limit: ptr(100), Cursor: &next}), 200, "rest")
	// Administrators' listings are not accesses to the beneficiary's data:
	// the two pages hold exactly the events of the access log.
	if n := len(page["items"].([]any)) + len(rest["items"].([]any)); n != len(want) {
		t.Errorf("paged events: got %d; want %d", n, len(want))
	}
	assertField(t, auditEvents(c, admin, ohcsclient.ListAuditEventsParams{}), "beneficiaryId")
	assertField(t, auditEvents(c, admin, ohcsclient.ListAuditEventsParams{BeneficiaryId: &id, Cursor: ptr(next + "x")}), "cursor")
}
