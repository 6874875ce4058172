package app

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"ohcs/shared/access"
	"ohcs/shared/dynamo"
	"ohcs/shared/people"
	"ohcs/shared/people/peopledb"
	"ohcs/shared/practitioner"
	"ohcs/shared/practitioner/practitionerdb"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling/schedulingdb"
)

// Directory answers the access policy from the people store and the
// practitioner directory.
// Its stores' items are read together in one batch (Facts).
type directory struct {
	db            *dynamodb.Client
	people        *peopledb.Store
	practitioners *practitionerdb.Store
	scheduling    *schedulingdb.Store
}

var _ access.Directory = directory{}

// Subject returns a beneficiary as the policy sees it.
func (d directory) Subject(ctx context.Context, id string) (access.Subject, error) {
	b, err := d.people.GetBeneficiary(ctx, id)
	return subjectOf(b), err
}

func subjectOf(b people.Beneficiary) access.Subject {
	return access.Subject{BeneficiaryID: b.ID, Sub: b.Sub, ManagedBy: b.ManagedBy}
}

// profileOf is a practitioner as the access policy sees it.
func profileOf(p practitioner.Practitioner) access.PractitionerProfile {
	return access.PractitionerProfile{ID: p.ID, Verified: p.Verification == practitioner.Verified}
}

// Facts reads the beneficiary and, when asked, the caller's caregiver
// account row, and its practitioner uniqueness row (which carries the
// profile) with the beneficiary's appointments that may hold a care
// relationship (its bookings item) and its revocations, in one
// BatchGetItem across the people, practitioner and scheduling tables.
func (d directory) Facts(ctx context.Context, beneficiaryID, sub string, caregiver, practitionerToo bool) (access.Facts, error) {
	var (
		f       access.Facts
		subjErr error
	)
	gets := []dynamo.Get{d.people.BeneficiaryGet(beneficiaryID, func(b people.Beneficiary, err error) {
		f.Subject, subjErr = subjectOf(b), err
	})}
	if caregiver {
		gets = append(gets, d.people.CaregiverIDGet(sub, func(id string, err error) { f.CaregiverID, f.CaregiverErr = id, err }))
	}
	if practitionerToo {
		gets = append(gets, d.practitioners.BySubGet(sub, func(p practitioner.Practitioner, err error) {
			f.Practitioner, f.PractitionerErr = profileOf(p), err
		}), d.scheduling.CareGet(beneficiaryID, func(care []access.CareAppointment) { f.Care, f.CareRead = care, true }),
			d.people.RevocationsGet(beneficiaryID, func(r map[string]time.Time) { f.Revoked = r }))
	}
	if err := dynamo.GetAll(ctx, d.db, gets...); err != nil {
		return access.Facts{}, err
	}
	if subjErr != nil {
		return access.Facts{}, subjErr
	}
	return f, nil
}

// CaregiverID returns the caregiver profile of sub: its account row.
func (d directory) CaregiverID(ctx context.Context, sub string) (string, error) {
	return d.people.CaregiverIDOf(ctx, sub)
}

// Practitioner returns the practitioner profile of sub and whether it is
// verified now.
func (d directory) Practitioner(ctx context.Context, sub string) (access.PractitionerProfile, error) {
	p, err := d.practitioners.GetBySub(ctx, sub)
	return profileOf(p), err
}

// Links returns the links between a beneficiary and a caregiver.
func (d directory) Links(ctx context.Context, beneficiaryID, caregiverID string) ([]access.Link, error) {
	links, err := d.people.LinksBetween(ctx, beneficiaryID, caregiverID)
	if err != nil {
		return nil, err
	}
	out := make([]access.Link, len(links))
	for i, l := range links {
		out[i] = l.Policy()
	}
	return out, nil
}

// Revocations returns the beneficiary's last revocation of each
// practitioner.
func (d directory) Revocations(ctx context.Context, beneficiaryID string) (map[string]time.Time, error) {
	return d.people.Revocations(ctx, beneficiaryID)
}

// RevokedAt returns the beneficiary's last revocation of a practitioner.
func (d directory) RevokedAt(ctx context.Context, beneficiaryID, practitionerID string) (time.Time, bool, error) {
	return d.people.RevokedAt(ctx, beneficiaryID, practitionerID)
}

// PractitionerLookup answers, from the practitioner service, what other
// domains ask of practitioners: a profile id, whether it is verified, whether
// it exists.
type PractitionerLookup struct{ Service *practitioner.Service }

// IDOf returns the practitioner profile id of sub.
func (p PractitionerLookup) IDOf(ctx context.Context, sub string) (string, error) {
	return p.Service.IDOf(ctx, sub)
}

// ProfileOf returns the practitioner profile of sub as the access policy
// sees it.
func (p PractitionerLookup) ProfileOf(ctx context.Context, sub string) (access.PractitionerProfile, error) {
	pr, err := p.Service.Store.GetBySub(ctx, sub)
	return profileOf(pr), err
}

// Exists reports whether a practitioner id exists.
func (p PractitionerLookup) Exists(ctx context.Context, id string) (bool, error) {
	_, err := p.Service.Store.Get(ctx, id)
	switch {
	case err == nil:
		return true, nil
	case problem.Is(err, problem.NotFound):
		return false, nil
	}
	return false, err
}
