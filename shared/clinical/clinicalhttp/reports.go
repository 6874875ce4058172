package clinicalhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"ohcs/shared/access"
	"ohcs/shared/clinical"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/problem"
	"ohcs/shared/validate"
)

type reportJSON struct {
	ID            string            `json:"id"`
	BeneficiaryID string            `json:"beneficiaryId"`
	AuthorID      string            `json:"authorId"`
	PeriodStart   string            `json:"periodStart"`
	PeriodEnd     string            `json:"periodEnd"`
	Sections      clinical.Sections `json:"sections"`
	jsonio.Stamps
}

func reportOut(r clinical.Report) reportJSON {
	return reportJSON{ID: r.ID, BeneficiaryID: r.BeneficiaryID, AuthorID: r.AuthorID, PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd,
		Sections: r.Sections, Stamps: jsonio.StampsOf(r.CreatedAt, r.CreatedAt, r.Version)}
}

// Produce serves produceHealthReport.
func (h *Handlers) Produce(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		BeneficiaryID string `json:"beneficiaryId"`
		PeriodStart   string `json:"periodStart"`
		PeriodEnd     string `json:"periodEnd"`
	}
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	var l problem.FieldList
	if !validate.IsID(in.BeneficiaryID) {
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
	report, err := h.Service.ProduceReport(ctx, clinical.ReportRequest{BeneficiaryID: in.BeneficiaryID, AuthorID: d.ActorID,
		PeriodStart: in.PeriodStart, PeriodEnd: in.PeriodEnd, From: from, To: to})
	if err != nil {
		return err
	}
	lambdahttp.Created(w, "/v1/health-reports/"+report.ID, report.Version, reportOut(report))
	return nil
}

// GetReport serves getHealthReport: JSON, or HTML for Accept: text/html.
func (h *Handlers) GetReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := read(h, r, "reportId", "getHealthReport", "healthReport",
		func(id string) (clinical.Report, error) { return h.Service.Report(r.Context(), id) },
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
	lambdahttp.Versioned(w, http.StatusOK, rep.Version, reportOut(rep))
	return nil
}

// ListReports serves listHealthReports.
func (h *Handlers) ListReports(w http.ResponseWriter, r *http.Request) error {
	return listed(h, w, r, "listHealthReports", nil, h.Service.Reports, reportOut)
}

// Export serves exportHealthRecordFhir.
func (h *Handlers) Export(w http.ResponseWriter, r *http.Request) error {
	p, bid, err := lambdahttp.Target(r, "beneficiaryId")
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, ev, err := h.Policy.Decide(ctx, p, access.ReadRecords, bid, "exportHealthRecordFhir", access.Resource{Type: "fhirBundle", ID: bid})
	if err != nil {
		return err
	}
	// An export made for a practitioner holds only its own appointments;
	// the beneficiary's side sees them all. The record is read while the
	// decision is recorded, and shown only once it is.
	onlyOf := ""
	if d.Basis == access.CareRelationship {
		onlyOf = d.ActorID
	}
	var bundle any
	if err := h.Policy.Recording(ctx, ev, func(ctx context.Context) (err error) {
		bundle, err = h.Service.Bundle(ctx, bid, onlyOf)
		return err
	}); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/fhir+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(bundle)
	return nil
}
