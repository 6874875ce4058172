package server_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"ohcs/openapi/ohcsclient"
)

func campaign(t testing.TB, c *client, admin, currency string) string {
	t.Helper()
	r, err := c.api(admin).CreateCampaignWithResponse(context.Background(), ohcsclient.CampaignCreate{Title: "Vaccines for Gaza province",
		Description: "Cold chain and outreach.", Currency: currency, GoalAmount: 1000000, Designation: ohcsclient.CampaignCreateDesignationGeneral,
		StartsAt: time.Now().UTC().Add(-time.Hour).Truncate(time.Second)})
	answered(t, r.StatusCode(), r.Body, err, http.StatusCreated, "campaign")
	return r.JSON201.Id
}

func donor(t testing.TB, c *client, sub string) string {
	t.Helper()
	tok := c.token(sub, "donor")
	r, err := c.api(tok).CreateDonorProfileWithResponse(context.Background(), ohcsclient.DonorCreate{DisplayName: sub, Email: ohcsclient.Email(sub + "@example.org"), Country: "PT"})
	answered(t, r.StatusCode(), r.Body, err, 201, "donor")
	return tok
}

func give(c *client, tok, campaignID string, amount int, currency string, header map[string]string) response {
	return c.reply("makeDonation")(c.api(tok).MakeDonationWithResponse(context.Background(), nil,
		ohcsclient.DonationCreate{CampaignId: campaignID, Amount: int64(amount), Currency: currency}, withHeader(header)))
}

// TestDonationAcceptance: a campaign in EUR; 25.00 EUR twice with one key
// and once with another: two gifts, 50.00 raised, two receipts; USD is 400.
func TestDonationAcceptance(t *testing.T) {
	c := start(t, nil)
	admin := c.token("admin", "administrator")
	id := campaign(t, c, admin, "EUR")
	tok := donor(t, c, "ana-donor")
	key := map[string]string{"Idempotency-Key": "gift-1"}
	first := give(c, tok, id, 2500, "EUR", key)
	again := give(c, tok, id, 2500, "EUR", key)
	other := give(c, tok, id, 2500, "EUR", map[string]string{"Idempotency-Key": "gift-2"})
	if first.Status != 201 || again.Status != 201 || other.Status != 201 {
		t.Fatalf("gifts: %d %d %d", first.Status, again.Status, other.Status)
	}
	g1, g2 := first.json(t), other.json(t)
	if again.json(t)["id"] != g1["id"] || g1["id"] == g2["id"] || g1["status"] != "pledged" {
		t.Errorf("idempotent gift: %v / %v / %v", g1, again.json(t), g2)
	}
	if g1["receiptNumber"] == g2["receiptNumber"] {
		t.Errorf("one receipt for two gifts")
	}
	camp := getCampaign(c, tok, id).json(t)
	if camp["raisedAmount"] != float64(5000) || camp["donorCount"] != float64(1) {
		t.Errorf("campaign totals: %v %v; want 5000 and 1", camp["raisedAmount"], camp["donorCount"])
	}
	assertField(t, give(c, tok, id, 2500, "USD", nil), "currency")
	assertField(t, give(c, tok, id, 0, "EUR", nil), "amount")
	assertField(t, c.call("POST", "/v1/donations", tok, map[string]any{"campaignId": id, "amount": 10.5, "currency": "EUR"}, nil), "amount")

	// Privacy: another donor sees neither gift; the campaign shows sums only.
	stranger := donor(t, c, "bea-donor")
	assertProblem(t, getGift(c, stranger, g1["id"].(string)), http.StatusNotFound)
	if r := getGift(c, admin, g1["id"].(string)); r.Status != 200 {
		t.Errorf("administrator reads the gift: %d", r.Status)
	}
	mine := listGifts(c, tok).json(t)
	if n := len(mine["items"].([]any)); n != 2 {
		t.Errorf("my donations: %d; want 2", n)
	}

	// Refunds and cancellations leave the totals, once.
	gid := g1["id"].(string)
	pay := func(status, version string) response {
		return recordPayment(c, admin, gid, version, map[string]any{"status": status})
	}
	if r := pay("received", `"1"`); r.Status != 200 {
		t.Fatalf("received: %d %s", r.Status, r.Body)
	}
	if r := pay("refunded", `"2"`); r.Status != 200 {
		t.Fatalf("refunded: %d %s", r.Status, r.Body)
	}
	if r := pay("refunded", `"2"`); r.Status != 200 {
		t.Errorf("refund twice: %d; want 200 (no change)", r.Status)
	}
	assertProblem(t, pay("received", `"3"`), http.StatusUnprocessableEntity)
	camp = getCampaign(c, tok, id).json(t)
	if camp["raisedAmount"] != float64(2500) || camp["donorCount"] != float64(1) {
		t.Errorf("after one refund: %v %v; want 2500 and 1", camp["raisedAmount"], camp["donorCount"])
	}
	gid = g2["id"].(string)
	if r := pay("received", `"1"`); r.Status != 200 {
		t.Fatalf("received: %d", r.Status)
	}
	if r := pay("cancelled", `"2"`); r.Status != 200 {
		t.Fatalf("cancel a received gift: %d", r.Status)
	}
	camp = getCampaign(c, tok, id).json(t)
	if camp["raisedAmount"] != float64(0) || camp["donorCount"] != float64(0) {
		t.Errorf("after refund and cancel: %v %v; want 0 and 0", camp["raisedAmount"], camp["donorCount"])
	}
}

// TestConcurrentGifts: 40 gifts at once; exact totals, consecutive receipts.
func TestConcurrentGifts(t *testing.T) {
	c := start(t, nil)
	admin := c.token("admin", "administrator")
	id := campaign(t, c, admin, "MZN")
	var toks []string
	for i := range 10 {
		toks = append(toks, donor(t, c, fmt.Sprintf("donor-%d", i)))
	}
	var mu sync.Mutex
	var receipts []string
	sum := 0
	var wg sync.WaitGroup
	for i := range 40 {
		amount := 100 + i*37
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := give(c, toks[i%len(toks)], id, amount, "MZN", nil)
			mu.Lock()
			defer mu.Unlock()
			if r.Status != 201 {
				t.Errorf("gift %d: %d %s", i, r.Status, r.Body)
				return
			}
			receipts = append(receipts, r.json(t)["receiptNumber"].(string))
			sum += amount
		}()
	}
	wg.Wait()
	camp := getCampaign(c, admin, id).json(t)
	if camp["raisedAmount"] != float64(sum) || camp["donorCount"] != float64(10) {
		t.Errorf("totals: %v %v; want %d and 10", camp["raisedAmount"], camp["donorCount"], sum)
	}
	sort.Strings(receipts)
	year := time.Now().UTC().Year()
	var want []string
	for i := 1; i <= 40; i++ {
		want = append(want, fmt.Sprintf("%d-%06d", year, i))
	}
	if !slices.Equal(receipts, want) {
		t.Errorf("receipts: %v; want 1 to 40 without gap or repeat", receipts)
	}
}

// TestRegistry: organisations and memberships, through the client
// generated from the document.
func TestRegistry(t *testing.T) {
	c, w := startWorld(t)
	ctx := context.Background()
	admin := c.api(w.tokens["administrator"])
	created, err := admin.CreateOrganizationWithResponse(ctx, ohcsclient.OrganizationCreate{Name: "Centro de Saúde da Polana", Kind: ohcsclient.OrganizationCreateKindFacility, Country: "MZ"})
	answered(t, created.StatusCode(), created.Body, err, 201, "org")
	org := created.JSON201.Id
	add := func(kind ohcsclient.MemberType, id, role string) *ohcsclient.AddMembershipResponse {
		t.Helper()
		in := ohcsclient.MembershipCreate{MemberType: kind, MemberId: id}
		if role != "" {
			in.Role = &role
		}
		r, err := admin.AddMembershipWithResponse(ctx, org, in)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := add(ohcsclient.MemberTypePractitioner, w.P, "nurse")
	answered(t, r.StatusCode(), r.Body, nil, 201, "add practitioner")
	r = add(ohcsclient.MemberTypeBeneficiary, w.B, "")
	answered(t, r.StatusCode(), r.Body, nil, 201, "add beneficiary")
	r = add(ohcsclient.MemberTypeBeneficiary, w.B, "")
	assertProblem(t, problemOf(r.StatusCode(), r.HTTPResponse.Header, r.Body), http.StatusConflict)
	r = add(ohcsclient.MemberTypeCaregiver, w.B, "")
	assertField(t, problemOf(r.StatusCode(), r.HTTPResponse.Header, r.Body), "memberId")
	members := func(token string) *ohcsclient.ListOrganizationMembersResponse {
		t.Helper()
		r, err := c.api(token).ListOrganizationMembersWithResponse(ctx, org, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	all := members(w.tokens["administrator"])
	answered(t, all.StatusCode(), all.Body, nil, 200, "members")
	if n := len(all.JSON200.Items); n != 2 {
		t.Errorf("administrator sees %d members; want 2", n)
	}
	seen := members(w.tokens["beneficiary"])
	answered(t, seen.StatusCode(), seen.Body, nil, 200, "members as member")
	if items := seen.JSON200.Items; len(items) != 1 || items[0].MemberType != ohcsclient.MemberTypePractitioner {
		t.Errorf("a member sees %v; want only the practitioner", items)
	}
	other := members(w.tokens["beneficiary-other"])
	assertProblem(t, problemOf(other.StatusCode(), other.HTTPResponse.Header, other.Body), http.StatusNotFound)
	mine, err := c.api(w.tokens["practitioner"]).ListMyMembershipsWithResponse(ctx)
	answered(t, mine.StatusCode(), mine.Body, err, 200, "mine")
	found := false
	for _, m := range mine.JSON200.Items {
		found = found || (m.OrganizationId == org && m.Role != nil && *m.Role == "nurse")
	}
	if n := len(mine.JSON200.Items); n != 2 || !found {
		t.Errorf("my memberships (the world's organisation and this one): %v", mine.JSON200.Items)
	}
	removed, err := admin.RemoveMembershipWithResponse(ctx, org, ohcsclient.MemberTypePractitioner, w.P)
	answered(t, removed.StatusCode(), removed.Body, err, 200, "remove")
	again, err := admin.RemoveMembershipWithResponse(ctx, org, ohcsclient.MemberTypePractitioner, w.P)
	if err != nil {
		t.Fatal(err)
	}
	assertProblem(t, problemOf(again.StatusCode(), again.HTTPResponse.Header, again.Body), http.StatusNotFound)
}

// TestAnonymousDonorStaysHidden: an anonymous gift's donor appears in
// nothing another caller can read: not the campaign, the campaign list,
// the population report, nor the gift itself (another donor gets 404).
func TestAnonymousDonorStaysHidden(t *testing.T) {
	c, w := startWorld(t)
	tok := c.token("anonymous-donor", "donor")
	donor := w.must(createDonor(c, tok, map[string]any{"displayName": "Benfeitora Secreta", "email": "secret@example.org",
		"country": "MZ", "anonymousByDefault": true}), 201, "donor")
	gift := w.must(give(c, tok, w.Camp, 5000, "EUR", nil), 201, "gift")
	if g := w.must(getGift(c, tok, gift["id"].(string)), 200, "own gift"); g["anonymous"] != true {
		t.Fatalf("anonymousByDefault did not make the gift anonymous: %v", g)
	}
	c.dispatch()
	secrets := []string{donor["id"].(string), "Benfeitora Secreta", "secret@example.org", "anonymous-donor"}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, cl := range callers {
		if cl.name == "donor" {
			continue // gave in the open; its own reads are its own
		}
		for _, path := range []string{"/v1/campaigns/" + w.Camp, "/v1/campaigns", "/v1/population-health-report?periodStart=" + today + "&periodEnd=" + today} {
			r := c.call("GET", path, w.tokens[cl.name], nil, nil)
			for _, s := range secrets {
				if strings.Contains(string(r.Body), s) {
					t.Errorf("%s reading %s sees %q", cl.name, path, s)
				}
			}
		}
	}
	assertProblem(t, getGift(c, w.tokens["donor"], gift["id"].(string)), http.StatusNotFound)
}

// TestGiveAgainAfterCancellation: a donor whose only counted gift to a
// campaign was cancelled gives to it again at once (it was locked out:
// about 600 store requests in 200 retries, then 503 for ever).
func TestGiveAgainAfterCancellation(t *testing.T) {
	c, w := startWorld(t)
	camp := campaign(t, c, w.tokens["administrator"], "EUR")
	gift := w.must(give(c, w.tokens["donor"], camp, 2500, "EUR", map[string]string{"Idempotency-Key": "again-1"}), 201, "gift")
	w.must(recordPayment(c, w.tokens["administrator"], gift["id"].(string), `"1"`, map[string]any{"status": "cancelled"}), 200, "cancel")
	before := c.server.Requests.Usage("makeDonation")
	w.must(give(c, w.tokens["donor"], camp, 1000, "EUR", map[string]string{"Idempotency-Key": "again-2"}), 201, "give again")
	if u := c.server.Requests.Usage("makeDonation").Sub(before); u.Total() > 10 {
		t.Errorf("giving again took %d store requests: %v", u.Total(), u.Requests)
	}
	got := w.must(getCampaign(c, w.tokens["donor"], camp), 200, "campaign")
	if got["raisedAmount"] != float64(1000) || got["donorCount"] != float64(1) {
		t.Errorf("campaign after a cancelled gift and a new one: %v", got)
	}
}
