package server_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"ohcs/openapi/ohcsclient"
)

// world is a set of people created through the API, with fresh accounts so
// that worlds in one server never meet.
type world struct {
	c       *client
	tokens  map[string]string // caller name to token
	P, P2   string            // verified practitioners
	B, B2   string            // beneficiaries with their own accounts
	DEP     string            // a dependent managed by cg-manager
	C, C2   string            // caregivers: C linked to B with viewRecords, C2 unlinked
	CBook   string            // caregiver linked to B with bookAppointments only
	CRev    string            // caregiver whose link to B was revoked
	CMgr    string            // caregiver managing DEP
	L       string            // the link B to C
	LPend   string            // a link B to C2 that C2 has not answered: it grants nothing
	LDep    string            // the link DEP to C (viewRecords)
	pracVer string            // P's current ETag
	benVer  string            // B's current ETag
	A       string            // an appointment of B with P, booked by B
	Camp    string            // a campaign in EUR
	G       string            // a gift of the donor to Camp
	O       string            // an organisation with P and B as members
	K, K2   string            // articles of P: public, for practitioners
	cons    string            // a consultation of A, made on first use
	ent     string            // a health record entry of B, made on first use
	pl      string            // a treatment plan of B by P, made on first use
	rep     string            // a health report of B by P, made on first use
	slots   []string          // free slots of P, handed out one by one
	fresh   []string          // appointments booked by freshAppointment, oldest first
}

// freeSlot hands out a free slot of P.
func (w *world) freeSlot() string {
	w.c.t.Helper()
	if len(w.slots) == 0 {
		w.c.t.Fatal("no free slots left")
	}
	s := w.slots[0]
	w.slots = w.slots[1:]
	return s
}

// freshAppointment books a new appointment of B with P. A beneficiary
// holds at most 10 upcoming appointments, so the oldest fresh ones still
// booked are cancelled first.
func (w *world) freshAppointment() string {
	w.c.t.Helper()
	for len(w.fresh) >= 6 {
		old := w.fresh[0]
		w.fresh = w.fresh[1:]
		r := getAppt(w.c, w.tokens["beneficiary"], old)
		if r.Status == http.StatusOK && r.json(w.c.t)["status"] == "booked" {
			w.must(cancelAppt(w.c, w.tokens["beneficiary"], old, r.Header.Get("ETag"), "making room"), 200, "cancel")
		}
	}
	id := w.must(book(w.c, w.tokens["beneficiary"], w.freeSlot(), w.B, nil), 201, "book")["id"].(string)
	w.fresh = append(w.fresh, id)
	return id
}

var worlds atomic.Int64

func beneficiaryBody(name string) map[string]any {
	return map[string]any{
		"fullName": name, "birthDate": "1990-03-04", "sex": "female", "phone": "+258841111111",
		"email": "b@example.org", "preferredLanguage": "pt-MZ", "timeZone": "Africa/Maputo",
		"address":          map[string]any{"city": "Maputo", "country": "MZ"},
		"emergencyContact": map[string]any{"name": "Rosa", "phone": "+258842222222", "relationship": "sister"},
	}
}

func (w *world) must(r response, status int, what string) map[string]any {
	w.c.t.Helper()
	if r.Status != status {
		w.c.t.Fatalf("%s: got %d; want %d: %s", what, r.Status, status, r.Body)
	}
	return r.json(w.c.t)
}

// startWorld starts the local server and builds a world on it.
func startWorld(t testing.TB) (*client, *world) {
	t.Helper()
	c := start(t, nil)
	return c, newWorld(t, c)
}

// acceptLink answers a pending care link as its caregiver: accepted.
func acceptLink(t testing.TB, c *client, cgTok, ben, link string) {
	t.Helper()
	r, err := c.api(cgTok).RespondToCareLinkWithResponse(context.Background(), ben, link, ohcsclient.CareLinkResponse{Decision: ohcsclient.Accept})
	answered(t, r.StatusCode(), r.Body, err, 200, "accept care link "+link)
}

func newWorld(t testing.TB, c *client) *world {
	t.Helper()
	n := worlds.Add(1)
	w := &world{c: c, tokens: map[string]string{"none": ""}}
	tok := func(name string, role string) string {
		w.tokens[name] = c.token(fmt.Sprintf("%s-%d", name, n), role)
		return w.tokens[name]
	}
	ctx := context.Background()
	admin := tok("administrator", "administrator")
	adminAPI := c.api(admin)
	for _, name := range []string{"practitioner", "practitioner-other"} {
		p := w.must(createPractitioner(c, tok(name, "practitioner"), "Dr "+name), 201, "practitioner")
		id := p["id"].(string)
		v, err := adminAPI.VerifyPractitionerWithResponse(ctx, id, &ohcsclient.VerifyPractitionerParams{IfMatch: ptr(`"1"`)},
			ohcsclient.VerificationDecision{Decision: ohcsclient.VerificationDecisionDecisionVerified})
		answered(t, v.StatusCode(), v.Body, err, 200, "verify")
		if name == "practitioner" {
			w.P, w.pracVer = id, `"2"`
		} else {
			w.P2 = id
		}
	}
	w.B = w.must(createBeneficiary(c, tok("beneficiary", "beneficiary"), "Ana"), 201, "beneficiary")["id"].(string)
	w.benVer = `"1"`
	w.B2 = w.must(createBeneficiary(c, tok("beneficiary-other", "beneficiary"), "Beatriz"), 201, "beneficiary 2")["id"].(string)
	caregiver := func(name string) string {
		r, err := c.api(tok(name, "caregiver")).CreateCaregiverProfileWithResponse(ctx, ohcsclient.CaregiverCreate{FullName: name, Phone: "+258843333333"})
		answered(t, r.StatusCode(), r.Body, err, 201, name)
		return r.JSON201.Id
	}
	w.C, w.C2, w.CBook, w.CRev, w.CMgr = caregiver("caregiver"), caregiver("caregiver-other"), caregiver("caregiver-book"), caregiver("caregiver-revoked"), caregiver("caregiver-manager")
	// A link grants nothing until its caregiver accepts it.
	offer := func(benTok, ben, cg string, perms ...ohcsclient.Permission) string {
		r, err := c.api(benTok).GrantCaregiverAccessWithResponse(ctx, ben, ohcsclient.CareLinkGrant{CaregiverId: cg, Permissions: perms})
		answered(t, r.StatusCode(), r.Body, err, 201, "grant")
		return r.JSON201.Id
	}
	grant := func(benTok, ben, cg, cgTok string, perms ...ohcsclient.Permission) string {
		id := offer(benTok, ben, cg, perms...)
		acceptLink(t, c, cgTok, ben, id)
		return id
	}
	w.L = grant(w.tokens["beneficiary"], w.B, w.C, w.tokens["caregiver"], ohcsclient.ViewRecords)
	grant(w.tokens["beneficiary"], w.B, w.CBook, w.tokens["caregiver-book"], ohcsclient.BookAppointments)
	rev := grant(w.tokens["beneficiary"], w.B, w.CRev, w.tokens["caregiver-revoked"], ohcsclient.ViewRecords, ohcsclient.ManageProfile)
	revoked, err := c.api(w.tokens["beneficiary"]).RevokeCaregiverAccessWithResponse(ctx, w.B, rev)
	answered(t, revoked.StatusCode(), revoked.Body, err, 200, "revoke")
	w.LPend = offer(w.tokens["beneficiary"], w.B, w.C2, ohcsclient.ViewRecords, ohcsclient.BookAppointments, ohcsclient.ManageProfile, ohcsclient.ReceiveNotifications)
	dep := beneficiaryBody("Dependent child")
	dep["forDependent"] = true
	w.DEP = w.must(c.call("POST", "/v1/beneficiaries", w.tokens["caregiver-manager"], dep, nil), 201, "dependent")["id"].(string)
	w.LDep = grant(w.tokens["caregiver-manager"], w.DEP, w.C, w.tokens["caregiver"], ohcsclient.ViewRecords)
	openAllWeek(t, c, w.tokens["practitioner"], w.P, nil)
	for _, sl := range freeSlots(t, c, w.tokens["beneficiary"], w.P, 100) {
		w.slots = append(w.slots, sl["slotId"].(string))
	}
	w.A = w.freshAppointment()
	w.fresh = nil // A stays booked
	tok("donor", "donor")
	d, err := c.api(w.tokens["donor"]).CreateDonorProfileWithResponse(ctx, ohcsclient.DonorCreate{DisplayName: "Fundação", Email: "f@example.org", Country: "MZ"})
	answered(t, d.StatusCode(), d.Body, err, 201, "donor")
	w.Camp = campaign(t, c, admin, "EUR")
	w.G = w.must(give(c, w.tokens["donor"], w.Camp, 1000, "EUR", nil), 201, "gift")["id"].(string)
	org, err := adminAPI.CreateOrganizationWithResponse(ctx, ohcsclient.OrganizationCreate{Name: "Clinic", Kind: ohcsclient.OrganizationCreateKindFacility, Country: "MZ"})
	answered(t, org.StatusCode(), org.Body, err, 201, "org")
	w.O = org.JSON201.Id
	for _, m := range []ohcsclient.MembershipCreate{{MemberType: ohcsclient.MemberTypePractitioner, MemberId: w.P}, {MemberType: ohcsclient.MemberTypeBeneficiary, MemberId: w.B}} {
		r, err := adminAPI.AddMembershipWithResponse(ctx, w.O, m)
		answered(t, r.StatusCode(), r.Body, err, 201, "member")
	}
	for i, audience := range []ohcsclient.ArticleCreateAudience{ohcsclient.ArticleCreateAudiencePublic, ohcsclient.ArticleCreateAudiencePractitioners} {
		a, err := c.api(w.tokens["practitioner"]).ShareMedicalKnowledgeWithResponse(ctx, ohcsclient.ArticleCreate{Title: "Oral rehydration at home " + string(audience),
			Summary: "How to mix salts.", Body: "Mix one sachet in one litre of clean water.", Language: "en", Audience: &audience})
		answered(t, a.StatusCode(), a.Body, err, 201, "article")
		id := a.JSON201.Id
		if i == 0 {
			w.K = id
		} else {
			w.K2 = id
		}
	}
	return w
}

// status sends one request as caller.
func (w *world) status(caller, method, path string, body any, header map[string]string) int {
	tok, ok := w.tokens[caller]
	if !ok {
		w.c.t.Fatalf("no caller %q", caller)
	}
	r := w.c.call(method, path, tok, body, header)
	if r.Status >= 400 {
		assertProblem(w.c.t, r, r.Status)
	}
	return r.Status
}

var _ = http.StatusOK

func (w *world) consultation() string {
	if w.cons == "" {
		r, err := w.c.api(w.tokens["practitioner"]).RecordConsultationWithResponse(context.Background(), ohcsclient.ConsultationCreate{AppointmentId: w.A, Summary: "Seen."})
		answered(w.c.t, r.StatusCode(), r.Body, err, 201, "consultation")
		w.cons = r.JSON201.Id
	}
	return w.cons
}

func (w *world) entry() string {
	if w.ent == "" {
		r, err := w.c.api(w.tokens["practitioner"]).AddHealthRecordEntryWithResponse(context.Background(), ohcsclient.HealthRecordEntryCreate{BeneficiaryId: w.B,
			Kind: ohcsclient.HealthRecordEntryCreateKindNote, Note: ptr("n"), RecordedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		answered(w.c.t, r.StatusCode(), r.Body, err, 201, "entry")
		w.ent = r.JSON201.Id
	}
	return w.ent
}

func (w *world) plan() string {
	if w.pl == "" {
		r, err := w.c.api(w.tokens["practitioner"]).CreateTreatmentPlanWithResponse(context.Background(), ohcsclient.TreatmentPlanCreate{BeneficiaryId: w.B,
			Title: "t", Period: ohcsclient.Period{Start: ohcsclient.Date{Time: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}}})
		answered(w.c.t, r.StatusCode(), r.Body, err, 201, "plan")
		w.pl = r.JSON201.Id
	}
	return w.pl
}

func (w *world) report() string {
	if w.rep == "" {
		w.rep = w.must(produceReport(w.c, w.tokens["practitioner"], map[string]any{"beneficiaryId": w.B,
			"periodStart": "2026-01-01", "periodEnd": "2026-12-31"}), 201, "report")["id"].(string)
	}
	return w.rep
}
