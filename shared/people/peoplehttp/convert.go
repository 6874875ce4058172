package peoplehttp

import (
	"time"

	"ohcs/shared/access"
	"ohcs/shared/audit"
	"ohcs/shared/jsonio"
	"ohcs/shared/people"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// addressJSON is an address as the document's Address schema shows it.
type addressJSON = validate.Address

type contactJSON struct {
	Name         string `json:"name"`
	Phone        string `json:"phone"`
	Relationship string `json:"relationship,omitempty"`
}

// beneficiaryIn is the body of createBeneficiaryProfile and
// updateBeneficiaryProfile.
type beneficiaryIn struct {
	ForDependent      bool         `json:"forDependent"`
	FullName          string       `json:"fullName"`
	BirthDate         string       `json:"birthDate"`
	Sex               string       `json:"sex"`
	Phone             string       `json:"phone"`
	Email             string       `json:"email"`
	Address           *addressJSON `json:"address"`
	PreferredLanguage string       `json:"preferredLanguage"`
	TimeZone          string       `json:"timeZone"`
	EmergencyContact  *contactJSON `json:"emergencyContact"`
}

func (in beneficiaryIn) profile() people.Profile {
	p := people.Profile{FullName: in.FullName, BirthDate: in.BirthDate, Sex: in.Sex, Phone: in.Phone, Email: in.Email,
		PreferredLanguage: in.PreferredLanguage, TimeZone: in.TimeZone}
	if in.Address != nil {
		a := validate.Address(*in.Address)
		p.Address = &a
	}
	if in.EmergencyContact != nil {
		c := people.EmergencyContact(*in.EmergencyContact)
		p.EmergencyContact = &c
	}
	return p
}

// decodePatch converts an update body: the fields present, none null, no
// forDependent.
func decodePatch(data []byte) (people.Patch, error) {
	var in beneficiaryIn
	if err := jsonio.Unmarshal(data, &in); err != nil {
		return people.Patch{}, err
	}
	var l problem.FieldList
	fields := jsonio.PatchFields(data, &l)
	if fields["forDependent"] {
		l.Add("forDependent", "cannot be changed")
	}
	return people.Patch{Fields: fields, Profile: in.profile()}, l.Err()
}

type beneficiaryJSON struct {
	ID                string       `json:"id"`
	FullName          string       `json:"fullName"`
	BirthDate         string       `json:"birthDate"`
	Sex               string       `json:"sex"`
	Phone             string       `json:"phone,omitempty"`
	Email             string       `json:"email,omitempty"`
	Address           *addressJSON `json:"address,omitempty"`
	PreferredLanguage string       `json:"preferredLanguage,omitempty"`
	TimeZone          string       `json:"timeZone,omitempty"`
	EmergencyContact  *contactJSON `json:"emergencyContact,omitempty"`
	ManagedBy         string       `json:"managedBy,omitempty"`
	jsonio.Stamps
}

// beneficiaryOut renders b; demographicsOnly keeps name, birth date, sex
// and contact.
func beneficiaryOut(b people.Beneficiary, demographicsOnly bool) beneficiaryJSON {
	out := beneficiaryJSON{ID: b.ID, FullName: b.FullName, BirthDate: b.BirthDate, Sex: b.Sex, Phone: b.Phone, Email: b.Email,
		Stamps: jsonio.StampsOf(b.CreatedAt, b.UpdatedAt, b.Version)}
	if b.Address != nil {
		a := addressJSON(*b.Address)
		out.Address = &a
	}
	if demographicsOnly {
		return out
	}
	out.PreferredLanguage, out.TimeZone, out.ManagedBy = b.PreferredLanguage, b.TimeZone, b.ManagedBy
	if b.EmergencyContact != nil {
		c := contactJSON(*b.EmergencyContact)
		out.EmergencyContact = &c
	}
	return out
}

type caregiverJSON struct {
	ID       string `json:"id"`
	FullName string `json:"fullName"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	jsonio.Stamps
}

func caregiverOut(c people.Caregiver) caregiverJSON {
	return caregiverJSON{ID: c.ID, FullName: c.FullName, Phone: c.Phone, Email: c.Email,
		Stamps: jsonio.StampsOf(c.CreatedAt, c.UpdatedAt, c.Version)}
}

type donorJSON struct {
	ID                 string `json:"id"`
	DisplayName        string `json:"displayName"`
	Email              string `json:"email"`
	Country            string `json:"country"`
	AnonymousByDefault bool   `json:"anonymousByDefault"`
	jsonio.Stamps
}

type linkJSON struct {
	ID            string   `json:"id"`
	BeneficiaryID string   `json:"beneficiaryId"`
	CaregiverID   string   `json:"caregiverId"`
	Permissions   []string `json:"permissions"`
	Status        string   `json:"status"`
	ExpiresAt     string   `json:"expiresAt,omitempty"`
	RevokedAt     string   `json:"revokedAt,omitempty"`
	jsonio.Stamps
}

func linkOut(l people.CareLink, now time.Time) linkJSON {
	out := linkJSON{ID: l.ID, BeneficiaryID: l.BeneficiaryID, CaregiverID: l.CaregiverID, Permissions: []string{},
		Status: l.Status(now), ExpiresAt: jsonio.TimeOrEmpty(l.ExpiresAt), RevokedAt: jsonio.TimeOrEmpty(l.RevokedAt),
		Stamps: jsonio.StampsOf(l.CreatedAt, l.UpdatedAt, l.Version)}
	for _, p := range l.Permissions {
		out.Permissions = append(out.Permissions, string(p))
	}
	return out
}

type grantJSON struct {
	CaregiverID string   `json:"caregiverId"`
	Permissions []string `json:"permissions"`
	ExpiresAt   string   `json:"expiresAt"`
}

func (g grantJSON) permissions() []access.Permission {
	out := make([]access.Permission, len(g.Permissions))
	for i, p := range g.Permissions {
		out[i] = access.Permission(p)
	}
	return out
}

type eventJSON struct {
	ID            string `json:"id"`
	Time          string `json:"time"`
	ActorSub      string `json:"actorSub"`
	ActorRole     string `json:"actorRole,omitempty"`
	Action        string `json:"action"`
	ResourceType  string `json:"resourceType"`
	ResourceID    string `json:"resourceId,omitempty"`
	BeneficiaryID string `json:"beneficiaryId,omitempty"`
	Outcome       string `json:"outcome"`
	RequestID     string `json:"requestId,omitempty"`
	// Count and LastTime: repeated denials within the window, as one.
	Count    int    `json:"count,omitempty"`
	LastTime string `json:"lastTime,omitempty"`
}

func eventOut(e audit.Event) eventJSON {
	return eventJSON{ID: e.ID, Time: e.Time.UTC().Format(time.RFC3339Nano), ActorSub: e.ActorSub, ActorRole: e.ActorRole,
		Action: e.Action, ResourceType: e.ResourceType, ResourceID: e.ResourceID, BeneficiaryID: e.BeneficiaryID,
		Outcome: string(e.Outcome), RequestID: e.RequestID, Count: e.Count, LastTime: jsonio.TimeOrEmpty(e.LastTime)}
}
