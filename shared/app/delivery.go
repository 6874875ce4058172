package app

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/shared/access"
	"ohcs/shared/donation"
	"ohcs/shared/dynamo"
	"ohcs/shared/notification"
	"ohcs/shared/notification/delivery"
	"ohcs/shared/outbox"
	"ohcs/shared/page"
	"ohcs/shared/people"
	"ohcs/shared/practitioner"
	"ohcs/shared/registry"
	"ohcs/shared/scheduling"
	"ohcs/shared/tables"
)

// Router is the delivery router: it turns outbox messages into
// deliveries, sending through mailer and texter.
func (p *Parts) Router(mailer notification.Mailer, texter notification.Texter) *delivery.Router {
	notices := p.NotificationStore()
	r := &delivery.Router{
		Notices:       notices,
		People:        recipients{p.People()},
		Practitioners: practitionerRecipients{p.practitionerStore()},
		Members:       members{p.registryStore()},
		Appointments:  deliveryAppointments{p.Scheduling()},
		Gifts:         gifts{p.Donations().Store},
		Now:           p.env.Now,
	}
	r.Deliverer = &notification.Deliverer{Store: notices, Mailer: mailer, Texter: texter, Now: p.env.Now,
		Defer: delivery.Defer(p.putOutbox, delivery.MessageOf)}
	return r
}

// putOutbox writes a message to the outbox once: a message already
// deferred is not written again.
func (p *Parts) putOutbox(ctx context.Context, m outbox.Message) error {
	m.CreatedAt = p.env.Now()
	table := p.env.Config.Table(tables.Outbox)
	it, err := outbox.Put(table, m)
	if err != nil {
		return err
	}
	_, err = p.env.DynamoDB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: it.Put.Item,
		ConditionExpression: it.Put.ConditionExpression})
	if dynamo.IsConditionFailed(err) {
		return nil // already deferred
	}
	return dynamo.Err(err, "defer delivery")
}

// Dispatcher is the outbox dispatcher publishing with publish and counting
// every message for the population statistics.
func (p *Parts) Dispatcher(publish func(ctx context.Context, m outbox.Message) error) *outbox.Dispatcher {
	return &outbox.Dispatcher{DB: p.env.DynamoDB, Table: p.env.Config.Table(tables.Outbox), Publish: publish,
		Observe: p.PopulationCounter().Count}
}

// recipients tells delivery about beneficiaries, caregivers and donors.
type recipients struct{ people people.Store }

var _ delivery.People = recipients{}

// Beneficiary returns a beneficiary as a recipient, known by its sign-in
// or, for a dependant without one, by its profile.
func (r recipients) Beneficiary(ctx context.Context, id string) (notification.Person, string, error) {
	b, err := r.people.GetBeneficiary(ctx, id)
	if err != nil {
		return notification.Person{}, "", err
	}
	key := b.Sub
	if key == "" {
		key = "beneficiary:" + b.ID
	}
	return notification.Person{Key: key, Sub: b.Sub, Name: b.FullName, Email: b.Email, Phone: b.Phone, Language: b.PreferredLanguage,
		TimeZone: b.TimeZone}, b.ManagedBy, nil
}

// CareLinks pages through a beneficiary's care links.
func (r recipients) CareLinks(ctx context.Context, beneficiaryID string, limit int, after map[string]string) (page.Of[access.Link], error) {
	return page.Map(people.CareLink.Policy)(r.people.LinksOfBeneficiary(ctx, beneficiaryID, limit, after))
}

// Caregiver returns a caregiver as a recipient.
func (r recipients) Caregiver(ctx context.Context, id string) (notification.Person, error) {
	c, err := r.people.GetCaregiver(ctx, id)
	return notification.Person{Key: c.Sub, Sub: c.Sub, Name: c.FullName, Email: c.Email, Phone: c.Phone, Language: "en", TimeZone: "UTC"}, err
}

// Donor returns a donor as a recipient.
func (r recipients) Donor(ctx context.Context, id string) (notification.Person, error) {
	d, err := r.people.GetDonor(ctx, id)
	return notification.Person{Key: d.Sub, Sub: d.Sub, Name: d.DisplayName, Email: d.Email, Language: "en", TimeZone: "UTC"}, err
}

// ProfileIDs pages through the ids of the profiles of a kind.
func (r recipients) ProfileIDs(ctx context.Context, kind string, limit int, after map[string]string) (page.Of[string], error) {
	return r.people.ProfileIDs(ctx, kind, limit, after)
}

// practitionerRecipients tells delivery about practitioners.
type practitionerRecipients struct {
	store interface {
		Get(ctx context.Context, id string) (practitioner.Practitioner, error)
		Verified(ctx context.Context, limit int, after map[string]string) (practitioner.Page, error)
	}
}

func practitionerPerson(p practitioner.Practitioner) notification.Person {
	lang := "en"
	if len(p.Languages) > 0 {
		lang = p.Languages[0]
	}
	return notification.Person{Key: p.Sub, Sub: p.Sub, Name: p.FullName, Email: p.Email, Phone: p.Phone, Language: lang, TimeZone: p.TimeZone}
}

// Practitioner returns a practitioner as a recipient.
func (r practitionerRecipients) Practitioner(ctx context.Context, id string) (notification.Person, error) {
	p, err := r.store.Get(ctx, id)
	return practitionerPerson(p), err
}

// Verified pages through the practitioners search finds: the verified.
func (r practitionerRecipients) Verified(ctx context.Context, limit int, after map[string]string) (page.Of[notification.Person], error) {
	p, err := r.store.Verified(ctx, limit, after)
	return page.Map(practitionerPerson)(page.Of[practitioner.Practitioner]{Items: p.Items, Next: p.Next}, err)
}

// members tells delivery about the members of organisations.
type members struct {
	store interface {
		Members(ctx context.Context, orgID, memberType string, limit int, after map[string]string) (page.Of[registry.Membership], error)
	}
}

// Members pages through an organisation's members.
func (m members) Members(ctx context.Context, orgID string, limit int, after map[string]string) (page.Of[delivery.Member], error) {
	return page.Map(member)(m.store.Members(ctx, orgID, "", limit, after))
}

func member(x registry.Membership) delivery.Member {
	return delivery.Member{Type: x.MemberType, ID: x.MemberID}
}

// deliveryAppointments tells delivery about appointments.
type deliveryAppointments struct {
	store interface {
		Get(ctx context.Context, id string) (scheduling.Appointment, error)
	}
}

// Appointment returns an appointment as delivery sees it.
func (d deliveryAppointments) Appointment(ctx context.Context, id string) (delivery.Appointment, error) {
	a, err := d.store.Get(ctx, id)
	return delivery.Appointment{PractitionerID: a.PractitionerID, BeneficiaryID: a.BeneficiaryID, Booked: a.Status == scheduling.Booked, Start: a.Start}, err
}

// gifts tells delivery about gifts.
type gifts struct{ store donation.Store }

// Gift returns a gift as its receipt needs it.
func (g gifts) Gift(ctx context.Context, id string) (delivery.Gift, error) {
	x, err := g.store.GetGift(ctx, id)
	return delivery.Gift{DonorID: x.DonorID, Currency: x.Currency, ReceiptNumber: x.ReceiptNumber, Amount: x.Amount}, err
}
