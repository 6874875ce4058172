// Package populationhttp serves the population health report over HTTP:
// aggregates only, read from the counters and the registry, never a
// person's record.
package populationhttp

import (
	"net/http"
	"time"

	"ohcs/shared/app"
	"ohcs/shared/auth"
	"ohcs/shared/jsonio"
	"ohcs/shared/platform"
	"ohcs/shared/population"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

// ProducePopulationHealthReport is the producePopulationHealthReport operation: its handler and its tables.
func ProducePopulationHealthReport() platform.Operation {
	return platform.Operation{
		Build: func(env *platform.Env) (http.Handler, error) {
			h := &Handler{Service: app.Of(env).Population()}
			return platform.Handle(h.Produce), nil
		},
		Reads: []tables.Table{tables.Clinical, tables.Registry},
	}
}

// Handler serves producePopulationHealthReport.
type Handler struct {
	Service *population.Service
}

type countJSON = any // an integer of at least 5, or "<5"

type specialtyJSON struct {
	Specialty string               `json:"specialty"`
	ByStatus  map[string]countJSON `json:"byStatus"`
}

type chapterJSON struct {
	Chapter string    `json:"chapter"`
	Codes   string    `json:"codes"`
	Title   string    `json:"title"`
	Count   countJSON `json:"count"`
}

type raisedJSON struct {
	Currency     string    `json:"currency"`
	Gifts        countJSON `json:"gifts"`
	AmountRaised *int64    `json:"amountRaised,omitempty"`
}

type populationJSON struct {
	PeriodStart    string `json:"periodStart"`
	PeriodEnd      string `json:"periodEnd"`
	Region         string `json:"region,omitempty"`
	OrganizationID string `json:"organizationId,omitempty"`
	Appointments   struct {
		ByStatus    map[string]countJSON `json:"byStatus"`
		BySpecialty []specialtyJSON      `json:"bySpecialty"`
	} `json:"appointments"`
	Consultations      countJSON     `json:"consultations"`
	DiagnosesByChapter []chapterJSON `json:"diagnosesByChapter"`
	NoShowRate         *float64      `json:"noShowRate,omitempty"`
	Donations          []raisedJSON  `json:"donations"`
	MinimumCount       int           `json:"minimumCount"`
	GeneratedAt        time.Time     `json:"generatedAt"`
}

func counts(by map[string]population.Count) map[string]countJSON {
	out := map[string]countJSON{}
	for k, c := range by {
		out[k] = c.Value()
	}
	return out
}

func populationOut(r population.Report) populationJSON {
	out := populationJSON{PeriodStart: r.PeriodStart, PeriodEnd: r.PeriodEnd, Region: r.Region, OrganizationID: r.OrganizationID,
		Consultations: r.Consultations.Value(), NoShowRate: r.NoShowRate, MinimumCount: population.MinCount, GeneratedAt: r.GeneratedAt,
		DiagnosesByChapter: []chapterJSON{}, Donations: []raisedJSON{}}
	out.Appointments.ByStatus = counts(r.AppointmentsByStatus)
	out.Appointments.BySpecialty = []specialtyJSON{}
	for _, s := range r.BySpecialty {
		out.Appointments.BySpecialty = append(out.Appointments.BySpecialty, specialtyJSON{Specialty: s.Specialty, ByStatus: counts(s.ByStatus)})
	}
	for _, d := range r.Diagnoses {
		out.DiagnosesByChapter = append(out.DiagnosesByChapter, chapterJSON{Chapter: d.Chapter.Roman, Codes: d.Chapter.Start + "-" + d.Chapter.End,
			Title: d.Chapter.Title, Count: d.Count.Value()})
	}
	for _, d := range r.Donations {
		out.Donations = append(out.Donations, raisedJSON{Currency: d.Currency, Gifts: d.Gifts.Value(), AmountRaised: d.Amount})
	}
	return out
}

// Produce serves producePopulationHealthReport.
func (h *Handler) Produce(w http.ResponseWriter, r *http.Request) error {
	if _, err := auth.FromRequest(r); err != nil {
		return err
	}
	v := r.URL.Query()
	q := population.Query{PeriodStart: v.Get("periodStart"), PeriodEnd: v.Get("periodEnd"), Region: v.Get("region"), OrganizationID: v.Get("organizationId")}
	if q.OrganizationID != "" && !validate.IsID(q.OrganizationID) {
		return problem.Field("organizationId", "is not an id")
	}
	rep, err := h.Service.Report(r.Context(), q)
	if err != nil {
		return err
	}
	jsonio.Write(w, http.StatusOK, populationOut(rep))
	return nil
}
