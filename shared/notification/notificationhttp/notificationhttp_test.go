package notificationhttp_test

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestNotificationHandlers sends API Gateway events straight to the
// notification handlers: who may send to whom, validation, preferences
// and inboxes.
func TestNotificationHandlers(t *testing.T) {
	env := lambdahttptest.Env(t)
	key := func(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "send by a beneficiary", Op: "sendNotification", Method: "POST", Path: "/v1/notifications", Caller: lambdahttptest.Beneficiary, Header: key("k1"),
			Body: `{"recipients":{"role":"donor"},"subject":"s","message":"m","channels":["inApp"]}`, Status: 403},
		{Name: "two audiences", Op: "sendNotification", Method: "POST", Path: "/v1/notifications", Caller: lambdahttptest.Administrator, Header: key("k2"),
			Body: `{"recipients":{"role":"donor","organizationId":"O1"},"subject":"s","message":"m","channels":["inApp"]}`, Status: 400, Field: "recipients"},
		{Name: "a practitioner to a role", Op: "sendNotification", Method: "POST", Path: "/v1/notifications", Caller: lambdahttptest.Practitioner, Header: key("k3"),
			Body: `{"recipients":{"role":"donor"},"subject":"s","message":"m","channels":["inApp"]}`, Status: 403},
		{Name: "a practitioner to a beneficiary it does not care for", Op: "sendNotification", Method: "POST", Path: "/v1/notifications",
			Caller: lambdahttptest.Practitioner, Header: key("k4"), Body: `{"recipients":{"beneficiaryIds":["B1"]},"subject":"s","message":"m","channels":["inApp"]}`, Status: 404},
		{Name: "to an organisation that does not exist", Op: "sendNotification", Method: "POST", Path: "/v1/notifications", Caller: lambdahttptest.Administrator,
			Header: key("k5"), Body: `{"recipients":{"organizationId":"O1"},"subject":"s","message":"m","channels":["inApp"]}`, Status: 404},
		{Name: "to administrators", Op: "sendNotification", Method: "POST", Path: "/v1/notifications", Caller: lambdahttptest.Administrator, Header: key("k6"),
			Body: `{"recipients":{"role":"administrator"},"subject":"s","message":"m","channels":["inApp"]}`, Status: 422},
		{Name: "to donors", Op: "sendNotification", Method: "POST", Path: "/v1/notifications", Caller: lambdahttptest.Administrator, Header: key("k7"),
			Body: `{"recipients":{"role":"donor"},"subject":"s","message":"m","channels":["inApp"]}`, Status: 202},
		{Name: "a notice that does not exist", Op: "getNotification", Method: "GET", Path: "/v1/notifications/N1",
			Params: map[string]string{"notificationId": "N1"}, Caller: lambdahttptest.Administrator, Status: 404},
		{Name: "preferences with a bad channel", Op: "updateNotificationPreferences", Method: "PUT", Path: "/v1/me/notification-preferences",
			Caller: lambdahttptest.Beneficiary, Body: `{"channels":{"pigeon":true}}`, Status: 400, Field: "channels.pigeon"},
		{Name: "preferences", Op: "updateNotificationPreferences", Method: "PUT", Path: "/v1/me/notification-preferences", Caller: lambdahttptest.Beneficiary,
			Body: `{"channels":{"sms":false},"quietHours":{"start":"22:00","end":"06:00"},"timeZone":"Africa/Maputo"}`, Status: 200,
			Check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				var p struct {
					Channels   map[string]bool
					QuietHours map[string]string
				}
				lambdahttptest.Decode(t, resp, &p)
				if p.Channels["sms"] || !p.Channels["email"] || p.QuietHours["start"] != "22:00" {
					t.Errorf("preferences: got %+v; want sms off, email on, quiet from 22:00", p)
				}
			}},
		{Name: "inbox with a bad filter", Op: "listMyNotifications", Method: "GET", Path: "/v1/me/notifications", Caller: lambdahttptest.Beneficiary,
			Query: map[string]string{"unread": "maybe"}, Status: 400, Field: "unread"},
		{Name: "inbox", Op: "listMyNotifications", Method: "GET", Path: "/v1/me/notifications", Caller: lambdahttptest.Beneficiary, Status: 200},
		{Name: "mark an absent notice read", Op: "markNotificationRead", Method: "POST", Path: "/v1/notifications/N1/read",
			Params: map[string]string{"notificationId": "N1"}, Caller: lambdahttptest.Beneficiary, Status: 404},
	})
}
