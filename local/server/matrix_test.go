package server_test

import (
	"iter"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"ohcs/openapi"
)

// callers of the matrix, each with its role.
var callers = []struct{ name, role string }{
	{"none", ""},
	{"practitioner", "practitioner"}, {"practitioner-other", "practitioner"},
	{"beneficiary", "beneficiary"}, {"beneficiary-other", "beneficiary"},
	{"caregiver", "caregiver"}, {"caregiver-other", "caregiver"}, {"caregiver-book", "caregiver"},
	{"caregiver-revoked", "caregiver"}, {"caregiver-manager", "caregiver"},
	{"donor", "donor"}, {"administrator", "administrator"},
}

type request struct {
	method, path string
	body         any
	header       map[string]string
}

// row is one request of the matrix and the status each caller whose role
// the document allows must get. Callers whose role the document does not
// list must get 403, and "none" 401, without being written down.
type row struct {
	name    string
	mutates bool
	build   func(w *world) request
	want    map[string]int
}

func get(path func(w *world) string) func(w *world) request {
	return func(w *world) request { return request{method: "GET", path: path(w)} }
}

// matrix has an entry for every operation of the document.
var matrix = map[string][]row{
	"getMe": {{name: "me", build: get(func(*world) string { return "/v1/me" }),
		want: all(200)}},
	"createPractitionerProfile": {{name: "second profile", build: func(w *world) request {
		return request{"POST", "/v1/practitioners", profile("Dr Again"), nil}
	}, want: map[string]int{"practitioner": 409, "practitioner-other": 409}}},
	"findPractitioners": {{name: "find", build: get(func(*world) string { return "/v1/practitioners?limit=5" }),
		want: all(200)}},
	"getPractitioner": {{name: "verified", build: get(func(w *world) string { return "/v1/practitioners/" + w.P }),
		want: all(200)}},
	"updatePractitionerProfile": {{name: "own or another's", mutates: true, build: func(w *world) request {
		return request{"PATCH", "/v1/practitioners/" + w.P, map[string]any{"bio": "x"}, map[string]string{"If-Match": w.pracVer}}
	}, want: map[string]int{"practitioner": 200, "practitioner-other": 403}}},
	"verifyPractitioner": {{name: "decision", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/practitioners/" + w.P + "/verification", map[string]any{"decision": "rejected"}, map[string]string{"If-Match": w.pracVer}}
	}, want: map[string]int{"administrator": 200}}},
	"createBeneficiaryProfile": {{name: "second own profile", build: func(w *world) request {
		return request{"POST", "/v1/beneficiaries", beneficiaryBody("Again"), nil}
	}, want: map[string]int{"beneficiary": 409, "beneficiary-other": 409, "caregiver": 403, "caregiver-other": 403,
		"caregiver-book": 403, "caregiver-revoked": 403, "caregiver-manager": 403}}},
	"getBeneficiary": {
		{name: "own account", build: get(func(w *world) string { return "/v1/beneficiaries/" + w.B }),
			want: map[string]int{"beneficiary": 200, "beneficiary-other": 404, "caregiver": 200, "caregiver-other": 404,
				"caregiver-book": 200, "caregiver-revoked": 404, "caregiver-manager": 404,
				// practitioner has an appointment with B: a care relationship.
				"practitioner": 200, "practitioner-other": 404, "administrator": 200}},
		{name: "dependent", build: get(func(w *world) string { return "/v1/beneficiaries/" + w.DEP }),
			want: map[string]int{"beneficiary": 404, "beneficiary-other": 404, "caregiver": 200, "caregiver-other": 404,
				"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 200,
				"practitioner": 404, "practitioner-other": 404, "administrator": 200}},
	},
	"updateBeneficiaryProfile": {
		{name: "own account", mutates: true, build: func(w *world) request {
			return request{"PATCH", "/v1/beneficiaries/" + w.B, map[string]any{"phone": "+258849999999"}, map[string]string{"If-Match": w.benVer}}
		}, want: map[string]int{"beneficiary": 200, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
			"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}},
		{name: "dependent", mutates: true, build: func(w *world) request {
			return request{"PATCH", "/v1/beneficiaries/" + w.DEP, map[string]any{"phone": "+258849999999"}, map[string]string{"If-Match": `"1"`}}
		}, want: map[string]int{"beneficiary": 404, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
			"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 200}},
	},
	"createCaregiverProfile": {{name: "second profile", build: func(w *world) request {
		return request{"POST", "/v1/caregivers", map[string]any{"fullName": "Again", "phone": "+258843333333"}, nil}
	}, want: map[string]int{"caregiver": 409, "caregiver-other": 409, "caregiver-book": 409, "caregiver-revoked": 409, "caregiver-manager": 409}}},
	"getCaregiver": {{name: "linked caregiver", build: get(func(w *world) string { return "/v1/caregivers/" + w.C }),
		want: map[string]int{"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404,
			"caregiver-manager": 404, "beneficiary": 200, "beneficiary-other": 404, "administrator": 200}}},
	"createDonorProfile": {{name: "second profile", build: func(w *world) request {
		return request{"POST", "/v1/donors", map[string]any{"displayName": "Again", "email": "a@example.org", "country": "MZ"}, nil}
	}, want: map[string]int{"donor": 409}}},
	"grantCaregiverAccess": {
		{name: "own account", mutates: true, build: func(w *world) request {
			return request{"POST", "/v1/beneficiaries/" + w.B + "/care-links", map[string]any{"caregiverId": w.CMgr, "permissions": []string{"viewRecords"}}, nil}
		}, want: map[string]int{"beneficiary": 201, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
			"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}},
		{name: "dependent", mutates: true, build: func(w *world) request {
			return request{"POST", "/v1/beneficiaries/" + w.DEP + "/care-links", map[string]any{"caregiverId": w.C2, "permissions": []string{"bookAppointments"}}, nil}
		}, want: map[string]int{"beneficiary": 404, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
			"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 201}},
	},
	"revokeCaregiverAccess": {{name: "own account", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/beneficiaries/" + w.B + "/care-links/" + w.L + "/revocation", nil, nil}
	}, want: map[string]int{"beneficiary": 200, "beneficiary-other": 404, "caregiver": 200, "caregiver-other": 404,
		"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"respondToCareLink": {{name: "pending link", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/beneficiaries/" + w.B + "/care-links/" + w.LPend + "/response", map[string]any{"decision": "accept"}, nil}
	}, want: map[string]int{"caregiver": 404, "caregiver-other": 200, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"listCareLinks": {
		{name: "own", build: get(func(*world) string { return "/v1/care-links" }),
			want: map[string]int{"beneficiary": 200, "beneficiary-other": 200, "caregiver": 200, "caregiver-other": 200,
				"caregiver-book": 200, "caregiver-revoked": 200, "caregiver-manager": 200}},
		{name: "of a beneficiary", build: get(func(w *world) string { return "/v1/care-links?beneficiaryId=" + w.B }),
			want: map[string]int{"beneficiary": 200, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
				"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}},
	},
	"revokePractitionerAccess": {{name: "own account", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/beneficiaries/" + w.B + "/practitioner-revocations", map[string]any{"practitionerId": w.P}, nil}
	}, want: map[string]int{"beneficiary": 201, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
		"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"listMyAccessLog": {
		{name: "own account", build: get(func(w *world) string { return "/v1/beneficiaries/" + w.B + "/access-log" }),
			want: map[string]int{"beneficiary": 200, "beneficiary-other": 404, "caregiver": 200, "caregiver-other": 404,
				"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}},
		{name: "dependent", build: get(func(w *world) string { return "/v1/beneficiaries/" + w.DEP + "/access-log" }),
			want: map[string]int{"beneficiary": 404, "beneficiary-other": 404, "caregiver": 200, "caregiver-other": 404,
				"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 200}},
	},
	"placeAvailabilitySchedule": {{name: "own or another's", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/practitioners/" + w.P + "/schedules", map[string]any{"timeZone": "Africa/Maputo", "slotMinutes": 30,
			"effectiveFrom": "2030-01-01", "effectiveTo": "2030-01-31", "weeklyRules": []any{map[string]any{"dayOfWeek": "mon", "start": "09:00", "end": "12:00"}}}, nil}
	}, want: map[string]int{"practitioner": 201, "practitioner-other": 403}}},
	"listSchedules": {{name: "own or another's", build: get(func(w *world) string { return "/v1/practitioners/" + w.P + "/schedules" }),
		want: map[string]int{"practitioner": 200, "practitioner-other": 403}}},
	"listAvailableSlots": {{name: "any", build: get(func(w *world) string {
		return "/v1/practitioners/" + w.P + "/slots?from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z"
	}), want: all(200)}},
	"makeAppointment": {
		{name: "own account", mutates: true, build: func(w *world) request {
			return request{"POST", "/v1/appointments", map[string]any{"slotId": w.freeSlot(), "beneficiaryId": w.B, "mode": "video"}, nil}
		}, want: map[string]int{"beneficiary": 201, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
			"caregiver-book": 201, "caregiver-revoked": 404, "caregiver-manager": 404}},
		{name: "dependent", mutates: true, build: func(w *world) request {
			return request{"POST", "/v1/appointments", map[string]any{"slotId": w.freeSlot(), "beneficiaryId": w.DEP, "mode": "video"}, nil}
		}, want: map[string]int{"beneficiary": 404, "beneficiary-other": 404, "caregiver": 404, "caregiver-other": 404,
			"caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 201}},
	},
	"getAppointment": {{name: "of the beneficiary", build: get(func(w *world) string { return "/v1/appointments/" + w.A }),
		want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
			"caregiver": 200, "caregiver-other": 404, "caregiver-book": 200, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"listAppointments": {
		{name: "own", build: get(func(*world) string { return "/v1/appointments" }),
			want: map[string]int{"practitioner": 200, "practitioner-other": 200, "beneficiary": 200, "beneficiary-other": 200,
				"caregiver": 400, "caregiver-other": 400, "caregiver-book": 400, "caregiver-revoked": 400, "caregiver-manager": 400}},
		{name: "of a beneficiary", build: get(func(w *world) string { return "/v1/appointments?beneficiaryId=" + w.B }),
			want: map[string]int{"practitioner": 404, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
				"caregiver": 200, "caregiver-other": 404, "caregiver-book": 200, "caregiver-revoked": 404, "caregiver-manager": 404}},
	},
	"cancelAppointment": {{name: "a fresh appointment", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/appointments/" + w.freshAppointment() + "/cancellation", map[string]any{"reason": "cannot come"}, map[string]string{"If-Match": `"1"`}}
	}, want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 404, "caregiver-other": 404, "caregiver-book": 200, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"rescheduleAppointment": {{name: "a fresh appointment", mutates: true, build: func(w *world) request {
		id := w.freshAppointment()
		return request{"POST", "/v1/appointments/" + id + "/reschedule", map[string]any{"newSlotId": w.freeSlot()}, map[string]string{"If-Match": `"1"`}}
	}, want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 404, "caregiver-other": 404, "caregiver-book": 200, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"updateAppointmentStatus": {{name: "before the start", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/appointments/" + w.A + "/status", map[string]any{"status": "completed"}, map[string]string{"If-Match": `"1"`}}
	}, want: map[string]int{"practitioner": 422, "practitioner-other": 404}}},
	"createCampaign": {{name: "create", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/campaigns", map[string]any{"title": "T", "description": "D", "currency": "EUR", "goalAmount": 100,
			"designation": "general", "startsAt": "2026-01-01T00:00:00Z"}, nil}
	}, want: map[string]int{"administrator": 201}}},
	"getCampaign":   {{name: "any", build: get(func(w *world) string { return "/v1/campaigns/" + w.Camp }), want: all(200)}},
	"listCampaigns": {{name: "any", build: get(func(*world) string { return "/v1/campaigns" }), want: all(200)}},
	"makeDonation": {{name: "give", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/donations", map[string]any{"campaignId": w.Camp, "amount": 500, "currency": "EUR"}, nil}
	}, want: map[string]int{"donor": 201}}},
	"getDonation": {{name: "the donor's", build: get(func(w *world) string { return "/v1/donations/" + w.G }),
		want: map[string]int{"donor": 200, "administrator": 200}}},
	"listMyDonations": {{name: "own", build: get(func(*world) string { return "/v1/donations" }),
		want: map[string]int{"donor": 200, "administrator": 400}}},
	"recordDonationPayment": {{name: "received", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/donations/" + w.G + "/payment", map[string]any{"status": "received"}, map[string]string{"If-Match": `"1"`}}
	}, want: map[string]int{"administrator": 200}}},
	"createOrganization": {{name: "create", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/organizations", map[string]any{"name": "N", "kind": "ngo", "country": "MZ"}, nil}
	}, want: map[string]int{"administrator": 201}}},
	"addMembership": {{name: "add a caregiver", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/organizations/" + w.O + "/members", map[string]any{"memberType": "caregiver", "memberId": w.C}, nil}
	}, want: map[string]int{"administrator": 201}}},
	"removeMembership": {{name: "remove the beneficiary", mutates: true, build: func(w *world) request {
		return request{"DELETE", "/v1/organizations/" + w.O + "/members/beneficiary/" + w.B, nil, nil}
	}, want: map[string]int{"administrator": 200}}},
	"listOrganizationMembers": {{name: "members see practitioners", build: get(func(w *world) string { return "/v1/organizations/" + w.O + "/members" }),
		want: map[string]int{"administrator": 200, "practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
			"caregiver": 404, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404, "donor": 404}}},
	"listMyMemberships": {{name: "own", build: get(func(*world) string { return "/v1/memberships" }), want: all(200)}},
	"shareMedicalKnowledge": {{name: "share", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/knowledge", map[string]any{"title": "T", "summary": "S", "body": "B", "language": "en"}, nil}
	}, want: map[string]int{"practitioner": 201, "practitioner-other": 201}}},
	"updateMedicalKnowledge": {{name: "own or another's", mutates: true, build: func(w *world) request {
		return request{"PATCH", "/v1/knowledge/" + w.K, map[string]any{"summary": "New summary"}, map[string]string{"If-Match": `"1"`}}
	}, want: map[string]int{"practitioner": 200, "practitioner-other": 403}}},
	"retractMedicalKnowledge": {{name: "own or another's", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/knowledge/" + w.K + "/retraction", nil, map[string]string{"If-Match": `"1"`}}
	}, want: map[string]int{"practitioner": 200, "practitioner-other": 403, "administrator": 200}}},
	"getMedicalKnowledge": {
		{name: "public", build: get(func(w *world) string { return "/v1/knowledge/" + w.K }), want: func() map[string]int {
			m := all(200)
			m["none"] = 200
			return m
		}()},
		{name: "for practitioners", build: get(func(w *world) string { return "/v1/knowledge/" + w.K2 }), want: map[string]int{"none": 404,
			"practitioner": 200, "practitioner-other": 200, "administrator": 200, "beneficiary": 404, "beneficiary-other": 404,
			"caregiver": 404, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404, "donor": 404}},
	},
	"searchMedicalKnowledge": {{name: "any", build: get(func(*world) string { return "/v1/knowledge/search?q=rehydration" }), want: func() map[string]int {
		m := all(200)
		m["none"] = 200
		return m
	}()}},
	"sendNotification": {{name: "to a patient", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/notifications", map[string]any{"recipients": map[string]any{"beneficiaryIds": []string{w.B}},
			"subject": "S", "message": "M", "channels": []string{"inApp"}}, nil}
	}, want: map[string]int{"practitioner": 202, "practitioner-other": 404, "administrator": 202}}},
	"getNotification": {{name: "another's", build: get(func(*world) string { return "/v1/notifications/01NOSUCHNOTICE" }),
		want: map[string]int{"practitioner": 404, "practitioner-other": 404, "administrator": 404}}},
	"listMyNotifications": {{name: "own", build: get(func(*world) string { return "/v1/me/notifications" }), want: all(200)}},
	"markNotificationRead": {{name: "not in the inbox", build: func(*world) request {
		return request{"POST", "/v1/notifications/01NOSUCHNOTICE/read", nil, nil}
	}, want: all(404)}},
	"updateNotificationPreferences": {{name: "own", mutates: true, build: func(*world) request {
		return request{"PUT", "/v1/me/notification-preferences", map[string]any{"channels": map[string]bool{"sms": false}}, nil}
	}, want: all(200)}},
	"recordConsultation": {{name: "of the appointment", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/consultations", map[string]any{"appointmentId": w.A, "summary": "Seen."}, nil}
	}, want: map[string]int{"practitioner": 201, "practitioner-other": 404}}},
	"getConsultation": {{name: "of B", build: func(w *world) request { return request{"GET", "/v1/consultations/" + w.consultation(), nil, nil} },
		want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
			"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"listConsultations": {{name: "of B", build: get(func(w *world) string { return "/v1/consultations?beneficiaryId=" + w.B }), want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"addHealthRecordEntry": {{name: "to B", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/health-record-entries", map[string]any{"beneficiaryId": w.B, "kind": "note", "note": "n", "recordedAt": "2026-01-01T00:00:00Z"}, nil}
	}, want: map[string]int{"practitioner": 201, "practitioner-other": 404, "beneficiary": 201, "beneficiary-other": 404}}},
	"getHealthRecordEntry": {{name: "of B", build: func(w *world) request { return request{"GET", "/v1/health-record-entries/" + w.entry(), nil, nil} },
		want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
			"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"listHealthRecordEntries": {{name: "of B", build: get(func(w *world) string { return "/v1/health-record-entries?beneficiaryId=" + w.B }), want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"createTreatmentPlan": {{name: "for B", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/treatment-plans", map[string]any{"beneficiaryId": w.B, "title": "t", "period": map[string]any{"start": "2026-12-01"}}, nil}
	}, want: map[string]int{"practitioner": 201, "practitioner-other": 404}}},
	"updateTreatmentPlan": {{name: "its author", mutates: true, build: func(w *world) request {
		return request{"PATCH", "/v1/treatment-plans/" + w.plan(), map[string]any{"title": "t2"}, map[string]string{"If-Match": `"1"`}}
	}, want: map[string]int{"practitioner": 200, "practitioner-other": 404}}},
	"getTreatmentPlan": {{name: "of B", build: func(w *world) request { return request{"GET", "/v1/treatment-plans/" + w.plan(), nil, nil} },
		want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
			"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"listTreatmentPlans": {{name: "of B", build: get(func(w *world) string { return "/v1/treatment-plans?beneficiaryId=" + w.B }), want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"assessClinicalRisk": {{name: "of B", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/risk-assessments", map[string]any{"beneficiaryId": w.B, "vitals": map[string]any{"respiratoryRate": 16, "spo2": 97,
			"supplementalOxygen": false, "systolicBloodPressure": 120, "pulse": 70, "consciousness": "alert", "temperature": 37}}, nil}
	}, want: map[string]int{"practitioner": 201, "practitioner-other": 404}}},
	"produceHealthReport": {{name: "of B", mutates: true, build: func(w *world) request {
		return request{"POST", "/v1/health-reports", map[string]any{"beneficiaryId": w.B, "periodStart": "2026-01-01", "periodEnd": "2026-12-31"}, nil}
	}, want: map[string]int{"practitioner": 201, "practitioner-other": 404}}},
	"getHealthReport": {{name: "of B", build: func(w *world) request { return request{"GET", "/v1/health-reports/" + w.report(), nil, nil} }, want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"listHealthReports": {{name: "of B", build: get(func(w *world) string { return "/v1/health-reports?beneficiaryId=" + w.B }), want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"exportHealthRecordFhir": {{name: "of B", build: get(func(w *world) string { return "/v1/beneficiaries/" + w.B + "/fhir" }), want: map[string]int{"practitioner": 200, "practitioner-other": 404, "beneficiary": 200, "beneficiary-other": 404,
		"caregiver": 200, "caregiver-other": 404, "caregiver-book": 404, "caregiver-revoked": 404, "caregiver-manager": 404}}},
	"producePopulationHealthReport": {{name: "all", build: get(func(w *world) string {
		return "/v1/population-health-report?periodStart=2026-01-01&periodEnd=2026-12-31"
	}), want: map[string]int{"administrator": 200}}},
	"listAuditEvents": {{name: "by beneficiary", build: get(func(w *world) string { return "/v1/audit-events?beneficiaryId=" + w.B }),
		want: map[string]int{"administrator": 200}}},
}

func all(status int) map[string]int {
	m := map[string]int{}
	for _, c := range callers {
		if c.role != "" {
			m[c.name] = status
		}
	}
	return m
}

// TestAuthorizationMatrix sends every operation of the document as every
// kind of caller and checks the status. An operation without an entry
// fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	c := start(t, nil)
	doc := document(t)
	shared := newWorld(t, c)
	for _, op := range openapi.Operations(doc) {
		rows, ok := matrix[op.ID]
		if !ok {
			t.Errorf("%s has no entry in the authorization matrix", op.ID)
			continue
		}
		for _, rw := range rows {
			t.Run(op.ID+"/"+rw.name, func(t *testing.T) {
				w := shared
				if rw.mutates {
					w = newWorld(t, c)
				}
				// The one caller a mutating row lets through goes last.
				order := slices.Clone(callers)
				slices.SortStableFunc(order, func(a, b struct{ name, role string }) int {
					return boolInt(rw.want[a.name] < 300 && rw.want[a.name] > 0) - boolInt(rw.want[b.name] < 300 && rw.want[b.name] > 0)
				})
				for _, caller := range order {
					want := 0
					switch {
					case caller.role == "" && op.Public:
						s, ok := rw.want["none"]
						if !ok {
							t.Errorf("a public operation needs the status without a token")
							continue
						}
						want = s
					case caller.role == "":
						want = http.StatusUnauthorized
					case !slices.Contains(op.Roles, caller.role):
						want = http.StatusForbidden
						if s, ok := rw.want[caller.name]; ok && s != want {
							t.Errorf("%s: the table says %d but the document does not allow role %s", caller.name, s, caller.role)
						}
					default:
						s, ok := rw.want[caller.name]
						if !ok {
							t.Errorf("%s: no expected status for an allowed role", caller.name)
							continue
						}
						want = s
					}
					req := rw.build(w)
					if got := w.status(caller.name, req.method, req.path, req.body, req.header); got != want {
						t.Errorf("%s %s as %s: got %d; want %d", req.method, strings.SplitN(req.path, "?", 2)[0], caller.name, got, want)
					}
				}
			})
		}
	}
}

// permitted yields every operation of doc that has a matrix entry, with a
// caller its first row lets through (operations that row lets no one use
// are left out).
func permitted(doc *openapi3.T) iter.Seq2[openapi.Operation, string] {
	return func(yield func(openapi.Operation, string) bool) {
		for _, op := range openapi.Operations(doc) {
			if rows := matrix[op.ID]; len(rows) > 0 {
				if caller := allowedCaller(op, rows[0]); caller != "" && !yield(op, caller) {
					return
				}
			}
		}
	}
}

// allowedCaller returns the first caller the row lets through (a 2xx) whose
// role the document allows op, or "" when there is none.
func allowedCaller(op openapi.Operation, rw row) string {
	for _, cl := range callers {
		if s := rw.want[cl.name]; s >= 200 && s < 300 && (cl.role == "" && op.Public || slices.Contains(op.Roles, cl.role)) {
			return cl.name
		}
	}
	return ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
