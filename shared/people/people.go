// Package people owns the people a beneficiary's care involves besides
// practitioners: beneficiaries (and the dependents caregivers manage),
// caregivers, donors, the care links that give caregivers permissions, and
// the beneficiary's revocations of practitioners' access. Its Store is
// implemented in peopledb, its handlers in peoplehttp; who may see what is
// decided by package access.
package people

import (
	"context"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/page"
	"ohcs/shared/validate"
)

// Sexes accepted for a beneficiary.
var Sexes = []string{"female", "male", "other", "unknown"}

// EmergencyContact is whom to call.
type EmergencyContact struct {
	Name, Phone, Relationship string
}

// Profile is what is known of a beneficiary.
type Profile struct {
	FullName          string
	BirthDate         string
	Sex               string
	Phone             string
	Email             string
	Address           *validate.Address
	PreferredLanguage string
	TimeZone          string
	EmergencyContact  *EmergencyContact
}

// Beneficiary is a patient: its own account (Sub) or a dependent managed by
// a caregiver (ManagedBy).
type Beneficiary struct {
	ID        string
	Sub       string
	ManagedBy string
	Profile
	CreatedAt, UpdatedAt time.Time
	Version              int64
}

// Caregiver is a relative or community health worker.
type Caregiver struct {
	ID                   string
	Sub                  string
	FullName             string
	Phone                string
	Email                string
	CreatedAt, UpdatedAt time.Time
	Version              int64
}

// Donor is a person or body funding the service.
type Donor struct {
	ID                   string
	Sub                  string
	DisplayName          string
	Email                string
	Country              string
	AnonymousByDefault   bool
	CreatedAt, UpdatedAt time.Time
	Version              int64
}

// CareLink gives a caregiver permissions on a beneficiary's data.
type CareLink struct {
	ID            string
	BeneficiaryID string
	CaregiverID   string
	Permissions   []access.Permission
	Revoked       bool
	RevokedAt     time.Time
	// Pending: granted, not yet accepted by the caregiver; it grants
	// nothing. Declined: the caregiver refused it.
	Pending, Declined bool
	RespondedAt       time.Time
	ExpiresAt         time.Time
	GrantedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Version           int64
}

// Status is the link's status at now: revoked, declined, expired, pending
// or active. Expiry is read at the moment of asking, whatever is stored.
func (l CareLink) Status(now time.Time) string {
	switch {
	case l.Revoked:
		return "revoked"
	case l.Declined:
		return "declined"
	case !l.ExpiresAt.IsZero() && !now.Before(l.ExpiresAt):
		return "expired"
	case l.Pending:
		return "pending"
	}
	return "active"
}

// Policy returns the link as the access policy sees it.
func (l CareLink) Policy() access.Link {
	return access.Link{CaregiverID: l.CaregiverID, Permissions: l.Permissions, Revoked: l.Revoked || l.Declined,
		Pending: l.Pending, ExpiresAt: l.ExpiresAt}
}

// Revocation ends a practitioner's care relationship until its next booking.
type Revocation struct {
	BeneficiaryID  string
	PractitionerID string
	RevokedAt      time.Time
}

// Store keeps people.
type Store interface {
	// CreateBeneficiary stores a beneficiary; Conflict when its sub already
	// has one.
	CreateBeneficiary(ctx context.Context, b Beneficiary) error
	// GetBeneficiary returns a beneficiary; NotFound.
	GetBeneficiary(ctx context.Context, id string) (Beneficiary, error)
	// BeneficiaryBySub returns the own profile of sub; NotFound.
	BeneficiaryBySub(ctx context.Context, sub string) (Beneficiary, error)
	// UpdateBeneficiary replaces old by updated; PreconditionFailed when
	// old's version is no longer stored.
	UpdateBeneficiary(ctx context.Context, old, updated Beneficiary) error
	// CreateCaregiver stores a caregiver; Conflict when its sub has one.
	CreateCaregiver(ctx context.Context, c Caregiver) error
	// GetCaregiver returns a caregiver; NotFound.
	GetCaregiver(ctx context.Context, id string) (Caregiver, error)
	// CaregiverBySub returns the caregiver of sub; NotFound.
	CaregiverBySub(ctx context.Context, sub string) (Caregiver, error)
	// CaregiverIDOf returns the id of the caregiver of sub, from its
	// account row alone; NotFound.
	CaregiverIDOf(ctx context.Context, sub string) (string, error)
	// CreateDonor stores a donor; Conflict when its sub has one.
	CreateDonor(ctx context.Context, d Donor) error
	// GetDonor returns a donor; NotFound.
	GetDonor(ctx context.Context, id string) (Donor, error)
	// DonorBySub returns the donor of sub; NotFound.
	DonorBySub(ctx context.Context, sub string) (Donor, error)
	// CreateLink stores a new care link.
	CreateLink(ctx context.Context, l CareLink) error
	// GetLink returns a link of a beneficiary; NotFound.
	GetLink(ctx context.Context, beneficiaryID, linkID string) (CareLink, error)
	// UpdateLink replaces old by updated; PreconditionFailed.
	UpdateLink(ctx context.Context, old, updated CareLink) error
	// LinksBetween returns every link between a beneficiary and a caregiver.
	LinksBetween(ctx context.Context, beneficiaryID, caregiverID string) ([]CareLink, error)
	// LinksOfBeneficiary pages through a beneficiary's links.
	LinksOfBeneficiary(ctx context.Context, beneficiaryID string, limit int, after map[string]string) (page.Of[CareLink], error)
	// LinksOfCaregiver pages through a caregiver's links.
	LinksOfCaregiver(ctx context.Context, caregiverID string, limit int, after map[string]string) (page.Of[CareLink], error)
	// ProfileIDs pages through the ids of the profiles of a kind
	// (BENEFICIARY, CAREGIVER, DONOR).
	ProfileIDs(ctx context.Context, kind string, limit int, after map[string]string) (page.Of[string], error)
	// PutRevocation records a revocation, replacing an earlier one.
	PutRevocation(ctx context.Context, r Revocation) error
	// RevokedAt returns the last revocation of a practitioner by a
	// beneficiary; ok is false when there is none.
	RevokedAt(ctx context.Context, beneficiaryID, practitionerID string) (time.Time, bool, error)
	// Revocations returns the beneficiary's last revocation of each
	// practitioner, by practitioner id.
	Revocations(ctx context.Context, beneficiaryID string) (map[string]time.Time, error)
}
