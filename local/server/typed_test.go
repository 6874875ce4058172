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
	r, err := c.api(token).CreateBeneficiaryProfileWithResponse(context.Background(), typedBeneficiary(c.t, name))
	return c.answer(err, "createBeneficiaryProfile", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// createPractitioner creates the practitioner profile(name) as the bearer
// of token.
func createPractitioner(c *client, token, name string) response {
	r, err := c.api(token).CreatePractitionerProfileWithResponse(context.Background(), typedProfile(c.t, name))
	return c.answer(err, "createPractitionerProfile", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// verifyPractitioner decides practitioner id's verification at etag.
func verifyPractitioner(c *client, token, id, etag, decision string) response {
	r, err := c.api(token).VerifyPractitionerWithResponse(context.Background(), id, &ohcsclient.VerifyPractitionerParams{IfMatch: ifMatch(etag)},
		ohcsclient.VerificationDecision{Decision: ohcsclient.VerificationDecisionDecision(decision)})
	return c.answer(err, "verifyPractitioner", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getCampaign reads campaign id.
func getCampaign(c *client, token, id string) response {
	r, err := c.api(token).GetCampaignWithResponse(context.Background(), id)
	return c.answer(err, "getCampaign", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getMe reads the caller's account.
func getMe(c *client, token string) response {
	r, err := c.api(token).GetMeWithResponse(context.Background())
	return c.answer(err, "getMe", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// recordConsultation records the consultation body, given as the
// document's JSON, through the typed client.
func recordConsultation(c *client, token string, body map[string]any) response {
	r, err := c.api(token).RecordConsultationWithResponse(context.Background(), typedBody[ohcsclient.ConsultationCreate](c.t, "consultation", body))
	return c.answer(err, "recordConsultation", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// addEntry adds the health record entry body.
func addEntry(c *client, token string, body map[string]any) response {
	r, err := c.api(token).AddHealthRecordEntryWithResponse(context.Background(), typedBody[ohcsclient.HealthRecordEntryCreate](c.t, "entry", body))
	return c.answer(err, "addHealthRecordEntry", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// createPlan creates the treatment plan body.
func createPlan(c *client, token string, body map[string]any) response {
	r, err := c.api(token).CreateTreatmentPlanWithResponse(context.Background(), typedBody[ohcsclient.TreatmentPlanCreate](c.t, "plan", body))
	return c.answer(err, "createTreatmentPlan", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// assessRisk asks the clinical risk assessment body.
func assessRisk(c *client, token string, body map[string]any) response {
	r, err := c.api(token).AssessClinicalRiskWithResponse(context.Background(), typedBody[ohcsclient.RiskAssessmentCreate](c.t, "risk assessment", body))
	return c.answer(err, "assessClinicalRisk", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getPractitioner reads practitioner id.
func getPractitioner(c *client, token, id string) response {
	r, err := c.api(token).GetPractitionerWithResponse(context.Background(), id)
	return c.answer(err, "getPractitioner", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// createCaregiver creates the caregiver profile body.
func createCaregiver(c *client, token string, body map[string]any) response {
	r, err := c.api(token).CreateCaregiverProfileWithResponse(context.Background(), typedBody[ohcsclient.CaregiverCreate](c.t, "caregiver", body))
	return c.answer(err, "createCaregiverProfile", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// grantLink grants beneficiary ben's care link body.
func grantLink(c *client, token, ben string, body map[string]any) response {
	r, err := c.api(token).GrantCaregiverAccessWithResponse(context.Background(), ben, typedBody[ohcsclient.CareLinkGrant](c.t, "care link", body))
	return c.answer(err, "grantCaregiverAccess", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// respondLink answers beneficiary ben's care link with decision.
func respondLink(c *client, token, ben, link, decision string) response {
	r, err := c.api(token).RespondToCareLinkWithResponse(context.Background(), ben, link,
		ohcsclient.CareLinkResponse{Decision: ohcsclient.CareLinkResponseDecision(decision)})
	return c.answer(err, "respondToCareLink", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// revokeLink revokes beneficiary ben's care link.
func revokeLink(c *client, token, ben, link string) response {
	r, err := c.api(token).RevokeCaregiverAccessWithResponse(context.Background(), ben, link)
	return c.answer(err, "revokeCaregiverAccess", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// revokePractitioner revokes practitioner pid's access to beneficiary ben.
func revokePractitioner(c *client, token, ben, pid string) response {
	r, err := c.api(token).RevokePractitionerAccessWithResponse(context.Background(), ben, ohcsclient.PractitionerRevocationRequest{PractitionerId: pid})
	return c.answer(err, "revokePractitionerAccess", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// updatePlan changes treatment plan id at etag with the patch body.
func updatePlan(c *client, token, id, etag string, body map[string]any) response {
	r, err := c.api(token).UpdateTreatmentPlanWithResponse(context.Background(), id, &ohcsclient.UpdateTreatmentPlanParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.TreatmentPlanUpdate](c.t, "plan change", body))
	return c.answer(err, "updateTreatmentPlan", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// produceReport produces the health report body.
func produceReport(c *client, token string, body map[string]any) response {
	r, err := c.api(token).ProduceHealthReportWithResponse(context.Background(), typedBody[ohcsclient.HealthReportCreate](c.t, "report", body))
	return c.answer(err, "produceHealthReport", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// placeSchedule places practitioner pid's schedule body.
func placeSchedule(c *client, token, pid string, body map[string]any) response {
	r, err := c.api(token).PlaceAvailabilityScheduleWithResponse(context.Background(), pid, typedBody[ohcsclient.ScheduleCreate](c.t, "schedule", body))
	return c.answer(err, "placeAvailabilitySchedule", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getConsultation reads consultation id.
func getConsultation(c *client, token, id string) response {
	r, err := c.api(token).GetConsultationWithResponse(context.Background(), id)
	return c.answer(err, "getConsultation", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getBeneficiary reads beneficiary id.
func getBeneficiary(c *client, token, id string) response {
	r, err := c.api(token).GetBeneficiaryWithResponse(context.Background(), id)
	return c.answer(err, "getBeneficiary", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// decideVerification posts the verification decision body (the document's
// JSON) for practitioner id at etag.
func decideVerification(c *client, token, id, etag string, body map[string]any) response {
	r, err := c.api(token).VerifyPractitionerWithResponse(context.Background(), id, &ohcsclient.VerifyPractitionerParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.VerificationDecision](c.t, "verification", body))
	return c.answer(err, "verifyPractitioner", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// updatePractitioner changes practitioner id at etag with the patch body.
func updatePractitioner(c *client, token, id, etag string, body map[string]any) response {
	r, err := c.api(token).UpdatePractitionerProfileWithResponse(context.Background(), id, &ohcsclient.UpdatePractitionerProfileParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.PractitionerUpdate](c.t, "practitioner change", body))
	return c.answer(err, "updatePractitionerProfile", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// createDonor creates the donor profile body.
func createDonor(c *client, token string, body map[string]any) response {
	r, err := c.api(token).CreateDonorProfileWithResponse(context.Background(), typedBody[ohcsclient.DonorCreate](c.t, "donor", body))
	return c.answer(err, "createDonorProfile", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getGift reads donation id.
func getGift(c *client, token, id string) response {
	r, err := c.api(token).GetDonationWithResponse(context.Background(), id)
	return c.answer(err, "getDonation", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// recordPayment records donation id's payment status body at etag.
func recordPayment(c *client, token, id, etag string, body map[string]any) response {
	r, err := c.api(token).RecordDonationPaymentWithResponse(context.Background(), id, &ohcsclient.RecordDonationPaymentParams{IfMatch: ifMatch(etag)},
		typedBody[ohcsclient.PaymentStatus](c.t, "payment", body))
	return c.answer(err, "recordDonationPayment", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// sendNotification sends the notification body.
func sendNotification(c *client, token string, body map[string]any) response {
	r, err := c.api(token).SendNotificationWithResponse(context.Background(), &ohcsclient.SendNotificationParams{},
		typedBody[ohcsclient.NotificationCreate](c.t, "notification", body))
	return c.answer(err, "sendNotification", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getNotification reads sent notification id.
func getNotification(c *client, token, id string) response {
	r, err := c.api(token).GetNotificationWithResponse(context.Background(), id)
	return c.answer(err, "getNotification", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// setPreferences replaces the caller's notification preferences with body.
func setPreferences(c *client, token string, body map[string]any) response {
	r, err := c.api(token).UpdateNotificationPreferencesWithResponse(context.Background(), typedBody[ohcsclient.NotificationPreferences](c.t, "preferences", body))
	return c.answer(err, "updateNotificationPreferences", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getReport reads health report id as JSON.
func getReport(c *client, token, id string) response {
	r, err := c.api(token).GetHealthReportWithResponse(context.Background(), id)
	return c.answer(err, "getHealthReport", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// listEntries lists beneficiary ben's record entries (a first page).
func listEntries(c *client, token, ben string) response {
	r, err := c.api(token).ListHealthRecordEntriesWithResponse(context.Background(), &ohcsclient.ListHealthRecordEntriesParams{BeneficiaryId: ben})
	return c.answer(err, "listHealthRecordEntries", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// listReports lists beneficiary ben's health reports (a first page).
func listReports(c *client, token, ben string) response {
	r, err := c.api(token).ListHealthReportsWithResponse(context.Background(), &ohcsclient.ListHealthReportsParams{BeneficiaryId: ben})
	return c.answer(err, "listHealthReports", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// exportFhir exports beneficiary ben's record as a FHIR bundle.
func exportFhir(c *client, token, ben string) response {
	r, err := c.api(token).ExportHealthRecordFhirWithResponse(context.Background(), ben)
	return c.answer(err, "exportHealthRecordFhir", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// accessLog reads a first page of up to limit events of beneficiary ben's
// access log.
func accessLog(c *client, token, ben string, limit int) response {
	r, err := c.api(token).ListMyAccessLogWithResponse(context.Background(), ben, &ohcsclient.ListMyAccessLogParams{Limit: &limit})
	return c.answer(err, "listMyAccessLog", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// auditEvents lists the audit events q selects.
func auditEvents(c *client, token string, q ohcsclient.ListAuditEventsParams) response {
	r, err := c.api(token).ListAuditEventsWithResponse(context.Background(), &q)
	return c.answer(err, "listAuditEvents", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
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
	r, err := c.api(token).ProducePopulationHealthReportWithResponse(context.Background(), &q)
	return c.answer(err, "producePopulationHealthReport", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// shareArticle shares the article body.
func shareArticle(c *client, token string, body map[string]any) response {
	r, err := c.api(token).ShareMedicalKnowledgeWithResponse(context.Background(), typedBody[ohcsclient.ArticleCreate](c.t, "article", body))
	return c.answer(err, "shareMedicalKnowledge", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// getArticle reads article id as it is now.
func getArticle(c *client, token, id string) response {
	r, err := c.api(token).GetMedicalKnowledgeWithResponse(context.Background(), id, &ohcsclient.GetMedicalKnowledgeParams{})
	return c.answer(err, "getMedicalKnowledge", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// listPlans lists beneficiary ben's treatment plans of status.
func listPlans(c *client, token, ben, status string) response {
	r, err := c.api(token).ListTreatmentPlansWithResponse(context.Background(),
		&ohcsclient.ListTreatmentPlansParams{BeneficiaryId: ben, Status: ptr(ohcsclient.PlanStatus(status))})
	return c.answer(err, "listTreatmentPlans", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// listGifts lists a first page of the caller's gifts.
func listGifts(c *client, token string) response {
	r, err := c.api(token).ListMyDonationsWithResponse(context.Background(), &ohcsclient.ListMyDonationsParams{})
	return c.answer(err, "listMyDonations", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// listCampaigns lists a page of up to limit campaigns after cursor ("" for
// the first page).
func listCampaigns(c *client, token string, limit int, cursor string) response {
	q := ohcsclient.ListCampaignsParams{Limit: &limit}
	if cursor != "" {
		q.Cursor = &cursor
	}
	r, err := c.api(token).ListCampaignsWithResponse(context.Background(), &q)
	return c.answer(err, "listCampaigns", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// inbox lists a first page of the caller's notifications.
func inbox(c *client, token string) response {
	r, err := c.api(token).ListMyNotificationsWithResponse(context.Background(), &ohcsclient.ListMyNotificationsParams{})
	return c.answer(err, "listMyNotifications", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// listAppointments lists the appointments q selects.
func listAppointments(c *client, token string, q ohcsclient.ListAppointmentsParams) response {
	r, err := c.api(token).ListAppointmentsWithResponse(context.Background(), &q)
	return c.answer(err, "listAppointments", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}

// listSlots lists up to limit free slots of practitioner pid from from to to.
func listSlots(c *client, token, pid string, from, to time.Time, limit int) response {
	r, err := c.api(token).ListAvailableSlotsWithResponse(context.Background(), pid,
		&ohcsclient.ListAvailableSlotsParams{From: from, To: to, Limit: &limit})
	return c.answer(err, "listAvailableSlots", func() (*http.Response, []byte) { return r.HTTPResponse, r.Body })
}
