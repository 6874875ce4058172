// Package delivery turns outbox messages into deliveries: it expands a
// notice's audience (beneficiaries and their caregivers with
// receiveNotifications, an organisation's members, verified practitioners),
// renders the automatic notices in each recipient's language, checks that a
// reminder's appointment still stands, and hands each person and channel to
// the Deliverer. The dispatcher publishes the messages; this package is what
// the subscribed function (or, locally, the in-process topic) runs.
package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/notification"
	"ohcs/shared/outbox"
	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// People are the people a message can reach, as delivery sees them.
type People interface {
	// Beneficiary returns a beneficiary as a recipient and the id of the
	// caregiver that manages it ("" for none); NotFound.
	Beneficiary(ctx context.Context, id string) (notification.Person, string, error)
	// CareLinks pages through a beneficiary's care links, as the access
	// policy reads them.
	CareLinks(ctx context.Context, beneficiaryID string, limit int, after map[string]string) (page.Of[access.Link], error)
	// Caregiver returns a caregiver as a recipient; NotFound.
	Caregiver(ctx context.Context, id string) (notification.Person, error)
	// Donor returns a donor as a recipient; NotFound.
	Donor(ctx context.Context, id string) (notification.Person, error)
	// ProfileIDs pages through the ids of the profiles of a kind
	// (BENEFICIARY, CAREGIVER, DONOR).
	ProfileIDs(ctx context.Context, kind string, limit int, after map[string]string) (page.Of[string], error)
}

// Practitioners are the practitioners a message can reach.
type Practitioners interface {
	// Practitioner returns a practitioner as a recipient (with NotFound,
	// a recipient without a key, whom nothing reaches).
	Practitioner(ctx context.Context, id string) (notification.Person, error)
	// Verified pages through the verified practitioners as recipients.
	Verified(ctx context.Context, limit int, after map[string]string) (page.Of[notification.Person], error)
}

// Member is a member of an organisation.
type Member struct {
	Type string // practitioner, beneficiary or caregiver
	ID   string
}

// Members are the members of organisations.
type Members interface {
	// Members pages through an organisation's members.
	Members(ctx context.Context, orgID string, limit int, after map[string]string) (page.Of[Member], error)
}

// Appointment is what delivery needs of an appointment.
type Appointment struct {
	PractitionerID, BeneficiaryID string
	Booked                        bool // booked, neither cancelled nor done
	Start                         time.Time
}

// Appointments tells delivery about appointments.
type Appointments interface {
	// Appointment returns an appointment; NotFound.
	Appointment(ctx context.Context, id string) (Appointment, error)
}

// Gift is what a receipt needs of a gift.
type Gift struct {
	DonorID, Currency, ReceiptNumber string
	Amount                           int64 // minor units
}

// Gifts tells delivery about gifts.
type Gifts interface {
	// Gift returns a gift; NotFound.
	Gift(ctx context.Context, id string) (Gift, error)
}

// Router delivers outbox messages.
type Router struct {
	Notices       notification.Store
	Deliverer     *notification.Deliverer
	People        People
	Practitioners Practitioners
	Members       Members
	Appointments  Appointments
	Gifts         Gifts
	Now           func() time.Time
}

// Handle delivers one message. Delivering it again sends nothing twice.
func (r *Router) Handle(ctx context.Context, m outbox.Message) error {
	switch m.Kind {
	case outbox.NotificationSent:
		n, err := r.Notices.Get(ctx, m.NotificationID)
		if err != nil {
			return err
		}
		people, err := r.audience(ctx, n)
		if err != nil {
			return err
		}
		if n.RecipientCount == 0 && len(people) > 0 && (n.Role != "" || n.OrganizationID != "") {
			if err := r.Notices.AddRecipients(ctx, n.ID, len(people)); err != nil {
				return err
			}
		}
		return r.send(ctx, m, n, people, nil)
	case outbox.AppointmentBooked, outbox.AppointmentCancelled, outbox.AppointmentRescheduled, outbox.AppointmentReminder:
		return r.appointment(ctx, m)
	case outbox.DonationReceipt:
		return r.receipt(ctx, m)
	}
	return fmt.Errorf("unknown outbox message kind %q", m.Kind)
}

// send delivers n to people, or only to the deferred recipient and channel
// the message names.
func (r *Router) send(ctx context.Context, m outbox.Message, n notification.Notification, people []notification.Person, render func(notification.Person) (string, string)) error {
	if m.Recipient != "" {
		for _, p := range people {
			if p.Key == m.Recipient {
				return r.Deliverer.Deliver(ctx, n, p, notification.Channel(m.Channel), render, true)
			}
		}
		return nil
	}
	return r.Deliverer.DeliverAll(ctx, n, people, render)
}

// Defer returns the Deliverer's Defer: a copy of the message for one
// recipient and channel, due when the quiet hours end.
func Defer(put func(ctx context.Context, m outbox.Message) error, source func(ctx context.Context) (outbox.Message, bool)) func(context.Context, notification.Notification, notification.Person, notification.Channel, time.Time) error {
	return func(ctx context.Context, n notification.Notification, p notification.Person, ch notification.Channel, at time.Time) error {
		m, ok := source(ctx)
		if !ok {
			m = outbox.Message{Kind: outbox.NotificationSent, NotificationID: n.ID}
		}
		sum := sha256.Sum256([]byte(m.ID + "|" + p.Key + "|" + string(ch)))
		m.ID, m.NotificationID, m.Recipient, m.Channel, m.DueAt = hex.EncodeToString(sum[:12]), n.ID, p.Key, string(ch), at
		return put(ctx, m)
	}
}

type messageKey struct{}

// WithMessage returns ctx carrying the message being delivered, for Defer.
func WithMessage(ctx context.Context, m outbox.Message) context.Context {
	return context.WithValue(ctx, messageKey{}, m)
}

// MessageOf returns the message of ctx.
func MessageOf(ctx context.Context) (outbox.Message, bool) {
	m, ok := ctx.Value(messageKey{}).(outbox.Message)
	return m, ok
}

// audience expands a notice's recipients.
func (r *Router) audience(ctx context.Context, n notification.Notification) ([]notification.Person, error) {
	var out []notification.Person
	seen := map[string]bool{}
	add := func(ps ...notification.Person) {
		for _, p := range ps {
			if !seen[p.Key] {
				seen[p.Key] = true
				out = append(out, p)
			}
		}
	}
	for _, id := range n.BeneficiaryIDs {
		ps, err := r.beneficiary(ctx, id)
		if err != nil {
			return nil, err
		}
		add(ps...)
	}
	if n.OrganizationID != "" {
		members := func(after map[string]string) (page.Of[Member], error) {
			return r.Members.Members(ctx, n.OrganizationID, 100, after)
		}
		if err := everyPage(members, func(m Member) error {
			ps, err := r.member(ctx, m)
			add(ps...)
			return err
		}); err != nil {
			return nil, err
		}
	}
	if kind, ok := map[string]string{"beneficiary": "BENEFICIARY", "caregiver": "CAREGIVER", "donor": "DONOR"}[n.Role]; ok {
		profiles := func(after map[string]string) (page.Of[string], error) {
			return r.People.ProfileIDs(ctx, kind, 100, after)
		}
		if err := everyPage(profiles, func(id string) error {
			var ps []notification.Person
			var err error
			switch kind {
			case "BENEFICIARY":
				ps, err = r.beneficiary(ctx, id)
			case "CAREGIVER":
				ps, err = r.member(ctx, Member{Type: "caregiver", ID: id})
			case "DONOR":
				var d notification.Person
				if d, err = r.donor(ctx, id); d.Key != "" {
					ps = []notification.Person{d}
				}
			}
			add(ps...)
			return err
		}); err != nil {
			return nil, err
		}
	}
	if n.Role == "practitioner" {
		verified := func(after map[string]string) (page.Of[notification.Person], error) {
			return r.Practitioners.Verified(ctx, 100, after)
		}
		if err := everyPage(verified, func(p notification.Person) error { add(p); return nil }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r *Router) member(ctx context.Context, m Member) ([]notification.Person, error) {
	var p notification.Person
	var err error
	switch m.Type {
	case "beneficiary":
		return r.beneficiary(ctx, m.ID)
	case "caregiver":
		p, err = r.People.Caregiver(ctx, m.ID)
	case "practitioner":
		p, err = r.Practitioners.Practitioner(ctx, m.ID)
	default:
		return nil, nil
	}
	if problem.Is(err, problem.NotFound) {
		return nil, nil
	}
	return []notification.Person{p}, err
}

// beneficiary returns the beneficiary and its caregivers with
// receiveNotifications (the managing caregiver of a dependent holds it).
func (r *Router) beneficiary(ctx context.Context, id string) ([]notification.Person, error) {
	b, managedBy, err := r.People.Beneficiary(ctx, id)
	if problem.Is(err, problem.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := []notification.Person{b}
	cgs := map[string]bool{}
	if managedBy != "" {
		cgs[managedBy] = true
	}
	now := r.Now()
	links := func(after map[string]string) (page.Of[access.Link], error) {
		return r.People.CareLinks(ctx, id, 100, after)
	}
	if err := everyPage(links, func(l access.Link) error {
		if l.Grants(access.ReceiveNotifications, now) {
			cgs[l.CaregiverID] = true
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for id := range cgs {
		p, err := r.People.Caregiver(ctx, id)
		if problem.Is(err, problem.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		// A caregiver is told in the beneficiary's language and zone.
		p.Language, p.TimeZone = b.Language, b.TimeZone
		out = append(out, p)
	}
	return out, nil
}

// automatic creates (once) the notice of an automatic message.
func (r *Router) automatic(ctx context.Context, m outbox.Message, subject string, channels []notification.Channel) (notification.Notification, error) {
	n := notification.Notification{ID: m.ID, Kind: string(m.Kind), Subject: subject, Message: subject, Channels: channels,
		Priority: "normal", CreatedAt: m.CreatedAt}
	if m.Kind == outbox.AppointmentReminder {
		// A reminder is one per appointment and time, however many
		// messages ask for it (an appointment moved away and back wrote
		// two): its notification, by which each recipient and channel is
		// delivered once, is named after them.
		sum := sha256.Sum256([]byte(m.AppointmentID + "|reminder|" + m.DueAt.UTC().Truncate(time.Minute).Format(time.RFC3339)))
		n.ID = "R" + hex.EncodeToString(sum[:])[:25]
	}
	if m.Recipient != "" {
		return r.Notices.Get(ctx, m.NotificationID)
	}
	if err := r.Notices.Create(ctx, n, ""); err != nil && !problem.Is(err, problem.Conflict) {
		return n, err
	}
	return n, nil
}

func (r *Router) appointment(ctx context.Context, m outbox.Message) error {
	a, err := r.Appointments.Appointment(ctx, m.AppointmentID)
	if problem.Is(err, problem.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	// A reminder fires only for an appointment still booked at the time it
	// was written for: none for a cancelled or moved one.
	if m.Kind == outbox.AppointmentReminder && (!a.Booked || a.Start.Sub(m.DueAt.Add(24*time.Hour)).Abs() > time.Minute) {
		return nil
	}
	prac, err := r.Practitioners.Practitioner(ctx, a.PractitionerID)
	if err != nil && !problem.Is(err, problem.NotFound) {
		return err
	}
	bens, err := r.beneficiary(ctx, a.BeneficiaryID)
	if err != nil {
		return err
	}
	if len(bens) == 0 {
		return nil
	}
	recipients := append([]notification.Person{prac}, bens...)
	render := func(p notification.Person) (string, string) {
		loc, err := time.LoadLocation(p.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		return notification.Render(string(m.Kind), p.Language, map[string]string{
			"practitioner": prac.Name, "beneficiary": bens[0].Name,
			"time": a.Start.In(loc).Format("2006-01-02 15:04 MST"),
		})
	}
	subject, _ := notification.Render(string(m.Kind), "en", nil)
	n, err := r.automatic(ctx, m, subject, notification.Channels)
	if err != nil {
		return err
	}
	return r.send(ctx, m, n, recipients, render)
}

func (r *Router) receipt(ctx context.Context, m outbox.Message) error {
	g, err := r.Gifts.Gift(ctx, m.DonationID)
	if problem.Is(err, problem.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	d, err := r.donor(ctx, g.DonorID)
	if err != nil || d.Key == "" {
		return err
	}
	render := func(p notification.Person) (string, string) {
		return notification.Render("donationReceipt", p.Language, map[string]string{
			"amount": fmt.Sprintf("%d.%02d", g.Amount/100, g.Amount%100), "currency": g.Currency, "receipt": g.ReceiptNumber,
		})
	}
	subject, _ := notification.Render("donationReceipt", "en", nil)
	n, err := r.automatic(ctx, m, subject, []notification.Channel{notification.InApp, notification.Email})
	if err != nil {
		return err
	}
	return r.send(ctx, m, n, []notification.Person{d}, render)
}

// donor returns the donor of id as a recipient; none when it is gone.
func (r *Router) donor(ctx context.Context, id string) (notification.Person, error) {
	d, err := r.People.Donor(ctx, id)
	if problem.Is(err, problem.NotFound) {
		return notification.Person{}, nil
	}
	return d, err
}

// everyPage hands each item of every page list returns to each, page after
// page from the first, until a page names no next one; the first error
// ends it.
func everyPage[T any](list func(after map[string]string) (page.Of[T], error), each func(T) error) error {
	var after map[string]string
	for {
		p, err := list(after)
		if err != nil {
			return err
		}
		for _, it := range p.Items {
			if err := each(it); err != nil {
				return err
			}
		}
		if p.Next == nil {
			return nil
		}
		after = p.Next
	}
}
