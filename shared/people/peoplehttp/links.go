package peoplehttp

import (
	"net/http"
	"strings"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/audit"
	"ohcs/shared/auth"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/page"
	"ohcs/shared/paging"
	"ohcs/shared/people"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Grant serves grantCaregiverAccess.
func (h *Handlers) Grant(w http.ResponseWriter, r *http.Request) error {
	var in grantJSON
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	var expires time.Time
	if in.ExpiresAt != "" {
		if expires, err = time.Parse(time.RFC3339, in.ExpiresAt); err != nil {
			return problem.Field("expiresAt", "must be an RFC 3339 time such as 2026-12-01T09:30:00Z")
		}
	}
	if !validate.IsID(in.CaregiverID) {
		return problem.Field("caregiverId", "is not an id")
	}
	id, _, err := h.authorize(r, p, access.ManageAccess, "grantCaregiverAccess", "careLink")
	if err != nil {
		return err
	}
	link, err := h.Service.Grant(r.Context(), people.GrantRequest{BeneficiaryID: id, CaregiverID: in.CaregiverID,
		Permissions: in.permissions(), ExpiresAt: expires, GrantedBy: p.Sub})
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusCreated, link.Version, linkOut(link, h.Now()))
	return nil
}

// Revoke serves revokeCaregiverAccess.
func (h *Handlers) Revoke(w http.ResponseWriter, r *http.Request) error {
	p, linkID, err := lambdahttp.Target(r, "careLinkId")
	if err != nil {
		return err
	}
	// The link's own caregiver leaves it; anyone else needs the right to
	// manage the beneficiary's access.
	if cg, ok, err := h.ownCaregiver(r, p); err != nil {
		return err
	} else if ok {
		benID, err := lambdahttp.PathID(r, "beneficiaryId")
		if err != nil {
			return err
		}
		if link, err := h.Service.Leave(r.Context(), cg, benID, linkID); err == nil {
			lambdahttp.Versioned(w, http.StatusOK, link.Version, linkOut(link, h.Now()))
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
	lambdahttp.Versioned(w, http.StatusOK, link.Version, linkOut(link, h.Now()))
	return nil
}

// ownCaregiver returns the caregiver profile id of p, if it has one.
func (h *Handlers) ownCaregiver(r *http.Request, p auth.Principal) (string, bool, error) {
	if !p.Has(auth.Caregiver) {
		return "", false, nil
	}
	c, err := h.Service.CaregiverOf(r.Context(), p.Sub)
	if problem.Is(err, problem.NotFound) {
		return "", false, nil
	}
	return c.ID, err == nil, err
}

// Respond serves respondToCareLink: the caregiver a link names accepts or
// declines it.
func (h *Handlers) Respond(w http.ResponseWriter, r *http.Request) error {
	p, benID, err := lambdahttp.Target(r, "beneficiaryId")
	if err != nil {
		return err
	}
	linkID, err := lambdahttp.PathID(r, "careLinkId")
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
	lambdahttp.Versioned(w, http.StatusOK, link.Version, linkOut(link, h.Now()))
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
	if r.URL.Query().Has("beneficiaryId") && !validate.IsID(benID) {
		return problem.Field("beneficiaryId", "is not an id")
	}
	var list func(limit int, after map[string]string) (page.Of[people.CareLink], error)
	scope := "listCareLinks\x1f" + p.Sub + "\x1f" + benID
	switch {
	case benID != "":
		if _, err := h.Policy.Authorize(ctx, p, access.ManageAccess, benID, "listCareLinks", access.Resource{Type: "careLink"}); err != nil {
			return err
		}
		list = func(limit int, after map[string]string) (page.Of[people.CareLink], error) {
			return h.Service.LinksOfBeneficiary(ctx, benID, limit, after)
		}
	case p.Has(auth.Caregiver):
		cg, err := h.Service.CaregiverOf(ctx, p.Sub)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		list = func(limit int, after map[string]string) (page.Of[people.CareLink], error) {
			if cg.ID == "" {
				return page.Of[people.CareLink]{}, nil
			}
			return h.Service.LinksOfCaregiver(ctx, cg.ID, limit, after)
		}
		scope += "\x1fcaregiver"
	default:
		b, err := h.Service.BeneficiaryOf(ctx, p.Sub)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		list = func(limit int, after map[string]string) (page.Of[people.CareLink], error) {
			if b.ID == "" {
				return page.Of[people.CareLink]{}, nil
			}
			return h.Service.LinksOfBeneficiary(ctx, b.ID, limit, after)
		}
	}
	now := h.Now()
	return paging.Serve(w, r, h.Cursors, scope, func(limit int, after map[string]string) (page.Of[people.CareLink], error) {
		return list(limit, after)
	}, func(l people.CareLink) linkJSON { return linkOut(l, now) })
}

// RevokePractitioner serves revokePractitionerAccess.
func (h *Handlers) RevokePractitioner(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PractitionerID string `json:"practitionerId"`
	}
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	if !validate.IsID(in.PractitionerID) {
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
		"beneficiaryId": rev.BeneficiaryID, "practitionerId": rev.PractitionerID, "revokedAt": jsonio.Time(rev.RevokedAt)})
	return nil
}

func (h *Handlers) events(w http.ResponseWriter, r *http.Request, q audit.Query, scope string) error {
	return paging.Serve(w, r, h.Cursors, scope, func(limit int, after map[string]string) (page.Of[audit.Event], error) {
		q.Limit, q.After = limit, after
		return h.Audit.List(r.Context(), q)
	}, eventOut)
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
	if q.BeneficiaryID != "" && !validate.IsID(q.BeneficiaryID) {
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
