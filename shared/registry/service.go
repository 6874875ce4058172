package registry

import (
	"context"
	"time"

	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// Directory is what the registry needs of the profile directories.
type Directory interface {
	// Exists reports whether the profile of a member type and id exists.
	Exists(ctx context.Context, memberType, id string) (bool, error)
	// MembersOf returns the members sub is: one per profile it holds.
	MembersOf(ctx context.Context, sub string) ([]Member, error)
}

// Service is the registry's logic.
type Service struct {
	Store     Store
	Directory Directory
	Now       func() time.Time
	NewID     func() string
}

// MaxMemberships is how many of a person's memberships are listed.
const MaxMemberships = 100

// CreateOrganization stores a new organisation (validated by the caller)
// and returns it with its id, times and version.
func (s *Service) CreateOrganization(ctx context.Context, o Organization) (Organization, error) {
	now := s.Now().UTC()
	o.ID, o.CreatedAt, o.UpdatedAt, o.Version = s.NewID(), now, now, 1
	if err := s.Store.CreateOrganization(ctx, o); err != nil {
		return Organization{}, err
	}
	return o, nil
}

// AddMembership adds a member to an organisation. NotFound (the
// organisation), Invalid (no such member), Conflict (already a member).
func (s *Service) AddMembership(ctx context.Context, orgID string, member Member, role string) (Membership, error) {
	if _, err := s.Store.GetOrganization(ctx, orgID); err != nil {
		return Membership{}, err
	}
	ok, err := s.Directory.Exists(ctx, member.Type, member.ID)
	if err != nil {
		return Membership{}, err
	}
	if !ok {
		return Membership{}, problem.Field("memberId", "no %s has this id", member.Type)
	}
	m := Membership{OrganizationID: orgID, MemberType: member.Type, MemberID: member.ID, Role: role, CreatedAt: s.Now().UTC()}
	if err := s.Store.AddMembership(ctx, m); err != nil {
		return Membership{}, err
	}
	return m, nil
}

// RemoveMembership removes a member from an organisation; NotFound.
func (s *Service) RemoveMembership(ctx context.Context, orgID string, member Member) (Membership, error) {
	return s.Store.RemoveMembership(ctx, orgID, member)
}

// MembersVisible returns the member type the person sub sees among an
// organisation's members: every type ("") for an administrator, its
// practitioners for a member of it. NotFound for anyone else, as for an
// organisation that does not exist.
func (s *Service) MembersVisible(ctx context.Context, sub string, admin bool, orgID string) (string, error) {
	if _, err := s.Store.GetOrganization(ctx, orgID); err != nil {
		return "", err
	}
	if admin {
		return "", nil
	}
	mine, err := s.Directory.MembersOf(ctx, sub)
	if err != nil {
		return "", err
	}
	member := false
	for _, m := range mine {
		ok, err := s.Store.IsMember(ctx, orgID, m)
		if err != nil {
			return "", err
		}
		member = member || ok
	}
	if !member {
		return "", problem.New(problem.NotFound, "no organisation %s", orgID)
	}
	return "practitioner", nil
}

// Members pages through an organisation's members of memberType (every
// type when empty).
func (s *Service) Members(ctx context.Context, orgID, memberType string, limit int, after map[string]string) (page.Of[Membership], error) {
	return s.Store.Members(ctx, orgID, memberType, limit, after)
}

// MembershipsOf returns the memberships of every profile sub holds, at most
// MaxMemberships.
func (s *Service) MembershipsOf(ctx context.Context, sub string) ([]Membership, error) {
	mine, err := s.Directory.MembersOf(ctx, sub)
	if err != nil {
		return nil, err
	}
	var out []Membership
	for _, m := range mine {
		ms, err := s.Store.MembershipsOf(ctx, m)
		if err != nil {
			return nil, err
		}
		out = append(out, ms[:min(len(ms), MaxMemberships-len(out))]...)
	}
	return out, nil
}
