// Package registryhttp serves organisations and memberships over HTTP,
// checking members against the practitioner and people directories.
package registryhttp

import (
	"net/http"
	"slices"

	"ohcs/shared/app"
	"ohcs/shared/page"

	"ohcs/shared/auth"
	"ohcs/shared/cursor"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/paging"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/registry"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func CreateOrganization() platform.Operation {
	return op((*Handlers).CreateOrganization, tables.Registry)
}
func AddMembership() platform.Operation           { return op((*Handlers).AddMembership, tables.Registry) }
func RemoveMembership() platform.Operation        { return op((*Handlers).RemoveMembership, tables.Registry) }
func ListOrganizationMembers() platform.Operation { return op((*Handlers).Members) }
func ListMyMemberships() platform.Operation       { return op((*Handlers).MyMemberships) }

var op = platform.Ops(New, []tables.Table{tables.Registry, tables.People, tables.Practitioners})

// Handlers serves the registry operations.
type Handlers struct {
	Service *registry.Service
	Cursors *cursor.Sealer
}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	return &Handlers{Service: app.Of(env).Registry(), Cursors: env.Cursors}
}

// addressJSON is an address as the document's Address schema shows it.
type addressJSON = validate.Address

type membershipJSON struct {
	OrganizationID string `json:"organizationId"`
	MemberType     string `json:"memberType"`
	MemberID       string `json:"memberId"`
	Role           string `json:"role,omitempty"`
	CreatedAt      string `json:"createdAt"`
}

func membershipOut(m registry.Membership) membershipJSON {
	return membershipJSON{OrganizationID: m.OrganizationID, MemberType: m.MemberType, MemberID: m.MemberID, Role: m.Role,
		CreatedAt: jsonio.Time(m.CreatedAt)}
}

// CreateOrganization serves createOrganization.
func (h *Handlers) CreateOrganization(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name    string       `json:"name"`
		Kind    string       `json:"kind"`
		Address *addressJSON `json:"address"`
		Country string       `json:"country"`
	}
	if _, err := lambdahttp.Input(r, &in); err != nil {
		return err
	}
	var l problem.FieldList
	validate.Text(&l, "name", in.Name, true, 200)
	if !slices.Contains(registry.Kinds, in.Kind) {
		l.Add("kind", "must be one of facility, program, ngo")
	}
	validate.Country(&l, "country", in.Country, true)
	o := registry.Organization{Name: in.Name, Kind: in.Kind, Country: in.Country}
	if in.Address != nil {
		a := validate.Address(*in.Address)
		validate.CheckAddress(&l, "address", a)
		o.Address = &a
	}
	if err := l.Err(); err != nil {
		return err
	}
	o, err := h.Service.CreateOrganization(r.Context(), o)
	if err != nil {
		return err
	}
	out := map[string]any{"id": o.ID, "name": o.Name, "kind": o.Kind, "country": o.Country,
		"createdAt": jsonio.Time(o.CreatedAt), "updatedAt": jsonio.Time(o.UpdatedAt), "version": o.Version}
	if o.Address != nil {
		out["address"] = addressJSON(*o.Address)
	}
	lambdahttp.Created(w, "/v1/organizations/"+o.ID, o.Version, out)
	return nil
}

// AddMembership serves addMembership.
func (h *Handlers) AddMembership(w http.ResponseWriter, r *http.Request) error {
	_, orgID, err := lambdahttp.Target(r, "organizationId")
	if err != nil {
		return err
	}
	var in struct {
		MemberType string `json:"memberType"`
		MemberID   string `json:"memberId"`
		Role       string `json:"role"`
	}
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	var l problem.FieldList
	if !slices.Contains(registry.MemberTypes, in.MemberType) {
		l.Add("memberType", "must be one of practitioner, beneficiary, caregiver")
	}
	if !validate.IsID(in.MemberID) {
		l.Add("memberId", "is not an id")
	}
	validate.Text(&l, "role", in.Role, false, 100)
	if err := l.Err(); err != nil {
		return err
	}
	m, err := h.Service.AddMembership(r.Context(), orgID, registry.Member{Type: in.MemberType, ID: in.MemberID}, in.Role)
	if err != nil {
		return err
	}
	jsonio.Write(w, http.StatusCreated, membershipOut(m))
	return nil
}

// RemoveMembership serves removeMembership.
func (h *Handlers) RemoveMembership(w http.ResponseWriter, r *http.Request) error {
	_, orgID, err := lambdahttp.Target(r, "organizationId")
	if err != nil {
		return err
	}
	memberID, err := lambdahttp.PathID(r, "memberId")
	if err != nil {
		return err
	}
	memberType := lambdahttp.PathParam(r, "memberType")
	if !slices.Contains(registry.MemberTypes, memberType) {
		return problem.Field("memberType", "must be one of practitioner, beneficiary, caregiver")
	}
	m, err := h.Service.RemoveMembership(r.Context(), orgID, registry.Member{Type: memberType, ID: memberID})
	if err != nil {
		return err
	}
	jsonio.Write(w, http.StatusOK, membershipOut(m))
	return nil
}

// Members serves listOrganizationMembers: administrators see every member,
// members of the organisation its practitioners, anyone else 404.
func (h *Handlers) Members(w http.ResponseWriter, r *http.Request) error {
	p, orgID, err := lambdahttp.Target(r, "organizationId")
	if err != nil {
		return err
	}
	memberType, err := h.Service.MembersVisible(r.Context(), p.Sub, p.Has(auth.Administrator), orgID)
	if err != nil {
		return err
	}
	scope := "listOrganizationMembers\x1f" + orgID + "\x1f" + memberType
	return paging.Serve(w, r, h.Cursors, scope, func(limit int, after map[string]string) (page.Of[registry.Membership], error) {
		return h.Service.Members(r.Context(), orgID, memberType, limit, after)
	}, membershipOut)
}

// MyMemberships serves listMyMemberships.
func (h *Handlers) MyMemberships(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	ms, err := h.Service.MembershipsOf(r.Context(), p.Sub)
	if err != nil {
		return err
	}
	out := paging.Body[membershipJSON]{Items: []membershipJSON{}}
	for _, m := range ms {
		out.Items = append(out.Items, membershipOut(m))
	}
	jsonio.Write(w, http.StatusOK, out)
	return nil
}
