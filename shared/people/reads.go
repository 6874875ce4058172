package people

import (
	"context"

	"ohcs/shared/auth"
	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// Beneficiary returns a beneficiary's profile; NotFound. Callers authorize.
func (s *Service) Beneficiary(ctx context.Context, id string) (Beneficiary, error) {
	return s.Store.GetBeneficiary(ctx, id)
}

// BeneficiaryOf returns the beneficiary profile of sub; NotFound.
func (s *Service) BeneficiaryOf(ctx context.Context, sub string) (Beneficiary, error) {
	return s.Store.BeneficiaryBySub(ctx, sub)
}

// CaregiverOf returns the caregiver profile of sub; NotFound.
func (s *Service) CaregiverOf(ctx context.Context, sub string) (Caregiver, error) {
	return s.Store.CaregiverBySub(ctx, sub)
}

// LinksOfBeneficiary pages through a beneficiary's care links. Callers
// authorize.
func (s *Service) LinksOfBeneficiary(ctx context.Context, beneficiaryID string, limit int, after map[string]string) (page.Of[CareLink], error) {
	return s.Store.LinksOfBeneficiary(ctx, beneficiaryID, limit, after)
}

// LinksOfCaregiver pages through a caregiver's care links.
func (s *Service) LinksOfCaregiver(ctx context.Context, caregiverID string, limit int, after map[string]string) (page.Of[CareLink], error) {
	return s.Store.LinksOfCaregiver(ctx, caregiverID, limit, after)
}

// CaregiverFor returns the caregiver id to p: the caregiver itself, a
// beneficiary it holds an active link from, an administrator. NotFound
// for anyone else, as for a caregiver that does not exist.
func (s *Service) CaregiverFor(ctx context.Context, p auth.Principal, id string) (Caregiver, error) {
	c, err := s.Store.GetCaregiver(ctx, id)
	if err != nil {
		return Caregiver{}, err
	}
	visible := p.Has(auth.Administrator) || (p.Has(auth.Caregiver) && c.Sub == p.Sub)
	if !visible && p.Has(auth.Beneficiary) {
		if b, err := s.Store.BeneficiaryBySub(ctx, p.Sub); err == nil {
			links, err := s.Store.LinksBetween(ctx, b.ID, c.ID)
			if err != nil {
				return Caregiver{}, err
			}
			for _, l := range links {
				visible = visible || l.Policy().Active(s.Now())
			}
		}
	}
	if !visible {
		return Caregiver{}, problem.New(problem.NotFound, "no caregiver %s", id)
	}
	return c, nil
}
