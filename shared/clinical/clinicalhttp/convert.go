package clinicalhttp

import (
	"time"

	"ohcs/shared/clinical"
	"ohcs/shared/jsonio"
)

type codeJSON struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

type observationJSON struct {
	System      string  `json:"system,omitempty"`
	Code        string  `json:"code"`
	Display     string  `json:"display,omitempty"`
	Value       float64 `json:"value"`
	Unit        string  `json:"unit"`
	EffectiveAt string  `json:"effectiveAt,omitempty"`
}

type prescriptionJSON struct {
	Medication   string `json:"medication"`
	Dose         string `json:"dose"`
	Frequency    string `json:"frequency"`
	DurationDays int    `json:"durationDays,omitempty"`
	Instructions string `json:"instructions,omitempty"`
}

type consultationJSON struct {
	ID             string             `json:"id,omitempty"`
	AppointmentID  string             `json:"appointmentId"`
	PractitionerID string             `json:"practitionerId,omitempty"`
	BeneficiaryID  string             `json:"beneficiaryId,omitempty"`
	Summary        string             `json:"summary"`
	Diagnoses      []codeJSON         `json:"diagnoses"`
	Observations   []observationJSON  `json:"observations"`
	Prescriptions  []prescriptionJSON `json:"prescriptions"`
	FollowUpInDays *int               `json:"followUpInDays,omitempty"`
	jsonio.Stamps
}

func (in consultationJSON) domain() clinical.Consultation {
	c := clinical.Consultation{Summary: in.Summary}
	if in.FollowUpInDays != nil {
		c.FollowUpInDays = *in.FollowUpInDays
	}
	for _, d := range in.Diagnoses {
		c.Diagnoses = append(c.Diagnoses, clinical.Code(d))
	}
	for _, o := range in.Observations {
		at, _ := time.Parse(time.RFC3339, o.EffectiveAt)
		c.Observations = append(c.Observations, clinical.Observation{Code: o.Code, Display: o.Display, Value: o.Value, Unit: o.Unit, EffectiveAt: at})
	}
	for _, p := range in.Prescriptions {
		c.Prescriptions = append(c.Prescriptions, clinical.Prescription(p))
	}
	return c
}

func consultationOut(c clinical.Consultation) consultationJSON {
	out := consultationJSON{ID: c.ID, AppointmentID: c.AppointmentID, PractitionerID: c.PractitionerID, BeneficiaryID: c.BeneficiaryID,
		Summary: c.Summary, FollowUpInDays: positive(c.FollowUpInDays), Stamps: jsonio.StampsOf(c.CreatedAt, c.CreatedAt, c.Version),
		Diagnoses: []codeJSON{}, Observations: []observationJSON{}, Prescriptions: []prescriptionJSON{}}
	for _, d := range c.Diagnoses {
		out.Diagnoses = append(out.Diagnoses, codeJSON(d))
	}
	for _, o := range c.Observations {
		oj := observationJSON{System: "loinc", Code: o.Code, Display: o.Display, Value: o.Value, Unit: o.Unit}
		if !o.EffectiveAt.IsZero() {
			oj.EffectiveAt = jsonio.Time(o.EffectiveAt)
		}
		out.Observations = append(out.Observations, oj)
	}
	for _, p := range c.Prescriptions {
		out.Prescriptions = append(out.Prescriptions, prescriptionJSON(p))
	}
	return out
}

type entryJSON struct {
	ID             string    `json:"id,omitempty"`
	BeneficiaryID  string    `json:"beneficiaryId"`
	Kind           string    `json:"kind"`
	Code           *codeJSON `json:"code,omitempty"`
	Value          *float64  `json:"value,omitempty"`
	Unit           string    `json:"unit,omitempty"`
	Status         string    `json:"status,omitempty"`
	RecordedAt     string    `json:"recordedAt"`
	Note           string    `json:"note,omitempty"`
	Source         string    `json:"source,omitempty"`
	AuthorID       string    `json:"authorId,omitempty"`
	ConsultationID string    `json:"consultationId,omitempty"`
	jsonio.Stamps
}

func entryOut(e clinical.Entry) entryJSON {
	out := entryJSON{ID: e.ID, BeneficiaryID: e.BeneficiaryID, Kind: e.Kind, Value: e.Value, Unit: e.Unit, Status: e.Status,
		RecordedAt: jsonio.Time(e.RecordedAt), Note: e.Note, Source: e.Source, AuthorID: e.AuthorID, ConsultationID: e.ConsultationID,
		Stamps: jsonio.StampsOf(e.CreatedAt, e.CreatedAt, e.Version)}
	if e.Code != nil {
		c := codeJSON(*e.Code)
		out.Code = &c
	}
	return out
}

type goalJSON struct {
	Description string `json:"description"`
	Target      string `json:"target,omitempty"`
	DueDate     string `json:"dueDate,omitempty"`
}

type scheduleJSON struct {
	Frequency string   `json:"frequency,omitempty"`
	Times     []string `json:"times,omitempty"`
	StartDate string   `json:"startDate,omitempty"`
	EndDate   string   `json:"endDate,omitempty"`
}

type activityJSON struct {
	Kind        string        `json:"kind"`
	Description string        `json:"description"`
	Schedule    *scheduleJSON `json:"schedule,omitempty"`
	ArticleID   string        `json:"articleId,omitempty"`
}

type periodJSON struct {
	Start string `json:"start"`
	End   string `json:"end,omitempty"`
}

type planJSON struct {
	ID             string         `json:"id,omitempty"`
	BeneficiaryID  string         `json:"beneficiaryId,omitempty"`
	AuthorID       string         `json:"authorId,omitempty"`
	Title          string         `json:"title,omitempty"`
	Description    string         `json:"description,omitempty"`
	ConditionCodes []codeJSON     `json:"conditionCodes,omitempty"`
	Goals          []goalJSON     `json:"goals,omitempty"`
	Activities     []activityJSON `json:"activities,omitempty"`
	Period         *periodJSON    `json:"period,omitempty"`
	Status         string         `json:"status,omitempty"`
	jsonio.Stamps
}

func (in planJSON) domain() clinical.Plan {
	p := clinical.Plan{BeneficiaryID: in.BeneficiaryID, Title: in.Title, Description: in.Description, Status: in.Status}
	for _, c := range in.ConditionCodes {
		p.ConditionCodes = append(p.ConditionCodes, clinical.Code(c))
	}
	for _, g := range in.Goals {
		p.Goals = append(p.Goals, clinical.Goal(g))
	}
	for _, a := range in.Activities {
		act := clinical.Activity{Kind: a.Kind, Description: a.Description, ArticleID: a.ArticleID}
		if a.Schedule != nil {
			act.Frequency, act.Times, act.StartDate, act.EndDate = a.Schedule.Frequency, a.Schedule.Times, a.Schedule.StartDate, a.Schedule.EndDate
		}
		p.Activities = append(p.Activities, act)
	}
	if in.Period != nil {
		p.Start, p.End = in.Period.Start, in.Period.End
	}
	return p
}

func planOut(p clinical.Plan) planJSON {
	out := planJSON{ID: p.ID, BeneficiaryID: p.BeneficiaryID, AuthorID: p.AuthorID, Title: p.Title, Description: p.Description,
		ConditionCodes: []codeJSON{}, Goals: []goalJSON{}, Activities: []activityJSON{}, Period: &periodJSON{Start: p.Start, End: p.End},
		Status: p.Status, Stamps: jsonio.StampsOf(p.CreatedAt, p.UpdatedAt, p.Version)}
	for _, c := range p.ConditionCodes {
		out.ConditionCodes = append(out.ConditionCodes, codeJSON(c))
	}
	for _, g := range p.Goals {
		out.Goals = append(out.Goals, goalJSON(g))
	}
	for _, a := range p.Activities {
		aj := activityJSON{Kind: a.Kind, Description: a.Description, ArticleID: a.ArticleID}
		if a.Frequency != "" || len(a.Times) > 0 || a.StartDate != "" || a.EndDate != "" {
			aj.Schedule = &scheduleJSON{Frequency: a.Frequency, Times: a.Times, StartDate: a.StartDate, EndDate: a.EndDate}
		}
		out.Activities = append(out.Activities, aj)
	}
	return out
}

// planFull marshals with empty arrays present (the schema requires them).
type planFull struct {
	planJSON
	ConditionCodes []codeJSON     `json:"conditionCodes"`
	Goals          []goalJSON     `json:"goals"`
	Activities     []activityJSON `json:"activities"`
}

func planResponse(p clinical.Plan) planFull {
	o := planOut(p)
	return planFull{planJSON: o, ConditionCodes: o.ConditionCodes, Goals: o.Goals, Activities: o.Activities}
}

// positive is n for a response field that is absent when zero.
func positive(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}
