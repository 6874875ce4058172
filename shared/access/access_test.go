package access_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/audit"
	"ohcs/shared/auth"
	"ohcs/shared/page"
	"ohcs/shared/problem"
)

// fakeDirectory is a hand-written directory: beneficiaries, caregivers by
// sub, practitioners by sub, links and revocations.
type fakeDirectory struct {
	subjects      map[string]access.Subject
	caregivers    map[string]string
	practitioners map[string]string
	unverified    map[string]bool          // practitioner ids whose verification is withdrawn or pending
	links         map[string][]access.Link // beneficiary|caregiver
	revoked       map[string]time.Time     // beneficiary|practitioner
}

func (f fakeDirectory) Subject(_ context.Context, id string) (access.Subject, error) {
	s, ok := f.subjects[id]
	if !ok {
		return s, problem.New(problem.NotFound, "no beneficiary")
	}
	return s, nil
}

func (f fakeDirectory) CaregiverID(_ context.Context, sub string) (string, error) {
	if id, ok := f.caregivers[sub]; ok {
		return id, nil
	}
	return "", problem.New(problem.NotFound, "no caregiver")
}

func (f fakeDirectory) Practitioner(_ context.Context, sub string) (access.PractitionerProfile, error) {
	if id, ok := f.practitioners[sub]; ok {
		return access.PractitionerProfile{ID: id, Verified: !f.unverified[id]}, nil
	}
	return access.PractitionerProfile{}, problem.New(problem.NotFound, "no practitioner")
}

func (f fakeDirectory) Links(_ context.Context, b, c string) ([]access.Link, error) {
	return f.links[b+"|"+c], nil
}

func (f fakeDirectory) Facts(ctx context.Context, b, sub string, caregiver, practitioner bool) (access.Facts, error) {
	return access.LookUp(ctx, f, b, sub, caregiver, practitioner)
}

func (f fakeDirectory) RevokedAt(_ context.Context, b, p string) (time.Time, bool, error) {
	t, ok := f.revoked[b+"|"+p]
	return t, ok, nil
}

func (f fakeDirectory) Revocations(_ context.Context, b string) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for bp, t := range f.revoked {
		if ben, p, _ := strings.Cut(bp, "|"); ben == b {
			out[p] = t
		}
	}
	return out, nil
}

// appt is an appointment as the scheduling side keeps it.
type appt struct {
	status          string
	start, bookedAt time.Time
}

// fakeCare is the scheduling side: the appointments per
// practitioner|beneficiary; like the store it hands over the booked and
// completed ones, and the policy decides which hold a relationship.
type fakeCare map[string][]appt

func (f fakeCare) Care(_ context.Context, b string) ([]access.CareAppointment, error) {
	var out []access.CareAppointment
	for pb, appts := range f {
		p, ben, _ := strings.Cut(pb, "|")
		for _, a := range appts {
			if ben == b && (a.status == "booked" || a.status == "completed") {
				out = append(out, access.CareAppointment{PractitionerID: p, Completed: a.status == "completed", Start: a.start, BookedAt: a.bookedAt})
			}
		}
	}
	return out, nil
}

type memAudit struct {
	mu     sync.Mutex
	events []audit.Event
	fail   bool
}

func (m *memAudit) Append(_ context.Context, e audit.Event) error {
	if m.fail {
		return problem.New(problem.Unavailable, "down")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.events = append(m.events, e)
	return nil
}

func (m *memAudit) List(context.Context, audit.Query) (page.Of[audit.Event], error) {
	return page.Of[audit.Event]{}, nil
}

var now = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func policy(log *memAudit) *access.Policy {
	dir := fakeDirectory{
		subjects: map[string]access.Subject{
			"B1":  {BeneficiaryID: "B1", Sub: "ben-1"},
			"DEP": {BeneficiaryID: "DEP", ManagedBy: "CG-MANAGER"},
		},
		caregivers: map[string]string{"cg-view": "CG-VIEW", "cg-book": "CG-BOOK", "cg-expired": "CG-EXP", "cg-revoked": "CG-REV", "cg-manager": "CG-MANAGER", "cg-none": "CG-NONE", "cg-notices": "CG-NOTE", "cg-pending": "CG-PEND"},
		practitioners: map[string]string{"prac-booked": "P-BOOKED", "prac-old": "P-OLD", "prac-revoked": "P-REV", "prac-rebooked": "P-REBOOK", "prac-none": "P-NONE",
			"prac-suspended": "P-SUSP", "prac-stale": "P-STALE", "prac-recent": "P-RECENT", "prac-done": "P-DONE", "prac-done-old": "P-DONE-OLD",
			"prac-cancelled": "P-CANC", "prac-noshow": "P-NOSHOW"},
		unverified: map[string]bool{"P-SUSP": true},
		links: map[string][]access.Link{
			"B1|CG-VIEW":  {{CaregiverID: "CG-VIEW", Permissions: []access.Permission{access.ViewRecords}}},
			"B1|CG-BOOK":  {{CaregiverID: "CG-BOOK", Permissions: []access.Permission{access.BookAppointments}}},
			"B1|CG-EXP":   {{CaregiverID: "CG-EXP", Permissions: access.Permissions, ExpiresAt: now.Add(-time.Second)}},
			"B1|CG-REV":   {{CaregiverID: "CG-REV", Permissions: access.Permissions, Revoked: true}},
			"B1|CG-NOTE":  {{CaregiverID: "CG-NOTE", Permissions: []access.Permission{access.ReceiveNotifications}}},
			"B1|CG-PEND":  {{CaregiverID: "CG-PEND", Permissions: access.Permissions, Pending: true}},
			"DEP|CG-VIEW": {{CaregiverID: "CG-VIEW", Permissions: []access.Permission{access.ViewRecords}, ExpiresAt: now.Add(time.Hour)}},
		},
		revoked: map[string]time.Time{
			"B1|P-REV":    now.Add(-time.Hour),
			"B1|P-REBOOK": now.Add(-2 * time.Hour),
		},
	}
	day := 24 * time.Hour
	booked := func(start, at time.Duration) []appt {
		return []appt{{status: "booked", start: now.Add(start), bookedAt: now.Add(at)}}
	}
	care := fakeCare{
		"P-BOOKED|B1":   booked(day, -day),
		"P-REV|B1":      booked(day, -2*day),
		"P-REBOOK|B1":   booked(day, -time.Hour),
		"P-SUSP|B1":     booked(day, -day),
		"P-STALE|B1":    booked(-8*day, -10*day), // booked, never completed, 8 days past its start
		"P-RECENT|B1":   booked(-6*day, -10*day), // booked, 6 days past its start
		"P-DONE|B1":     {{status: "completed", start: now.Add(-364 * day), bookedAt: now.Add(-370 * day)}},
		"P-DONE-OLD|B1": {{status: "completed", start: now.Add(-366 * day), bookedAt: now.Add(-370 * day)}},
		"P-CANC|B1":     {{status: "cancelled", start: now.Add(day), bookedAt: now.Add(-day)}},
		"P-NOSHOW|B1":   {{status: "noShow", start: now.Add(-day), bookedAt: now.Add(-2 * day)}},
	}
	return &access.Policy{Directory: dir, Care: care, Audit: log, Now: func() time.Time { return now },
		NewID: func() string { return fmt.Sprint(len(log.events) + 1) }}
}

func principal(sub string, roles ...auth.Role) auth.Principal {
	return auth.Principal{Sub: sub, Roles: roles}
}

func TestAuthorize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		who    auth.Principal
		action access.Action
		ben    string
		basis  access.Basis
		demo   bool
	}{
		{"self reads records", principal("ben-1", auth.Beneficiary), access.ReadRecords, "B1", access.Self, false},
		{"self manages access", principal("ben-1", auth.Beneficiary), access.ManageAccess, "B1", access.Self, false},
		{"another beneficiary", principal("ben-2", auth.Beneficiary), access.ReadProfile, "B1", "", false},
		{"a beneficiary sub without the role", principal("ben-1", auth.Donor), access.ReadProfile, "B1", "", false},
		{"viewRecords reads records", principal("cg-view", auth.Caregiver), access.ReadRecords, "B1", access.LinkedCaregiver, false},
		{"viewRecords reads the access log", principal("cg-view", auth.Caregiver), access.ReadAccessLog, "B1", access.LinkedCaregiver, false},
		{"viewRecords cannot book", principal("cg-view", auth.Caregiver), access.Book, "B1", "", false},
		{"viewRecords cannot update the profile", principal("cg-view", auth.Caregiver), access.UpdateProfile, "B1", "", false},
		{"bookAppointments cannot read records", principal("cg-book", auth.Caregiver), access.ReadRecords, "B1", "", false},
		{"bookAppointments books", principal("cg-book", auth.Caregiver), access.Book, "B1", access.LinkedCaregiver, false},
		{"any active link reads the profile", principal("cg-book", auth.Caregiver), access.ReadProfile, "B1", access.LinkedCaregiver, false},
		{"expired link", principal("cg-expired", auth.Caregiver), access.ReadProfile, "B1", "", false},
		{"revoked link", principal("cg-revoked", auth.Caregiver), access.ReadRecords, "B1", "", false},
		{"no link", principal("cg-none", auth.Caregiver), access.ReadProfile, "B1", "", false},
		{"receiveNotifications does not read the profile", principal("cg-notices", auth.Caregiver), access.ReadProfile, "B1", "", false},
		{"a pending link grants nothing", principal("cg-pending", auth.Caregiver), access.ReadProfile, "B1", "", false},
		{"a pending link does not book", principal("cg-pending", auth.Caregiver), access.Book, "B1", "", false},
		{"managing caregiver", principal("cg-manager", auth.Caregiver), access.ManageAccess, "DEP", access.ManagingCaregiver, false},
		{"managing caregiver books", principal("cg-manager", auth.Caregiver), access.Book, "DEP", access.ManagingCaregiver, false},
		{"linked caregiver of a dependent", principal("cg-view", auth.Caregiver), access.ReadRecords, "DEP", access.LinkedCaregiver, false},
		{"linked caregiver cannot manage access", principal("cg-view", auth.Caregiver), access.ManageAccess, "DEP", "", false},
		{"caregiver sub without the role", principal("cg-view", auth.Beneficiary), access.ReadRecords, "B1", "", false},
		{"practitioner with a booking", principal("prac-booked", auth.Practitioner), access.ReadRecords, "B1", access.CareRelationship, false},
		{"practitioner writes records", principal("prac-booked", auth.Practitioner), access.WriteRecords, "B1", access.CareRelationship, false},
		{"practitioner cannot book for the patient", principal("prac-booked", auth.Practitioner), access.Book, "B1", "", false},
		{"practitioner without appointment", principal("prac-none", auth.Practitioner), access.ReadRecords, "B1", "", false},
		{"practitioner revoked after booking", principal("prac-revoked", auth.Practitioner), access.ReadRecords, "B1", "", false},
		{"practitioner booked again after revocation", principal("prac-rebooked", auth.Practitioner), access.ReadRecords, "B1", access.CareRelationship, false},
		{"suspended practitioner with a booking", principal("prac-suspended", auth.Practitioner), access.ReadRecords, "B1", "", false},
		{"suspended practitioner cannot notify", principal("prac-suspended", auth.Practitioner), access.Notify, "B1", "", false},
		{"booked appointment 8 days past its start", principal("prac-stale", auth.Practitioner), access.ReadRecords, "B1", "", false},
		{"booked appointment 6 days past its start", principal("prac-recent", auth.Practitioner), access.ReadRecords, "B1", access.CareRelationship, false},
		{"completed 364 days ago", principal("prac-done", auth.Practitioner), access.WriteRecords, "B1", access.CareRelationship, false},
		{"completed 366 days ago", principal("prac-done-old", auth.Practitioner), access.ReadRecords, "B1", "", false},
		{"cancelled appointment", principal("prac-cancelled", auth.Practitioner), access.ReadRecords, "B1", "", false},
		{"no-show appointment", principal("prac-noshow", auth.Practitioner), access.ReadRecords, "B1", "", false},
		{"administrator reads demographics", principal("admin", auth.Administrator), access.ReadProfile, "B1", access.Administration, true},
		{"administrator cannot read records", principal("admin", auth.Administrator), access.ReadRecords, "B1", "", false},
		{"administrator cannot read the access log", principal("admin", auth.Administrator), access.ReadAccessLog, "B1", "", false},
		{"donor", principal("donor", auth.Donor), access.ReadProfile, "B1", "", false},
		{"unknown beneficiary", principal("ben-1", auth.Beneficiary), access.ReadProfile, "NOPE", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &memAudit{}
			d, err := policy(log).Authorize(context.Background(), tc.who, tc.action, tc.ben, "op", access.Resource{Type: "beneficiary", ID: tc.ben})
			if tc.basis == "" {
				if problem.CodeOf(err) != problem.NotFound {
					t.Fatalf("got %+v, %v; want NotFound", d, err)
				}
			} else if err != nil || d.Basis != tc.basis || d.DemographicsOnly != tc.demo {
				t.Fatalf("got %+v, %v; want basis %s, demographics only %v", d, err, tc.basis, tc.demo)
			}
			if len(log.events) != 1 {
				t.Fatalf("audit events: got %d; want 1", len(log.events))
			}
			e := log.events[0]
			want := audit.Allowed
			if tc.basis == "" {
				want = audit.Denied
			}
			if e.Outcome != want || e.ActorSub != tc.who.Sub || e.BeneficiaryID != tc.ben || e.Action != "op" {
				t.Errorf("audit event: got %+v; want %s by %s on %s", e, want, tc.who.Sub, tc.ben)
			}
		})
	}
}

// TestReadWhileRecording: Decide hands an allowed decision's event back
// unwritten; Recording writes it while the read runs, and answers the
// trail's failure whatever the read found, so nothing read is shown
// unrecorded.
func TestReadWhileRecording(t *testing.T) {
	ctx := context.Background()
	for _, down := range []bool{false, true} {
		log := &memAudit{fail: down}
		pol := policy(log)
		_, ev, err := pol.Decide(ctx, principal("ben-1", auth.Beneficiary), access.ReadRecords, "B1", "op", access.Resource{})
		if err != nil || ev.Outcome != audit.Allowed || len(log.events) != 0 {
			t.Fatalf("Decide: %+v, %v, %d recorded; want the allowed event, unwritten", ev, err, len(log.events))
		}
		read := false
		err = pol.Recording(ctx, ev, func(context.Context) error { read = true; return nil })
		switch {
		case !read:
			t.Error("Recording did not read")
		case down && problem.CodeOf(err) != problem.Unavailable:
			t.Errorf("trail down: %v; want Unavailable", err)
		case !down && (err != nil || len(log.events) != 1 || log.events[0].ID != ev.ID):
			t.Errorf("trail up: %v, %+v; want the event recorded", err, log.events)
		}
	}
	// A refusal is recorded by Decide itself.
	log := &memAudit{}
	if _, _, err := policy(log).Decide(ctx, principal("stranger", auth.Beneficiary), access.ReadRecords, "B1", "op", access.Resource{}); !problem.Is(err, problem.NotFound) ||
		len(log.events) != 1 || log.events[0].Outcome != audit.Denied {
		t.Errorf("a refusal: %v, %+v; want NotFound and one denied event", err, log.events)
	}
}

func TestNoAccessWithoutAudit(t *testing.T) {
	log := &memAudit{fail: true}
	_, err := policy(log).Authorize(context.Background(), principal("ben-1", auth.Beneficiary), access.ReadRecords, "B1", "op", access.Resource{})
	if problem.CodeOf(err) != problem.Unavailable {
		t.Errorf("got %v; want unavailable when the audit trail cannot record", err)
	}
}

// TestBookingRules: a caregiver never books a beneficiary with its own
// practitioner profile, and after the beneficiary revoked a practitioner
// only the beneficiary (or the managing caregiver of a dependent) books it
// again; each refusal is audited as denied.
func TestBookingRules(t *testing.T) {
	pol := func(log *memAudit) *access.Policy {
		p := policy(log)
		dir := p.Directory.(fakeDirectory)
		dir.practitioners["cg-book"] = "P-CG"     // the caregiver also practises
		dir.practitioners["cg-manager"] = "P-MGR" // and so does the managing one
		dir.revoked["DEP|P-REV"] = now.Add(-time.Hour)
		return p
	}
	for _, tc := range []struct {
		name      string
		who       auth.Principal
		ben, prac string
		want      problem.Code
	}{
		{"caregiver books another practitioner", principal("cg-book", auth.Caregiver, auth.Practitioner), "B1", "P-BOOKED", ""},
		{"caregiver books with its own practitioner profile", principal("cg-book", auth.Caregiver, auth.Practitioner), "B1", "P-CG", problem.Forbidden},
		{"managing caregiver books with its own profile", principal("cg-manager", auth.Caregiver, auth.Practitioner), "DEP", "P-MGR", problem.Forbidden},
		{"caregiver books a revoked practitioner", principal("cg-book", auth.Caregiver), "B1", "P-REV", problem.Forbidden},
		{"the beneficiary books a revoked practitioner again", principal("ben-1", auth.Beneficiary), "B1", "P-REV", ""},
		{"the managing caregiver books a revoked practitioner again", principal("cg-manager", auth.Caregiver), "DEP", "P-REV", ""},
		{"viewRecords cannot book", principal("cg-view", auth.Caregiver), "B1", "P-BOOKED", problem.NotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := &memAudit{}
			_, ev, err := pol(log).AuthorizeBooking(context.Background(), tc.who, tc.ben, tc.prac, "makeAppointment", access.Resource{Type: "appointment"})
			if (tc.want == "" && err != nil) || (tc.want != "" && problem.CodeOf(err) != tc.want) {
				t.Fatalf("got %v; want %q", err, tc.want)
			}
			// A refusal is recorded at once; an allowed booking's event is
			// handed back, to be written with the booking.
			if tc.want != "" {
				if len(log.events) != 1 || log.events[0].Outcome != audit.Denied || ev.ID != "" {
					t.Errorf("audit: %+v, handed back %+v; want one denied event recorded, none handed back", log.events, ev)
				}
				return
			}
			if len(log.events) != 0 || ev.Outcome != audit.Allowed || ev.BeneficiaryID != tc.ben || ev.Action != "makeAppointment" || ev.ID == "" {
				t.Errorf("audit: %+v recorded, %+v handed back; want none recorded, the allowed event handed back", log.events, ev)
			}
		})
	}
}
