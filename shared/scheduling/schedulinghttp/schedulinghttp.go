// Package schedulinghttp serves availability and appointments over HTTP.
// It composes the scheduling domain with the practitioner directory, the
// access policy and audit trail, and the idempotency layer.
package schedulinghttp

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"ohcs/shared/app"
	"ohcs/shared/page"

	"ohcs/shared/access"
	"ohcs/shared/cursor"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/paging"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/tables"
)

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func PlaceAvailabilitySchedule() platform.Operation {
	return schedules((*Handlers).PlaceSchedule, tables.Scheduling)
}
func ListSchedules() platform.Operation      { return schedules((*Handlers).ListSchedules) }
func ListAvailableSlots() platform.Operation { return schedules((*Handlers).Slots) }

func MakeAppointment() platform.Operation {
	return booking((*Handlers).Book, tables.Scheduling, tables.Outbox, tables.Idempotency)
}
func GetAppointment() platform.Operation   { return appointments((*Handlers).Get) }
func ListAppointments() platform.Operation { return appointments((*Handlers).List) }
func CancelAppointment() platform.Operation {
	return appointments((*Handlers).Cancel, tables.Scheduling, tables.Outbox)
}
func RescheduleAppointment() platform.Operation {
	return appointments((*Handlers).Reschedule, tables.Scheduling, tables.Outbox)
}
func UpdateAppointmentStatus() platform.Operation {
	return appointments((*Handlers).SetStatus, tables.Scheduling, tables.Outbox)
}

// The operations' tables: every one reads the schedules and the
// practitioners; those of appointments also read people and log their
// access to the audit trail; a booking also remembers its idempotency key.
var (
	schedules    = platform.Ops(New, []tables.Table{tables.Scheduling, tables.Practitioners})
	appointments = platform.Ops(New, []tables.Table{tables.Scheduling, tables.Practitioners, tables.People, tables.Audit}, tables.Audit)
	booking      = platform.Ops(New, []tables.Table{tables.Scheduling, tables.Practitioners, tables.People, tables.Audit, tables.Idempotency}, tables.Audit)
)

// Beneficiaries tells the beneficiary profile of a signed-in person.
type Beneficiaries interface {
	// BeneficiaryOf returns the beneficiary profile id of sub; NotFound.
	BeneficiaryOf(ctx context.Context, sub string) (string, error)
}

// Handlers serves the scheduling operations.
type Handlers struct {
	Service       *scheduling.Service
	Beneficiaries Beneficiaries
	Policy        *access.Policy
	Cursors       *cursor.Sealer
	Now           func() time.Time
}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	parts := app.Of(env)
	return &Handlers{Service: parts.Availability(), Beneficiaries: parts.Profiles(), Policy: parts.Policy(),
		Cursors: env.Cursors, Now: env.Now}
}

func respond(w http.ResponseWriter, status int, a scheduling.Appointment) {
	lambdahttp.Versioned(w, status, a.Version, appointmentOut(a))
}

// PlaceSchedule serves placeAvailabilitySchedule.
func (h *Handlers) PlaceSchedule(w http.ResponseWriter, r *http.Request) error {
	p, pid, err := lambdahttp.Target(r, "practitionerId")
	if err != nil {
		return err
	}
	var in scheduleIn
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	sch, err := in.schedule()
	if err != nil {
		return err
	}
	sch, err = h.Service.PlaceSchedule(r.Context(), p.Sub, pid, sch)
	if err != nil {
		return err
	}
	lambdahttp.Versioned(w, http.StatusCreated, sch.Version, scheduleOut(sch))
	return nil
}

// ListSchedules serves listSchedules.
func (h *Handlers) ListSchedules(w http.ResponseWriter, r *http.Request) error {
	p, pid, err := lambdahttp.Target(r, "practitionerId")
	if err != nil {
		return err
	}
	scope := "listSchedules\x1f" + pid
	return paging.Serve(w, r, h.Cursors, scope, func(limit int, after map[string]string) (page.Of[scheduling.Schedule], error) {
		return h.Service.ListSchedules(r.Context(), p.Sub, pid, limit, after)
	}, scheduleOut)
}

func parseTime(l *problem.FieldList, v url, name string, required bool) time.Time {
	s := v.Get(name)
	if s == "" {
		if required {
			l.Add(name, "is required")
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		l.Add(name, "must be an RFC 3339 time such as 2026-12-01T09:30:00Z")
	}
	return t.UTC()
}

type url interface{ Get(string) string }

// Slots serves listAvailableSlots.
func (h *Handlers) Slots(w http.ResponseWriter, r *http.Request) error {
	_, pid, err := lambdahttp.Target(r, "practitionerId")
	if err != nil {
		return err
	}
	v := r.URL.Query()
	var l problem.FieldList
	from, to := parseTime(&l, v, "from", true), parseTime(&l, v, "to", true)
	mode := v.Get("mode")
	if mode != "" && !slices.Contains([]string{"inPerson", "video", "phone"}, mode) {
		l.Add("mode", "must be one of inPerson, video, phone")
	}
	if err := l.Err(); err != nil {
		return err
	}
	scope := strings.Join([]string{"listAvailableSlots", pid, v.Get("from"), v.Get("to"), mode}, "\x1f")
	pg, err := paging.Parse(r, h.Cursors, scope)
	if err != nil {
		return err
	}
	slots, err := h.Service.FreeSlots(r.Context(), pid, from, to, mode)
	if err != nil {
		return err
	}
	after := int64(-1 << 62)
	if pg.After != nil {
		after, _ = strconv.ParseInt(pg.After["after"], 10, 64)
	}
	out := struct {
		Items      []slotJSON `json:"items"`
		NextCursor string     `json:"nextCursor,omitempty"`
	}{Items: []slotJSON{}}
	page, more := scheduling.PageAfter(slots, after, pg.Limit)
	for _, sl := range page {
		m := mode
		if m == "" {
			m = sl.Modes[0]
		}
		out.Items = append(out.Items, slotJSON{SlotID: sl.ID(), Start: jsonio.Time(sl.Start), End: jsonio.Time(sl.End), Mode: m, Modes: sl.Modes})
	}
	if more {
		last := page[len(page)-1].Start.Unix()
		if out.NextCursor, err = h.Cursors.Seal(scope, map[string]string{"after": strconv.FormatInt(last, 10)}); err != nil {
			return err
		}
	}
	jsonio.Write(w, http.StatusOK, out)
	return nil
}
