package app

import (
	"context"

	"ohcs/shared/clinical"
	"ohcs/shared/donation"
	"ohcs/shared/population"
	"ohcs/shared/population/populationdb"
	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
	"ohcs/shared/registry"
)

// PopulationStore is the store of the population counters.
func (p *Parts) PopulationStore() *populationdb.Store {
	return populationdb.NewStore(p.env)
}

// PopulationCounter turns outbox messages into the population counters.
func (p *Parts) PopulationCounter() *population.Counter {
	return &population.Counter{Store: p.PopulationStore(), Sources: populationSources{
		practitioners: p.Practitioners().Store, memberships: p.registryStore(),
		consultations: p.Clinical().Store, gifts: p.Donations().Store}}
}

// Population is the population report service.
func (p *Parts) Population() *population.Service {
	return &population.Service{Store: p.PopulationStore(), Organizations: organizations{p.registryStore()}, Now: p.env.Now}
}

// populationSources tells the population counters about an event's
// practitioner, consultation or gift.
type populationSources struct {
	practitioners practitioner.Store
	memberships   interface {
		MembershipsOf(ctx context.Context, m registry.Member) ([]registry.Membership, error)
	}
	consultations interface {
		Consultation(ctx context.Context, id string) (clinical.Consultation, error)
	}
	gifts donation.Store
}

var _ population.Sources = populationSources{}

// Practitioner returns a practitioner as the counters see it: its first
// specialty, its region, its organisations.
func (s populationSources) Practitioner(ctx context.Context, id string) (population.Practitioner, error) {
	p, err := s.practitioners.Get(ctx, id)
	if err != nil {
		return population.Practitioner{}, err
	}
	out := population.Practitioner{Region: p.Profile.Location.Address.Region}
	if len(p.Profile.Specialties) > 0 {
		out.Specialty = p.Profile.Specialties[0].Code
	}
	ms, err := s.memberships.MembershipsOf(ctx, registry.Member{Type: "practitioner", ID: id})
	if err != nil {
		return population.Practitioner{}, err
	}
	for _, m := range ms {
		out.Organizations = append(out.Organizations, m.OrganizationID)
	}
	return out, nil
}

// Consultation returns a consultation as the counters see it.
func (s populationSources) Consultation(ctx context.Context, id string) (population.Consultation, error) {
	c, err := s.consultations.Consultation(ctx, id)
	if err != nil {
		return population.Consultation{}, err
	}
	out := population.Consultation{PractitionerID: c.PractitionerID}
	for _, d := range c.Diagnoses {
		out.DiagnosisCodes = append(out.DiagnosisCodes, d.Code)
	}
	return out, nil
}

// Gift returns a gift as the counters see it, with its campaign's
// organisation (none when the campaign is gone).
func (s populationSources) Gift(ctx context.Context, id string) (population.Gift, error) {
	g, err := s.gifts.GetGift(ctx, id)
	if err != nil {
		return population.Gift{}, err
	}
	camp, err := s.gifts.GetCampaign(ctx, g.CampaignID)
	if err != nil && !problem.Is(err, problem.NotFound) {
		return population.Gift{}, err
	}
	return population.Gift{Currency: g.Currency, Amount: g.Amount, OrganizationID: camp.OrganizationID}, nil
}
