// Package validate owns the checks of the field formats every domain shares
// (DOMAIN.md's conventions): text lengths, dates, phones, emails, language
// tags, countries, time zones. Each check adds a field error to a list.
package validate

import (
	"strings"
	"time"
	"unicode/utf8"

	// The zone database travels with the binary: Lambda hosts may lack one.
	_ "time/tzdata"

	"ohcs/shared/problem"
)

// The shapes below are checked by hand, not by regular expressions: every
// function links this package, and compiling its patterns at start-up was
// a third of a millisecond of every cold start. validate_test.go holds
// each against the pattern it stands for.

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isUpper(c byte) bool  { return 'A' <= c && c <= 'Z' }
func isLetter(c byte) bool { return isUpper(c) || ('a' <= c && c <= 'z') }
func isAlnum(c byte) bool  { return isLetter(c) || isDigit(c) }

// all reports whether s is n to m bytes, each passing ok.
func all(s string, n, m int, ok func(byte) bool) bool {
	if len(s) < n || len(s) > m {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

// isPhone is ^\+[1-9][0-9]{6,14}$ (E.164).
func isPhone(v string) bool {
	return len(v) >= 8 && v[0] == '+' && v[1] != '0' && all(v[1:], 7, 15, isDigit)
}

// isEmail is ^[^@\s]+@[^@\s]+\.[^@\s]+$: one @, no white space, a dot in
// the domain with something on both sides.
func isEmail(v string) bool {
	local, domain, ok := strings.Cut(v, "@")
	if !ok || local == "" || strings.ContainsAny(v, " \t\n\f\r") || strings.Contains(domain, "@") || len(domain) < 3 {
		return false
	}
	return strings.Contains(domain[1:len(domain)-1], ".")
}

// isLanguageTag is ^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$.
func isLanguageTag(v string) bool {
	parts := strings.Split(v, "-")
	if !all(parts[0], 2, 3, isLetter) {
		return false
	}
	for _, p := range parts[1:] {
		if !all(p, 2, 8, isAlnum) {
			return false
		}
	}
	return true
}

// isZoneName is ^[A-Za-z0-9_+/-]+$.
func isZoneName(v string) bool {
	return all(v, 1, len(v), func(c byte) bool { return isAlnum(c) || c == '_' || c == '+' || c == '/' || c == '-' })
}

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
	case v != "" && !isPhone(v):
		l.Add(field, "must be an E.164 number such as +258841234567")
	}
}

// Email checks an email address.
func Email(l *problem.FieldList, field, v string, required bool) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v != "" && (len(v) > 254 || !isEmail(v)):
		l.Add(field, "must be an email address")
	}
}

// Language checks a BCP 47 tag.
func Language(l *problem.FieldList, field, v string, required bool) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v != "" && (len(v) > 35 || !isLanguageTag(v)):
		l.Add(field, "must be a BCP 47 language tag such as pt-MZ")
	}
}

// IsLanguage reports whether v is a BCP 47 tag.
func IsLanguage(v string) bool { return len(v) <= 35 && isLanguageTag(v) }

// Country checks an ISO 3166-1 alpha-2 code.
func Country(l *problem.FieldList, field, v string, required bool) {
	switch {
	case v == "" && required:
		l.Add(field, "is required")
	case v != "" && !all(v, 2, 2, isUpper):
		l.Add(field, "must be an ISO 3166-1 alpha-2 code such as MZ")
	}
}

// TimeZone checks an IANA time zone name the zone database knows.
func TimeZone(l *problem.FieldList, field, tz string) {
	if tz == "" {
		l.Add(field, "is required")
		return
	}
	if len(tz) > 64 || !isZoneName(tz) || tz == "Local" {
		l.Add(field, "must be an IANA time zone such as Africa/Maputo")
		return
	}
	if _, err := time.LoadLocation(tz); err != nil {
		l.Add(field, "is not a known IANA time zone")
	}
}

// Address holds the fields of a postal address, with the names of the
// document's Address schema (every handler that shows one shows this).
type Address struct {
	Line       string `json:"line,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
	Country    string `json:"country"`
}

// CheckAddress checks an address under prefix (such as "location.address").
func CheckAddress(l *problem.FieldList, prefix string, a Address) {
	Text(l, prefix+".line", a.Line, false, 200)
	Text(l, prefix+".city", a.City, false, 100)
	Text(l, prefix+".region", a.Region, false, 100)
	Text(l, prefix+".postalCode", a.PostalCode, false, 20)
	Country(l, prefix+".country", a.Country, true)
}

// Currency checks an ISO 4217 code.
func Currency(l *problem.FieldList, field, v string) {
	if !all(v, 3, 3, isUpper) {
		l.Add(field, "must be an ISO 4217 code such as EUR")
	}
}

// IsID reports whether v has the shape of an id: 1 to 64 letters, digits,
// "_" or "-".
func IsID(v string) bool {
	return all(v, 1, 64, func(c byte) bool { return isAlnum(c) || c == '_' || c == '-' })
}
