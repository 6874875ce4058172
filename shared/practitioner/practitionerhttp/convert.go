package practitionerhttp

import (
	"ohcs/shared/jsonio"
	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

type specialtyJSON struct {
	Code    string `json:"code"`
	Display string `json:"display"`
}

// addressJSON is an address as the document's Address schema shows it.
type addressJSON = validate.Address

type locationJSON struct {
	Address   *addressJSON `json:"address"`
	Latitude  *float64     `json:"latitude,omitempty"`
	Longitude *float64     `json:"longitude,omitempty"`
}

type licenseJSON struct {
	Number    string `json:"number,omitempty"`
	Issuer    string `json:"issuer"`
	Country   string `json:"country"`
	ValidFrom string `json:"validFrom"`
	ValidTo   string `json:"validTo,omitempty"`
}

// profileJSON is the body of createPractitionerProfile and
// updatePractitionerProfile.
type profileJSON struct {
	FullName          string          `json:"fullName"`
	Gender            string          `json:"gender"`
	BirthDate         string          `json:"birthDate"`
	Phone             string          `json:"phone"`
	Email             string          `json:"email"`
	Specialties       []specialtyJSON `json:"specialties"`
	Languages         []string        `json:"languages"`
	ConsultationModes []string        `json:"consultationModes"`
	Location          *locationJSON   `json:"location"`
	TimeZone          string          `json:"timeZone"`
	Bio               string          `json:"bio"`
	Licenses          []licenseJSON   `json:"licenses"`
}

// practitionerJSON is the Practitioner of the OpenAPI document.
type practitionerJSON struct {
	ID                string          `json:"id"`
	FullName          string          `json:"fullName"`
	Gender            string          `json:"gender,omitempty"`
	BirthDate         string          `json:"birthDate,omitempty"`
	Phone             string          `json:"phone,omitempty"`
	Email             string          `json:"email,omitempty"`
	Specialties       []specialtyJSON `json:"specialties"`
	Languages         []string        `json:"languages"`
	ConsultationModes []string        `json:"consultationModes"`
	Location          locationJSON    `json:"location"`
	TimeZone          string          `json:"timeZone"`
	Bio               string          `json:"bio,omitempty"`
	Licenses          []licenseJSON   `json:"licenses"`
	Verification      string          `json:"verification"`
	VerificationNote  string          `json:"verificationNote,omitempty"`
	VerifiedAt        string          `json:"verifiedAt,omitempty"`
	PendingChanges    *identityJSON   `json:"pendingChanges,omitempty"`
	DistanceKm        *float64        `json:"distanceKm,omitempty"`
	jsonio.Stamps
}

// identityJSON is an identity change waiting for review.
type identityJSON struct {
	FullName    string          `json:"fullName"`
	Specialties []specialtyJSON `json:"specialties"`
	Licenses    []licenseJSON   `json:"licenses"`
}

func (in profileJSON) toProfile(l *problem.FieldList, required bool) practitioner.Profile {
	p := practitioner.Profile{
		FullName: in.FullName, Gender: in.Gender, BirthDate: in.BirthDate, Phone: in.Phone, Email: in.Email,
		Languages: in.Languages, TimeZone: in.TimeZone, Bio: in.Bio,
	}
	for _, s := range in.Specialties {
		p.Specialties = append(p.Specialties, practitioner.Specialty{Code: s.Code, Display: s.Display})
	}
	for _, m := range in.ConsultationModes {
		p.Modes = append(p.Modes, practitioner.Mode(m))
	}
	switch {
	case in.Location == nil && required:
		l.Add("location", "is required")
	case in.Location != nil && in.Location.Address == nil:
		l.Add("location.address", "is required")
	case in.Location != nil:
		a := in.Location.Address
		p.Location = practitioner.Location{
			Address:  practitioner.Address{Line: a.Line, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country},
			Latitude: in.Location.Latitude, Longitude: in.Location.Longitude,
		}
	}
	for _, lic := range in.Licenses {
		p.Licenses = append(p.Licenses, practitioner.License(lic))
	}
	return p
}

// decodeCreate converts a create body to a profile.
func decodeCreate(data []byte) (practitioner.Profile, error) {
	var in profileJSON
	if err := jsonio.Unmarshal(data, &in); err != nil {
		return practitioner.Profile{}, err
	}
	var l problem.FieldList
	p := in.toProfile(&l, true)
	return p, l.Err()
}

// decodePatch converts an update body to a patch: the fields present, none
// of them null.
func decodePatch(data []byte) (practitioner.Patch, error) {
	var in profileJSON
	if err := jsonio.Unmarshal(data, &in); err != nil {
		return practitioner.Patch{}, err
	}
	var l problem.FieldList
	fields := jsonio.PatchFields(data, &l)
	p := in.toProfile(&l, false)
	return practitioner.Patch{Fields: fields, Profile: p}, l.Err()
}

// toJSON renders p; full adds the private fields.
func toJSON(p practitioner.Practitioner, full bool) practitionerJSON {
	a := p.Location.Address
	out := practitionerJSON{
		ID: p.ID, FullName: p.FullName, Gender: p.Gender, Languages: p.Languages,
		Location: locationJSON{
			Address:  &addressJSON{Line: a.Line, City: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country},
			Latitude: p.Location.Latitude, Longitude: p.Location.Longitude,
		},
		TimeZone: p.TimeZone, Bio: p.Bio, Verification: string(p.Verification),
		Stamps:      jsonio.StampsOf(p.CreatedAt, p.UpdatedAt, p.Version),
		Specialties: []specialtyJSON{}, ConsultationModes: []string{}, Licenses: []licenseJSON{},
	}
	if out.Languages == nil {
		out.Languages = []string{}
	}
	if !p.VerifiedAt.IsZero() {
		out.VerifiedAt = jsonio.Time(p.VerifiedAt)
	}
	for _, s := range p.Specialties {
		out.Specialties = append(out.Specialties, specialtyJSON{Code: s.Code, Display: s.Display})
	}
	for _, m := range p.Modes {
		out.ConsultationModes = append(out.ConsultationModes, string(m))
	}
	for _, lic := range p.Licenses {
		l := licenseJSON(lic)
		if !full {
			l.Number = ""
		}
		out.Licenses = append(out.Licenses, l)
	}
	if full {
		out.BirthDate, out.Phone, out.Email, out.VerificationNote = p.BirthDate, p.Phone, p.Email, p.VerificationNote
		// The change waiting for review: what an administrator verifies.
		if p.Proposed != nil {
			out.PendingChanges = &identityJSON{FullName: p.Proposed.FullName, Specialties: []specialtyJSON{}, Licenses: []licenseJSON{}}
			for _, s := range p.Proposed.Specialties {
				out.PendingChanges.Specialties = append(out.PendingChanges.Specialties, specialtyJSON{Code: s.Code, Display: s.Display})
			}
			for _, lic := range p.Proposed.Licenses {
				out.PendingChanges.Licenses = append(out.PendingChanges.Licenses, licenseJSON(lic))
			}
		}
	}
	return out
}
