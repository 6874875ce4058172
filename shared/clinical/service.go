package clinical

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"ohcs/shared/outbox"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// Service is the clinical domain's logic. Callers have been authorized.
type Service struct {
	Store        Store
	Patients     Patients
	Appointments Appointments
	Now          func() time.Time
	NewID        func() string
}

// Appointment is what clinical needs of an appointment: recording its
// consultation, listing it in a report or an export.
type Appointment struct {
	ID, PractitionerID, BeneficiaryID, Status, Mode string
	Start, End, BookedAt                            time.Time
	Version                                         int64
}

// Record records a consultation of appointment a by practitioner pid.
func (s *Service) Record(ctx context.Context, pid string, a Appointment, c Consultation) (Consultation, error) {
	if a.PractitionerID != pid {
		return Consultation{}, problem.New(problem.NotFound, "no appointment %s", a.ID)
	}
	if a.Status != "booked" && a.Status != "completed" {
		return Consultation{}, problem.New(problem.Unprocessable, "a %s appointment cannot be recorded", a.Status)
	}
	var l problem.FieldList
	validate.Text(&l, "summary", c.Summary, true, 10000)
	for i, d := range c.Diagnoses {
		if d.System != "icd10" || !IsICD10(d.Code) {
			l.Add(fmt.Sprintf("diagnoses[%d].code", i), "must be an ICD-10 code such as J45.909")
		}
	}
	for i, o := range c.Observations {
		if !IsLOINC(o.Code) {
			l.Add(fmt.Sprintf("observations[%d].code", i), "must be a LOINC code such as 8867-4")
		}
		validate.Text(&l, fmt.Sprintf("observations[%d].unit", i), o.Unit, true, 30)
	}
	for i, p := range c.Prescriptions {
		validate.Text(&l, fmt.Sprintf("prescriptions[%d].medication", i), p.Medication, true, 200)
	}
	if err := l.Err(); err != nil {
		return Consultation{}, err
	}
	now := s.Now().UTC()
	c.ID, c.AppointmentID, c.PractitionerID, c.BeneficiaryID, c.CreatedAt, c.Version = s.NewID(), a.ID, pid, a.BeneficiaryID, now, 1
	var entries []Entry
	for _, d := range c.Diagnoses {
		code := d
		entries = append(entries, Entry{ID: s.NewID(), BeneficiaryID: a.BeneficiaryID, Kind: "condition", Code: &code, Status: "active",
			RecordedAt: now, Source: "consultation", AuthorID: pid, ConsultationID: c.ID, CreatedAt: now, Version: 1})
	}
	for _, o := range c.Observations {
		v := o.Value
		at := o.EffectiveAt
		if at.IsZero() {
			at = now
		}
		entries = append(entries, Entry{ID: s.NewID(), BeneficiaryID: a.BeneficiaryID, Kind: "observation",
			Code: &Code{System: "loinc", Code: o.Code, Display: o.Display}, Value: &v, Unit: o.Unit, RecordedAt: at,
			Source: "consultation", AuthorID: pid, ConsultationID: c.ID, CreatedAt: now, Version: 1})
	}
	// The statistics count the consultation, and the appointment's
	// completion unless it was completed before.
	events := []string{string(outbox.ConsultationRecorded)}
	if a.Status == "booked" {
		events = append(events, string(outbox.AppointmentCompleted))
	}
	if err := s.Store.Record(ctx, c, entries, a, events); err != nil {
		return Consultation{}, err
	}
	return c, nil
}

// EntryKinds a person may add.
var EntryKinds = []string{"condition", "allergy", "medication", "immunization", "observation", "note"}

// AddEntry adds an entry by authorID (a practitioner) or, with self, by
// the beneficiary itself.
func (s *Service) AddEntry(ctx context.Context, authorID string, self bool, e Entry) (Entry, error) {
	var l problem.FieldList
	if !slices.Contains(EntryKinds, e.Kind) {
		l.Add("kind", "must be one of condition, allergy, medication, immunization, observation, note")
	}
	if e.RecordedAt.IsZero() {
		l.Add("recordedAt", "is required")
	}
	validate.Text(&l, "note", e.Note, false, 4000)
	validate.Text(&l, "unit", e.Unit, false, 30)
	validate.Text(&l, "status", e.Status, false, 30)
	if e.Value != nil && (*e.Value < -1_000_000 || *e.Value > 1_000_000) {
		l.Add("value", "must be between -1000000 and 1000000")
	}
	if e.Code != nil {
		validate.Text(&l, "code.system", e.Code.System, true, 64)
		validate.Text(&l, "code.code", e.Code.Code, true, 64)
		if e.Code.System == "icd10" && !IsICD10(e.Code.Code) {
			l.Add("code.code", "must be an ICD-10 code such as J45.909")
		}
		if e.Code.System == "loinc" && !IsLOINC(e.Code.Code) {
			l.Add("code.code", "must be a LOINC code such as 8867-4")
		}
	}
	if e.Kind == "observation" && (e.Value == nil || e.Unit == "" || e.Code == nil) {
		l.Add("value", "an observation has a code, a value and a unit")
	}
	if err := l.Err(); err != nil {
		return Entry{}, err
	}
	now := s.Now().UTC()
	e.ID, e.AuthorID, e.CreatedAt, e.Version, e.Source = s.NewID(), authorID, now, 1, "practitioner"
	if self {
		e.Source, e.AuthorID = "self", ""
	}
	return e, s.Store.AddEntry(ctx, e)
}

func checkPlan(l *problem.FieldList, p Plan) {
	validate.Text(l, "title", p.Title, true, 200)
	validate.Text(l, "description", p.Description, false, 4000)
	start, okS := validate.Date(l, "period.start", p.Start, true)
	end, okE := validate.Date(l, "period.end", p.End, false)
	if okS && okE && end.Before(start) {
		l.Add("period.end", "must not be before period.start")
	}
	for i, g := range p.Goals {
		validate.Text(l, fmt.Sprintf("goals[%d].description", i), g.Description, true, 1000)
	}
	kinds := []string{"medication", "exercise", "diet", "followUp", "education", "other"}
	for i, a := range p.Activities {
		if !slices.Contains(kinds, a.Kind) {
			l.Add(fmt.Sprintf("activities[%d].kind", i), "must be one of medication, exercise, diet, followUp, education, other")
		}
		validate.Text(l, fmt.Sprintf("activities[%d].description", i), a.Description, true, 1000)
	}
}

// CreatePlan creates a plan by practitioner authorID.
func (s *Service) CreatePlan(ctx context.Context, authorID, authorSub string, p Plan) (Plan, error) {
	var l problem.FieldList
	if p.Status == "" {
		p.Status = "draft"
	}
	if p.Status != "draft" && p.Status != "active" {
		l.Add("status", "a new plan is draft or active")
	}
	checkPlan(&l, p)
	if err := l.Err(); err != nil {
		return Plan{}, err
	}
	now := s.Now().UTC()
	p.ID, p.AuthorID, p.AuthorSub, p.CreatedAt, p.UpdatedAt, p.Version = s.NewID(), authorID, authorSub, now, now, 1
	return p, s.Store.PutPlan(ctx, p, 0)
}

// Update asks its author to change a record at a version: the fields of
// Patch named in Fields (by their names in the document) replace the
// stored ones.
type Update[T any] struct {
	AuthorSub string
	ID        string
	Patch     T
	Fields    map[string]bool
	IfMatch   int64
}

// UpdatePlan applies the fields of patch named in fields to its author's
// plan at version ifMatch; the status only moves forward.
func (s *Service) UpdatePlan(ctx context.Context, in Update[Plan]) (Plan, error) {
	authorSub, id, patch, fields, ifMatch := in.AuthorSub, in.ID, in.Patch, in.Fields, in.IfMatch
	old, err := s.Store.Plan(ctx, id)
	if err != nil {
		return Plan{}, err
	}
	if old.AuthorSub != authorSub {
		return Plan{}, problem.New(problem.Forbidden, "only its author updates a treatment plan")
	}
	if old.Version != ifMatch {
		return Plan{}, problem.New(problem.PreconditionFailed, "the plan is at version %d, not %d: read it again", old.Version, ifMatch)
	}
	next := old
	if fields["title"] {
		next.Title = patch.Title
	}
	if fields["description"] {
		next.Description = patch.Description
	}
	if fields["goals"] {
		next.Goals = patch.Goals
	}
	if fields["activities"] {
		next.Activities = patch.Activities
	}
	if fields["period"] {
		next.Start, next.End = patch.Start, patch.End
	}
	if fields["status"] && patch.Status != old.Status {
		if !slices.Contains(planNext[old.Status], patch.Status) {
			return Plan{}, problem.New(problem.Unprocessable, "a %s plan cannot become %s", old.Status, patch.Status)
		}
		next.Status = patch.Status
	}
	var l problem.FieldList
	checkPlan(&l, next)
	if err := l.Err(); err != nil {
		return Plan{}, err
	}
	next.UpdatedAt, next.Version = s.Now().UTC(), old.Version+1
	return next, s.Store.PutPlan(ctx, next, old.Version)
}

// Latest returns the latest recorded value of each vital missing from v,
// from the beneficiary's observations.
func (s *Service) Latest(ctx context.Context, beneficiaryID string, v Vitals) (Vitals, error) {
	want := map[string]**float64{"respiratoryRate": &v.RespiratoryRate, "spo2": &v.SpO2, "systolicBloodPressure": &v.SystolicBloodPressure,
		"pulse": &v.Pulse, "temperature": &v.Temperature}
	q := ListQuery{BeneficiaryID: beneficiaryID, Kind: "observation", Limit: 100}
	for round := 0; round < 10; round++ {
		page, err := s.Store.Entries(ctx, q)
		if err != nil {
			return v, err
		}
		for _, e := range page.Items { // newest first
			if e.Code == nil || e.Value == nil {
				continue
			}
			for name, dst := range want {
				if *dst == nil && slices.Contains(VitalCodes[name], e.Code.Code) {
					val := *e.Value
					*dst = &val
				}
			}
		}
		if page.Next == nil {
			break
		}
		q.After = page.Next
	}
	return v, nil
}

// Assess scores NEWS2 for a beneficiary and stores it as a risk
// assessment entry. Unprocessable names the missing vitals.
func (s *Service) Assess(ctx context.Context, authorID, beneficiaryID string, v Vitals) (Score, Entry, Vitals, error) {
	v, err := s.Latest(ctx, beneficiaryID, v)
	if err != nil {
		return Score{}, Entry{}, v, err
	}
	if missing := v.Missing(); len(missing) > 0 {
		var l problem.FieldList
		for _, m := range missing {
			l.Add("vitals."+m, "is missing and no recorded value was found")
		}
		e := l.Err().(*problem.Error)
		e.Code, e.Message = problem.Unprocessable, "vitals missing: send them or record them first"
		return Score{}, Entry{}, v, e
	}
	score := NEWS2(v)
	now := s.Now().UTC()
	total := float64(score.Total)
	e := Entry{ID: s.NewID(), BeneficiaryID: beneficiaryID, Kind: "riskAssessment", Code: &Code{System: "news2", Code: score.Risk, Display: "NEWS2 " + strconv.Itoa(score.Total)},
		Value: &total, Unit: "{score}", RecordedAt: now, Source: "riskAssessment", AuthorID: authorID, CreatedAt: now, Version: 1}
	return score, e, v, s.Store.AddEntry(ctx, e)
}
