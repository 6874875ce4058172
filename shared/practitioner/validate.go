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
		specialties.check(l, p.Specialties)
	}
	if only.has("languages") {
		languages.check(l, p.Languages)
	}
	if only.has("consultationModes") {
		modes.check(l, p.Modes)
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
		licenses.check(l, p.Licenses)
	}
}

// list is how one of a profile's lists is checked: its field, the words
// its messages use, its most items (0: no bound), what marks an item twice
// (its key, and the field under the item that names it; nil: none), and
// each item's own checks under its indexed field.
type list[T any] struct {
	field, one, many string
	max              int
	key              func(T) string
	keyField         string
	item             func(l *problem.FieldList, f string, v T)
}

func (c list[T]) check(l *problem.FieldList, items []T) {
	switch {
	case len(items) == 0:
		l.Add(c.field, "at least one %s is required", c.one)
	case c.max > 0 && len(items) > c.max:
		l.Add(c.field, "at most %d %s", c.max, c.many)
	}
	seen := map[string]bool{}
	for i, v := range items {
		f := fmt.Sprintf("%s[%d]", c.field, i)
		c.item(l, f, v)
		if c.key == nil {
			continue
		}
		if seen[c.key(v)] {
			l.Add(f+c.keyField, "is listed twice")
		}
		seen[c.key(v)] = true
	}
}

var specialties = list[Specialty]{field: "specialties", one: "specialty", many: "specialties", max: MaxSpecialties,
	key: func(s Specialty) string { return s.Code }, keyField: ".code",
	item: func(l *problem.FieldList, f string, s Specialty) {
		validate.Text(l, f+".code", s.Code, true, 64)
		validate.Text(l, f+".display", s.Display, true, 200)
	}}

var languages = list[string]{field: "languages", one: "language", many: "languages", max: MaxLanguages,
	key: strings.ToLower,
	item: func(l *problem.FieldList, f string, lang string) {
		validate.Language(l, f, lang, true)
	}}

var modes = list[Mode]{field: "consultationModes", one: "mode", key: func(m Mode) string { return string(m) },
	item: func(l *problem.FieldList, f string, m Mode) {
		if !slices.Contains(Modes, m) {
			l.Add(f, "must be one of inPerson, video, phone")
		}
	}}

var licenses = list[License]{field: "licenses", one: "license", many: "licenses", max: MaxLicenses,
	item: func(l *problem.FieldList, f string, lic License) {
		validate.Text(l, f+".number", lic.Number, true, 64)
		validate.Text(l, f+".issuer", lic.Issuer, true, 200)
		validate.Country(l, f+".country", lic.Country, true)
		from, okFrom := validate.Date(l, f+".validFrom", lic.ValidFrom, true)
		to, okTo := validate.Date(l, f+".validTo", lic.ValidTo, false)
		if okFrom && okTo && to.Before(from) {
			l.Add(f+".validTo", "must not be before validFrom")
		}
	}}

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
