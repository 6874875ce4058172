// Package peoplehttp serves the people and access operations over HTTP:
// beneficiary, caregiver and donor profiles, care links, practitioner
// revocations and the audit trail's readers. It composes the people domain
// with the access policy, the audit store and the practitioner directory.
package peoplehttp

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"

	"ohcs/shared/app"

	"ohcs/shared/access"
	"ohcs/shared/audit"
	"ohcs/shared/auth"
	"ohcs/shared/cursor"
	"ohcs/shared/etag"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/paging"
	"ohcs/shared/people"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

// Registry maps the operations of this package to their handlers; a
// function links only its own (its main calls that operation's func).
func Registry() platform.Registry {
	return platform.Registry{
		"createBeneficiaryProfile": CreateBeneficiaryProfile(),
		"getBeneficiary":           GetBeneficiary(),
		"updateBeneficiaryProfile": UpdateBeneficiaryProfile(),
		"createCaregiverProfile":   CreateCaregiverProfile(),
		"getCaregiver":             GetCaregiver(),
		"createDonorProfile":       CreateDonorProfile(),
		"grantCaregiverAccess":     GrantCaregiverAccess(),
		"revokeCaregiverAccess":    RevokeCaregiverAccess(),
		"respondToCareLink":        RespondToCareLink(),
		"listCareLinks":            ListCareLinks(),
		"revokePractitionerAccess": RevokePractitionerAccess(),
		"listMyAccessLog":          ListMyAccessLog(),
		"listAuditEvents":          ListAuditEvents(),
	}
}

// CreateBeneficiaryProfile is the createBeneficiaryProfile operation: its handler and its tables.
func CreateBeneficiaryProfile() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.CreateBeneficiary }, tables.People)
}

// GetBeneficiary is the getBeneficiary operation: its handler and its tables.
func GetBeneficiary() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.GetBeneficiary })
}

// UpdateBeneficiaryProfile is the updateBeneficiaryProfile operation: its handler and its tables.
func UpdateBeneficiaryProfile() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.UpdateBeneficiary }, tables.People)
}

// CreateCaregiverProfile is the createCaregiverProfile operation: its handler and its tables.
func CreateCaregiverProfile() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.CreateCaregiver }, tables.People)
}

// GetCaregiver is the getCaregiver operation: its handler and its tables.
func GetCaregiver() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.GetCaregiver })
}

// CreateDonorProfile is the createDonorProfile operation: its handler and its tables.
func CreateDonorProfile() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.CreateDonor }, tables.People)
}

// GrantCaregiverAccess is the grantCaregiverAccess operation: its handler and its tables.
func GrantCaregiverAccess() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.Grant }, tables.People)
}

// RevokeCaregiverAccess is the revokeCaregiverAccess operation: its handler and its tables.
func RevokeCaregiverAccess() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.Revoke }, tables.People)
}

// RespondToCareLink is the respondToCareLink operation: its handler and its tables.
func RespondToCareLink() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.Respond }, tables.People)
}

// ListCareLinks is the listCareLinks operation: its handler and its tables.
func ListCareLinks() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.ListLinks })
}

// RevokePractitionerAccess is the revokePractitionerAccess operation: its handler and its tables.
func RevokePractitionerAccess() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.RevokePractitioner }, tables.People)
}

// ListMyAccessLog is the listMyAccessLog operation: its handler and its tables.
func ListMyAccessLog() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.AccessLog })
}

// ListAuditEvents is the listAuditEvents operation: its handler and its tables.
func ListAuditEvents() platform.Operation {
	return op(func(h *Handlers) platform.HandlerFunc { return h.AuditEvents })
}

// op declares an operation: every one reads people, practitioners (the
// policy's directory) and scheduling (the policy's care relationships, from
// appointments) and writes audit events; writes lists the tables it changes
// besides.
func op(pick func(*Handlers) platform.HandlerFunc, writes ...tables.Table) platform.Operation {
	return platform.Operation{
		Build:  func(env *platform.Env) (http.Handler, error) { return platform.Handle(pick(New(env))), nil },
		Reads:  []tables.Table{tables.People, tables.Practitioners, tables.Scheduling, tables.Audit},
		Writes: append([]tables.Table{tables.Audit}, writes...),
	}
}

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

// Handlers serves the operations.
type Handlers struct {
	Service       *people.Service
	Policy        *access.Policy
	Audit         audit.Store
	Practitioners Practitioners
	Cursors       *cursor.Sealer
	Now           func() time.Time
}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	parts := app.Of(env)
	return &Handlers{
		Service: &people.Service{Store: parts.People(), Now: env.Now, NewID: env.NewID},
		Policy:  parts.Policy(),
		Audit:   parts.Audit(), Practitioners: app.PractitionerLookup{Service: parts.Practitioners()}, Cursors: env.Cursors, Now: env.Now,
	}
}

var idRE = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`)

func pathID(r *http.Request, name string) (string, error) {
	id := lambdahttp.PathParam(r, name)
	if !idRE.MatchString(id) {
		return "", problem.Field(name, "is not an id")
	}
	return id, nil
}

// authorize resolves the path's beneficiary and asks the policy.
func (h *Handlers) authorize(r *http.Request, p auth.Principal, action access.Action, op, resourceType string) (string, access.Decision, error) {
	id, err := pathID(r, "beneficiaryId")
	if err != nil {
		return "", access.Decision{}, err
	}
	d, err := h.Policy.Authorize(r.Context(), p, action, id, op, access.Resource{Type: resourceType, ID: id})
	return id, d, err
}

// CreateBeneficiary serves createBeneficiaryProfile.
func (h *Handlers) CreateBeneficiary(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	var in beneficiaryIn
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	managedBy := ""
	switch {
	case in.ForDependent && !p.Has(auth.Caregiver):
		return problem.New(problem.Forbidden, "only caregivers create dependents")
	case !in.ForDependent && !p.Has(auth.Beneficiary):
		return problem.New(problem.Forbidden, "a caregiver creates a dependent with forDependent: true")
	case in.ForDependent:
		cg, err := h.Service.Store.CaregiverBySub(r.Context(), p.Sub)
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
	w.Header().Set("Location", "/v1/beneficiaries/"+b.ID)
	etag.Set(w, b.Version)
	jsonio.Write(w, http.StatusCreated, beneficiaryOut(b, false))
	return nil
}

// GetBeneficiary serves getBeneficiary.
func (h *Handlers) GetBeneficiary(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	id, d, err := h.authorize(r, p, access.ReadProfile, "getBeneficiary", "beneficiary")
	if err != nil {
		return err
	}
	b, err := h.Service.Store.GetBeneficiary(r.Context(), id)
	if err != nil {
		return err
	}
	etag.Set(w, b.Version)
	jsonio.Write(w, http.StatusOK, beneficiaryOut(b, d.DemographicsOnly))
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
	etag.Set(w, b.Version)
	jsonio.Write(w, http.StatusOK, beneficiaryOut(b, false))
	return nil
}

// CreateCaregiver serves createCaregiverProfile.
func (h *Handlers) CreateCaregiver(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	var in struct {
		FullName string `json:"fullName"`
		Phone    string `json:"phone"`
		Email    string `json:"email"`
	}
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	c, err := h.Service.CreateCaregiver(r.Context(), p.Sub, people.Caregiver{FullName: in.FullName, Phone: in.Phone, Email: in.Email})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/caregivers/"+c.ID)
	etag.Set(w, c.Version)
	jsonio.Write(w, http.StatusCreated, caregiverOut(c))
	return nil
}

// GetCaregiver serves getCaregiver: the caregiver itself, beneficiaries it
// holds an active link from, administrators.
func (h *Handlers) GetCaregiver(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "caregiverId")
	if err != nil {
		return err
	}
	c, err := h.Service.Store.GetCaregiver(r.Context(), id)
	if err != nil {
		return err
	}
	visible := p.Has(auth.Administrator) || (p.Has(auth.Caregiver) && c.Sub == p.Sub)
	if !visible && p.Has(auth.Beneficiary) {
		if b, err := h.Service.Store.BeneficiaryBySub(r.Context(), p.Sub); err == nil {
			links, err := h.Service.Store.LinksBetween(r.Context(), b.ID, c.ID)
			if err != nil {
				return err
			}
			for _, l := range links {
				visible = visible || l.Policy().Active(h.Now())
			}
		}
	}
	if !visible {
		return problem.New(problem.NotFound, "no caregiver %s", id)
	}
	etag.Set(w, c.Version)
	jsonio.Write(w, http.StatusOK, caregiverOut(c))
	return nil
}

// CreateDonor serves createDonorProfile.
func (h *Handlers) CreateDonor(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	var in struct {
		DisplayName        string `json:"displayName"`
		Email              string `json:"email"`
		Country            string `json:"country"`
		AnonymousByDefault bool   `json:"anonymousByDefault"`
	}
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	d, err := h.Service.CreateDonor(r.Context(), p.Sub, people.Donor{DisplayName: in.DisplayName, Email: in.Email,
		Country: in.Country, AnonymousByDefault: in.AnonymousByDefault})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/donors/"+d.ID)
	etag.Set(w, d.Version)
	jsonio.Write(w, http.StatusCreated, donorJSON{ID: d.ID, DisplayName: d.DisplayName, Email: d.Email, Country: d.Country,
		AnonymousByDefault: d.AnonymousByDefault, CreatedAt: stamp(d.CreatedAt), UpdatedAt: stamp(d.UpdatedAt), Version: d.Version})
	return nil
}

// Grant serves grantCaregiverAccess.
func (h *Handlers) Grant(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	var in grantJSON
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	var expires time.Time
	if in.ExpiresAt != "" {
		if expires, err = time.Parse(time.RFC3339, in.ExpiresAt); err != nil {
			return problem.Field("expiresAt", "must be an RFC 3339 time such as 2026-12-01T09:30:00Z")
		}
	}
	if !idRE.MatchString(in.CaregiverID) {
		return problem.Field("caregiverId", "is not an id")
	}
	id, _, err := h.authorize(r, p, access.ManageAccess, "grantCaregiverAccess", "careLink")
	if err != nil {
		return err
	}
	link, err := h.Service.Grant(r.Context(), id, in.CaregiverID, in.permissions(), expires, p.Sub)
	if err != nil {
		return err
	}
	etag.Set(w, link.Version)
	jsonio.Write(w, http.StatusCreated, linkOut(link, h.Now()))
	return nil
}

// Revoke serves revokeCaregiverAccess.
func (h *Handlers) Revoke(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	linkID, err := pathID(r, "careLinkId")
	if err != nil {
		return err
	}
	// The link's own caregiver leaves it; anyone else needs the right to
	// manage the beneficiary's access.
	if cg, ok, err := h.ownCaregiver(r, p); err != nil {
		return err
	} else if ok {
		benID, err := pathID(r, "beneficiaryId")
		if err != nil {
			return err
		}
		if link, err := h.Service.Leave(r.Context(), cg, benID, linkID); err == nil {
			etag.Set(w, link.Version)
			jsonio.Write(w, http.StatusOK, linkOut(link, h.Now()))
			return nil
		} else if !problem.Is(err, problem.NotFound) {
			return err
		}
	}
	id, _, err := h.authorize(r, p, access.ManageAccess, "revokeCaregiverAccess", "careLink")
	if err != nil {
		return err
	}
	link, err := h.Service.Revoke(r.Context(), id, linkID)
	if err != nil {
		return err
	}
	etag.Set(w, link.Version)
	jsonio.Write(w, http.StatusOK, linkOut(link, h.Now()))
	return nil
}

// ownCaregiver returns the caregiver profile id of p, if it has one.
func (h *Handlers) ownCaregiver(r *http.Request, p auth.Principal) (string, bool, error) {
	if !p.Has(auth.Caregiver) {
		return "", false, nil
	}
	c, err := h.Service.Store.CaregiverBySub(r.Context(), p.Sub)
	if problem.Is(err, problem.NotFound) {
		return "", false, nil
	}
	return c.ID, err == nil, err
}

// Respond serves respondToCareLink: the caregiver a link names accepts or
// declines it.
func (h *Handlers) Respond(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	benID, err := pathID(r, "beneficiaryId")
	if err != nil {
		return err
	}
	linkID, err := pathID(r, "careLinkId")
	if err != nil {
		return err
	}
	var in struct {
		Decision string `json:"decision"`
	}
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	if in.Decision != "accept" && in.Decision != "decline" {
		return problem.Field("decision", "must be accept or decline")
	}
	cg, ok, err := h.ownCaregiver(r, p)
	if err != nil {
		return err
	}
	if !ok {
		return problem.New(problem.NotFound, "no care link %s", linkID)
	}
	link, err := h.Service.Respond(r.Context(), cg, benID, linkID, in.Decision == "accept")
	if err != nil {
		return err
	}
	etag.Set(w, link.Version)
	jsonio.Write(w, http.StatusOK, linkOut(link, h.Now()))
	return nil
}

// ListLinks serves listCareLinks.
func (h *Handlers) ListLinks(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	benID := r.URL.Query().Get("beneficiaryId")
	if r.URL.Query().Has("beneficiaryId") && !idRE.MatchString(benID) {
		return problem.Field("beneficiaryId", "is not an id")
	}
	var list func(limit int, after map[string]string) (people.LinkPage, error)
	scope := "listCareLinks\x1f" + p.Sub + "\x1f" + benID
	switch {
	case benID != "":
		if _, err := h.Policy.Authorize(ctx, p, access.ManageAccess, benID, "listCareLinks", access.Resource{Type: "careLink"}); err != nil {
			return err
		}
		list = func(limit int, after map[string]string) (people.LinkPage, error) {
			return h.Service.Store.LinksOfBeneficiary(ctx, benID, limit, after)
		}
	case p.Has(auth.Caregiver):
		cg, err := h.Service.Store.CaregiverBySub(ctx, p.Sub)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		list = func(limit int, after map[string]string) (people.LinkPage, error) {
			if cg.ID == "" {
				return people.LinkPage{}, nil
			}
			return h.Service.Store.LinksOfCaregiver(ctx, cg.ID, limit, after)
		}
		scope += "\x1fcaregiver"
	default:
		b, err := h.Service.Store.BeneficiaryBySub(ctx, p.Sub)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		list = func(limit int, after map[string]string) (people.LinkPage, error) {
			if b.ID == "" {
				return people.LinkPage{}, nil
			}
			return h.Service.Store.LinksOfBeneficiary(ctx, b.ID, limit, after)
		}
	}
	pg, err := paging.Parse(r, h.Cursors, scope)
	if err != nil {
		return err
	}
	page, err := list(pg.Limit, pg.After)
	if err != nil {
		return err
	}
	now := h.Now()
	return paging.Write(w, h.Cursors, scope, page.Items, page.Next, func(l people.CareLink) linkJSON { return linkOut(l, now) })
}

// RevokePractitioner serves revokePractitionerAccess.
func (h *Handlers) RevokePractitioner(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	var in struct {
		PractitionerID string `json:"practitionerId"`
	}
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	if !idRE.MatchString(in.PractitionerID) {
		return problem.Field("practitionerId", "is not an id")
	}
	id, _, err := h.authorize(r, p, access.ManageAccess, "revokePractitionerAccess", "practitionerAccess")
	if err != nil {
		return err
	}
	ok, err := h.Practitioners.Exists(r.Context(), in.PractitionerID)
	if err != nil {
		return err
	}
	if !ok {
		return problem.Field("practitionerId", "no practitioner has this id")
	}
	rev, err := h.Service.RevokePractitioner(r.Context(), id, in.PractitionerID)
	if err != nil {
		return err
	}
	jsonio.Write(w, http.StatusCreated, map[string]string{
		"beneficiaryId": rev.BeneficiaryID, "practitionerId": rev.PractitionerID, "revokedAt": stamp(rev.RevokedAt)})
	return nil
}

func (h *Handlers) events(w http.ResponseWriter, r *http.Request, q audit.Query, scope string) error {
	pg, err := paging.Parse(r, h.Cursors, scope)
	if err != nil {
		return err
	}
	q.Limit, q.After = pg.Limit, pg.After
	page, err := h.Audit.List(r.Context(), q)
	if err != nil {
		return err
	}
	return paging.Write(w, h.Cursors, scope, page.Items, page.Next, eventOut)
}

// AccessLog serves listMyAccessLog.
func (h *Handlers) AccessLog(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	id, _, err := h.authorize(r, p, access.ReadAccessLog, "listMyAccessLog", "accessLog")
	if err != nil {
		return err
	}
	return h.events(w, r, audit.Query{BeneficiaryID: id}, "listMyAccessLog\x1f"+id)
}

// AuditEvents serves listAuditEvents.
func (h *Handlers) AuditEvents(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.FromRequest(r); err != nil {
		return err
	}
	v := r.URL.Query()
	q := audit.Query{BeneficiaryID: v.Get("beneficiaryId"), ActorSub: v.Get("actorSub"), Action: v.Get("action")}
	var l problem.FieldList
	if q.BeneficiaryID == "" && q.ActorSub == "" {
		l.Add("beneficiaryId", "name a beneficiaryId or an actorSub")
	}
	if q.BeneficiaryID != "" && !idRE.MatchString(q.BeneficiaryID) {
		l.Add("beneficiaryId", "is not an id")
	}
	if len(q.ActorSub) > 128 || len(q.Action) > 64 {
		l.Add("actorSub", "is too long")
	}
	for name, dst := range map[string]*time.Time{"from": &q.From, "to": &q.To} {
		if s := v.Get(name); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				l.Add(name, "must be an RFC 3339 time")
			}
			*dst = t
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		l.Add("to", "must be after from")
	}
	if err := l.Err(); err != nil {
		return err
	}
	scope := strings.Join([]string{"listAuditEvents", q.BeneficiaryID, q.ActorSub, q.Action, v.Get("from"), v.Get("to")}, "\x1f")
	return h.events(w, r, q, scope)
}
