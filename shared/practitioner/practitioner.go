// Package practitioner owns practitioner profiles: their fields and rules,
// verification by administrators, who may see which fields, and the search
// of verified practitioners. Its Store is implemented in practitionerdb and
// its HTTP handlers live in practitionerhttp.
package practitioner

import (
	"context"
	"time"
)

// Mode is a way of consulting.
type Mode string

// The consultation modes.
const (
	InPerson Mode = "inPerson"
	Video    Mode = "video"
	Phone    Mode = "phone"
)

// Modes lists every mode.
var Modes = []Mode{InPerson, Video, Phone}

// Verification is the state of an administrator's review.
type Verification string

// The verification states. A profile starts pending; only verified profiles
// are searchable, bookable and may share knowledge.
const (
	Pending  Verification = "pending"
	Verified Verification = "verified"
	Rejected Verification = "rejected"
	// Suspended is a verified practitioner whose license lapsed or is under
	// investigation: like rejected, it reaches no beneficiary's data, is
	// neither searchable nor bookable, until it is verified again.
	Suspended Verification = "suspended"
)

// Genders accepted for a practitioner.
var Genders = []string{"female", "male", "other", "unknown"}

// Specialty is a coded specialty.
type Specialty struct {
	Code    string
	Display string
}

// Address is a postal address.
type Address struct {
	Line, City, Region, PostalCode string
	Country                        string
}

// Location is where a practitioner receives; coordinates are optional and
// come together.
type Location struct {
	Address   Address
	Latitude  *float64
	Longitude *float64
}

// License is a license to practise.
type License struct {
	Number    string
	Issuer    string
	Country   string
	ValidFrom string
	ValidTo   string
}

// Profile is what a practitioner states about itself.
type Profile struct {
	FullName    string
	Gender      string
	BirthDate   string
	Phone       string
	Email       string
	Specialties []Specialty
	Languages   []string
	Modes       []Mode
	Location    Location
	TimeZone    string
	Bio         string
	Licenses    []License
}

// Identity is what verification vouches for: the name, the specialties and
// the licenses.
type Identity struct {
	FullName    string
	Specialties []Specialty
	Licenses    []License
}

// Practitioner is a stored profile.
type Practitioner struct {
	ID  string
	Sub string
	// Profile is the published profile: for a verified practitioner, its
	// identity is the verified one.
	Profile
	// Proposed is a change of a verified practitioner's identity waiting
	// for review: search and the public view keep the verified values
	// until an administrator verifies the profile again.
	Proposed         *Identity
	Verification     Verification
	VerificationNote string
	VerifiedAt       time.Time
	VerifiedBy       string
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int64
}

// Query selects verified practitioners.
type Query struct {
	Specialty string
	Language  string
	Mode      Mode
	// NamePrefix matches the start of the name, accent- and case-folded.
	NamePrefix string
	// Near, when set, keeps practitioners within RadiusKm of it, nearest
	// first.
	Near     *Point
	RadiusKm float64
	Limit    int
	// After is the position of the last item of the previous page.
	After map[string]string
}

// Page is one page of a search.
type Page struct {
	Items []Practitioner
	// Positions are the positions of the items, to continue after any one.
	Positions []map[string]string
	// Distances are the items' distances in km from Query.Near.
	Distances []float64
	// Next is the position to continue from; nil on the last page.
	Next map[string]string
}

// Store keeps practitioners.
type Store interface {
	// Create stores a new practitioner; Conflict when its sub already has one.
	Create(ctx context.Context, p Practitioner) error
	// Get returns a practitioner; NotFound.
	Get(ctx context.Context, id string) (Practitioner, error)
	// GetBySub returns the practitioner of a sub; NotFound.
	GetBySub(ctx context.Context, sub string) (Practitioner, error)
	// Update replaces old with updated, whose version is old's plus one;
	// PreconditionFailed when the stored version is no longer old's.
	Update(ctx context.Context, old, updated Practitioner) error
	// Search returns a page of verified practitioners sorted by folded name.
	Search(ctx context.Context, q Query) (Page, error)
}
