package clinicalhttp_test

import (
	"testing"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestClinicalHandlers sends API Gateway events straight to the clinical
// handlers: validation, and records nobody may read answered as absent.
func TestClinicalHandlers(t *testing.T) {
	env := lambdahttptest.Env(t)
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "a consultation that does not exist", Op: "getConsultation", Method: "GET", Path: "/v1/consultations/K1",
			Params: map[string]string{"consultationId": "K1"}, Caller: lambdahttptest.Beneficiary, Status: 404},
		{Name: "consultations of nobody", Op: "listConsultations", Method: "GET", Path: "/v1/consultations", Caller: lambdahttptest.Beneficiary, Status: 400, Field: "beneficiaryId"},
		{Name: "consultations of another", Op: "listConsultations", Method: "GET", Path: "/v1/consultations", Caller: lambdahttptest.Beneficiary,
			Query: map[string]string{"beneficiaryId": "B2"}, Status: 404},
		{Name: "a follow-up of no days", Op: "recordConsultation", Method: "POST", Path: "/v1/consultations", Caller: lambdahttptest.Practitioner,
			Body: `{"appointmentId":"A1","summary":"s","followUpInDays":0}`, Status: 400, Field: "followUpInDays"},
		{Name: "a consultation without a practitioner profile", Op: "recordConsultation", Method: "POST", Path: "/v1/consultations", Caller: lambdahttptest.Practitioner,
			Body: `{"appointmentId":"A1","summary":"s"}`, Status: 404},
		{Name: "a consultation by a beneficiary", Op: "recordConsultation", Method: "POST", Path: "/v1/consultations", Caller: lambdahttptest.Beneficiary,
			Body: `{"appointmentId":"A1","summary":"s"}`, Status: 403},
		{Name: "a report of a bad period", Op: "produceHealthReport", Method: "POST", Path: "/v1/health-reports", Caller: lambdahttptest.Practitioner,
			Body: `{"beneficiaryId":"B1","periodStart":"2026-02-30","periodEnd":"2026-03-01"}`, Status: 400, Field: "periodStart"},
		{Name: "a report without access", Op: "produceHealthReport", Method: "POST", Path: "/v1/health-reports", Caller: lambdahttptest.Practitioner,
			Body: `{"beneficiaryId":"B1","periodStart":"2026-01-01","periodEnd":"2026-03-01"}`, Status: 404},
		{Name: "an export without access", Op: "exportHealthRecordFhir", Method: "GET", Path: "/v1/beneficiaries/B1/fhir",
			Params: map[string]string{"beneficiaryId": "B1"}, Caller: lambdahttptest.Beneficiary, Status: 404},
	})
}
