// Package validate owns the checks of the field formats every domain shares
// (DOMAIN.md's conventions): text lengths, dates, phones, emails, language
// tags, countries, time zones. Each check adds a field error to a list.
package validate

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	// The zone database travels with the binary: Lambda hosts may lack one.
	_ "time/tzdata"

	"ohcs/shared/problem"
)

var (
	phoneRE    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	emailRE    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	langRE     = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	timeZoneRE = regexp.MustCompile(`^[A-Za-z0-9_+/-]+$`)
	idRE       = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`)
)

// Text checks a string: required or not, valid UTF-8, not blank, at most
// max characters.
func Text(l *problem.FieldList, field, v string, required bool, max int) {
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

// Date checks a calendar date YYYY-MM-DD and returns it when valid.
func Date(l *problem.FieldList, field, v string, required bool) (time.Time, bool) {
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

// BirthDate checks a date in the past, after 1900.
func BirthDate(l *problem.FieldList, field, v string, required bool, now time.Time) {
	if t, ok := Date(l, field, v, required); ok && (t.After(now) || t.Year() < 1900) {
		l.Add(field, "must be a past date after 1900")
	}
}

// Phone checks an E.164 number.
func Phone(l *problem.FieldList, field, v string, required bool) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v != "" && !phoneRE.MatchString(v):
		l.Add(field, "must be an E.164 number such as +258841234567")
	}
}

// Email checks an email address.
func Email(l *problem.FieldList, field, v string, required bool) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v != "" && (len(v) > 254 || !emailRE.MatchString(v)):
		l.Add(field, "must be an email address")
	}
}

// Language checks a BCP 47 tag.
func Language(l *problem.FieldList, field, v string, required bool) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v != "" && (len(v) > 35 || !langRE.MatchString(v)):
		l.Add(field, "must be a BCP 47 language tag such as pt-MZ")
	}
}

// IsLanguage reports whether v is a BCP 47 tag.
func IsLanguage(v string) bool { return len(v) <= 35 && langRE.MatchString(v) }

// Country checks an ISO 3166-1 alpha-2 code.
func Country(l *problem.FieldList, field, v string, required bool) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v != "" && !countryRE.MatchString(v):
		l.Add(field, "must be an ISO 3166-1 alpha-2 code such as MZ")
	}
}

// TimeZone checks an IANA time zone name the zone database knows.
func TimeZone(l *problem.FieldList, field, tz string) {
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

// Address holds the fields of a postal address.
type Address struct {
	Line, City, Region, PostalCode, Country string
}

// CheckAddress checks an address under prefix (such as "location.address").
func CheckAddress(l *problem.FieldList, prefix string, a Address) {
	Text(l, prefix+".line", a.Line, false, 200)
	Text(l, prefix+".city", a.City, false, 100)
	Text(l, prefix+".region", a.Region, false, 100)
	Text(l, prefix+".postalCode", a.PostalCode, false, 20)
	Country(l, prefix+".country", a.Country, true)
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// Currency checks an ISO 4217 code.
func Currency(l *problem.FieldList, field, v string) {
	if !currencyRE.MatchString(v) {
		l.Add(field, "must be an ISO 4217 code such as EUR")
	}
}

// IsID reports whether v has the shape of an id: 1 to 64 letters, digits,
// "_" or "-".
func IsID(v string) bool { return idRE.MatchString(v) }
