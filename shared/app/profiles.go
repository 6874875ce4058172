package app

import (
	"context"

	"ohcs/shared/donation"
	"ohcs/shared/people"
	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
	"ohcs/shared/registry"
)

// Profiles answers, from the people store and the practitioner directory,
// what other domains ask of a signed-in person's profiles: the id of each
// profile a sub holds, and whether a profile exists. Each consumer declares
// the few of these methods it uses.
type Profiles struct {
	people        people.Store
	practitioners *practitioner.Service
}

// BeneficiaryOf returns the beneficiary profile id of sub; NotFound.
func (p Profiles) BeneficiaryOf(ctx context.Context, sub string) (string, error) {
	b, err := p.people.BeneficiaryBySub(ctx, sub)
	return b.ID, err
}

// CaregiverOf returns the caregiver profile id of sub; NotFound.
func (p Profiles) CaregiverOf(ctx context.Context, sub string) (string, error) {
	c, err := p.people.CaregiverBySub(ctx, sub)
	return c.ID, err
}

// DonorOf returns the donor profile id of sub; NotFound.
func (p Profiles) DonorOf(ctx context.Context, sub string) (string, error) {
	d, err := p.people.DonorBySub(ctx, sub)
	return d.ID, err
}

// Donors tells donations about donors.
type donors struct{ people people.Store }

// DonorOf returns the donor profile of sub.
func (d donors) DonorOf(ctx context.Context, sub string) (donation.Donor, error) {
	p, err := d.people.DonorBySub(ctx, sub)
	return donation.Donor{ID: p.ID, AnonymousByDefault: p.AnonymousByDefault}, err
}

// PractitionerOf returns the practitioner profile id of sub; NotFound.
func (p Profiles) PractitionerOf(ctx context.Context, sub string) (string, error) {
	return p.practitioners.IDOf(ctx, sub)
}

// Exists reports whether the profile of a kind ("beneficiary",
// "caregiver", "practitioner") and id exists.
func (p Profiles) Exists(ctx context.Context, kind, id string) (bool, error) {
	var err error
	switch kind {
	case "practitioner":
		return PractitionerLookup{p.practitioners}.Exists(ctx, id)
	case "beneficiary":
		_, err = p.people.GetBeneficiary(ctx, id)
	case "caregiver":
		_, err = p.people.GetCaregiver(ctx, id)
	default:
		return false, nil
	}
	if problem.Is(err, problem.NotFound) {
		return false, nil
	}
	return err == nil, err
}

// registryDirectory tells the registry about members.
type registryDirectory struct{ Profiles }

var _ registry.Directory = registryDirectory{}

// MembersOf returns the members sub is, one per profile it holds.
func (d registryDirectory) MembersOf(ctx context.Context, sub string) ([]registry.Member, error) {
	var out []registry.Member
	for _, k := range []struct {
		kind string
		of   func(context.Context, string) (string, error)
	}{{"practitioner", d.PractitionerOf}, {"beneficiary", d.BeneficiaryOf}, {"caregiver", d.CaregiverOf}} {
		id, err := k.of(ctx, sub)
		switch {
		case err == nil:
			out = append(out, registry.Member{Type: k.kind, ID: id})
		case !problem.Is(err, problem.NotFound):
			return nil, err
		}
	}
	return out, nil
}
