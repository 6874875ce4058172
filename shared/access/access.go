// Package access is the one place that answers "may this principal do this
// action on this beneficiary's data" (DOMAIN.md, "Who may see what"): the
// beneficiary itself, the managing caregiver of a dependent, caregivers by
// the permissions of their active care links, practitioners by care
// relationship, administrators for demographics only, nobody else. Every
// decision, allowed or denied, is appended to the audit trail before it is
// acted on; a denial is NotFound, exactly like a beneficiary that does not
// exist.
package access

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"ohcs/shared/audit"
	"ohcs/shared/auth"
	"ohcs/shared/logging"
	"ohcs/shared/problem"
)

// Permission is what a care link lets a caregiver do.
type Permission string

// The permissions of DOMAIN.md.
const (
	ViewRecords          Permission = "viewRecords"
	BookAppointments     Permission = "bookAppointments"
	ManageProfile        Permission = "manageProfile"
	ReceiveNotifications Permission = "receiveNotifications"
)

// Permissions lists every permission.
var Permissions = []Permission{ViewRecords, BookAppointments, ManageProfile, ReceiveNotifications}

// Action is what the caller wants to do with a beneficiary's data.
type Action string

// The actions and who may do them.
const (
	// ReadProfile: the beneficiary, caregivers with viewRecords,
	// manageProfile or bookAppointments, practitioners with a care
	// relationship; administrators see demographics only.
	ReadProfile Action = "readProfile"
	// UpdateProfile: the beneficiary, caregivers with manageProfile.
	UpdateProfile Action = "updateProfile"
	// ReadRecords: the beneficiary, caregivers with viewRecords,
	// practitioners with a care relationship.
	ReadRecords Action = "readRecords"
	// WriteRecords: practitioners with a care relationship, the
	// beneficiary itself.
	WriteRecords Action = "writeRecords"
	// Book: the beneficiary, caregivers with bookAppointments.
	Book Action = "book"
	// ManageAccess: the beneficiary, the managing caregiver of a dependent.
	ManageAccess Action = "manageAccess"
	// ReadAccessLog: the beneficiary, caregivers with viewRecords.
	ReadAccessLog Action = "readAccessLog"
	// ReadAppointments: the beneficiary, caregivers with bookAppointments
	// or viewRecords.
	ReadAppointments Action = "readAppointments"
	// Notify: practitioners with a care relationship.
	Notify Action = "notify"
)

// Basis is why access was granted.
type Basis string

// The bases.
const (
	Self              Basis = "self"
	ManagingCaregiver Basis = "managingCaregiver"
	LinkedCaregiver   Basis = "caregiver"
	CareRelationship  Basis = "practitioner"
	Administration    Basis = "administrator"
)

// Subject is what the policy knows of a beneficiary.
type Subject struct {
	BeneficiaryID string
	// Sub is the beneficiary's own account; empty for a dependent.
	Sub string
	// ManagedBy is the caregiver id that manages a dependent.
	ManagedBy string
}

// Link is a care link as the policy sees it.
type Link struct {
	CaregiverID string
	Permissions []Permission
	Revoked     bool
	// Pending is a link the caregiver has not accepted: it grants nothing.
	Pending bool
	// ExpiresAt, when set, ends the link at that instant.
	ExpiresAt time.Time
}

// Grants reports whether the link grants p at now: not revoked, not
// expired, holding p.
func (l Link) Grants(p Permission, now time.Time) bool {
	return l.Active(now) && slices.Contains(l.Permissions, p)
}

// Active reports whether the link is in force at now.
func (l Link) Active(now time.Time) bool {
	return !l.Revoked && !l.Pending && (l.ExpiresAt.IsZero() || now.Before(l.ExpiresAt))
}

// Directory answers the policy's questions about people.
type Directory interface {
	// Subject returns a beneficiary; NotFound.
	Subject(ctx context.Context, beneficiaryID string) (Subject, error)
	// CaregiverID returns the caregiver profile of sub; NotFound.
	CaregiverID(ctx context.Context, sub string) (string, error)
	// Practitioner returns the practitioner profile of sub; NotFound.
	Practitioner(ctx context.Context, sub string) (PractitionerProfile, error)
	// Links returns the care links between a beneficiary and a caregiver.
	Links(ctx context.Context, beneficiaryID, caregiverID string) ([]Link, error)
	// RevokedAt returns when the beneficiary last ended the practitioner's
	// care relationship; ok is false if it never did.
	RevokedAt(ctx context.Context, beneficiaryID, practitionerID string) (at time.Time, ok bool, err error)
	// Revocations returns when the beneficiary last ended each
	// practitioner's care relationship, by practitioner id: what RevokedAt
	// answers for each, read by the beneficiary alone, so that it can be
	// asked before the caller's practitioner profile is known.
	Revocations(ctx context.Context, beneficiaryID string) (map[string]time.Time, error)
	// Facts reads at once what every decision starts from: the
	// beneficiary (its NotFound is the error), and the caller's
	// caregiver id and practitioner profile when asked (their NotFound
	// is in Facts). A directory without a batch read answers with
	// LookUp.
	Facts(ctx context.Context, beneficiaryID, sub string, caregiver, practitioner bool) (Facts, error)
}

// Facts is what a decision starts from.
type Facts struct {
	Subject         Subject
	CaregiverID     string
	CaregiverErr    error
	Practitioner    PractitionerProfile
	PractitionerErr error
	// Care are the beneficiary's appointments that may hold a care
	// relationship, and Revoked when it last ended each practitioner's
	// access, when the directory read them with the rest (CareRead; else
	// the policy asks Care and the directory's Revocations).
	Care     []CareAppointment
	Revoked  map[string]time.Time
	CareRead bool
}

// LookUp answers Facts from d's separate lookups, sent together.
func LookUp(ctx context.Context, d Directory, beneficiaryID, sub string, caregiver, practitioner bool) (Facts, error) {
	var (
		f             Facts
		lookups, lctx = errgroup.WithContext(ctx)
	)
	lookups.Go(func() (err error) {
		f.Subject, err = d.Subject(lctx, beneficiaryID)
		return err
	})
	if caregiver {
		lookups.Go(func() error {
			f.CaregiverID, f.CaregiverErr = d.CaregiverID(lctx, sub)
			return nil
		})
	}
	if practitioner {
		lookups.Go(func() error {
			f.Practitioner, f.PractitionerErr = d.Practitioner(lctx, sub)
			return nil
		})
	}
	if err := lookups.Wait(); err != nil {
		return Facts{}, err
	}
	return f, nil
}

// PractitionerProfile is what the policy knows of a practitioner.
type PractitionerProfile struct {
	ID string
	// Verified is whether its verification is verified now: a pending,
	// rejected or suspended practitioner reaches no beneficiary's data.
	Verified bool
}

// Policy decides and audits.
type Policy struct {
	Directory Directory
	Care      CareRelationships
	Audit     audit.Store
	Now       func() time.Time
	NewID     func() string
}

// Resource names what is accessed, for the audit trail.
type Resource struct {
	Type string
	ID   string
}

// Decision is an allowed access.
type Decision struct {
	Basis Basis
	// DemographicsOnly limits what may be shown: name, birth date, sex and
	// contact.
	DemographicsOnly bool
	// ActorID is the caller's profile id in its basis: the caregiver or
	// practitioner id; empty for Self and Administration.
	ActorID string
	Subject Subject
}

// Authorize decides whether p may do action on the data of beneficiaryID,
// appends the audit event (auditAction names the operation) and returns the
// decision, or NotFound for a denial, or Unavailable when the audit trail
// cannot record it.
func (pol *Policy) Authorize(ctx context.Context, p auth.Principal, action Action, beneficiaryID string, auditAction string, res Resource) (Decision, error) {
	d, ev, err := pol.authorize(ctx, p, action, beneficiaryID, auditAction, res, nil)
	if err != nil {
		return Decision{}, err
	}
	if err := pol.Audit.Append(ctx, ev); err != nil {
		return Decision{}, err
	}
	return d, nil
}

// Decide is Authorize without the write of an allowed decision's event:
// the caller records it before acting on the decision (Recording, or with
// the write it allows). A refusal is recorded here, as Authorize does.
func (pol *Policy) Decide(ctx context.Context, p auth.Principal, action Action, beneficiaryID string, auditAction string, res Resource) (Decision, audit.Event, error) {
	return pol.authorize(ctx, p, action, beneficiaryID, auditAction, res, nil)
}

// Recording appends ev while read reads what it allows: a round trip
// instead of two. What read found may be shown only when Recording
// returns nil, the event stored (Unavailable when the trail cannot store
// it, whatever read found).
func (pol *Policy) Recording(ctx context.Context, ev audit.Event, read func(ctx context.Context) error) error {
	var appendErr, readErr error
	var both sync.WaitGroup
	both.Go(func() { appendErr = pol.Audit.Append(ctx, ev) })
	both.Go(func() { readErr = read(ctx) })
	both.Wait()
	if appendErr != nil {
		return appendErr
	}
	return readErr
}

// authorize decides and applies rule (a further refusal of an allowed
// decision: Forbidden, answered as it is; any other error is a failure).
// A refusal is audited here; an allowed decision returns its event, which
// the caller appends before acting on it (Authorize), or writes with what
// it allows (AuthorizeBooking).
func (pol *Policy) authorize(ctx context.Context, p auth.Principal, action Action, beneficiaryID, auditAction string, res Resource, rule func(Decision) error) (Decision, audit.Event, error) {
	d, err := pol.decide(ctx, p, action, beneficiaryID)
	if err != nil && !problem.Is(err, problem.NotFound) {
		return Decision{}, audit.Event{}, err
	}
	var refused error
	if err == nil && rule != nil {
		if refused = rule(d); refused != nil && !problem.Is(refused, problem.Forbidden) {
			return Decision{}, audit.Event{}, refused
		}
	}
	if err == nil && refused == nil {
		return d, pol.event(ctx, p, string(d.Basis), auditAction, res, beneficiaryID, audit.Allowed), nil
	}
	if rerr := pol.Record(ctx, p, firstRole(p), auditAction, res, beneficiaryID, audit.Denied); rerr != nil {
		return Decision{}, audit.Event{}, rerr
	}
	if err != nil {
		return Decision{}, audit.Event{}, problem.New(problem.NotFound, "no beneficiary %s", beneficiaryID)
	}
	return Decision{}, audit.Event{}, refused
}

// AuthorizeBooking decides whether p may book beneficiaryID with the
// practitioner practitionerID (Book), with the booking rules of DOMAIN.md:
// a caregiver never books a beneficiary with its own practitioner profile,
// and after the beneficiary revoked that practitioner only the beneficiary
// itself (or the managing caregiver of a dependent) books it again, so that
// a booking never undoes a revocation. A refusal is audited as Authorize
// audits it (one by these rules is Forbidden: the caller may book others);
// an allowed decision returns its event unwritten, for the booking to
// write in its own transaction, or to append when nothing is booked: it is
// recorded with the booking or before the answer.
func (pol *Policy) AuthorizeBooking(ctx context.Context, p auth.Principal, beneficiaryID, practitionerID, auditAction string, res Resource) (Decision, audit.Event, error) {
	return pol.authorize(ctx, p, Book, beneficiaryID, auditAction, res, func(d Decision) error {
		if (d.Basis == LinkedCaregiver || d.Basis == ManagingCaregiver) && p.Has(auth.Practitioner) {
			prof, err := pol.Directory.Practitioner(ctx, p.Sub)
			if err != nil && !problem.Is(err, problem.NotFound) {
				return err
			}
			if err == nil && prof.ID == practitionerID {
				return problem.New(problem.Forbidden, "a caregiver does not book a beneficiary with its own practitioner profile")
			}
		}
		if d.Basis == LinkedCaregiver {
			_, revoked, err := pol.Directory.RevokedAt(ctx, beneficiaryID, practitionerID)
			if err != nil {
				return err
			}
			if revoked {
				return problem.New(problem.Forbidden, "the beneficiary ended this practitioner's access: only the beneficiary books it again")
			}
		}
		return nil
	})
}

// OwnPractitioner returns the practitioner profile id of p when p may act
// as the practitioner of its own appointments: it holds the role and a
// profile verified now. A pending, rejected or suspended practitioner
// reaches none of its appointments (ok is false), as none of its patients'
// data.
func (pol *Policy) OwnPractitioner(ctx context.Context, p auth.Principal) (id string, ok bool, err error) {
	if !p.Has(auth.Practitioner) {
		return "", false, nil
	}
	prof, err := pol.Directory.Practitioner(ctx, p.Sub)
	if problem.Is(err, problem.NotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return prof.ID, prof.Verified, nil
}

// Record appends one audit event.
func (pol *Policy) Record(ctx context.Context, p auth.Principal, role, action string, res Resource, beneficiaryID string, outcome audit.Outcome) error {
	return pol.Audit.Append(ctx, pol.event(ctx, p, role, action, res, beneficiaryID, outcome))
}

func (pol *Policy) event(ctx context.Context, p auth.Principal, role, action string, res Resource, beneficiaryID string, outcome audit.Outcome) audit.Event {
	return audit.Event{
		ID: pol.NewID(), Time: pol.Now().UTC(), ActorSub: p.Sub, ActorRole: role,
		Action: action, ResourceType: res.Type, ResourceID: res.ID, BeneficiaryID: beneficiaryID,
		Outcome: outcome, RequestID: logging.RequestID(ctx),
	}
}

func firstRole(p auth.Principal) string {
	if len(p.Roles) == 0 {
		return ""
	}
	return string(p.Roles[0])
}

var denied = problem.New(problem.NotFound, "not visible")

// decide finds the strongest basis p holds for action. What depends only
// on the request (the beneficiary, the caller's caregiver and practitioner
// profiles) is read at once (Directory.Facts), and so are the two that
// depend on the practitioner's profile (the care relationship and the
// revocation): each group is one round trip of waiting, not one per
// lookup.
func (pol *Policy) decide(ctx context.Context, p auth.Principal, action Action, beneficiaryID string) (Decision, error) {
	asCaregiver := p.Has(auth.Caregiver)
	asPractitioner := p.Has(auth.Practitioner) && (action == ReadProfile || action == ReadRecords || action == WriteRecords || action == Notify)
	now := pol.Now()
	// A care relationship is the beneficiary's appointments and
	// revocations, by practitioner: both are keyed by the beneficiary
	// alone, so the directory reads them in the facts' batch, and the
	// caller's profile picks its own.
	facts, err := pol.Directory.Facts(ctx, beneficiaryID, p.Sub, asCaregiver, asPractitioner)
	if err != nil {
		return Decision{}, err
	}
	care, revoked := facts.Care, facts.Revoked
	var bErr, revErr error
	if asPractitioner && !facts.CareRead {
		var asks sync.WaitGroup
		asks.Go(func() { care, bErr = pol.Care.Care(ctx, beneficiaryID) })
		asks.Go(func() { revoked, revErr = pol.Directory.Revocations(ctx, beneficiaryID) })
		asks.Wait()
	}
	booked := LatestBookings(care, now)
	subj, cg, cgErr, prof, profErr := facts.Subject, facts.CaregiverID, facts.CaregiverErr, facts.Practitioner, facts.PractitionerErr
	d := Decision{Subject: subj}
	if p.Has(auth.Beneficiary) && subj.Sub != "" && subj.Sub == p.Sub {
		switch action {
		case ReadProfile, UpdateProfile, ReadRecords, WriteRecords, Book, ManageAccess, ReadAccessLog, ReadAppointments:
			d.Basis = Self
			return d, nil
		}
	}
	if asCaregiver {
		if cgErr == nil {
			d.ActorID = cg
			if subj.ManagedBy != "" && subj.ManagedBy == cg && action != WriteRecords {
				d.Basis = ManagingCaregiver
				return d, nil
			}
			links, err := pol.Directory.Links(ctx, beneficiaryID, cg)
			if err != nil {
				return Decision{}, err
			}
			if needs, ok := caregiverNeeds[action]; ok {
				for _, l := range links {
					if !l.Active(now) {
						continue
					}
					if len(needs) == 0 || slices.ContainsFunc(needs, func(p Permission) bool { return l.Grants(p, now) }) {
						d.Basis = LinkedCaregiver
						return d, nil
					}
				}
			}
		} else if !problem.Is(cgErr, problem.NotFound) {
			return Decision{}, cgErr
		}
	}
	if asPractitioner {
		if profErr == nil && prof.Verified {
			if err := errors.Join(bErr, revErr); err != nil {
				return Decision{}, err
			}
			// Not ended by the beneficiary since the latest booking.
			at, ok := booked[prof.ID]
			if end, wasRevoked := revoked[prof.ID]; ok && wasRevoked && !at.After(end) {
				ok = false
			}
			if ok {
				d.Basis, d.ActorID = CareRelationship, prof.ID
				return d, nil
			}
		} else if profErr != nil && !problem.Is(profErr, problem.NotFound) {
			return Decision{}, profErr
		}
	}
	if p.Has(auth.Administrator) && action == ReadProfile {
		d.Basis, d.DemographicsOnly = Administration, true
		return d, nil
	}
	return Decision{}, denied
}

// caregiverNeeds lists, per action, the permissions of which a linked
// caregiver needs one; an empty list means any active link.
var caregiverNeeds = map[Action][]Permission{
	// The profile holds contact details: a caregiver that only receives
	// notices does not read it.
	ReadProfile:      {ViewRecords, ManageProfile, BookAppointments},
	UpdateProfile:    {ManageProfile},
	ReadRecords:      {ViewRecords},
	Book:             {BookAppointments},
	ReadAccessLog:    {ViewRecords},
	ReadAppointments: {BookAppointments, ViewRecords},
}
