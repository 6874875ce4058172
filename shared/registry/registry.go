// Package registry owns organisations (facilities, programs, NGOs) and the
// memberships of practitioners, beneficiaries and caregivers in them. Its
// Store is implemented in registrydb, its handlers in registryhttp.
package registry

import (
	"context"
	"time"

	"ohcs/shared/page"
	"ohcs/shared/validate"
)

// Kinds of organisation and of member.
var (
	Kinds       = []string{"facility", "program", "ngo"}
	MemberTypes = []string{"practitioner", "beneficiary", "caregiver"}
)

// Organization is a facility, a program or an NGO.
type Organization struct {
	ID        string
	Name      string
	Kind      string
	Address   *validate.Address
	Country   string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64
}

// Membership ties a member to an organisation.
type Membership struct {
	OrganizationID string
	MemberType     string
	MemberID       string
	Role           string
	CreatedAt      time.Time
}

// Member names a member.
type Member struct {
	Type, ID string
}

// Store keeps organisations and memberships.
type Store interface {
	// CreateOrganization stores an organisation.
	CreateOrganization(ctx context.Context, o Organization) error
	// GetOrganization returns an organisation; NotFound.
	GetOrganization(ctx context.Context, id string) (Organization, error)
	// AddMembership stores a membership; Conflict when it exists.
	AddMembership(ctx context.Context, m Membership) error
	// RemoveMembership deletes a membership and returns it; NotFound.
	RemoveMembership(ctx context.Context, orgID string, member Member) (Membership, error)
	// Members pages through an organisation's members of memberType (all
	// types when empty).
	Members(ctx context.Context, orgID, memberType string, limit int, after map[string]string) (page.Of[Membership], error)
	// MembershipsOf returns every membership of a member.
	MembershipsOf(ctx context.Context, member Member) ([]Membership, error)
	// IsMember reports whether member belongs to the organisation.
	IsMember(ctx context.Context, orgID string, member Member) (bool, error)
}
