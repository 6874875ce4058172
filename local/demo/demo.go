// Package demo seeds the local server with demonstration data: verified
// practitioners in several specialties, languages and cities, so that a
// developer can search and book at once. All names are invented.
package demo

import (
	"context"
	"fmt"
	"time"

	"ohcs/shared/practitioner"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
)

// weekdays is 08:00 to 12:00 and 14:00 to 17:00, Monday to Friday, in
// 30-minute slots, for 90 days from now.
func weekdays(tz string, now time.Time) scheduling.Schedule {
	var rules []scheduling.Rule
	for d := time.Monday; d <= time.Friday; d++ {
		rules = append(rules, scheduling.Rule{Day: d, Start: 8 * 60, End: 12 * 60}, scheduling.Rule{Day: d, Start: 14 * 60, End: 17 * 60})
	}
	return scheduling.Schedule{TimeZone: tz, SlotMinutes: 30, EffectiveFrom: now.AddDate(0, 0, -1).Format(time.DateOnly),
		EffectiveTo: now.AddDate(0, 0, 90).Format(time.DateOnly), Rules: rules}
}

// AdminSub is the administrator that verified the demo practitioners.
const AdminSub = "demo-administrator"

// AuthorSub is the demo practitioner who wrote the demo articles.
const AuthorSub = "demo-practitioner-01"

type seed struct {
	name, gender, city, region, country, tz string
	lat, lon                                float64
	specs                                   []practitioner.Specialty
	langs                                   []string
	modes                                   []practitioner.Mode
}

var (
	generalPractice = practitioner.Specialty{Code: "general-practice", Display: "General practice"}
	pediatrics      = practitioner.Specialty{Code: "pediatrics", Display: "Pediatrics"}
	obstetrics      = practitioner.Specialty{Code: "obstetrics", Display: "Obstetrics and midwifery"}
	internal        = practitioner.Specialty{Code: "internal-medicine", Display: "Internal medicine"}
	infectious      = practitioner.Specialty{Code: "infectious-disease", Display: "Infectious disease"}
	nursing         = practitioner.Specialty{Code: "community-nursing", Display: "Community nursing"}
	mentalHealth    = practitioner.Specialty{Code: "mental-health", Display: "Mental health"}
)

var (
	all     = []practitioner.Mode{practitioner.InPerson, practitioner.Video, practitioner.Phone}
	inPerso = []practitioner.Mode{practitioner.InPerson}
	remote  = []practitioner.Mode{practitioner.Video, practitioner.Phone}
)

var seeds = []seed{
	{"Amélia Machava", "female", "Maputo", "Maputo City", "MZ", "Africa/Maputo", -25.9692, 32.5732, []practitioner.Specialty{generalPractice, pediatrics}, []string{"pt-MZ", "ts"}, all},
	{"Joaquim Nhantumbo", "male", "Beira", "Sofala", "MZ", "Africa/Maputo", -19.8436, 34.8389, []practitioner.Specialty{infectious}, []string{"pt-MZ"}, inPerso},
	{"Grace Wanjiru", "female", "Nairobi", "Nairobi County", "KE", "Africa/Nairobi", -1.2921, 36.8219, []practitioner.Specialty{obstetrics}, []string{"en-KE", "sw"}, all},
	{"Daniel Otieno", "male", "Kisumu", "Kisumu County", "KE", "Africa/Nairobi", -0.0917, 34.7680, []practitioner.Specialty{internal, infectious}, []string{"en-KE", "sw", "luo"}, remote},
	{"Ngozi Okafor", "female", "Lagos", "Lagos State", "NG", "Africa/Lagos", 6.5244, 3.3792, []practitioner.Specialty{pediatrics}, []string{"en-NG", "yo", "ig"}, all},
	{"Aminata Diallo", "female", "Dakar", "Dakar", "SN", "Africa/Dakar", 14.7167, -17.4677, []practitioner.Specialty{generalPractice, obstetrics}, []string{"fr-SN", "wo"}, all},
	{"Moussa Traoré", "male", "Bamako", "Bamako", "ML", "Africa/Bamako", 12.6392, -8.0029, []practitioner.Specialty{nursing}, []string{"fr-ML", "bm"}, inPerso},
	{"Beatriz Souza", "female", "São Paulo", "SP", "BR", "America/Sao_Paulo", -23.5505, -46.6333, []practitioner.Specialty{mentalHealth}, []string{"pt-BR", "es"}, remote},
	{"João Ferreira", "male", "Lisboa", "Lisboa", "PT", "Europe/Lisbon", 38.7223, -9.1393, []practitioner.Specialty{internal}, []string{"pt-PT", "en"}, all},
	{"Lucía Fernández", "female", "Lima", "Lima", "PE", "America/Lima", -12.0464, -77.0428, []practitioner.Specialty{pediatrics, generalPractice}, []string{"es-PE", "qu"}, all},
	{"Priya Raman", "female", "Chennai", "Tamil Nadu", "IN", "Asia/Kolkata", 13.0827, 80.2707, []practitioner.Specialty{obstetrics}, []string{"ta", "en-IN"}, all},
	{"Nguyen Van An", "male", "Hà Nội", "Hà Nội", "VN", "Asia/Ho_Chi_Minh", 21.0285, 105.8542, []practitioner.Specialty{generalPractice}, []string{"vi"}, inPerso},
	{"Fatima Zahra Benali", "female", "Casablanca", "Casablanca-Settat", "MA", "Africa/Casablanca", 33.5731, -7.5898, []practitioner.Specialty{infectious, internal}, []string{"ar-MA", "fr"}, remote},
	{"Tendai Moyo", "male", "Harare", "Harare", "ZW", "Africa/Harare", -17.8292, 31.0522, []practitioner.Specialty{nursing, mentalHealth}, []string{"en-ZW", "sn"}, all},
	{"Célia Mondlane", "female", "Matola", "Maputo Province", "MZ", "Africa/Maputo", -25.9622, 32.4589, []practitioner.Specialty{obstetrics}, []string{"pt-MZ"}, all},
	// Rui publishes no availability: searches with a window leave him out.
	{"Rui Sitoe", "male", "Marracuene", "Maputo Province", "MZ", "Africa/Maputo", -25.7367, 32.6747, []practitioner.Specialty{generalPractice}, []string{"pt-MZ"}, inPerso},
}

// withoutSchedule names the demo practitioners that publish no schedule.
var withoutSchedule = map[string]bool{"Rui Sitoe": true}

// Seed creates and verifies the demo practitioners through the services, as
// an administrator and the practitioners would, and publishes their
// weekday availability from today for 90 days. Profiles that already exist
// are left alone.
func Seed(ctx context.Context, svc *practitioner.Service, sched *scheduling.Service) (int, error) {
	created := 0
	for i, s := range seeds {
		lat, lon := s.lat, s.lon
		p, err := svc.Create(ctx, fmt.Sprintf("demo-practitioner-%02d", i+1), practitioner.Profile{
			FullName: s.name, Gender: s.gender,
			Phone: fmt.Sprintf("+2588400%05d", i+1), Email: fmt.Sprintf("practitioner%02d@demo.ohcs.invalid", i+1),
			Specialties: s.specs, Languages: s.langs, Modes: s.modes, TimeZone: s.tz,
			Location: practitioner.Location{
				Address:  practitioner.Address{City: s.city, Region: s.region, Country: s.country},
				Latitude: &lat, Longitude: &lon,
			},
			Bio: "Demonstration profile of the local server.",
			Licenses: []practitioner.License{{
				Number: fmt.Sprintf("DEMO-%04d", i+1), Issuer: "Demonstration Medical Council",
				Country: s.country, ValidFrom: "2020-01-01", ValidTo: "2030-12-31",
			}},
		})
		if problem.Is(err, problem.Conflict) {
			continue
		}
		if err != nil {
			return created, fmt.Errorf("seed practitioner %d: %w", i+1, err)
		}
		if _, err := svc.Verify(ctx, AdminSub, p.ID, practitioner.Decision{Decision: practitioner.Verified, Note: "demonstration data"}, p.Version); err != nil {
			return created, fmt.Errorf("verify practitioner %d: %w", i+1, err)
		}
		if !withoutSchedule[s.name] {
			if _, err := sched.PlaceSchedule(ctx, p.Sub, p.ID, weekdays(s.tz, time.Now())); err != nil {
				return created, fmt.Errorf("schedule of practitioner %d: %w", i+1, err)
			}
		}
		created++
	}
	return created, nil
}
