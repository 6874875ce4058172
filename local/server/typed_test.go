package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"ohcs/openapi/ohcsclient"
)

// api returns the client generated from the document (openapi/ohcsclient),
// calling as the bearer of token ("" for none): a test written with it
// stops compiling when the contract changes under it. Every answer is
// validated against the document, as call validates.
func (c *client) api(token string) *ohcsclient.ClientWithResponses {
	c.t.Helper()
	base := c.base + "/v1"
	if c.proxy != "" {
		base = c.proxy // a contract-checking proxy's paths have no /v1
	}
	api, err := ohcsclient.NewClientWithResponses(base, ohcsclient.WithHTTPClient(checked{c}),
		ohcsclient.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			return nil
		}))
	if err != nil {
		c.t.Fatalf("typed client: %v", err)
	}
	return api
}

// checked sends the typed client's requests and validates their answers.
type checked struct{ c *client }

// Do sends req and checks the answer against the document.
func (d checked) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := d.c.http.Do(req)
	if err != nil {
		return nil, err
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(out))
	header := map[string]string{}
	for k := range req.Header {
		if k != "Authorization" {
			header[k] = req.Header.Get(k)
		}
	}
	path := req.URL.Path
	if d.c.proxy != "" {
		path = "/v1" + path // the document's path, as call validates it
	}
	if req.URL.RawQuery != "" {
		path += "?" + req.URL.RawQuery
	}
	r := response{Status: resp.StatusCode, Header: resp.Header, Body: out}
	if d.c.observe != nil {
		d.c.observe(r, req.Method+" "+path)
	}
	d.c.validate(req.Method, path, body, header, r)
	return resp, nil
}

// answered returns what a typed call answered, failing the test on a
// transport error or another status than want.
func answered(t testing.TB, status int, body []byte, err error, want int, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if status != want {
		t.Fatalf("%s: got %d; want %d: %s", what, status, want, body)
	}
}

// problemOf is the answer of a typed call as the untyped assertions read
// it.
func problemOf(status int, header http.Header, body []byte) response {
	return response{Status: status, Header: header, Body: body}
}

// ptr is the address of a copy of v, for the typed client's optional
// fields.
func ptr[T any](v T) *T { return &v }

// withHeader sets the headers of a typed request (an Idempotency-Key the
// caller chose, a header the document does not name).
func withHeader(header map[string]string) ohcsclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return nil
	}
}

// answer returns a typed call's answer, read by get once err is nil, as
// the untyped helpers read it.
func (c *client) answer(err error, what string, get func() (*http.Response, []byte)) response {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("%s: %v", what, err)
	}
	resp, body := get()
	return response{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// reply is the answer of a typed call named what, given as the call's two
// results: every response type of the generated client carries the
// HTTPResponse and the Body it was read from. A call that fails before an
// answer fails the test.
func (c *client) reply(what string) func(r any, err error) response {
	return func(r any, err error) response {
		c.t.Helper()
		if err != nil {
			c.t.Fatalf("%s: %v", what, err)
		}
		v := reflect.ValueOf(r).Elem()
		return c.answer(nil, what, func() (*http.Response, []byte) {
			return v.FieldByName("HTTPResponse").Interface().(*http.Response), v.FieldByName("Body").Bytes()
		})
	}
}

// typedProfile is profile(name) as the typed client's body.
func typedProfile(t testing.TB, name string) ohcsclient.PractitionerCreate {
	return typedBody[ohcsclient.PractitionerCreate](t, "profile "+name, profile(name))
}

// typedBeneficiary is beneficiaryBody(name) as the typed client's body.
func typedBeneficiary(t testing.TB, name string) ohcsclient.BeneficiaryCreate {
	return typedBody[ohcsclient.BeneficiaryCreate](t, "beneficiary "+name, beneficiaryBody(name))
}

// typedBody is the body m as the typed client's T, checked to send
// exactly what m says: no field lost, none added.
func typedBody[T any](t testing.TB, what string, m map[string]any) T {
	t.Helper()
	var out T
	raw, err := json.Marshal(m)
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	// The typed body sends exactly what m says, nested fields included.
	var want, got any
	back, _ := json.Marshal(out)
	_ = json.Unmarshal(raw, &want)
	_ = json.Unmarshal(back, &got)
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: the typed body is %s; the test says %s", what, back, raw)
	}
	return out
}

// createBeneficiary creates the beneficiary beneficiaryBody(name) as the
// bearer of token.
func createBeneficiary(c *client, token, name string) response {
	return c.reply("createBeneficiaryProfile")(c.api(token).CreateBeneficiaryProfileWithResponse(context.Background(), typedBeneficiary(c.t, name)))
}

// createPractitioner creates the practitioner profile(name) as the bearer
// of token.
func createPractitioner(c *client, token, name string) response {
	return c.reply("createPractitionerProfile")(c.api(token).CreatePractitionerProfileWithResponse(context.Background(), typedProfile(c.t, name)))
}

// verifyPractitioner decides practitioner id's verification at etag.
func verifyPractitioner(c *client, token, id, etag, decision string) response {
	return c.reply("verifyPractitioner")(c.api(token).VerifyPractitionerWithResponse(context.Background(), id, &ohcsclient.VerifyPractitionerParams{IfMatch: ifMatch(etag)},
		ohcsclient.VerificationDecision{Decision: ohcsclient.VerificationDecisionDecision(decision)}))
}

// getCampaign reads campaign id.
func getCampaign(c *client, token, id string) response {
	return c.reply("getCampaign")(c.api(token).GetCampaignWithResponse(context.Background(), id))
}

// getMe reads the caller's account.
func getMe(c *client, token string) response {
	return c.reply("getMe")(c.api(token).GetMeWithResponse(context.Background()))
}

// recordConsultation records the consultation body, given as the
// document's JSON, through the typed client.
func recordConsultation(c *client, token string, body map[string]any) response {
	return c.reply("recordConsultation")(c.api(token).RecordConsultationWithResponse(context.Background(), typedBody[ohcsclient.ConsultationCreate](c.t, "consultation", body)))
}

// addEntry adds the health record entry body.
func addEntry(c *client, token string, body map[string]any) response {
	return c.reply("addHealthRecordEntry")(c.api(token).AddHealthRecordEntryWithResponse(context.Background(), typedBody[ohcsclient.HealthRecordEntryCreate](c.t, "entry", body)))
}

// createPlan creates the treatment plan body.
func createPlan(c *client, token string, body map[string]any) response {
	return c.reply("createTreatmentPlan")(c.api(token).CreateTreatmentPlanWithResponse(context.Background(), typedBody[ohcsclient.TreatmentPlanCreate](c.t, "plan", body)))
}

// assessRisk asks the clinical risk assessment body.
func assessRisk(c *client, token string, body map[string]any) response {
	return c.reply("assessClinicalRisk")(c.api(token).AssessClinicalRiskWithResponse(context.Background(), typedBody[ohcsclient.RiskAssessmentCreate](c.t, "risk assessment", body)))
}

// getPractitioner reads practitioner id.
func getPractitioner(c *client, token, id string) response {
	return c.reply("getPractitioner")(c.api(token).GetPractitionerWithResponse(context.Background(), id))
}

// createCaregiver creates the caregiver profile body.
func createCaregiver(c *client, token string, body map[string]any) response {
	return c.reply("createCaregiverProfile")(c.api(token).CreateCaregiverProfileWithResponse(context.Background(), typedBody[ohcsclient.CaregiverCreate](c.t, "caregiver", body)))
}

// grantLink grants beneficiary ben's care link body.
func grantLink(c *client, token, ben string, body map[string]any) response {
	return c.reply("grantCaregiverAccess")(c.api(token).GrantCaregiverAccessWithResponse(context.Background(), ben, typedBody[ohcsclient.CareLinkGrant](c.t, "care link", body)))
}

// respondLink answers beneficiary ben's care link with decision.
func respondLink(c *client, token, ben, link, decision string) response {
	return c.reply("respondToCareLink")(c.api(token).RespondToCareLinkWithResponse(context.Background(), ben, link,
		ohcsclient.CareLinkResponse{Decision: ohcsclient.CareLinkResponseDecision(decision)}))
}

// revokeLink revokes beneficiary ben's care link.
func revokeLink(c *client, token, ben, link string) response {
	return c.reply("revokeCaregiverAccess")(c.api(token).RevokeCaregiverAccessWithResponse(context.Background(), ben, link))
}

// revokePractitioner revokes practitioner pid's access to beneficiary ben.
func revokePractitioner(c *client, token, ben, pid string) response {
	return c.reply("revokePractitionerAccess")(c.api(token).RevokePractitionerAccessWithResponse(context.Background(), ben, ohcsclient.PractitionerRevocationRequest{PractitionerId: pid}))
}

// updatePlan changes treatment plan id at etag with the patch body.
func updatePlan(c *client, token, id, etag string, body map[string]any) response {
	return c.reply("updateTreatmentPlan")(c.api(token).UpdateTreatmentPlanWithResponse(context.Background(), id, &ohcsclient.UpdateTreatmentPlanParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.TreatmentPlanUpdate](c.t, "plan change", body)))
}

// produceReport produces the health report body.
func produceReport(c *client, token string, body map[string]any) response {
	return c.reply("produceHealthReport")(c.api(token).ProduceHealthReportWithResponse(context.Background(), typedBody[ohcsclient.HealthReportCreate](c.t, "report", body)))
}

// placeSchedule places practitioner pid's schedule body.
func placeSchedule(c *client, token, pid string, body map[string]any) response {
	return c.reply("placeAvailabilitySchedule")(c.api(token).PlaceAvailabilityScheduleWithResponse(context.Background(), pid, typedBody[ohcsclient.ScheduleCreate](c.t, "schedule", body)))
}

// getConsultation reads consultation id.
func getConsultation(c *client, token, id string) response {
	return c.reply("getConsultation")(c.api(token).GetConsultationWithResponse(context.Background(), id))
}

// getBeneficiary reads beneficiary id.
func getBeneficiary(c *client, token, id string) response {
	return c.reply("getBeneficiary")(c.api(token).GetBeneficiaryWithResponse(context.Background(), id))
}

// decideVerification posts the verification decision body (the document's
// JSON) for practitioner id at etag.
func decideVerification(c *client, token, id, etag string, body map[string]any) response {
	return c.reply("verifyPractitioner")(c.api(token).VerifyPractitionerWithResponse(context.Background(), id, &ohcsclient.VerifyPractitionerParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.VerificationDecision](c.t, "verification", body)))
}

// updatePractitioner changes practitioner id at etag with the patch body.
func updatePractitioner(c *client, token, id, etag string, body map[string]any) response {
	return c.reply("updatePractitionerProfile")(c.api(token).UpdatePractitionerProfileWithResponse(context.Background(), id, &ohcsclient.UpdatePractitionerProfileParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.PractitionerUpdate](c.t, "practitioner change", body)))
}

// createDonor creates the donor profile body.
func createDonor(c *client, token string, body map[string]any) response {
	return c.reply("createDonorProfile")(c.api(token).CreateDonorProfileWithResponse(context.Background(), typedBody[ohcsclient.DonorCreate](c.t, "donor", body)))
}

// getGift reads donation id.
func getGift(c *client, token, id string) response {
	return c.reply("getDonation")(c.api(token).GetDonationWithResponse(context.Background(), id))
}

// recordPayment records donation id's payment status body at etag.
func recordPayment(c *client, token, id, etag string, body map[string]any) response {
	return c.reply("recordDonationPayment")(c.api(token).RecordDonationPaymentWithResponse(context.Background(), id, &ohcsclient.RecordDonationPaymentParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.PaymentStatus](c.t, "payment", body)))
}

// sendNotification sends the notification body.
func sendNotification(c *client, token string, body map[string]any) response {
	return c.reply("sendNotification")(c.api(token).SendNotificationWithResponse(context.Background(), &ohcsclient.SendNotificationParams{},
		typedBody[ohcsclient.NotificationCreate](c.t, "notification", body)))
}

// getNotification reads sent notification id.
func getNotification(c *client, token, id string) response {
	return c.reply("getNotification")(c.api(token).GetNotificationWithResponse(context.Background(), id))
}

// setPreferences replaces the caller's notification preferences with body.
func setPreferences(c *client, token string, body map[string]any) response {
	return c.reply("updateNotificationPreferences")(c.api(token).UpdateNotificationPreferencesWithResponse(context.Background(), typedBody[ohcsclient.NotificationPreferences](c.t, "preferences", body)))
}

// getReport reads health report id as JSON.
func getReport(c *client, token, id string) response {
	return c.reply("getHealthReport")(c.api(token).GetHealthReportWithResponse(context.Background(), id))
}

// listEntries lists beneficiary ben's record entries (a first page).
func listEntries(c *client, token, ben string) response {
	return c.reply("listHealthRecordEntries")(c.api(token).ListHealthRecordEntriesWithResponse(context.Background(), &ohcsclient.ListHealthRecordEntriesParams{BeneficiaryId: ben}))
}

// listReports lists beneficiary ben's health reports (a first page).
func listReports(c *client, token, ben string) response {
	return c.reply("listHealthReports")(c.api(token).ListHealthReportsWithResponse(context.Background(), &ohcsclient.ListHealthReportsParams{BeneficiaryId: ben}))
}

// exportFhir exports beneficiary ben's record as a FHIR bundle.
func exportFhir(c *client, token, ben string) response {
	return c.reply("exportHealthRecordFhir")(c.api(token).ExportHealthRecordFhirWithResponse(context.Background(), ben))
}

// accessLog reads a first page of up to limit events of beneficiary ben's
// access log.
func accessLog(c *client, token, ben string, limit int) response {
	return c.reply("listMyAccessLog")(c.api(token).ListMyAccessLogWithResponse(context.Background(), ben, &ohcsclient.ListMyAccessLogParams{Limit: &limit}))
}

// auditEvents lists the audit events q selects.
func auditEvents(c *client, token string, q ohcsclient.ListAuditEventsParams) response {
	return c.reply("listAuditEvents")(c.api(token).ListAuditEventsWithResponse(context.Background(), &q))
}

// populationReport asks the population health report of the days from
// start to end (YYYY-MM-DD), of a region and an organization where given.
func populationReport(c *client, token, start, end, region, org string) response {
	day := func(s string) openapi_types.Date {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			c.t.Fatalf("population report: %v", err)
		}
		return openapi_types.Date{Time: d}
	}
	q := ohcsclient.ProducePopulationHealthReportParams{PeriodStart: day(start), PeriodEnd: day(end)}
	if region != "" {
		q.Region = &region
	}
	if org != "" {
		q.OrganizationId = &org
	}
	return c.reply("producePopulationHealthReport")(c.api(token).ProducePopulationHealthReportWithResponse(context.Background(), &q))
}

// shareArticle shares the article body.
func shareArticle(c *client, token string, body map[string]any) response {
	return c.reply("shareMedicalKnowledge")(c.api(token).ShareMedicalKnowledgeWithResponse(context.Background(), typedBody[ohcsclient.ArticleCreate](c.t, "article", body)))
}

// getArticle reads article id as it is now.
func getArticle(c *client, token, id string) response {
	return c.reply("getMedicalKnowledge")(c.api(token).GetMedicalKnowledgeWithResponse(context.Background(), id, &ohcsclient.GetMedicalKnowledgeParams{}))
}

// listPlans lists beneficiary ben's treatment plans of status.
func listPlans(c *client, token, ben, status string) response {
	return c.reply("listTreatmentPlans")(c.api(token).ListTreatmentPlansWithResponse(context.Background(),
		&ohcsclient.ListTreatmentPlansParams{BeneficiaryId: ben, Status: ptr(ohcsclient.PlanStatus(status))}))
}

// listGifts lists a first page of the caller's gifts.
func listGifts(c *client, token string) response {
	return c.reply("listMyDonations")(c.api(token).ListMyDonationsWithResponse(context.Background(), &ohcsclient.ListMyDonationsParams{}))
}

// listCampaigns lists a page of up to limit campaigns after cursor ("" for
// the first page).
func listCampaigns(c *client, token string, limit int, cursor string) response {
	q := ohcsclient.ListCampaignsParams{Limit: &limit}
	if cursor != "" {
		q.Cursor = &cursor
	}
	return c.reply("listCampaigns")(c.api(token).ListCampaignsWithResponse(context.Background(), &q))
}

// inbox lists a first page of the caller's notifications.
func inbox(c *client, token string) response {
	return c.reply("listMyNotifications")(c.api(token).ListMyNotificationsWithResponse(context.Background(), &ohcsclient.ListMyNotificationsParams{}))
}

// listAppointments lists the appointments q selects.
func listAppointments(c *client, token string, q ohcsclient.ListAppointmentsParams) response {
	return c.reply("listAppointments")(c.api(token).ListAppointmentsWithResponse(context.Background(), &q))
}

// listSlots lists up to limit free slots of practitioner pid from from to to.
func listSlots(c *client, token, pid string, from, to time.Time, limit int) response {
	return c.reply("listAvailableSlots")(c.api(token).ListAvailableSlotsWithResponse(context.Background(), pid,
		&ohcsclient.ListAvailableSlotsParams{From: from, To: to, Limit: &limit}))
}
