package schedulinghttp_test

import (
	"testing"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestSchedulingHandlers sends API Gateway events straight to the
// scheduling handlers: validation of windows, slots and statuses, and
// appointments nobody may see answered as absent.
func TestSchedulingHandlers(t *testing.T) {
	env := lambdahttptest.Env(t)
	p := map[string]string{"practitionerId": "P1"}
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "slots of a practitioner that does not exist", Op: "listAvailableSlots", Method: "GET", Path: "/v1/practitioners/P1/slots", Params: p,
			Caller: lambdahttptest.Beneficiary, Query: map[string]string{"from": "2026-12-02T00:00:00Z", "to": "2026-12-03T00:00:00Z"}, Status: 404},
		{Name: "slots with a bad window", Op: "listAvailableSlots", Method: "GET", Path: "/v1/practitioners/P1/slots", Params: p,
			Caller: lambdahttptest.Beneficiary, Query: map[string]string{"from": "tomorrow", "to": "2026-12-03T00:00:00Z"}, Status: 400, Field: "from"},
		{Name: "booking a slot that is not one", Op: "makeAppointment", Method: "POST", Path: "/v1/appointments", Caller: lambdahttptest.Beneficiary,
			Header: map[string]string{"Idempotency-Key": "k1"}, Body: `{"slotId":"nonsense","beneficiaryId":"B1","mode":"video"}`, Status: 400, Field: "slotId"},
		{Name: "an appointment that does not exist", Op: "getAppointment", Method: "GET", Path: "/v1/appointments/A1",
			Params: map[string]string{"appointmentId": "A1"}, Caller: lambdahttptest.Beneficiary, Status: 404},
		{Name: "appointments of a bad status", Op: "listAppointments", Method: "GET", Path: "/v1/appointments", Caller: lambdahttptest.Practitioner,
			Query: map[string]string{"status": "lost"}, Status: 400, Field: "status"},
		{Name: "a schedule by a practitioner without a profile", Op: "placeAvailabilitySchedule", Method: "POST", Path: "/v1/practitioners/P1/schedules",
			Params: p, Caller: lambdahttptest.Practitioner, Body: `{"timeZone":"Africa/Maputo","slotMinutes":30,"effectiveFrom":"2026-12-01",
			"weeklyRules":[{"dayOfWeek":"mon","start":"08:00","end":"12:00","modes":["video"]}]}`, Status: 404},
		{Name: "a schedule by a beneficiary", Op: "placeAvailabilitySchedule", Method: "POST", Path: "/v1/practitioners/P1/schedules",
			Params: p, Caller: lambdahttptest.Beneficiary, Body: `{}`, Status: 403},
	})
}
