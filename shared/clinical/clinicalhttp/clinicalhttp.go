// Package clinicalhttp serves consultations, health records, treatment
// plans and NEWS2 risk assessments over HTTP. Every read and write of a
// beneficiary's data goes through the access policy, which audits it.
package clinicalhttp

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode"

	"ohcs/shared/app"
	"ohcs/shared/audit"
	"ohcs/shared/page"
	"ohcs/shared/validate"

	"ohcs/shared/access"
	"ohcs/shared/auth"
	"ohcs/shared/clinical"
	"ohcs/shared/cursor"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/paging"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
)

var reads = []tables.Table{tables.Clinical, tables.People, tables.Practitioners, tables.Scheduling, tables.Audit}

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func RecordConsultation() platform.Operation {
	return op((*Handlers).Record, tables.Clinical, tables.Scheduling, tables.Outbox)
}
func GetConsultation() platform.Operation         { return op((*Handlers).GetConsultation) }
func ListConsultations() platform.Operation       { return op((*Handlers).ListConsultations) }
func AddHealthRecordEntry() platform.Operation    { return op((*Handlers).AddEntry, tables.Clinical) }
func GetHealthRecordEntry() platform.Operation    { return op((*Handlers).GetEntry) }
func ListHealthRecordEntries() platform.Operation { return op((*Handlers).ListEntries) }
func CreateTreatmentPlan() platform.Operation     { return op((*Handlers).CreatePlan, tables.Clinical) }
func UpdateTreatmentPlan() platform.Operation     { return op((*Handlers).UpdatePlan, tables.Clinical) }
func GetTreatmentPlan() platform.Operation        { return op((*Handlers).GetPlan) }
func ListTreatmentPlans() platform.Operation      { return op((*Handlers).ListPlans) }
func AssessClinicalRisk() platform.Operation      { return op((*Handlers).Assess, tables.Clinical) }
func ProduceHealthReport() platform.Operation     { return op((*Handlers).Produce, tables.Clinical) }
func GetHealthReport() platform.Operation         { return op((*Handlers).GetReport) }
func ListHealthReports() platform.Operation       { return op((*Handlers).ListReports) }
func ExportHealthRecordFhir() platform.Operation  { return op((*Handlers).Export) }

var op = platform.Ops(New, reads, tables.Audit)

// Practitioners tells the practitioner profile of a signed-in person.
type Practitioners interface {
	// PractitionerOf returns the practitioner profile id of sub; NotFound.
	PractitionerOf(ctx context.Context, sub string) (string, error)
}

// Handlers serves the clinical operations.
type Handlers struct {
	Service       *clinical.Service
	Practitioners Practitioners
	Policy        *access.Policy
	Cursors       *cursor.Sealer
}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	parts := app.Of(env)
	return &Handlers{Service: parts.Clinical(), Practitioners: parts.Profiles(), Policy: parts.Policy(), Cursors: env.Cursors}
}

// Record serves recordConsultation.
func (h *Handlers) Record(w http.ResponseWriter, r *http.Request) error {
	var in consultationJSON
	p, err := lambdahttp.Input(r, &in, "id", "practitionerId", "beneficiaryId", "createdAt", "updatedAt", "version")
	if err != nil {
		return err
	}
	if in.FollowUpInDays != nil && (*in.FollowUpInDays < 1 || *in.FollowUpInDays > 730) {
		return problem.Field("followUpInDays", "must be 1 to 730 days")
	}
	if !validate.IsID(in.AppointmentID) {
		return problem.Field("appointmentId", "is not an id")
	}
	ctx := r.Context()
	pid, err := h.Practitioners.PractitionerOf(ctx, p.Sub)
	if problem.Is(err, problem.NotFound) {
		err = problem.New(problem.NotFound, "no appointment %s", in.AppointmentID)
	}
	if err != nil {
		return err
	}
	a, err := h.Service.OwnAppointment(ctx, pid, in.AppointmentID)
	if err != nil {
		return err
	}
	if _, err := h.Policy.Authorize(ctx, p, access.WriteRecords, a.BeneficiaryID, "recordConsultation", access.Resource{Type: "consultation"}); err != nil {
		// Refused reads as the appointment missing, not as its beneficiary.
		return absent(err, "appointment", in.AppointmentID)
	}
	c, err := h.Service.Record(ctx, pid, a, in.domain())
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/consultations/"+c.ID, c.Version, consultationOut(c))
	return nil
}

// read loads a record by id and authorizes ReadRecords on its beneficiary;
// a denial is 404 like a missing record.
func read[T any](h *Handlers, r *http.Request, param, op, kind string, load func(string) (T, error), beneficiary func(T) string) (T, error) {
	var zero T
	p, err := auth.FromRequest(r)
	if err != nil {
		return zero, err
	}
	rid, err := lambdahttp.PathID(r, param)
	if err != nil {
		return zero, err
	}
	v, err := load(rid)
	if err != nil {
		return zero, absent(err, label(kind), rid)
	}
	if _, err := h.Policy.Authorize(r.Context(), p, access.ReadRecords, beneficiary(v), op, access.Resource{Type: kind, ID: rid}); err != nil {
		return zero, absent(err, label(kind), rid)
	}
	return v, nil
}

// absent turns a NotFound, a missing record's or a refused one's, into the
// one answer of an absence: a refusal and an absence read the same, byte
// for byte apart from the request id (DOMAIN.md, "Who may see what").
func absent(err error, what, id string) error {
	if problem.Is(err, problem.NotFound) {
		return problem.New(problem.NotFound, "no %s %s", what, id)
	}
	return err
}

// label names a record kind for people: healthRecordEntry is "health
// record entry".
func label(kind string) string {
	var b strings.Builder
	for _, r := range kind {
		if unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// GetConsultation serves getConsultation.
func (h *Handlers) GetConsultation(w http.ResponseWriter, r *http.Request) error {
	c, err := read(h, r, "consultationId", "getConsultation", "consultation",
		func(id string) (clinical.Consultation, error) { return h.Service.Consultation(r.Context(), id) },
		func(c clinical.Consultation) string { return c.BeneficiaryID })
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, c.Version, consultationOut(c))
	return nil
}

// GetEntry serves getHealthRecordEntry.
func (h *Handlers) GetEntry(w http.ResponseWriter, r *http.Request) error {
	e, err := read(h, r, "entryId", "getHealthRecordEntry", "healthRecordEntry",
		func(id string) (clinical.Entry, error) { return h.Service.Entry(r.Context(), id) },
		func(e clinical.Entry) string { return e.BeneficiaryID })
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, e.Version, entryOut(e))
	return nil
}

// GetPlan serves getTreatmentPlan.
func (h *Handlers) GetPlan(w http.ResponseWriter, r *http.Request) error {
	p, err := read(h, r, "planId", "getTreatmentPlan", "treatmentPlan",
		func(id string) (clinical.Plan, error) { return h.Service.Plan(r.Context(), id) },
		func(p clinical.Plan) string { return p.BeneficiaryID })
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusOK, p.Version, planResponse(p))
	return nil
}

// listed answers a list of records: it decides ReadRecords on the
// beneficiaryId query parameter, reads the paging, then reads the page
// with read while the decision's audit record is written (the page is
// shown only once the record is stored).
func listed[T, J any](h *Handlers, w http.ResponseWriter, r *http.Request, op string, extra []string,
	read func(context.Context, clinical.ListQuery) (page.Of[T], error), out func(T) J) error {
	q, scope, ev, err := h.listQuery(r, op, extra...)
	if err != nil {
		return err
	}
	var page page.Of[T]
	if err := h.Policy.Recording(r.Context(), ev, func(ctx context.Context) (err error) {
		page, err = read(ctx, q)
		return err
	}); err != nil {
		return err
	}
	return paging.Write(w, h.Cursors, scope, page, out)
}

// listQuery decides ReadRecords on the beneficiaryId query parameter and
// reads the paging; it returns the allowed decision's event for the caller
// to record (a refusal is recorded, and so is the decision when the paging
// is refused).
func (h *Handlers) listQuery(r *http.Request, op string, extra ...string) (clinical.ListQuery, string, audit.Event, error) {
	var none audit.Event
	p, err := auth.FromRequest(r)
	if err != nil {
		return clinical.ListQuery{}, "", none, err
	}
	v := r.URL.Query()
	q := clinical.ListQuery{BeneficiaryID: v.Get("beneficiaryId")}
	if !validate.IsID(q.BeneficiaryID) {
		return q, "", none, problem.Field("beneficiaryId", "is required")
	}
	if s := v.Get("since"); s != "" {
		if q.Since, err = time.Parse(time.RFC3339, s); err != nil {
			return q, "", none, problem.Field("since", "must be an RFC 3339 time")
		}
	}
	_, ev, err := h.Policy.Decide(r.Context(), p, access.ReadRecords, q.BeneficiaryID, op, access.Resource{Type: op})
	if err != nil {
		return q, "", none, err
	}
	scope := strings.Join(append([]string{op, p.Sub, q.BeneficiaryID, v.Get("since")}, extra...), "\x1f")
	pg, err := paging.Parse(r, h.Cursors, scope)
	if err != nil {
		if aerr := h.Policy.Audit.Append(r.Context(), ev); aerr != nil {
			return q, "", none, aerr
		}
		return q, "", none, err
	}
	q.Limit, q.After = pg.Limit, pg.After
	return q, scope, ev, nil
}

// ListConsultations serves listConsultations.
func (h *Handlers) ListConsultations(w http.ResponseWriter, r *http.Request) error {
	return listed(h, w, r, "listConsultations", nil, h.Service.Consultations, consultationOut)
}

// ListEntries serves listHealthRecordEntries.
func (h *Handlers) ListEntries(w http.ResponseWriter, r *http.Request) error {
	kind := r.URL.Query().Get("kind")
	return listed(h, w, r, "listHealthRecordEntries", []string{kind}, func(ctx context.Context, q clinical.ListQuery) (page.Of[clinical.Entry], error) {
		q.Kind = kind
		return h.Service.Entries(ctx, q)
	}, entryOut)
}

// ListPlans serves listTreatmentPlans.
func (h *Handlers) ListPlans(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	return listed(h, w, r, "listTreatmentPlans", []string{status}, func(ctx context.Context, q clinical.ListQuery) (page.Of[clinical.Plan], error) {
		q.Status = status
		return h.Service.Plans(ctx, q)
	}, planResponse)
}
