package practitioner

import (
	"context"
	"slices"
	"strings"
	"time"

	"ohcs/shared/problem"
	"ohcs/shared/validate"

	"ohcs/shared/textfold"
)

// Viewer is who reads a practitioner.
type Viewer struct {
	Sub   string
	Admin bool
}

// SeenInFullBy reports whether v sees the private fields (phone, email,
// birth date, license numbers, verification note): the practitioner itself
// and administrators.
func (p Practitioner) SeenInFullBy(v Viewer) bool { return v.Admin || (v.Sub != "" && v.Sub == p.Sub) }

// VisibleTo reports whether v may see the profile at all: everyone sees a
// verified practitioner; a pending or rejected one is seen only by itself
// and administrators, so that nobody is shown as a practitioner before an
// administrator checked the licenses.
func (p Practitioner) VisibleTo(v Viewer) bool {
	return p.Verification == Verified || p.SeenInFullBy(v)
}

// Patch is a partial update: Fields names the fields present, by their
// JSON names; the others keep their stored values.
type Patch struct {
	Fields map[string]bool
	Profile
}

// Decision is an administrator's verification decision.
type Decision struct {
	Decision Verification
	Note     string
}

// Service is the practitioner domain's logic.
type Service struct {
	Store Store
	Now   func() time.Time
	NewID func() string
}

// Create creates sub's practitioner profile, pending verification.
// Invalid; Conflict when sub already has one.
func (s *Service) Create(ctx context.Context, sub string, in Profile) (Practitioner, error) {
	now := s.Now().UTC()
	if err := in.Validate(now); err != nil {
		return Practitioner{}, err
	}
	p := Practitioner{
		ID: s.NewID(), Sub: sub, Profile: in, Verification: Pending,
		CreatedAt: now, UpdatedAt: now, Version: 1,
	}
	if err := s.Store.Create(ctx, p); err != nil {
		return Practitioner{}, err
	}
	return p, nil
}

// Get returns the practitioner id as v may see it; NotFound when it does
// not exist or is not visible to v.
func (s *Service) Get(ctx context.Context, v Viewer, id string) (Practitioner, error) {
	p, err := s.Store.Get(ctx, id)
	if err != nil {
		return Practitioner{}, err
	}
	if !p.VisibleTo(v) {
		return Practitioner{}, problem.New(problem.NotFound, "no practitioner %s", id)
	}
	return p, nil
}

// IDOf returns the id of sub's practitioner profile; NotFound.
func (s *Service) IDOf(ctx context.Context, sub string) (string, error) {
	p, err := s.Store.GetBySub(ctx, sub)
	if err != nil {
		return "", err
	}
	return p.ID, nil
}

// Update applies patch to v's own profile id at version ifMatch. Changing
// the licenses sends the profile back to pending verification. NotFound,
// Forbidden (another practitioner's visible profile), PreconditionFailed,
// Invalid.
func (s *Service) Update(ctx context.Context, v Viewer, id string, patch Patch, ifMatch int64) (Practitioner, error) {
	old, err := s.Get(ctx, v, id)
	if err != nil {
		return Practitioner{}, err
	}
	if old.Sub != v.Sub {
		return Practitioner{}, problem.New(problem.Forbidden, "a practitioner may update only its own profile")
	}
	if old.Version != ifMatch {
		return Practitioner{}, problem.New(problem.PreconditionFailed, "the profile is at version %d, not %d: read it again", old.Version, ifMatch)
	}
	now := s.Now().UTC()
	var l problem.FieldList
	patch.Profile.check(&l, now, fieldSet(patch.Fields))
	if err := l.Err(); err != nil {
		return Practitioner{}, err
	}
	next := old
	next.Profile = merge(old.Profile, patch)
	if old.Verification == Verified {
		// A verified identity changes only by review: the change waits in
		// Proposed, the published identity stays the verified one.
		proposed := Identity{FullName: old.FullName, Specialties: old.Specialties, Licenses: old.Licenses}
		if old.Proposed != nil {
			proposed = *old.Proposed
		}
		changed := false
		if patch.Fields["fullName"] {
			proposed.FullName, changed = next.FullName, true
		}
		if patch.Fields["specialties"] {
			proposed.Specialties, changed = next.Specialties, true
		}
		if patch.Fields["licenses"] {
			proposed.Licenses, changed = next.Licenses, true
		}
		next.FullName, next.Specialties, next.Licenses = old.FullName, old.Specialties, old.Licenses
		if changed {
			next.Proposed = &proposed
			if proposed.FullName == old.FullName && slices.Equal(proposed.Specialties, old.Specialties) && slices.Equal(proposed.Licenses, old.Licenses) {
				next.Proposed = nil // back to the verified values: nothing to review
			}
		}
	} else if patch.Fields["licenses"] && !slices.Equal(old.Licenses, next.Licenses) {
		next.Verification, next.VerificationNote, next.VerifiedAt, next.VerifiedBy = Pending, "", time.Time{}, ""
	}
	next.UpdatedAt, next.Version = now, old.Version+1
	if err := s.Store.Update(ctx, old, next); err != nil {
		return Practitioner{}, err
	}
	return next, nil
}

func merge(p Profile, patch Patch) Profile {
	f := patch.Fields
	set := func(name string, apply func()) {
		if f[name] {
			apply()
		}
	}
	set("fullName", func() { p.FullName = patch.FullName })
	set("gender", func() { p.Gender = patch.Gender })
	set("birthDate", func() { p.BirthDate = patch.BirthDate })
	set("phone", func() { p.Phone = patch.Phone })
	set("email", func() { p.Email = patch.Email })
	set("specialties", func() { p.Specialties = patch.Specialties })
	set("languages", func() { p.Languages = patch.Languages })
	set("consultationModes", func() { p.Modes = patch.Modes })
	set("location", func() { p.Location = patch.Location })
	set("timeZone", func() { p.TimeZone = patch.TimeZone })
	set("bio", func() { p.Bio = patch.Bio })
	set("licenses", func() { p.Licenses = patch.Licenses })
	return p
}

// Verify records an administrator's decision on version ifMatch of the
// profile id. NotFound, PreconditionFailed, Invalid.
func (s *Service) Verify(ctx context.Context, adminSub, id string, d Decision, ifMatch int64) (Practitioner, error) {
	var l problem.FieldList
	if d.Decision != Verified && d.Decision != Rejected && d.Decision != Suspended {
		l.Add("decision", "must be verified, rejected or suspended")
	}
	validate.Text(&l, "note", d.Note, false, MaxNote)
	if err := l.Err(); err != nil {
		return Practitioner{}, err
	}
	old, err := s.Store.Get(ctx, id)
	if err != nil {
		return Practitioner{}, err
	}
	if old.Version != ifMatch {
		return Practitioner{}, problem.New(problem.PreconditionFailed, "the profile is at version %d, not %d: review it again", old.Version, ifMatch)
	}
	if d.Decision == Suspended && old.Verification != Verified {
		return Practitioner{}, problem.New(problem.Unprocessable, "only a verified practitioner can be suspended; this one is %s", old.Verification)
	}
	now := s.Now().UTC()
	next := old
	if d.Decision == Verified && old.Proposed != nil {
		// Verifying the profile verifies the identity change it shows.
		next.FullName, next.Specialties, next.Licenses, next.Proposed = old.Proposed.FullName, old.Proposed.Specialties, old.Proposed.Licenses, nil
	}
	next.Verification, next.VerificationNote, next.VerifiedAt, next.VerifiedBy = d.Decision, d.Note, now, adminSub
	next.UpdatedAt, next.Version = now, old.Version+1
	if err := s.Store.Update(ctx, old, next); err != nil {
		return Practitioner{}, err
	}
	return next, nil
}

// Search returns a page of verified practitioners matching q.
func (s *Service) Search(ctx context.Context, q Query) (Page, error) {
	if q.Limit < 1 || q.Limit > 100 {
		return Page{}, problem.Field("limit", "must be between 1 and 100")
	}
	return s.Store.Search(ctx, q)
}

// Fold returns s without accents, in lower case, with single spaces: the
// form names are sorted and matched in.
func Fold(s string) string {
	return textfold.Key(s)
}

// PrimaryLanguage returns the primary subtag of a language tag, lower-case:
// "pt" for "pt-MZ".
func PrimaryLanguage(tag string) string {
	primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
	return primary
}
