package clinicalhttp

import (
	"net/http"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/clinical"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

// AddEntry serves addHealthRecordEntry.
func (h *Handlers) AddEntry(w http.ResponseWriter, r *http.Request) error {
	var in entryJSON
	p, err := lambdahttp.Input(r, &in, "id", "source", "authorId", "consultationId", "createdAt", "updatedAt", "version")
	if err != nil {
		return err
	}
	if !validate.IsID(in.BeneficiaryID) {
		return problem.Field("beneficiaryId", "is not an id")
	}
	recorded, err := time.Parse(time.RFC3339, in.RecordedAt)
	if err != nil {
		return problem.Field("recordedAt", "must be an RFC 3339 time")
	}
	d, err := h.Policy.Authorize(r.Context(), p, access.WriteRecords, in.BeneficiaryID, "addHealthRecordEntry", access.Resource{Type: "healthRecordEntry"})
	if err != nil {
		return err
	}
	e := clinical.Entry{BeneficiaryID: in.BeneficiaryID, Kind: in.Kind, Value: in.Value, Unit: in.Unit, Status: in.Status, RecordedAt: recorded.UTC(), Note: in.Note}
	if in.Code != nil {
		c := clinical.Code(*in.Code)
		e.Code = &c
	}
	e, err = h.Service.AddEntry(r.Context(), d.ActorID, d.Basis == access.Self, e)
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/health-record-entries/"+e.ID, e.Version, entryOut(e))
	return nil
}

// CreatePlan serves createTreatmentPlan.
func (h *Handlers) CreatePlan(w http.ResponseWriter, r *http.Request) error {
	var in planJSON
	p, err := lambdahttp.Input(r, &in, "id", "authorId", "createdAt", "updatedAt", "version")
	if err != nil {
		return err
	}
	if !validate.IsID(in.BeneficiaryID) {
		return problem.Field("beneficiaryId", "is not an id")
	}
	if in.Period == nil {
		return problem.Field("period", "is required")
	}
	d, err := h.Policy.Authorize(r.Context(), p, access.WriteRecords, in.BeneficiaryID, "createTreatmentPlan", access.Resource{Type: "treatmentPlan"})
	if err == nil && d.Basis != access.CareRelationship {
		err = problem.New(problem.Forbidden, "treatment plans are written by practitioners")
	}
	if err != nil {
		return err
	}
	plan, err := h.Service.CreatePlan(r.Context(), d.ActorID, p.Sub, in.domain())
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/treatment-plans/"+plan.ID, plan.Version, planResponse(plan))
	return nil
}

// UpdatePlan serves updateTreatmentPlan.
func (h *Handlers) UpdatePlan(w http.ResponseWriter, r *http.Request) error {
	u, err := lambdahttp.ReadUpdate(r, "planId")
	if err != nil {
		return err
	}
	p, pid, version := u.Caller, u.ID, u.IfMatch
	var in planJSON
	if err := jsonio.UnmarshalExcept(u.Body, &in, "id", "beneficiaryId", "authorId", "createdAt", "updatedAt", "version"); err != nil {
		return err
	}
	var l problem.FieldList
	fields := jsonio.PatchFields(u.Body, &l)
	if err := l.Err(); err != nil {
		return err
	}
	old, err := h.Service.Plan(r.Context(), pid)
	if err != nil {
		return absent(err, "treatment plan", pid)
	}
	// Access first, from the state now; authorship is a further condition
	// of this write, never a substitute for access.
	if _, err := h.Policy.Authorize(r.Context(), p, access.WriteRecords, old.BeneficiaryID, "updateTreatmentPlan", access.Resource{Type: "treatmentPlan", ID: pid}); err != nil {
		return absent(err, "treatment plan", pid)
	}
	plan, err := h.Service.UpdatePlan(r.Context(), clinical.Update[clinical.Plan]{AuthorSub: p.Sub, ID: pid, Patch: in.domain(),
		Fields: fields, IfMatch: version})
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, plan.Version, planResponse(plan))
	return nil
}

type vitalsJSON struct {
	RespiratoryRate       *float64 `json:"respiratoryRate,omitempty"`
	SpO2                  *float64 `json:"spo2,omitempty"`
	SpO2Scale             int      `json:"spo2Scale,omitempty"`
	SupplementalOxygen    *bool    `json:"supplementalOxygen,omitempty"`
	SystolicBloodPressure *float64 `json:"systolicBloodPressure,omitempty"`
	Pulse                 *float64 `json:"pulse,omitempty"`
	Consciousness         string   `json:"consciousness,omitempty"`
	Temperature           *float64 `json:"temperature,omitempty"`
}

// Assess serves assessClinicalRisk.
func (h *Handlers) Assess(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		BeneficiaryID string     `json:"beneficiaryId"`
		Vitals        vitalsJSON `json:"vitals"`
	}
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	if !validate.IsID(in.BeneficiaryID) {
		return problem.Field("beneficiaryId", "is not an id")
	}
	vj := in.Vitals
	if vj.Consciousness != "" && !clinical.ValidConsciousness(vj.Consciousness) {
		return problem.Field("vitals.consciousness", "must be one of alert, confusion, voice, pain, unresponsive")
	}
	if vj.SpO2Scale != 0 && vj.SpO2Scale != 1 && vj.SpO2Scale != 2 {
		return problem.Field("vitals.spo2Scale", "must be 1 or 2")
	}
	d, err := h.Policy.Authorize(r.Context(), p, access.WriteRecords, in.BeneficiaryID, "assessClinicalRisk", access.Resource{Type: "riskAssessment"})
	if err == nil && d.Basis != access.CareRelationship {
		err = problem.New(problem.Forbidden, "risk is assessed by practitioners")
	}
	if err != nil {
		return err
	}
	v := clinical.Vitals(vj)
	score, e, used, err := h.Service.Assess(r.Context(), d.ActorID, in.BeneficiaryID, v)
	if err != nil {
		return err
	}
	if used.SpO2Scale == 0 {
		used.SpO2Scale = 1
	}
	jsonio.Write(w, http.StatusCreated, map[string]any{"id": e.ID, "beneficiaryId": in.BeneficiaryID, "total": score.Total,
		"subScores": score.SubScores, "risk": score.Risk, "vitals": vitalsJSON(used), "createdAt": jsonio.Time(e.CreatedAt)})
	return nil
}
