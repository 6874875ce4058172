package people

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Service is the people domain's logic.
type Service struct {
	Store Store
	Now   func() time.Time
	NewID func() string
}

// check validates the fields of p named in only (all when only is nil).
func (p Profile) check(l *problem.FieldList, now time.Time, only map[string]bool) {
	has := func(f string) bool { return only == nil || only[f] }
	if has("fullName") {
		validate.Text(l, "fullName", p.FullName, true, 200)
	}
	if has("birthDate") {
		validate.BirthDate(l, "birthDate", p.BirthDate, true, now)
	}
	if has("sex") && !slices.Contains(Sexes, p.Sex) {
		l.Add("sex", "must be one of %s", strings.Join(Sexes, ", "))
	}
	if has("phone") {
		validate.Phone(l, "phone", p.Phone, false)
	}
	if has("email") {
		validate.Email(l, "email", p.Email, false)
	}
	if has("address") && p.Address != nil {
		validate.CheckAddress(l, "address", *p.Address)
	}
	if has("preferredLanguage") {
		validate.Language(l, "preferredLanguage", p.PreferredLanguage, true)
	}
	if has("timeZone") {
		validate.TimeZone(l, "timeZone", p.TimeZone)
	}
	if has("emergencyContact") && p.EmergencyContact != nil {
		validate.Text(l, "emergencyContact.name", p.EmergencyContact.Name, true, 200)
		validate.Phone(l, "emergencyContact.phone", p.EmergencyContact.Phone, true)
		validate.Text(l, "emergencyContact.relationship", p.EmergencyContact.Relationship, false, 100)
	}
}

// CreateBeneficiary creates sub's own profile (managedBy empty) or a
// dependent managed by caregiver managedBy. Invalid; Conflict.
func (s *Service) CreateBeneficiary(ctx context.Context, sub, managedBy string, in Profile) (Beneficiary, error) {
	now := s.Now().UTC()
	var l problem.FieldList
	in.check(&l, now, nil)
	if err := l.Err(); err != nil {
		return Beneficiary{}, err
	}
	b := Beneficiary{ID: s.NewID(), Profile: in, CreatedAt: now, UpdatedAt: now, Version: 1}
	if managedBy != "" {
		b.ManagedBy = managedBy
	} else {
		b.Sub = sub
	}
	if err := s.Store.CreateBeneficiary(ctx, b); err != nil {
		return Beneficiary{}, err
	}
	return b, nil
}

// Patch is a partial update of a beneficiary: Fields names the JSON fields
// present.
type Patch struct {
	Fields map[string]bool
	Profile
}

// UpdateBeneficiary applies patch at version ifMatch. The caller has been
// authorized. NotFound, PreconditionFailed, Invalid.
func (s *Service) UpdateBeneficiary(ctx context.Context, id string, patch Patch, ifMatch int64) (Beneficiary, error) {
	old, err := s.Store.GetBeneficiary(ctx, id)
	if err != nil {
		return Beneficiary{}, err
	}
	if old.Version != ifMatch {
		return Beneficiary{}, problem.New(problem.PreconditionFailed, "the profile is at version %d, not %d: read it again", old.Version, ifMatch)
	}
	now := s.Now().UTC()
	var l problem.FieldList
	patch.check(&l, now, patch.Fields)
	if err := l.Err(); err != nil {
		return Beneficiary{}, err
	}
	next := old
	f := patch.Fields
	set := map[string]func(){
		"fullName":          func() { next.FullName = patch.FullName },
		"birthDate":         func() { next.BirthDate = patch.BirthDate },
		"sex":               func() { next.Sex = patch.Sex },
		"phone":             func() { next.Phone = patch.Phone },
		"email":             func() { next.Email = patch.Email },
		"address":           func() { next.Address = patch.Address },
		"preferredLanguage": func() { next.PreferredLanguage = patch.PreferredLanguage },
		"timeZone":          func() { next.TimeZone = patch.TimeZone },
		"emergencyContact":  func() { next.EmergencyContact = patch.EmergencyContact },
	}
	for name, apply := range set {
		if f[name] {
			apply()
		}
	}
	next.UpdatedAt, next.Version = now, old.Version+1
	if err := s.Store.UpdateBeneficiary(ctx, old, next); err != nil {
		return Beneficiary{}, err
	}
	return next, nil
}

// CreateCaregiver creates sub's caregiver profile. Invalid; Conflict.
func (s *Service) CreateCaregiver(ctx context.Context, sub string, c Caregiver) (Caregiver, error) {
	var l problem.FieldList
	validate.Text(&l, "fullName", c.FullName, true, 200)
	validate.Phone(&l, "phone", c.Phone, true)
	validate.Email(&l, "email", c.Email, false)
	if err := l.Err(); err != nil {
		return Caregiver{}, err
	}
	now := s.Now().UTC()
	c.ID, c.Sub, c.CreatedAt, c.UpdatedAt, c.Version = s.NewID(), sub, now, now, 1
	if err := s.Store.CreateCaregiver(ctx, c); err != nil {
		return Caregiver{}, err
	}
	return c, nil
}

// CreateDonor creates sub's donor profile. Invalid; Conflict.
func (s *Service) CreateDonor(ctx context.Context, sub string, d Donor) (Donor, error) {
	var l problem.FieldList
	validate.Text(&l, "displayName", d.DisplayName, true, 200)
	validate.Email(&l, "email", d.Email, true)
	validate.Country(&l, "country", d.Country, true)
	if err := l.Err(); err != nil {
		return Donor{}, err
	}
	now := s.Now().UTC()
	d.ID, d.Sub, d.CreatedAt, d.UpdatedAt, d.Version = s.NewID(), sub, now, now, 1
	if err := s.Store.CreateDonor(ctx, d); err != nil {
		return Donor{}, err
	}
	return d, nil
}

// GrantRequest asks for a care link from a beneficiary to a caregiver.
type GrantRequest struct {
	BeneficiaryID, CaregiverID string
	Permissions                []access.Permission
	ExpiresAt                  time.Time // zero: no expiry
	GrantedBy                  string    // the sub of whoever grants
}

// Grant gives caregiverID permissions on beneficiaryID until expiresAt
// (zero: no expiry). The caller has been authorized. Invalid when the
// caregiver does not exist or the input is wrong.
func (s *Service) Grant(ctx context.Context, in GrantRequest) (CareLink, error) {
	beneficiaryID, caregiverID, perms, expiresAt, grantedBy := in.BeneficiaryID, in.CaregiverID, in.Permissions, in.ExpiresAt, in.GrantedBy
	now := s.Now().UTC()
	var l problem.FieldList
	if len(perms) == 0 {
		l.Add("permissions", "at least one permission is required")
	}
	seen := map[access.Permission]bool{}
	for i, p := range perms {
		if !slices.Contains(access.Permissions, p) {
			l.Add(fmt.Sprintf("permissions[%d]", i), "must be one of viewRecords, bookAppointments, manageProfile, receiveNotifications")
		}
		if seen[p] {
			l.Add(fmt.Sprintf("permissions[%d]", i), "is listed twice")
		}
		seen[p] = true
	}
	if !expiresAt.IsZero() && !expiresAt.After(now) {
		l.Add("expiresAt", "must be in the future")
	}
	if err := l.Err(); err != nil {
		return CareLink{}, err
	}
	if _, err := s.Store.GetCaregiver(ctx, caregiverID); err != nil {
		if problem.Is(err, problem.NotFound) {
			return CareLink{}, problem.Field("caregiverId", "no caregiver has this id")
		}
		return CareLink{}, err
	}
	// One active or pending link per beneficiary and caregiver: to change
	// the permissions, revoke it and grant again.
	existing, err := s.Store.LinksBetween(ctx, beneficiaryID, caregiverID)
	if err != nil {
		return CareLink{}, err
	}
	for _, l := range existing {
		if st := l.Status(now); st == "active" || st == "pending" {
			return CareLink{}, problem.New(problem.Conflict, "care link %s already links this caregiver (%s): revoke it to grant other permissions", l.ID, st)
		}
	}
	// A link waits for the caregiver's consent (respondToCareLink): until
	// it accepts, it grants nothing, so that nobody is made a caregiver, and
	// handed a beneficiary's notices, without agreeing to it.
	link := CareLink{
		ID: s.NewID(), BeneficiaryID: beneficiaryID, CaregiverID: caregiverID, Permissions: perms,
		ExpiresAt: expiresAt.UTC(), GrantedBy: grantedBy, Pending: true, CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if err := s.Store.CreateLink(ctx, link); err != nil {
		return CareLink{}, err
	}
	return link, nil
}

// Revoke revokes a link at once; revoking a revoked link changes nothing.
// The caller has been authorized. NotFound.
func (s *Service) Revoke(ctx context.Context, beneficiaryID, linkID string) (CareLink, error) {
	for range 3 {
		old, err := s.Store.GetLink(ctx, beneficiaryID, linkID)
		if err != nil || old.Revoked {
			return old, err
		}
		now := s.Now().UTC()
		next := old
		next.Revoked, next.RevokedAt, next.UpdatedAt, next.Version = true, now, now, old.Version+1
		err = s.Store.UpdateLink(ctx, old, next)
		if !problem.Is(err, problem.PreconditionFailed) {
			return next, err
		}
		// A concurrent change: read again and revoke that.
	}
	return CareLink{}, problem.New(problem.Conflict, "the care link keeps changing, retry")
}

// Respond records the answer of the caregiver caregiverID to a pending
// link: accept makes it active, decline ends it. Only the link's own
// caregiver answers (NotFound for anyone else, as for a missing link),
// only once, at version ifMatch when given (0: any). Unprocessable when
// the link is no longer pending.
func (s *Service) Respond(ctx context.Context, caregiverID, beneficiaryID, linkID string, accept bool) (CareLink, error) {
	for range 3 {
		old, err := s.Store.GetLink(ctx, beneficiaryID, linkID)
		if err == nil && old.CaregiverID != caregiverID {
			err = problem.New(problem.NotFound, "no care link %s", linkID)
		}
		if err != nil {
			return CareLink{}, err
		}
		now := s.Now().UTC()
		if st := old.Status(now); st != "pending" {
			return CareLink{}, problem.New(problem.Unprocessable, "this care link is %s: only a pending link is answered", st)
		}
		next := old
		next.Pending, next.Declined, next.RespondedAt, next.UpdatedAt, next.Version = false, !accept, now, now, old.Version+1
		err = s.Store.UpdateLink(ctx, old, next)
		if !problem.Is(err, problem.PreconditionFailed) {
			return next, err
		}
	}
	return CareLink{}, problem.New(problem.Conflict, "the care link keeps changing, retry")
}

// Leave revokes a link on behalf of its own caregiver: a caregiver can
// leave a link at any time. NotFound for a link of another caregiver.
func (s *Service) Leave(ctx context.Context, caregiverID, beneficiaryID, linkID string) (CareLink, error) {
	old, err := s.Store.GetLink(ctx, beneficiaryID, linkID)
	if err == nil && old.CaregiverID != caregiverID {
		err = problem.New(problem.NotFound, "no care link %s", linkID)
	}
	if err != nil {
		return CareLink{}, err
	}
	return s.Revoke(ctx, beneficiaryID, linkID)
}

// RevokePractitioner ends practitionerID's care relationship with
// beneficiaryID until its next booking.
func (s *Service) RevokePractitioner(ctx context.Context, beneficiaryID, practitionerID string) (Revocation, error) {
	r := Revocation{BeneficiaryID: beneficiaryID, PractitionerID: practitionerID, RevokedAt: s.Now().UTC()}
	return r, s.Store.PutRevocation(ctx, r)
}
