package practitioner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Limits of the fields, as in the OpenAPI document.
const (
	MaxName        = 200
	MaxBio         = 4000
	MaxSpecialties = 10
	MaxLanguages   = 10
	MaxLicenses    = 10
	MaxNote        = 1000
)

// Validate checks a profile; with partial set, absent fields are allowed
// (they keep their stored values). It returns an Invalid error listing every
// bad field, or nil.
func (p Profile) Validate(now time.Time) error {
	var l problem.FieldList
	p.check(&l, now, fieldSet{})
	return l.Err()
}

// fieldSet marks the fields present in a partial update; empty means all.
type fieldSet map[string]bool

func (f fieldSet) has(name string) bool { return len(f) == 0 || f[name] }

func (p Profile) check(l *problem.FieldList, now time.Time, only fieldSet) {
	if only.has("fullName") {
		validate.Text(l, "fullName", p.FullName, true, MaxName)
	}
	if only.has("gender") && p.Gender != "" && !slices.Contains(Genders, p.Gender) {
		l.Add("gender", "must be one of %s", strings.Join(Genders, ", "))
	}
	if only.has("birthDate") {
		validate.BirthDate(l, "birthDate", p.BirthDate, false, now)
	}
	if only.has("phone") {
		validate.Phone(l, "phone", p.Phone, true)
	}
	if only.has("email") {
		validate.Email(l, "email", p.Email, true)
	}
	if only.has("specialties") {
		checkSpecialties(l, p.Specialties)
	}
	if only.has("languages") {
		checkLanguages(l, p.Languages)
	}
	if only.has("consultationModes") {
		checkModes(l, p.Modes)
	}
	if only.has("location") {
		checkLocation(l, p.Location)
	}
	if only.has("timeZone") {
		validate.TimeZone(l, "timeZone", p.TimeZone)
	}
	if only.has("bio") {
		validate.Text(l, "bio", p.Bio, false, MaxBio)
	}
	if only.has("licenses") {
		checkLicenses(l, p.Licenses)
	}
}

func checkSpecialties(l *problem.FieldList, specs []Specialty) {
	switch {
	case len(specs) == 0:
		l.Add("specialties", "at least one specialty is required")
	case len(specs) > MaxSpecialties:
		l.Add("specialties", "at most %d specialties", MaxSpecialties)
	}
	seen := map[string]bool{}
	for i, s := range specs {
		f := fmt.Sprintf("specialties[%d]", i)
		validate.Text(l, f+".code", s.Code, true, 64)
		validate.Text(l, f+".display", s.Display, true, 200)
		if seen[s.Code] {
			l.Add(f+".code", "is listed twice")
		}
		seen[s.Code] = true
	}
}

func checkLanguages(l *problem.FieldList, langs []string) {
	switch {
	case len(langs) == 0:
		l.Add("languages", "at least one language is required")
	case len(langs) > MaxLanguages:
		l.Add("languages", "at most %d languages", MaxLanguages)
	}
	seen := map[string]bool{}
	for i, lang := range langs {
		f := fmt.Sprintf("languages[%d]", i)
		validate.Language(l, f, lang, true)
		if seen[strings.ToLower(lang)] {
			l.Add(f, "is listed twice")
		}
		seen[strings.ToLower(lang)] = true
	}
}

func checkModes(l *problem.FieldList, modes []Mode) {
	if len(modes) == 0 {
		l.Add("consultationModes", "at least one mode is required")
	}
	seen := map[Mode]bool{}
	for i, m := range modes {
		f := fmt.Sprintf("consultationModes[%d]", i)
		if !slices.Contains(Modes, m) {
			l.Add(f, "must be one of inPerson, video, phone")
		}
		if seen[m] {
			l.Add(f, "is listed twice")
		}
		seen[m] = true
	}
}

func checkLocation(l *problem.FieldList, loc Location) {
	validate.CheckAddress(l, "location.address", validate.Address(loc.Address))
	if (loc.Latitude == nil) != (loc.Longitude == nil) {
		l.Add("location", "latitude and longitude come together")
	}
	if loc.Latitude != nil && (*loc.Latitude < -90 || *loc.Latitude > 90) {
		l.Add("location.latitude", "must be between -90 and 90")
	}
	if loc.Longitude != nil && (*loc.Longitude < -180 || *loc.Longitude > 180) {
		l.Add("location.longitude", "must be between -180 and 180")
	}
}

func checkLicenses(l *problem.FieldList, lics []License) {
	switch {
	case len(lics) == 0:
		l.Add("licenses", "at least one license is required")
	case len(lics) > MaxLicenses:
		l.Add("licenses", "at most %d licenses", MaxLicenses)
	}
	for i, lic := range lics {
		f := fmt.Sprintf("licenses[%d]", i)
		validate.Text(l, f+".number", lic.Number, true, 64)
		validate.Text(l, f+".issuer", lic.Issuer, true, 200)
		validate.Country(l, f+".country", lic.Country, true)
		from, okFrom := validate.Date(l, f+".validFrom", lic.ValidFrom, true)
		to, okTo := validate.Date(l, f+".validTo", lic.ValidTo, false)
		if okFrom && okTo && to.Before(from) {
			l.Add(f+".validTo", "must not be before validFrom")
		}
	}
}
