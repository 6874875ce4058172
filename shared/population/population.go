// Package population keeps the aggregate statistics of the population
// health report. Counters are maintained as events happen: the outbox
// dispatcher hands each due message to a Counter, which adds the event to
// the counters of its day (UTC) in every scope it belongs to (all, the
// practitioner's region, each of the practitioner's organisations) at most
// once. A report sums the days of one scope over its period: its cost
// grows with the period, never with the number of appointments or records.
// No counter names a person; small counts are suppressed in the report.
package population

import (
	"context"
	"sort"
	"strings"
	"time"

	"ohcs/shared/outbox"
	"ohcs/shared/problem"
	"ohcs/shared/textfold"
)

// MinCount is the smallest count a report shows; smaller ones read "<5".
const MinCount = 5

// Suppressed is what a report shows for a count under MinCount.
const Suppressed = "<5"

// MaxDays is the longest period a report covers.
const MaxDays = 366

// Statuses an appointment is counted in.
var Statuses = []string{"booked", "cancelled", "completed", "noShow"}

// Tally is what events add to the counters of a day, by counter name.
type Tally map[string]int64

// Counter names.
func appointmentKey(status string) string     { return "appt." + status }
func specialtyKey(code, status string) string { return "spec." + code + "." + status }
func chapterKey(roman string) string          { return "dx." + roman }
func giftKey(currency, what string) string    { return "gift." + currency + "." + what }

const consultationsKey = "consultations"

// Scope names the counters a report reads: "all", "region#<region>" or
// "org#<organisation id>".
func Scope(region, organizationID string) string {
	switch {
	case organizationID != "":
		return "org#" + organizationID
	case region != "":
		return "region#" + textfold.Key(region)
	default:
		return "all"
	}
}

// Store adds and sums counters.
type Store interface {
	// Add adds t to the counters of day in every scope, once per message:
	// a message already counted adds nothing.
	Add(ctx context.Context, messageID, day string, scopes []string, t Tally) error
	// Sum adds up the counters of scope over the days from..to (inclusive).
	Sum(ctx context.Context, scope, from, to string) (Tally, error)
}

// Practitioner is what the counters need of an event's practitioner.
type Practitioner struct {
	Specialty     string   // the code of its first specialty; "" without one
	Region        string   // the region of its address, as written
	Organizations []string // the organisations it is a member of
}

// Consultation is what the counters need of a consultation.
type Consultation struct {
	PractitionerID string
	DiagnosisCodes []string
}

// Gift is what the counters need of a gift.
type Gift struct {
	Currency       string
	Amount         int64  // minor units
	OrganizationID string // its campaign's organisation; "" without one
}

// Sources are where the counters learn about an event's subjects.
type Sources interface {
	// Practitioner returns a practitioner; NotFound.
	Practitioner(ctx context.Context, id string) (Practitioner, error)
	// Consultation returns a consultation; NotFound.
	Consultation(ctx context.Context, id string) (Consultation, error)
	// Gift returns a gift; NotFound.
	Gift(ctx context.Context, id string) (Gift, error)
}

// Counter turns outbox messages into counts.
type Counter struct {
	Store   Store
	Sources Sources
}

// MaxOrganizations is how many of a practitioner's organisations an event
// is counted in (a DynamoDB transaction holds at most 100 items).
const MaxOrganizations = 90

// statusOf maps the appointment kinds to the status they count.
var statusOf = map[outbox.Kind]string{
	outbox.AppointmentBooked:    "booked",
	outbox.AppointmentCancelled: "cancelled",
	outbox.AppointmentCompleted: "completed",
	outbox.AppointmentNoShow:    "noShow",
}

// Count adds the event m to the counters; kinds without statistics are
// ignored. An error leaves the message to be counted on a later run.
func (c *Counter) Count(ctx context.Context, m outbox.Message) error {
	day := m.CreatedAt.UTC().Format(time.DateOnly)
	t := Tally{}
	var scopes []string
	var err error
	switch {
	case statusOf[m.Kind] != "":
		status := statusOf[m.Kind]
		var spec string
		scopes, spec, err = c.practitionerScopes(ctx, m.PractitionerID)
		t[appointmentKey(status)] = 1
		t[specialtyKey(spec, status)] = 1
	case m.Kind == outbox.ConsultationRecorded:
		var cons Consultation
		cons, err = c.Sources.Consultation(ctx, m.ConsultationID)
		if problem.Is(err, problem.NotFound) {
			return nil // nothing left to count
		}
		if err != nil {
			break
		}
		scopes, _, err = c.practitionerScopes(ctx, cons.PractitionerID)
		t[consultationsKey] = 1
		for _, code := range cons.DiagnosisCodes {
			if ch, ok := ChapterOf(code); ok {
				t[chapterKey(ch.Roman)]++
			}
		}
	case m.Kind == outbox.DonationReceipt:
		scopes, err = c.giftScopes(ctx, m.DonationID, t)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	return c.Store.Add(ctx, m.ID, day, scopes, t)
}

// practitionerScopes answers the scopes of a practitioner's events and its
// first specialty ("unspecified" without one).
func (c *Counter) practitionerScopes(ctx context.Context, id string) ([]string, string, error) {
	scopes := []string{"all"}
	p, err := c.Sources.Practitioner(ctx, id)
	if problem.Is(err, problem.NotFound) {
		return scopes, "unspecified", nil
	}
	if err != nil {
		return nil, "", err
	}
	spec := "unspecified"
	if p.Specialty != "" {
		spec = p.Specialty
	}
	// Regions match as names do: case, accents and spacing aside.
	if r := textfold.Key(p.Region); r != "" {
		scopes = append(scopes, "region#"+r)
	}
	for i, org := range p.Organizations {
		if i == MaxOrganizations {
			break
		}
		scopes = append(scopes, "org#"+org)
	}
	return scopes, spec, nil
}

func (c *Counter) giftScopes(ctx context.Context, giftID string, t Tally) ([]string, error) {
	g, err := c.Sources.Gift(ctx, giftID)
	if problem.Is(err, problem.NotFound) {
		return nil, nil // nothing left to count
	}
	if err != nil {
		return nil, err
	}
	t[giftKey(g.Currency, "count")] = 1
	t[giftKey(g.Currency, "amount")] = g.Amount
	scopes := []string{"all"}
	if g.OrganizationID != "" {
		scopes = append(scopes, "org#"+g.OrganizationID)
	}
	return scopes, nil
}

// Organizations tells whether an organisation exists.
type Organizations interface {
	// OrganizationExists returns nil when the organisation exists; NotFound.
	OrganizationExists(ctx context.Context, id string) error
}

// Service produces population health reports.
type Service struct {
	Store         Store
	Organizations Organizations
	Now           func() time.Time
}

// Report produces the report q asks for, of an organisation that exists.
// Invalid, NotFound.
func (s *Service) Report(ctx context.Context, q Query) (Report, error) {
	if q.OrganizationID != "" {
		if err := s.Organizations.OrganizationExists(ctx, q.OrganizationID); err != nil {
			return Report{}, err
		}
	}
	return Produce(ctx, s.Store, q, s.Now())
}

// Query asks for a report.
type Query struct {
	PeriodStart, PeriodEnd string
	Region, OrganizationID string
}

// Count is a reported count: a number, or Suppressed.
type Count struct {
	N int64
}

// Value is the count as a report shows it.
func (c Count) Value() any {
	if c.N < MinCount {
		return Suppressed
	}
	return c.N
}

// Report is the population health report.
type Report struct {
	Query
	AppointmentsByStatus map[string]Count
	BySpecialty          []SpecialtyCounts
	Consultations        Count
	Diagnoses            []ChapterCount
	// NoShowRate is noShow / (completed + noShow), nil when either part is
	// under MinCount.
	NoShowRate  *float64
	Donations   []Raised
	GeneratedAt time.Time
}

// SpecialtyCounts are the appointments of one specialty by status.
type SpecialtyCounts struct {
	Specialty string
	ByStatus  map[string]Count
}

// ChapterCount is the number of diagnoses of one ICD-10 chapter.
type ChapterCount struct {
	Chapter Chapter
	Count   Count
}

// Raised is what was given in one currency; Amount is nil when the number
// of gifts is under MinCount.
type Raised struct {
	Currency string
	Gifts    Count
	Amount   *int64
}

// TopChapters is how many diagnosis chapters a report lists.
const TopChapters = 10

// Produce validates q and builds its report from the store.
func Produce(ctx context.Context, st Store, q Query, now time.Time) (Report, error) {
	var l problem.FieldList
	from, errFrom := time.Parse(time.DateOnly, q.PeriodStart)
	to, errTo := time.Parse(time.DateOnly, q.PeriodEnd)
	if errFrom != nil {
		l.Add("periodStart", "must be a date such as 2026-01-31")
	}
	if errTo != nil {
		l.Add("periodEnd", "must be a date such as 2026-01-31")
	}
	if errFrom == nil && errTo == nil {
		switch {
		case to.Before(from):
			l.Add("periodEnd", "must not be before periodStart")
		case to.Sub(from) >= MaxDays*24*time.Hour:
			l.Add("periodEnd", "the period covers at most %d days", MaxDays)
		}
	}
	if q.Region != "" && q.OrganizationID != "" {
		l.Add("region", "give a region or an organizationId, not both")
	}
	if len(q.Region) > 100 {
		l.Add("region", "must be at most 100 characters")
	}
	if len(q.OrganizationID) > 64 {
		l.Add("organizationId", "must be at most 64 characters")
	}
	if q.Region != "" && textfold.Key(q.Region) == "" {
		l.Add("region", "must not be blank")
	}
	if err := l.Err(); err != nil {
		return Report{}, err
	}
	sum, err := st.Sum(ctx, Scope(q.Region, q.OrganizationID), q.PeriodStart, q.PeriodEnd)
	if err != nil {
		return Report{}, err
	}
	return Build(q, sum, now), nil
}

// Build assembles a report from the summed counters.
func Build(q Query, sum Tally, now time.Time) Report {
	r := Report{Query: q, AppointmentsByStatus: map[string]Count{}, Consultations: Count{sum[consultationsKey]}, GeneratedAt: now.UTC()}
	for _, s := range Statuses {
		r.AppointmentsByStatus[s] = Count{sum[appointmentKey(s)]}
	}
	specs := map[string]map[string]Count{}
	gifts := map[string]*[2]int64{}
	for k, v := range sum {
		switch {
		case strings.HasPrefix(k, "spec."):
			rest := strings.TrimPrefix(k, "spec.")
			i := strings.LastIndex(rest, ".")
			if i < 0 {
				continue
			}
			code, status := rest[:i], rest[i+1:]
			if specs[code] == nil {
				specs[code] = map[string]Count{}
				for _, s := range Statuses {
					specs[code][s] = Count{}
				}
			}
			specs[code][status] = Count{v}
		case strings.HasPrefix(k, "dx."):
			if ch, ok := chapterByRoman[strings.TrimPrefix(k, "dx.")]; ok {
				r.Diagnoses = append(r.Diagnoses, ChapterCount{Chapter: ch, Count: Count{v}})
			}
		case strings.HasPrefix(k, "gift."):
			parts := strings.Split(k, ".")
			if len(parts) != 3 {
				continue
			}
			g := gifts[parts[1]]
			if g == nil {
				g = &[2]int64{}
				gifts[parts[1]] = g
			}
			if parts[2] == "count" {
				g[0] = v
			} else {
				g[1] = v
			}
		}
	}
	for code, by := range specs {
		r.BySpecialty = append(r.BySpecialty, SpecialtyCounts{Specialty: code, ByStatus: by})
	}
	sort.Slice(r.BySpecialty, func(i, j int) bool { return r.BySpecialty[i].Specialty < r.BySpecialty[j].Specialty })
	sort.Slice(r.Diagnoses, func(i, j int) bool {
		a, b := r.Diagnoses[i], r.Diagnoses[j]
		if a.Count.N != b.Count.N {
			return a.Count.N > b.Count.N
		}
		return a.Chapter.Start < b.Chapter.Start
	})
	if len(r.Diagnoses) > TopChapters {
		r.Diagnoses = r.Diagnoses[:TopChapters]
	}
	completed, noShow := sum[appointmentKey("completed")], sum[appointmentKey("noShow")]
	if noShow >= MinCount && completed >= MinCount {
		rate := float64(noShow) / float64(completed+noShow)
		r.NoShowRate = &rate
	}
	for cur, g := range gifts {
		raised := Raised{Currency: cur, Gifts: Count{g[0]}}
		if g[0] >= MinCount {
			amount := g[1]
			raised.Amount = &amount
		}
		r.Donations = append(r.Donations, raised)
	}
	sort.Slice(r.Donations, func(i, j int) bool { return r.Donations[i].Currency < r.Donations[j].Currency })
	return r
}
