// Package donationhttp serves campaigns and gifts over HTTP. Donors are
// found through the people store; gifts never show their donor to anyone
// but the donor and administrators.
package donationhttp

import (
	"net/http"
	"time"

	"ohcs/shared/app"
	"ohcs/shared/auth"
	"ohcs/shared/cursor"
	"ohcs/shared/donation"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/page"
	"ohcs/shared/paging"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/ratelimit"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func CreateCampaign() platform.Operation { return op((*Handlers).CreateCampaign, tables.Donations) }
func GetCampaign() platform.Operation    { return op((*Handlers).GetCampaign) }
func ListCampaigns() platform.Operation  { return op((*Handlers).ListCampaigns) }

func MakeDonation() platform.Operation {
	return op((*Handlers).Give, tables.Donations, tables.Outbox, tables.Idempotency)
}
func GetDonation() platform.Operation           { return op((*Handlers).GetGift) }
func ListMyDonations() platform.Operation       { return op((*Handlers).ListGifts) }
func RecordDonationPayment() platform.Operation { return op((*Handlers).SetStatus, tables.Donations) }

var op = platform.Ops(New, []tables.Table{tables.Donations, tables.People, tables.Idempotency})

// Handlers serves the donation operations.
type Handlers struct {
	Service *donation.Service
	Donors  donation.Donors
	Cursors *cursor.Sealer
	Limits  *ratelimit.Limiter
}

// SmallGift is the amount, in minor units, under which a gift counts as
// small; SmallGiftLimit bounds a donor's small gifts, the pattern of testing
// stolen cards.
const SmallGift = 500

var SmallGiftLimit = ratelimit.Rule{Name: "smallGifts", What: "gifts under 500 minor units", Limit: 5, Window: time.Hour}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	parts := app.Of(env)
	return &Handlers{Service: parts.Donations(), Donors: parts.Donors(),
		Cursors: env.Cursors, Limits: parts.Limits()}
}

type campaignJSON struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Description    string `json:"description"`
	Currency       string `json:"currency"`
	GoalAmount     int64  `json:"goalAmount"`
	Designation    string `json:"designation"`
	OrganizationID string `json:"organizationId,omitempty"`
	SpecialtyCode  string `json:"specialtyCode,omitempty"`
	StartsAt       string `json:"startsAt"`
	EndsAt         string `json:"endsAt,omitempty"`
	RaisedAmount   int64  `json:"raisedAmount"`
	DonorCount     int64  `json:"donorCount"`
	jsonio.Stamps
}

func campaignOut(c donation.Campaign) campaignJSON {
	return campaignJSON{ID: c.ID, Title: c.Title, Description: c.Description, Currency: c.Currency, GoalAmount: c.GoalAmount,
		Designation: c.Designation, OrganizationID: c.OrganizationID, SpecialtyCode: c.SpecialtyCode, StartsAt: jsonio.TimeOrEmpty(c.StartsAt),
		EndsAt: jsonio.TimeOrEmpty(c.EndsAt), RaisedAmount: c.RaisedAmount, DonorCount: c.DonorCount, Stamps: jsonio.StampsOf(c.CreatedAt, c.UpdatedAt, c.Version)}
}

type giftJSON struct {
	ID            string `json:"id"`
	CampaignID    string `json:"campaignId"`
	DonorID       string `json:"donorId"`
	Amount        int64  `json:"amount"`
	Currency      string `json:"currency"`
	Recurrence    string `json:"recurrence"`
	Anonymous     bool   `json:"anonymous"`
	Message       string `json:"message,omitempty"`
	Status        string `json:"status"`
	ReceiptNumber string `json:"receiptNumber"`
	jsonio.Stamps
}

func giftOut(g donation.Gift) giftJSON {
	return giftJSON{ID: g.ID, CampaignID: g.CampaignID, DonorID: g.DonorID, Amount: g.Amount, Currency: g.Currency,
		Recurrence: g.Recurrence, Anonymous: g.Anonymous, Message: g.Message, Status: string(g.Status),
		ReceiptNumber: g.ReceiptNumber, Stamps: jsonio.StampsOf(g.CreatedAt, g.UpdatedAt, g.Version)}
}

// CreateCampaign serves createCampaign.
func (h *Handlers) CreateCampaign(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Title          string `json:"title"`
		Description    string `json:"description"`
		Currency       string `json:"currency"`
		GoalAmount     int64  `json:"goalAmount"`
		Designation    string `json:"designation"`
		OrganizationID string `json:"organizationId"`
		SpecialtyCode  string `json:"specialtyCode"`
		StartsAt       string `json:"startsAt"`
		EndsAt         string `json:"endsAt"`
	}
	if _, err := lambdahttp.Input(r, &in); err != nil {
		return err
	}
	c := donation.Campaign{Title: in.Title, Description: in.Description, Currency: in.Currency, GoalAmount: in.GoalAmount,
		Designation: in.Designation, OrganizationID: in.OrganizationID, SpecialtyCode: in.SpecialtyCode}
	var l problem.FieldList
	for name, v := range map[string]struct {
		raw string
		dst *time.Time
	}{"startsAt": {in.StartsAt, &c.StartsAt}, "endsAt": {in.EndsAt, &c.EndsAt}} {
		if v.raw == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v.raw)
		if err != nil {
			l.Add(name, "must be an RFC 3339 time")
		}
		*v.dst = t.UTC()
	}
	if err := l.Err(); err != nil {
		return err
	}
	c, err := h.Service.CreateCampaign(r.Context(), c)
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/campaigns/"+c.ID, c.Version, campaignOut(c))
	return nil
}

// GetCampaign serves getCampaign.
func (h *Handlers) GetCampaign(w http.ResponseWriter, r *http.Request) error {
	_, id, err := lambdahttp.Target(r, "campaignId")
	if err != nil {
		return err
	}
	c, err := h.Service.Campaign(r.Context(), id)
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, c.Version, campaignOut(c))
	return nil
}

// ListCampaigns serves listCampaigns.
func (h *Handlers) ListCampaigns(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.FromRequest(r); err != nil {
		return err
	}
	return paging.Serve(w, r, h.Cursors, "listCampaigns", func(limit int, after map[string]string) (page.Of[donation.Campaign], error) {
		return h.Service.Campaigns(r.Context(), limit, after)
	}, campaignOut)
}

// Give serves makeDonation.
func (h *Handlers) Give(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CampaignID string `json:"campaignId"`
		Amount     int64  `json:"amount"`
		Currency   string `json:"currency"`
		Recurrence string `json:"recurrence"`
		Anonymous  *bool  `json:"anonymous"`
		Message    string `json:"message"`
	}
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	if !validate.IsID(in.CampaignID) {
		return problem.Field("campaignId", "is not an id")
	}
	d, err := h.Donors.DonorOf(r.Context(), p.Sub)
	if problem.Is(err, problem.NotFound) {
		err = problem.New(problem.Unprocessable, "create your donor profile before giving")
	}
	if err != nil {
		return err
	}
	if in.Amount > 0 && in.Amount < SmallGift {
		if err := h.Limits.Allow(r.Context(), SmallGiftLimit, d.ID); err != nil {
			return err
		}
	}
	anonymous := d.AnonymousByDefault
	if in.Anonymous != nil {
		anonymous = *in.Anonymous
	}
	g, err := h.Service.Give(r.Context(), d.ID, donation.Gift{CampaignID: in.CampaignID, Amount: in.Amount, Currency: in.Currency,
		Recurrence: in.Recurrence, Anonymous: anonymous, Message: in.Message})
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/donations/"+g.ID, g.Version, giftOut(g))
	return nil
}

// visible returns the gift if p is its donor or an administrator; 404
// otherwise.
func (h *Handlers) visible(r *http.Request, p auth.Principal, g donation.Gift) error {
	if p.Has(auth.Administrator) {
		return nil
	}
	if d, err := h.Donors.DonorOf(r.Context(), p.Sub); err == nil && d.ID == g.DonorID {
		return nil
	} else if err != nil && !problem.Is(err, problem.NotFound) {
		return err
	}
	return problem.New(problem.NotFound, "no donation %s", g.ID)
}

// GetGift serves getDonation.
func (h *Handlers) GetGift(w http.ResponseWriter, r *http.Request) error {
	p, id, err := lambdahttp.Target(r, "donationId")
	if err != nil {
		return err
	}
	g, err := h.Service.Gift(r.Context(), id)
	if err == nil {
		err = h.visible(r, p, g)
	}
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, g.Version, giftOut(g))
	return nil
}

// ListGifts serves listMyDonations.
func (h *Handlers) ListGifts(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	donorID := r.URL.Query().Get("donorId")
	switch {
	case donorID != "" && !validate.IsID(donorID):
		return problem.Field("donorId", "is not an id")
	case donorID != "" && !p.Has(auth.Administrator):
		return problem.New(problem.Forbidden, "only administrators list another donor's gifts")
	case donorID == "" && p.Has(auth.Donor):
		d, err := h.Donors.DonorOf(r.Context(), p.Sub)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		donorID = d.ID
	case donorID == "":
		return problem.Field("donorId", "administrators name the donor")
	}
	scope := "listMyDonations\x1f" + donorID
	return paging.Serve(w, r, h.Cursors, scope, func(limit int, after map[string]string) (page.Of[donation.Gift], error) {
		if donorID == "" {
			return page.Of[donation.Gift]{}, nil // a donor without a profile has given nothing
		}
		return h.Service.Gifts(r.Context(), donorID, limit, after)
	}, giftOut)
}

// SetStatus serves recordDonationPayment.
func (h *Handlers) SetStatus(w http.ResponseWriter, r *http.Request) error {
	_, id, version, err := lambdahttp.Change(r, "donationId")
	if err != nil {
		return err
	}
	var in struct {
		Status string `json:"status"`
	}
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	st := donation.Status(in.Status)
	if st != donation.Received && st != donation.Refunded && st != donation.Cancelled {
		return problem.Field("status", "must be received, refunded or cancelled")
	}
	g, err := h.Service.SetStatus(r.Context(), id, st, version)
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, g.Version, giftOut(g))
	return nil
}
