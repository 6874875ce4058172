// Package donation owns fundraising: campaigns with exact totals, gifts in
// integer minor units of the campaign's currency, their payment status, and
// gap-free yearly receipt numbers. Its Store (donationdb) keeps a gift, the
// campaign's totals and the receipt counter in one transaction.
package donation

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Status is a gift's payment state.
type Status string

// The statuses: a gift is pledged, then received, refunded or cancelled.
const (
	Pledged   Status = "pledged"
	Received  Status = "received"
	Refunded  Status = "refunded"
	Cancelled Status = "cancelled"
)

// Counted reports whether a gift in status s counts in the campaign's
// totals: pledged and received gifts do, refunded and cancelled ones not.
func (s Status) Counted() bool { return s == Pledged || s == Received }

// next lists the statuses each status may move to.
var next = map[Status][]Status{
	Pledged:  {Received, Cancelled},
	Received: {Refunded, Cancelled},
}

// Limits of DOMAIN.md.
const (
	MinAmount = 1
	MaxAmount = 100_000_000
)

// Campaign is a fundraising campaign.
type Campaign struct {
	ID             string
	Title          string
	Description    string
	Currency       string
	GoalAmount     int64
	Designation    string
	OrganizationID string
	SpecialtyCode  string
	StartsAt       time.Time
	EndsAt         time.Time
	RaisedAmount   int64
	DonorCount     int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Version        int64
}

// Gift is a donation.
type Gift struct {
	ID            string
	CampaignID    string
	DonorID       string
	Amount        int64
	Currency      string
	Recurrence    string
	Anonymous     bool
	Message       string
	Status        Status
	ReceiptNumber string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int64
}

// Pledge is a monthly gift's schedule: the gift it started from and when
// the next one is due.
type Pledge struct {
	ID        string // the first gift's id
	Gift      Gift   // the first gift, as a template
	NextDueAt time.Time
}

// MonthGiftID is the id of a pledge's gift for the month of due: the same
// every time it is computed, so a repeated run creates nothing twice.
func MonthGiftID(pledgeID string, due time.Time) string {
	return pledgeID + "-" + due.UTC().Format("200601")
}

// Store keeps campaigns and gifts.
type Store interface {
	// CreateCampaign stores a campaign with zero totals.
	CreateCampaign(ctx context.Context, c Campaign) error
	// GetCampaign returns a campaign with its totals; NotFound.
	GetCampaign(ctx context.Context, id string) (Campaign, error)
	// ListCampaigns pages through campaigns, newest first.
	ListCampaigns(ctx context.Context, limit int, after map[string]string) (page.Of[Campaign], error)
	// Give stores a gift with the next receipt number of its year, adds it
	// to the campaign's totals and writes its receipt message, in one
	// transaction; it returns the gift with its receipt number. NotFound
	// when the campaign is gone.
	Give(ctx context.Context, g Gift) (Gift, error)
	// DuePledges returns the monthly pledges whose next gift is due at now.
	DuePledges(ctx context.Context, now time.Time, limit int) ([]Pledge, error)
	// GiveFromPledge creates the pledge's gift for its due month and
	// advances the pledge, in one transaction with the totals and the
	// receipt; Conflict when that month's gift already exists.
	GiveFromPledge(ctx context.Context, p Pledge, g Gift) (Gift, error)
	// EndPledge ends a pledge for good (its gift was cancelled or
	// refunded, or its campaign ended), if it is still at its due date.
	EndPledge(ctx context.Context, p Pledge) error
	// GetGift returns a gift; NotFound.
	GetGift(ctx context.Context, id string) (Gift, error)
	// ListGifts pages through a donor's gifts, newest first.
	ListGifts(ctx context.Context, donorID string, limit int, after map[string]string) (page.Of[Gift], error)
	// SetStatus stores updated and takes it out of the campaign's totals
	// when it stops counting, in one transaction; PreconditionFailed when
	// old is no longer the stored version.
	SetStatus(ctx context.Context, old, updated Gift) error
}

// Donor is what donations know of a donor's profile.
type Donor struct {
	ID                 string
	AnonymousByDefault bool
}

// Donors tells the donor profile of a signed-in person.
type Donors interface {
	// DonorOf returns the donor profile of sub; NotFound.
	DonorOf(ctx context.Context, sub string) (Donor, error)
}

// Service is the donation domain's logic.
type Service struct {
	Store Store
	Now   func() time.Time
	NewID func() string
}

// Campaign returns a campaign with its totals; NotFound.
func (s *Service) Campaign(ctx context.Context, id string) (Campaign, error) {
	return s.Store.GetCampaign(ctx, id)
}

// Campaigns pages through campaigns, newest first.
func (s *Service) Campaigns(ctx context.Context, limit int, after map[string]string) (page.Of[Campaign], error) {
	return s.Store.ListCampaigns(ctx, limit, after)
}

// Gift returns a gift; NotFound.
func (s *Service) Gift(ctx context.Context, id string) (Gift, error) {
	return s.Store.GetGift(ctx, id)
}

// Gifts pages through a donor's gifts, newest first.
func (s *Service) Gifts(ctx context.Context, donorID string, limit int, after map[string]string) (page.Of[Gift], error) {
	return s.Store.ListGifts(ctx, donorID, limit, after)
}

// CreateCampaign opens a campaign. Invalid.
func (s *Service) CreateCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	var l problem.FieldList
	validate.Text(&l, "title", c.Title, true, 200)
	validate.Text(&l, "description", c.Description, true, 4000)
	validate.Currency(&l, "currency", c.Currency)
	if c.GoalAmount < 1 || c.GoalAmount > 1_000_000_000_000 {
		l.Add("goalAmount", "must be a positive amount in minor units")
	}
	if !slices.Contains([]string{"general", "program", "specialty"}, c.Designation) {
		l.Add("designation", "must be one of general, program, specialty")
	}
	validate.Text(&l, "organizationId", c.OrganizationID, false, 64)
	validate.Text(&l, "specialtyCode", c.SpecialtyCode, false, 64)
	if c.Designation == "specialty" && c.SpecialtyCode == "" {
		l.Add("specialtyCode", "is required for a specialty campaign")
	}
	if c.StartsAt.IsZero() {
		l.Add("startsAt", "is required")
	}
	if !c.EndsAt.IsZero() && !c.EndsAt.After(c.StartsAt) {
		l.Add("endsAt", "must be after startsAt")
	}
	if err := l.Err(); err != nil {
		return Campaign{}, err
	}
	now := s.Now().UTC()
	c.ID, c.RaisedAmount, c.DonorCount, c.CreatedAt, c.UpdatedAt, c.Version = s.NewID(), 0, 0, now, now, 1
	if err := s.Store.CreateCampaign(ctx, c); err != nil {
		return Campaign{}, err
	}
	return c, nil
}

// Give makes a gift of donorID. Invalid (amount, currency not the
// campaign's), NotFound (campaign), Unprocessable (campaign closed).
func (s *Service) Give(ctx context.Context, donorID string, g Gift) (Gift, error) {
	var l problem.FieldList
	if g.Amount < MinAmount || g.Amount > MaxAmount {
		l.Add("amount", "must be from %d to %d minor units", MinAmount, MaxAmount)
	}
	validate.Currency(&l, "currency", g.Currency)
	if g.Recurrence == "" {
		g.Recurrence = "once"
	}
	if g.Recurrence != "once" && g.Recurrence != "monthly" {
		l.Add("recurrence", "must be once or monthly")
	}
	validate.Text(&l, "message", g.Message, false, 500)
	if err := l.Err(); err != nil {
		return Gift{}, err
	}
	c, err := s.Store.GetCampaign(ctx, g.CampaignID)
	if problem.Is(err, problem.NotFound) {
		return Gift{}, problem.Field("campaignId", "no campaign has this id")
	}
	if err != nil {
		return Gift{}, err
	}
	if g.Currency != c.Currency {
		return Gift{}, problem.Field("currency", "must be the campaign's currency, %s", c.Currency)
	}
	now := s.Now().UTC()
	if now.Before(c.StartsAt) || (!c.EndsAt.IsZero() && !now.Before(c.EndsAt)) {
		return Gift{}, problem.New(problem.Unprocessable, "the campaign is not open for gifts")
	}
	g.ID, g.DonorID, g.Status, g.CreatedAt, g.UpdatedAt, g.Version = s.NewID(), donorID, Pledged, now, now, 1
	return s.Store.Give(ctx, g)
}

// SetStatus records a payment outcome at version ifMatch. The gift's
// current status again is a no-op. PreconditionFailed, Unprocessable.
func (s *Service) SetStatus(ctx context.Context, id string, status Status, ifMatch int64) (Gift, error) {
	old, err := s.Store.GetGift(ctx, id)
	if err != nil {
		return Gift{}, err
	}
	if old.Status == status {
		return old, nil
	}
	if old.Version != ifMatch {
		return Gift{}, problem.New(problem.PreconditionFailed, "the gift is at version %d, not %d: read it again", old.Version, ifMatch)
	}
	if !slices.Contains(next[old.Status], status) {
		return Gift{}, problem.New(problem.Unprocessable, "a %s gift cannot become %s", old.Status, status)
	}
	g := old
	g.Status, g.UpdatedAt, g.Version = status, s.Now().UTC(), old.Version+1
	if err := s.Store.SetStatus(ctx, old, g); err != nil {
		return Gift{}, err
	}
	return g, nil
}

// ReceiptNumber formats the n-th receipt of a year.
func ReceiptNumber(year int, n int64) string { return fmt.Sprintf("%d-%06d", year, n) }

// GiveDue creates the gifts of the monthly pledges due at now, each at most
// once per month, and returns how many it created. A scheduled function
// runs it.
func (s *Service) GiveDue(ctx context.Context, now time.Time) (int, error) {
	created := 0
	failed := map[string]error{}
	seen := map[string]bool{}
	for {
		due, err := s.Store.DuePledges(ctx, now, 25+len(seen))
		if err != nil {
			return created, err
		}
		progress := false
		for _, p := range due {
			// Each pledge is its own unit of work, once per run: one that
			// fails is reported and retried by the next run, and never
			// stops the others.
			if seen[p.ID] {
				continue
			}
			seen[p.ID], progress = true, true
			done, err := s.givePledge(ctx, p, now)
			if err != nil {
				failed[p.ID] = err
				continue
			}
			if done {
				created++
			}
		}
		if !progress {
			var errs []error
			for id, err := range failed {
				errs = append(errs, fmt.Errorf("pledge %s: %w", id, err))
			}
			return created, errors.Join(errs...)
		}
	}
}

// givePledge gives one pledge's due gift, or ends the pledge when its gift
// no longer counts (cancelled or refunded) or its campaign has ended; it
// reports whether it gave.
func (s *Service) givePledge(ctx context.Context, p Pledge, now time.Time) (bool, error) {
	first, err := s.Store.GetGift(ctx, p.ID)
	if err != nil && !problem.Is(err, problem.NotFound) {
		return false, err
	}
	if err != nil || first.Status == Cancelled || first.Status == Refunded {
		return false, s.Store.EndPledge(ctx, p)
	}
	c, err := s.Store.GetCampaign(ctx, p.Gift.CampaignID)
	if err != nil && !problem.Is(err, problem.NotFound) {
		return false, err
	}
	if err != nil || (!c.EndsAt.IsZero() && !p.NextDueAt.Before(c.EndsAt)) {
		return false, s.Store.EndPledge(ctx, p)
	}
	g := p.Gift
	g.ID, g.Status, g.CreatedAt, g.UpdatedAt, g.Version = MonthGiftID(p.ID, p.NextDueAt), Pledged, now, now, 1
	_, err = s.Store.GiveFromPledge(ctx, p, g)
	switch {
	case err == nil:
		return true, nil
	case problem.Is(err, problem.Conflict):
		// Already given this month by an earlier run.
		return false, nil
	}
	return false, err
}

// NextMonthly is the monthly due date after current of a pledge made at
// anchor: the anchor's day of the month and time of day, clamped to the
// month's last day (a pledge of January 31 falls due February 28, then
// March 31), never Go's overflow into the next month.
func NextMonthly(anchor, current time.Time) time.Time {
	anchor, current = anchor.UTC(), current.UTC()
	months := (current.Year()-anchor.Year())*12 + int(current.Month()-anchor.Month()) + 1
	first := time.Date(anchor.Year(), anchor.Month()+time.Month(months), 1, anchor.Hour(), anchor.Minute(), anchor.Second(), anchor.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(anchor.Day(), last)-1)
}
