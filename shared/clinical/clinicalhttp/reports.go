package clinicalhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"ohcs/shared/access"
	"ohcs/shared/auth"
	"ohcs/shared/clinical"
	"ohcs/shared/jsonio"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/validate"
)

type reportJSON struct {
	ID            string            `json:"id"`
	BeneficiaryID string            `json:"beneficiaryId"`
	AuthorID      string            `json:"authorId"`
	PeriodStart   string            `json:"periodStart"`
	PeriodEnd     string            `json:"periodEnd"`
	Sections      clinical.Sections `json:"sections"`
	CreatedAt     string            `json:"createdAt"`
	UpdatedAt     string            `json:"updatedAt"`
	Version       int64             `json:"version"`
}

func reportOut(r clinical.Report) reportJSON {
	return reportJSON{ID: r.ID, BeneficiaryID: r.BeneficiaryID, AuthorID: r.AuthorID, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
		Sections: r.Sections, CreatedAt: stamp(r.CreatedAt), UpdatedAt: stamp(r.CreatedAt), Version: r.Version}
}

// Whole-record reads go in pages of wholePage items (DynamoDB returns at
// most 1 MB a request, so a page is one to a few requests), at most
// wholePages of them per kind: a bounded cost per request, and a record
// beyond it is refused whole rather than exported or reported in part.
const wholePage, wholePages = 1000, 50

// all pages through a list to its end.
func all[T any](ctx context.Context, q clinical.ListQuery, list func(context.Context, clinical.ListQuery) (clinical.Page[T], error)) ([]T, error) {
	var out []T
	q.Limit = wholePage
	for range wholePages {
		page, err := list(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			return out, nil
		}
		q.After = page.Next
	}
	return nil, problem.New(problem.Unprocessable, "the record holds more than %d items of one kind, more than one document holds: nothing was left out, nothing was produced", wholePage*wholePages)
}

// Produce serves produceHealthReport.
func (h *Handlers) Produce(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	var in struct {
		BeneficiaryID string `json:"beneficiaryId"`
		PeriodStart   string `json:"periodStart"`
		PeriodEnd     string `json:"periodEnd"`
	}
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	var l problem.FieldList
	if !idRE.MatchString(in.BeneficiaryID) {
		l.Add("beneficiaryId", "is not an id")
	}
	from, ok1 := validate.Date(&l, "periodStart", in.PeriodStart, true)
	to, ok2 := validate.Date(&l, "periodEnd", in.PeriodEnd, true)
	if ok1 && ok2 && to.Before(from) {
		l.Add("periodEnd", "must not be before periodStart")
	}
	if err := l.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	d, err := h.Policy.Authorize(ctx, p, access.WriteRecords, in.BeneficiaryID, "produceHealthReport", access.Resource{Type: "healthReport"})
	if err == nil && d.Basis != access.CareRelationship {
		err = problem.New(problem.Forbidden, "health reports are produced by practitioners")
	}
	if err != nil {
		return err
	}
	store := h.Service.Store
	q := clinical.ListQuery{BeneficiaryID: in.BeneficiaryID}
	entries, err := all(ctx, q, store.Entries)
	if err != nil {
		return err
	}
	consultations, err := all(ctx, q, store.Consultations)
	if err != nil {
		return err
	}
	plans, err := all(ctx, q, store.Plans)
	if err != nil {
		return err
	}
	ben, err := h.People.GetBeneficiary(ctx, in.BeneficiaryID)
	if err != nil {
		return err
	}
	now := h.Service.Now().UTC()
	upcoming := []map[string]any{}
	appts, err := h.Appointments.List(ctx, scheduling.AppointmentQuery{BeneficiaryID: in.BeneficiaryID, Status: scheduling.Booked, From: now, Limit: 100})
	if err != nil {
		return err
	}
	for _, a := range appts.Items {
		// A report holds only what its practitioner could read directly:
		// its own appointments with the beneficiary, not the others'.
		if a.PractitionerID != d.ActorID {
			continue
		}
		upcoming = append(upcoming, map[string]any{"id": a.ID, "start": stamp(a.Start), "practitionerId": a.PractitionerID, "mode": a.Mode})
	}
	report := clinical.Report{ID: h.Service.NewID(), BeneficiaryID: in.BeneficiaryID, AuthorID: d.ActorID, PeriodStart: in.PeriodStart,
		PeriodEnd: in.PeriodEnd, CreatedAt: now, Version: 1,
		Sections: clinical.BuildSections(clinical.ReportInputs{
			Demographics: map[string]any{"fullName": ben.FullName, "birthDate": ben.BirthDate, "sex": ben.Sex},
			Entries:      entries, Consultations: consultations, Plans: plans, Upcoming: upcoming,
			From: from, To: to.Add(24 * time.Hour),
		})}
	if err := store.PutReport(ctx, report); err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/health-reports/"+report.ID)
	send(w, http.StatusCreated, report.Version, reportOut(report))
	return nil
}

// GetReport serves getHealthReport: JSON, or HTML for Accept: text/html.
func (h *Handlers) GetReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := read(h, r, "reportId", "getHealthReport", "healthReport",
		func(id string) (clinical.Report, error) { return h.Service.Store.Report(r.Context(), id) },
		func(x clinical.Report) string { return x.BeneficiaryID })
	if err != nil {
		return err
	}
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		var b bytes.Buffer
		if err := clinical.RenderHTML(&b, rep); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b.Bytes())
		return nil
	}
	send(w, http.StatusOK, rep.Version, reportOut(rep))
	return nil
}

// ListReports serves listHealthReports.
func (h *Handlers) ListReports(w http.ResponseWriter, r *http.Request) error {
	q, scope, err := h.listQuery(r, "listHealthReports")
	if err != nil {
		return err
	}
	page, err := h.Service.Store.Reports(r.Context(), q)
	return writePage(h, w, scope, page, err, reportOut)
}

// Export serves exportHealthRecordFhir.
func (h *Handlers) Export(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	bid, err := id(r, "beneficiaryId")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := h.Policy.Authorize(ctx, p, access.ReadRecords, bid, "exportHealthRecordFhir", access.Resource{Type: "fhirBundle", ID: bid})
	if err != nil {
		return err
	}
	// An export made for a practitioner holds only its own appointments;
	// the beneficiary's side sees them all.
	onlyOf := ""
	if d.Basis == access.CareRelationship {
		onlyOf = d.ActorID
	}
	bundle, err := h.bundle(ctx, bid, onlyOf)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/fhir+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(bundle)
	return nil
}

// bundle gathers a beneficiary's record into a FHIR Bundle; with onlyOf,
// only the appointments with that practitioner.
func (h *Handlers) bundle(ctx context.Context, bid, onlyOf string) (map[string]any, error) {
	store := h.Service.Store
	q := clinical.ListQuery{BeneficiaryID: bid}
	entries, err := all(ctx, q, store.Entries)
	if err != nil {
		return nil, err
	}
	consultations, err := all(ctx, q, store.Consultations)
	if err != nil {
		return nil, err
	}
	plans, err := all(ctx, q, store.Plans)
	if err != nil {
		return nil, err
	}
	ben, err := h.People.GetBeneficiary(ctx, bid)
	if err != nil {
		return nil, err
	}
	appts, err := h.Appointments.List(ctx, scheduling.AppointmentQuery{BeneficiaryID: bid, Limit: 100})
	if err != nil {
		return nil, err
	}
	in := clinical.FHIRInputs{Patient: clinical.FHIRPatient{ID: ben.ID, Name: ben.FullName, Sex: ben.Sex, BirthDate: ben.BirthDate,
		Phone: ben.Phone, Email: ben.Email}, Entries: entries, Consultations: consultations, Plans: plans, Now: h.Service.Now()}
	for _, a := range appts.Items {
		if onlyOf != "" && a.PractitionerID != onlyOf {
			continue
		}
		in.Appointments = append(in.Appointments, clinical.FHIRAppointment{ID: a.ID, Status: string(a.Status), Start: a.Start, End: a.End})
	}
	return clinical.FHIRBundle(in), nil
}
