// Package registrytest holds in-memory stand-ins for the registry's store
// and directory, for service tests that need neither DynamoDB nor the
// other domains.
package registrytest

import (
	"context"
	"sort"
	"sync"

	"ohcs/shared/page"
	"ohcs/shared/problem"
	"ohcs/shared/registry"
)

// Store is an in-memory registry.Store.
type Store struct {
	mu      sync.Mutex
	orgs    map[string]registry.Organization
	members map[string]registry.Membership // by org|type|id
}

var _ registry.Store = (*Store)(nil)

func key(orgID string, m registry.Member) string { return orgID + "|" + m.Type + "|" + m.ID }

// CreateOrganization stores an organisation; Conflict when its id exists.
func (s *Store) CreateOrganization(_ context.Context, o registry.Organization) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orgs == nil {
		s.orgs, s.members = map[string]registry.Organization{}, map[string]registry.Membership{}
	}
	if _, ok := s.orgs[o.ID]; ok {
		return problem.New(problem.Conflict, "organisation %s exists", o.ID)
	}
	s.orgs[o.ID] = o
	return nil
}

// GetOrganization returns an organisation; NotFound.
func (s *Store) GetOrganization(_ context.Context, id string) (registry.Organization, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[id]
	if !ok {
		return o, problem.New(problem.NotFound, "no organisation %s", id)
	}
	return o, nil
}

// AddMembership stores a membership; Conflict when it exists.
func (s *Store) AddMembership(_ context.Context, m registry.Membership) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(m.OrganizationID, registry.Member{Type: m.MemberType, ID: m.MemberID})
	if _, ok := s.members[k]; ok {
		return problem.New(problem.Conflict, "already a member")
	}
	s.members[k] = m
	return nil
}

// RemoveMembership deletes a membership and returns it; NotFound.
func (s *Store) RemoveMembership(_ context.Context, orgID string, member registry.Member) (registry.Membership, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.members[key(orgID, member)]
	if !ok {
		return m, problem.New(problem.NotFound, "no such membership")
	}
	delete(s.members, key(orgID, member))
	return m, nil
}

// Members returns an organisation's members of memberType, in one page.
func (s *Store) Members(_ context.Context, orgID, memberType string, limit int, _ map[string]string) (page.Of[registry.Membership], error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []registry.Membership
	for _, m := range s.members {
		if m.OrganizationID == orgID && (memberType == "" || m.MemberType == memberType) {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].MemberID < out[j].MemberID })
	return page.Of[registry.Membership]{Items: out[:min(len(out), limit)]}, nil
}

// MembershipsOf returns every membership of a member.
func (s *Store) MembershipsOf(_ context.Context, member registry.Member) ([]registry.Membership, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []registry.Membership
	for _, m := range s.members {
		if m.MemberType == member.Type && m.MemberID == member.ID {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OrganizationID < out[j].OrganizationID })
	return out, nil
}

// IsMember reports whether member belongs to the organisation.
func (s *Store) IsMember(_ context.Context, orgID string, member registry.Member) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.members[key(orgID, member)]
	return ok, nil
}

// Directory is a fixed registry.Directory: the profiles that exist, and
// the members each sub is.
type Directory struct {
	Profiles map[registry.Member]bool
	Subs     map[string][]registry.Member
}

// Exists reports whether the profile is listed.
func (d Directory) Exists(_ context.Context, memberType, id string) (bool, error) {
	return d.Profiles[registry.Member{Type: memberType, ID: id}], nil
}

// MembersOf returns the members listed for sub.
func (d Directory) MembersOf(_ context.Context, sub string) ([]registry.Member, error) {
	return d.Subs[sub], nil
}
