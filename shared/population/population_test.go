package population_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"ohcs/shared/outbox"
	"ohcs/shared/population"
	"ohcs/shared/problem"
)

func TestChapterOf(t *testing.T) {
	for code, want := range map[string]string{
		"A00": "I", "B99.9": "I", "C50.911": "II", "D48": "II", "D49": "II", "D50": "III", "E11.9": "IV", "F32.A": "V",
		"G40": "VI", "H10.9": "VII", "H66.9": "VIII", "I10": "IX", "J45.909": "X", "j45.909": "X", "K35": "XI", "L20": "XII",
		"M54.5": "XIII", "N39.0": "XIV", "O80": "XV", "P07": "XVI", "Q21": "XVII", "R50.9": "XVIII", "S72": "XIX",
		"T78.4": "XIX", "U07.1": "XXII", "V89": "XX", "Y98": "XX", "Z00.0": "XXI",
	} {
		ch, ok := population.ChapterOf(code)
		if !ok || ch.Roman != want {
			t.Errorf("ChapterOf(%q) = %v %v; want %s", code, ch.Roman, ok, want)
		}
	}
	for _, bad := range []string{"", "J4", "45.9", "JJ5", "1A0"} {
		if ch, ok := population.ChapterOf(bad); ok {
			t.Errorf("ChapterOf(%q) = %v; want none", bad, ch)
		}
	}
}

func TestCountValue(t *testing.T) {
	for n, want := range map[int64]any{0: "<5", 1: "<5", 4: "<5", 5: int64(5), 120: int64(120)} {
		if got := (population.Count{N: n}).Value(); got != want {
			t.Errorf("Count{%d} = %v; want %v", n, got, want)
		}
	}
}

// TestBuild: suppression, the rate and amounts only from 5 events or more,
// the top chapters in order.
func TestBuild(t *testing.T) {
	sum := population.Tally{
		"appt.booked": 40, "appt.completed": 20, "appt.noShow": 5, "appt.cancelled": 4,
		"spec.gp.booked": 30, "spec.gp.completed": 3, "spec.child.health.booked": 10,
		"consultations": 20, "dx.X": 12, "dx.IX": 3, "dx.I": 12, "dx.IV": 7, "dx.nonsense": 100,
		"gift.EUR.count": 5, "gift.EUR.amount": 12500, "gift.MZN.count": 2, "gift.MZN.amount": 99999,
	}
	for i, roman := range []string{"II", "III", "V", "VI", "VII", "VIII", "XI", "XII"} {
		sum["dx."+roman] = int64(i + 1)
	}
	r := population.Build(population.Query{PeriodStart: "2026-01-01", PeriodEnd: "2026-01-31"}, sum, time.Now())
	by := map[string]any{}
	for k, c := range r.AppointmentsByStatus {
		by[k] = c.Value()
	}
	if want := map[string]any{"booked": int64(40), "completed": int64(20), "noShow": int64(5), "cancelled": "<5"}; !reflect.DeepEqual(by, want) {
		t.Errorf("by status: %v", by)
	}
	if len(r.BySpecialty) != 2 || r.BySpecialty[0].Specialty != "child.health" || r.BySpecialty[1].Specialty != "gp" ||
		r.BySpecialty[1].ByStatus["completed"].Value() != "<5" || r.BySpecialty[1].ByStatus["noShow"].Value() != "<5" {
		t.Errorf("by specialty: %+v", r.BySpecialty)
	}
	if r.NoShowRate == nil || *r.NoShowRate != 0.2 {
		t.Errorf("no-show rate: %v; want 5/25", r.NoShowRate)
	}
	var order []string
	for _, d := range r.Diagnoses {
		order = append(order, d.Chapter.Roman)
	}
	// 12 and 12 tie: chapter order; the unknown counter is ignored.
	if want := []string{"I", "X", "XII", "IV", "XI", "VIII", "VII", "VI", "V", "IX"}; !reflect.DeepEqual(order, want) {
		t.Errorf("top chapters: %v; want %v", order, want)
	}
	if len(r.Donations) != 2 || r.Donations[0].Amount == nil || *r.Donations[0].Amount != 12500 || r.Donations[1].Amount != nil ||
		r.Donations[1].Gifts.Value() != "<5" {
		t.Errorf("donations: %+v", r.Donations)
	}
	sum["appt.noShow"] = 4
	if r := population.Build(population.Query{}, sum, time.Now()); r.NoShowRate != nil {
		t.Errorf("a rate from 4 no-shows: %v", *r.NoShowRate)
	}
}

type memStore struct {
	adds  map[string]bool
	days  map[string]population.Tally // scope|day
	calls int
}

func (m *memStore) Add(_ context.Context, id, day string, scopes []string, t population.Tally) error {
	m.calls++
	if m.adds[id] {
		return nil
	}
	m.adds[id] = true
	for _, s := range scopes {
		k := s + "|" + day
		if m.days[k] == nil {
			m.days[k] = population.Tally{}
		}
		for n, v := range t {
			m.days[k][n] += v
		}
	}
	return nil
}

func (m *memStore) Sum(_ context.Context, scope, from, to string) (population.Tally, error) {
	out := population.Tally{}
	for k, t := range m.days {
		if s, day := k[:len(k)-11], k[len(k)-10:]; s == scope && day >= from && day <= to {
			for n, v := range t {
				out[n] += v
			}
		}
	}
	return out, nil
}

type fakes struct{}

func (fakes) Practitioner(_ context.Context, id string) (population.Practitioner, error) {
	if id != "P" {
		return population.Practitioner{}, problem.New(problem.NotFound, "no practitioner %s", id)
	}
	return population.Practitioner{Specialty: "gp", Region: " Maputo  Cidade", Organizations: []string{"O1", "O2"}}, nil
}

func (fakes) Consultation(_ context.Context, id string) (population.Consultation, error) {
	if id == "GONE" {
		return population.Consultation{}, problem.New(problem.NotFound, "no consultation %s", id)
	}
	return population.Consultation{PractitionerID: "P", DiagnosisCodes: []string{"J45.909", "J20.9", "I10"}}, nil
}

func (fakes) Gift(_ context.Context, id string) (population.Gift, error) {
	return population.Gift{Amount: 700, Currency: "EUR", OrganizationID: "O9"}, nil
}

// TestCounter: each kind adds its counters to the scopes of its
// practitioner (or campaign), once per message; other kinds add nothing.
func TestCounter(t *testing.T) {
	ctx := context.Background()
	st := &memStore{adds: map[string]bool{}, days: map[string]population.Tally{}}
	c := &population.Counter{Store: st, Sources: fakes{}}
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("", -3*3600)) // 2 March in UTC
	msgs := []outbox.Message{
		{ID: "1", Kind: outbox.AppointmentBooked, PractitionerID: "P", CreatedAt: at},
		{ID: "2", Kind: outbox.AppointmentNoShow, PractitionerID: "P", CreatedAt: at},
		{ID: "3", Kind: outbox.AppointmentCancelled, PractitionerID: "GONE", CreatedAt: at},
		{ID: "4", Kind: outbox.ConsultationRecorded, ConsultationID: "K", CreatedAt: at},
		{ID: "5", Kind: outbox.DonationReceipt, DonationID: "G", CreatedAt: at},
		{ID: "6", Kind: outbox.AppointmentReminder, PractitionerID: "P", CreatedAt: at},
		{ID: "7", Kind: outbox.NotificationSent, CreatedAt: at},
		{ID: "8", Kind: outbox.ConsultationRecorded, ConsultationID: "GONE", CreatedAt: at}, // nothing to count, nothing blocked
		{ID: "1", Kind: outbox.AppointmentBooked, PractitionerID: "P", CreatedAt: at},       // handed over again
	}
	for _, m := range msgs {
		if err := c.Count(ctx, m); err != nil {
			t.Fatalf("count %s: %v", m.Kind, err)
		}
	}
	if st.calls != 6 {
		t.Errorf("store adds: %d; want 6 (reminders and notices are not counted)", st.calls)
	}
	want := map[string]population.Tally{
		"all|2026-03-02": {"appt.booked": 1, "spec.gp.booked": 1, "appt.noShow": 1, "spec.gp.noShow": 1, "appt.cancelled": 1,
			"spec.unspecified.cancelled": 1, "consultations": 1, "dx.X": 2, "dx.IX": 1, "gift.EUR.count": 1, "gift.EUR.amount": 700},
		"region#maputo cidade|2026-03-02": {"appt.booked": 1, "spec.gp.booked": 1, "appt.noShow": 1, "spec.gp.noShow": 1, "consultations": 1, "dx.X": 2, "dx.IX": 1},
		"org#O1|2026-03-02":               {"appt.booked": 1, "spec.gp.booked": 1, "appt.noShow": 1, "spec.gp.noShow": 1, "consultations": 1, "dx.X": 2, "dx.IX": 1},
		"org#O2|2026-03-02":               {"appt.booked": 1, "spec.gp.booked": 1, "appt.noShow": 1, "spec.gp.noShow": 1, "consultations": 1, "dx.X": 2, "dx.IX": 1},
		"org#O9|2026-03-02":               {"gift.EUR.count": 1, "gift.EUR.amount": 700},
	}
	if !reflect.DeepEqual(st.days, want) {
		t.Errorf("counters:\n got %v\nwant %v", st.days, want)
	}
	r, err := population.Produce(ctx, st, population.Query{PeriodStart: "2026-03-01", PeriodEnd: "2026-03-31", Region: "MAPUTO cidade"}, time.Now())
	if err != nil || r.Consultations.N != 1 {
		t.Errorf("region report: %+v %v", r, err)
	}
}

func TestProduceRefusesBadPeriods(t *testing.T) {
	st := &memStore{adds: map[string]bool{}, days: map[string]population.Tally{}}
	for _, q := range []struct {
		q     population.Query
		field string
	}{
		{population.Query{PeriodStart: "2026-02-30", PeriodEnd: "2026-03-01"}, "periodStart"},
		{population.Query{PeriodStart: "2026-03-01", PeriodEnd: "tomorrow"}, "periodEnd"},
		{population.Query{PeriodStart: "2026-03-02", PeriodEnd: "2026-03-01"}, "periodEnd"},
		{population.Query{PeriodStart: "2025-01-01", PeriodEnd: "2026-01-02"}, "periodEnd"},
		{population.Query{PeriodStart: "2026-01-01", PeriodEnd: "2026-01-02", Region: "r", OrganizationID: "O"}, "region"},
		{population.Query{PeriodStart: "2026-01-01", PeriodEnd: "2026-01-02", Region: "   "}, "region"},
	} {
		_, err := population.Produce(context.Background(), st, q.q, time.Now())
		var pe *problem.Error
		if !problemAs(err, &pe) || pe.Code != problem.Invalid || len(pe.Fields) == 0 || pe.Fields[0].Field != q.field {
			t.Errorf("%+v: %v; want invalid %s", q.q, err, q.field)
		}
	}
	if _, err := population.Produce(context.Background(), st, population.Query{PeriodStart: "2025-01-01", PeriodEnd: "2026-01-01"}, time.Now()); err != nil {
		t.Errorf("366 days: %v", err)
	}
}

func problemAs(err error, target **problem.Error) bool { return errors.As(err, target) }
