package donationhttp_test

import (
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"ohcs/shared/lambdahttp/lambdahttptest"
	"ohcs/shared/operations"
)

// TestDonationHandlers sends API Gateway events straight to the donation
// handlers: roles, validation, a donor without a profile, and gifts only to
// their donor.
func TestDonationHandlers(t *testing.T) {
	env := lambdahttptest.Env(t)
	env.NewID = func() string { return "C1" }
	campaign := `{"title":"Vaccines","description":"Cold chain","currency":"MZN","goalAmount":100000,"designation":"general","startsAt":"2026-12-01T00:00:00Z"}`
	lambdahttptest.Run(t, env, operations.All(), []lambdahttptest.Case{
		{Name: "campaign by a donor", Op: "createCampaign", Method: "POST", Path: "/v1/campaigns", Caller: lambdahttptest.Donor, Body: campaign, Status: 403},
		{Name: "campaign with a bad end", Op: "createCampaign", Method: "POST", Path: "/v1/campaigns", Caller: lambdahttptest.Administrator,
			Body: campaign[:len(campaign)-1] + `,"endsAt":"soon"}`, Status: 400, Field: "endsAt"},
		{Name: "campaign", Op: "createCampaign", Method: "POST", Path: "/v1/campaigns", Caller: lambdahttptest.Administrator, Body: campaign, Status: 201},
		{Name: "campaign read", Op: "getCampaign", Method: "GET", Path: "/v1/campaigns/C1", Params: map[string]string{"campaignId": "C1"},
			Caller: lambdahttptest.Donor, Status: 200, Check: func(t *testing.T, resp events.APIGatewayProxyResponse) {
				if etag := resp.MultiValueHeaders["Etag"]; len(etag) != 1 || etag[0] != `"1"` {
					t.Errorf("ETag: got %v; want \"1\"", resp.MultiValueHeaders)
				}
			}},
		{Name: "campaign that does not exist", Op: "getCampaign", Method: "GET", Path: "/v1/campaigns/C9", Params: map[string]string{"campaignId": "C9"},
			Caller: lambdahttptest.Donor, Status: 404},
		{Name: "gift without a donor profile", Op: "makeDonation", Method: "POST", Path: "/v1/donations", Caller: lambdahttptest.Donor,
			Header: map[string]string{"Idempotency-Key": "k-1"}, Body: `{"campaignId":"C1","amount":1000,"currency":"MZN"}`, Status: 422},
		{Name: "gift to a bad campaign id", Op: "makeDonation", Method: "POST", Path: "/v1/donations", Caller: lambdahttptest.Donor,
			Header: map[string]string{"Idempotency-Key": "k-2"}, Body: `{"campaignId":"no such!","amount":1000,"currency":"MZN"}`, Status: 400, Field: "campaignId"},
		{Name: "gift that does not exist", Op: "getDonation", Method: "GET", Path: "/v1/donations/G1", Params: map[string]string{"donationId": "G1"},
			Caller: lambdahttptest.Donor, Status: 404},
		{Name: "another donor's gifts", Op: "listMyDonations", Method: "GET", Path: "/v1/donations", Query: map[string]string{"donorId": "d2"},
			Caller: lambdahttptest.Donor, Status: 403},
	})
}
