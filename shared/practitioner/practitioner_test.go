package practitioner_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Amélia  Machava": "amelia machava",
		"ÉLIA":            "elia",
		"São João":        "sao joao",
		"Nguyễn Văn An":   "nguyen van an",
		"  x ":            "x",
	} {
		if got := practitioner.Fold(in); got != want {
			t.Errorf("Fold(%q): got %q; want %q", in, got, want)
		}
	}
}

func valid() practitioner.Profile {
	return practitioner.Profile{
		FullName: "Ana", Phone: "+258841234567", Email: "ana@example.org",
		Specialties: []practitioner.Specialty{{Code: "gp", Display: "General practice"}},
		Languages:   []string{"pt-MZ"}, Modes: []practitioner.Mode{practitioner.Video},
		Location: practitioner.Location{Address: practitioner.Address{Country: "MZ"}},
		TimeZone: "Africa/Maputo",
		Licenses: []practitioner.License{{Number: "1", Issuer: "Ordem", Country: "MZ", ValidFrom: "2020-01-01"}},
	}
}

func TestValidate(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	lat := 10.0
	for _, tc := range []struct {
		name   string
		mutate func(*practitioner.Profile)
		field  string
	}{
		{"valid", func(*practitioner.Profile) {}, ""},
		{"blank name", func(p *practitioner.Profile) { p.FullName = "   " }, "fullName"},
		{"future birth", func(p *practitioner.Profile) { p.BirthDate = "2030-01-01" }, "birthDate"},
		{"bad date", func(p *practitioner.Profile) { p.BirthDate = "01/02/1980" }, "birthDate"},
		{"phone", func(p *practitioner.Profile) { p.Phone = "12345" }, "phone"},
		{"email", func(p *practitioner.Profile) { p.Email = "nobody" }, "email"},
		{"duplicate specialty", func(p *practitioner.Profile) { p.Specialties = append(p.Specialties, p.Specialties[0]) }, "specialties[1].code"},
		{"language", func(p *practitioner.Profile) { p.Languages = []string{"portuguese!"} }, "languages[0]"},
		{"zone", func(p *practitioner.Profile) { p.TimeZone = "Africa/Atlantis" }, "timeZone"},
		{"Local zone", func(p *practitioner.Profile) { p.TimeZone = "Local" }, "timeZone"},
		{"half coordinates", func(p *practitioner.Profile) { p.Location.Latitude = &lat }, "location"},
		{"country", func(p *practitioner.Profile) { p.Location.Address.Country = "Mozambique" }, "location.address.country"},
		{"license order", func(p *practitioner.Profile) { p.Licenses[0].ValidTo = "2019-01-01" }, "licenses[0].validTo"},
		{"no license", func(p *practitioner.Profile) { p.Licenses = nil }, "licenses"},
		{"no specialty", func(p *practitioner.Profile) { p.Specialties = nil }, "specialties"},
		{"too many specialties", func(p *practitioner.Profile) {
			for i := range practitioner.MaxSpecialties {
				p.Specialties = append(p.Specialties, practitioner.Specialty{Code: fmt.Sprint("s", i), Display: "S"})
			}
		}, "specialties"},
		{"no language", func(p *practitioner.Profile) { p.Languages = nil }, "languages"},
		{"too many languages", func(p *practitioner.Profile) {
			p.Languages = slices.Repeat([]string{"pt"}, practitioner.MaxLanguages+1)
		}, "languages"},
		{"a language twice, in other case", func(p *practitioner.Profile) { p.Languages = []string{"pt-MZ", "PT-mz"} }, "languages[1]"},
		{"no mode", func(p *practitioner.Profile) { p.Modes = nil }, "consultationModes"},
		{"unknown mode", func(p *practitioner.Profile) { p.Modes = []practitioner.Mode{"telepathy"} }, "consultationModes[0]"},
		{"a mode twice", func(p *practitioner.Profile) { p.Modes = append(p.Modes, p.Modes[0]) }, "consultationModes[1]"},
		{"too many licenses", func(p *practitioner.Profile) {
			p.Licenses = slices.Repeat(p.Licenses, practitioner.MaxLicenses+1)
		}, "licenses"},
		{"a license without its issuer", func(p *practitioner.Profile) { p.Licenses[0].Issuer = "" }, "licenses[0].issuer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := valid()
			tc.mutate(&p)
			err := p.Validate(now)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("got %v; want valid", err)
				}
				return
			}
			pe, ok := err.(*problem.Error)
			if !ok || pe.Code != problem.Invalid || len(pe.Fields) == 0 || pe.Fields[0].Field != tc.field {
				t.Fatalf("got %v; want invalid %s", err, tc.field)
			}
		})
	}
}

// TestListMessages: the lists of a profile say what is wrong in words a
// clinic's staff can act on.
func TestListMessages(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	p := valid()
	p.Specialties = nil
	p.Languages = slices.Repeat([]string{"pt"}, practitioner.MaxLanguages+1)
	p.Modes = []practitioner.Mode{practitioner.Video, practitioner.Video}
	pe, ok := p.Validate(now).(*problem.Error)
	if !ok {
		t.Fatalf("got %v; want invalid", p.Validate(now))
	}
	got := map[string]string{}
	for _, f := range pe.Fields {
		if _, seen := got[f.Field]; !seen {
			got[f.Field] = f.Message
		}
	}
	for field, want := range map[string]string{
		"specialties":          "at least one specialty is required",
		"languages":            fmt.Sprintf("at most %d languages", practitioner.MaxLanguages),
		"languages[1]":         "is listed twice",
		"consultationModes[1]": "is listed twice",
	} {
		if got[field] != want {
			t.Errorf("%s: got %q; want %q", field, got[field], want)
		}
	}
}
