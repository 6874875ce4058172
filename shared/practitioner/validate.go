package practitioner

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"ohcs/shared/problem"
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

var (
	phoneRE    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	emailRE    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	langRE     = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	timeZoneRE = regexp.MustCompile(`^[A-Za-z0-9_+/-]+$`)
)

func text(l *problem.FieldList, field, v string, required bool, max int) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v == "":
	case !utf8.ValidString(v):
		l.Add(field, "must be valid UTF-8")
	case strings.TrimSpace(v) == "":
		l.Add(field, "must not be blank")
	case utf8.RuneCountInString(v) > max:
		l.Add(field, "must be at most %d characters", max)
	}
}

func date(l *problem.FieldList, field, v string, required bool) (time.Time, bool) {
	if v == "" {
		if required {
			l.Add(field, "is required")
		}
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		l.Add(field, "must be a date YYYY-MM-DD")
		return time.Time{}, false
	}
	return t, true
}

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
		text(l, "fullName", p.FullName, true, MaxName)
	}
	if only.has("gender") && p.Gender != "" && !slices.Contains(Genders, p.Gender) {
		l.Add("gender", "must be one of %s", strings.Join(Genders, ", "))
	}
	if only.has("birthDate") {
		if t, ok := date(l, "birthDate", p.BirthDate, false); ok && (t.After(now) || t.Year() < 1900) {
			l.Add("birthDate", "must be a past date after 1900")
		}
	}
	if only.has("phone") {
		if p.Phone == "" {
			l.Add("phone", "is required")
		} else if !phoneRE.MatchString(p.Phone) {
			l.Add("phone", "must be an E.164 number such as +258841234567")
		}
	}
	if only.has("email") {
		if p.Email == "" {
			l.Add("email", "is required")
		} else if len(p.Email) > 254 || !emailRE.MatchString(p.Email) {
			l.Add("email", "must be an email address")
		}
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
		checkTimeZone(l, "timeZone", p.TimeZone)
	}
	if only.has("bio") {
		text(l, "bio", p.Bio, false, MaxBio)
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
		text(l, f+".code", s.Code, true, 64)
		text(l, f+".display", s.Display, true, 200)
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
		if len(lang) > 35 || !langRE.MatchString(lang) {
			l.Add(f, "must be a BCP 47 language tag such as pt-MZ")
		}
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
	a := loc.Address
	text(l, "location.address.line", a.Line, false, 200)
	text(l, "location.address.city", a.City, false, 100)
	text(l, "location.address.region", a.Region, false, 100)
	text(l, "location.address.postalCode", a.PostalCode, false, 20)
	if !countryRE.MatchString(a.Country) {
		l.Add("location.address.country", "must be an ISO 3166-1 alpha-2 code such as MZ")
	}
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

func checkTimeZone(l *problem.FieldList, field, tz string) {
	if tz == "" {
		l.Add(field, "is required")
		return
	}
	if len(tz) > 64 || !timeZoneRE.MatchString(tz) || tz == "Local" {
		l.Add(field, "must be an IANA time zone such as Africa/Maputo")
		return
	}
	if _, err := time.LoadLocation(tz); err != nil {
		l.Add(field, "is not a known IANA time zone")
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
		text(l, f+".number", lic.Number, true, 64)
		text(l, f+".issuer", lic.Issuer, true, 200)
		if !countryRE.MatchString(lic.Country) {
			l.Add(f+".country", "must be an ISO 3166-1 alpha-2 code such as MZ")
		}
		from, okFrom := date(l, f+".validFrom", lic.ValidFrom, true)
		to, okTo := date(l, f+".validTo", lic.ValidTo, false)
		if okFrom && okTo && to.Before(from) {
			l.Add(f+".validTo", "must not be before validFrom")
		}
	}
}
