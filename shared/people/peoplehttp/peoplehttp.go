// Package peoplehttp serves the people and access operations over HTTP:
// beneficiary, caregiver and donor profiles, care links, practitioner
// revocations and the audit trail's readers. It composes the people domain
// with the access policy, the audit store and the practitioner directory.
package peoplehttp

import (
	"context"
	"net/http"
	"time"

	"ohcs/shared/app"
	"ohcs/shared/page"

	"ohcs/shared/access"
	"ohcs/shared/audit"
	"ohcs/shared/auth"
	"ohcs/shared/cursor"
	"ohcs/shared/etag"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/people"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func CreateBeneficiaryProfile() platform.Operation {
	return op((*Handlers).CreateBeneficiary, tables.People)
}
func GetBeneficiary() platform.Operation { return op((*Handlers).GetBeneficiary) }
func UpdateBeneficiaryProfile() platform.Operation {
	return op((*Handlers).UpdateBeneficiary, tables.People)
}
func CreateCaregiverProfile() platform.Operation {
	return op((*Handlers).CreateCaregiver, tables.People)
}
func GetCaregiver() platform.Operation          { return op((*Handlers).GetCaregiver) }
func CreateDonorProfile() platform.Operation    { return op((*Handlers).CreateDonor, tables.People) }
func GrantCaregiverAccess() platform.Operation  { return op((*Handlers).Grant, tables.People) }
func RevokeCaregiverAccess() platform.Operation { return op((*Handlers).Revoke, tables.People) }
func RespondToCareLink() platform.Operation     { return op((*Handlers).Respond, tables.People) }
func ListCareLinks() platform.Operation         { return op((*Handlers).ListLinks) }
func RevokePractitionerAccess() platform.Operation {
	return op((*Handlers).RevokePractitioner, tables.People)
}
func ListMyAccessLog() platform.Operation { return op((*Handlers).AccessLog) }
func ListAuditEvents() platform.Operation { return op((*Handlers).AuditEvents) }

// op declares an operation: every one reads people, practitioners (the
// policy's directory) and scheduling (the policy's care relationships, from
// appointments) and writes audit events; writes lists the tables it changes
// besides.
var op = platform.Ops(New, []tables.Table{tables.People, tables.Practitioners, tables.Scheduling, tables.Audit}, tables.Audit)

// Practitioners is what these handlers need of the practitioner domain.
type Practitioners interface {
	// IDOf returns the practitioner profile id of sub; NotFound.
	IDOf(ctx context.Context, sub string) (string, error)
	// ProfileOf returns the practitioner profile of sub with its
	// verification now; NotFound.
	ProfileOf(ctx context.Context, sub string) (access.PractitionerProfile, error)
	// Exists reports whether a practitioner id exists.
	Exists(ctx context.Context, id string) (bool, error)
}

// Trail is the audit trail, as the access logs read it.
type Trail interface {
	// List returns events of q.BeneficiaryID, or else of q.ActorSub.
	List(ctx context.Context, q audit.Query) (page.Of[audit.Event], error)
}

// Handlers serves the operations.
type Handlers struct {
	Service       *people.Service
	Policy        *access.Policy
	Audit         Trail
	Practitioners Practitioners
	Cursors       *cursor.Sealer
	Now           func() time.Time
}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	parts := app.Of(env)
	return &Handlers{Service: parts.PeopleService(), Policy: parts.Policy(), Audit: parts.Audit(),
		Practitioners: app.PractitionerLookup{Service: parts.Practitioners()}, Cursors: env.Cursors, Now: env.Now}
}

// authorize resolves the path's beneficiary and asks the policy.
func (h *Handlers) authorize(r *http.Request, p auth.Principal, action access.Action, op, resourceType string) (string, access.Decision, error) {
	id, err := lambdahttp.PathID(r, "beneficiaryId")
	if err != nil {
		return "", access.Decision{}, err
	}
	d, err := h.Policy.Authorize(r.Context(), p, action, id, op, access.Resource{Type: resourceType, ID: id})
	return id, d, err
}

// CreateBeneficiary serves createBeneficiaryProfile.
func (h *Handlers) CreateBeneficiary(w http.ResponseWriter, r *http.Request) error {
	var in beneficiaryIn
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	managedBy := ""
	switch {
	case in.ForDependent && !p.Has(auth.Caregiver):
		return problem.New(problem.Forbidden, "only caregivers create dependents")
	case !in.ForDependent && !p.Has(auth.Beneficiary):
		return problem.New(problem.Forbidden, "a caregiver creates a dependent with forDependent: true")
	case in.ForDependent:
		cg, err := h.Service.CaregiverOf(r.Context(), p.Sub)
		if problem.Is(err, problem.NotFound) {
			err = problem.New(problem.Unprocessable, "create your caregiver profile before creating dependents")
		}
		if err != nil {
			return err
		}
		managedBy = cg.ID
	}
	b, err := h.Service.CreateBeneficiary(r.Context(), p.Sub, managedBy, in.profile())
	if err != nil {
		return err
	}
	role := string(auth.Beneficiary)
	if managedBy != "" {
		role = string(auth.Caregiver)
	}
	if err := h.Policy.Record(r.Context(), p, role, "createBeneficiaryProfile",
		access.Resource{Type: "beneficiary", ID: b.ID}, b.ID, audit.Allowed); err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/beneficiaries/"+b.ID, b.Version, beneficiaryOut(b, false))
	return nil
}

// GetBeneficiary serves getBeneficiary.
func (h *Handlers) GetBeneficiary(w http.ResponseWriter, r *http.Request) error {
	p, id, err := lambdahttp.Target(r, "beneficiaryId")
	if err != nil {
		return err
	}
	// The profile is read while the decision is recorded, and shown only
	// once it is.
	d, ev, err := h.Policy.Decide(r.Context(), p, access.ReadProfile, id, "getBeneficiary", access.Resource{Type: "beneficiary", ID: id})
	if err != nil {
		return err
	}
	var b people.Beneficiary
	if err := h.Policy.Recording(r.Context(), ev, func(ctx context.Context) (err error) {
		b, err = h.Service.Beneficiary(ctx, id)
		return err
	}); err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, b.Version, beneficiaryOut(b, d.DemographicsOnly))
	return nil
}

// UpdateBeneficiary serves updateBeneficiaryProfile.
func (h *Handlers) UpdateBeneficiary(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	version, err := etag.IfMatch(r)
	if err != nil {
		return err
	}
	data, err := jsonio.Read(r)
	if err != nil {
		return err
	}
	patch, err := decodePatch(data)
	if err != nil {
		return err
	}
	id, _, err := h.authorize(r, p, access.UpdateProfile, "updateBeneficiaryProfile", "beneficiary")
	if err != nil {
		return err
	}
	b, err := h.Service.UpdateBeneficiary(r.Context(), id, patch, version)
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, b.Version, beneficiaryOut(b, false))
	return nil
}

// CreateCaregiver serves createCaregiverProfile.
func (h *Handlers) CreateCaregiver(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		FullName string `json:"fullName"`
		Phone    string `json:"phone"`
		Email    string `json:"email"`
	}
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	c, err := h.Service.CreateCaregiver(r.Context(), p.Sub, people.Caregiver{FullName: in.FullName, Phone: in.Phone, Email: in.Email})
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/caregivers/"+c.ID, c.Version, caregiverOut(c))
	return nil
}

// GetCaregiver serves getCaregiver: the caregiver itself, beneficiaries it
// holds an active link from, administrators.
func (h *Handlers) GetCaregiver(w http.ResponseWriter, r *http.Request) error {
	p, id, err := lambdahttp.Target(r, "caregiverId")
	if err != nil {
		return err
	}
	c, err := h.Service.CaregiverFor(r.Context(), p, id)
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, c.Version, caregiverOut(c))
	return nil
}

// CreateDonor serves createDonorProfile.
func (h *Handlers) CreateDonor(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		DisplayName        string `json:"displayName"`
		Email              string `json:"email"`
		Country            string `json:"country"`
		AnonymousByDefault bool   `json:"anonymousByDefault"`
	}
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	d, err := h.Service.CreateDonor(r.Context(), p.Sub, people.Donor{DisplayName: in.DisplayName, Email: in.Email,
		Country: in.Country, AnonymousByDefault: in.AnonymousByDefault})
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/donors/"+d.ID, d.Version, donorJSON{ID: d.ID, DisplayName: d.DisplayName, Email: d.Email, Country: d.Country,
		AnonymousByDefault: d.AnonymousByDefault, Stamps: jsonio.StampsOf(d.CreatedAt, d.UpdatedAt, d.Version)})
	return nil
}
