package schedulinghttp

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"ohcs/shared/access"
	"ohcs/shared/audit"
	"ohcs/shared/auth"
	"ohcs/shared/etag"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/paging"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
	"ohcs/shared/validate"
)

type bookJSON struct {
	SlotID        string `json:"slotId"`
	BeneficiaryID string `json:"beneficiaryId"`
	Mode          string `json:"mode"`
	Reason        string `json:"reason"`
}

// Book serves makeAppointment.
func (h *Handlers) Book(w http.ResponseWriter, r *http.Request) error {
	var in bookJSON
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	var l problem.FieldList
	if in.SlotID == "" || len(in.SlotID) > 200 {
		l.Add("slotId", "is required")
	}
	if !validate.IsID(in.BeneficiaryID) {
		l.Add("beneficiaryId", "is not an id")
	}
	if !slices.Contains([]string{"inPerson", "video", "phone"}, in.Mode) {
		l.Add("mode", "must be one of inPerson, video, phone")
	}
	if utf8.RuneCountInString(in.Reason) > 1000 {
		l.Add("reason", "must be at most 1000 characters")
	}
	if err := l.Err(); err != nil {
		return err
	}
	slot, err := scheduling.ParseSlotID("slotId", in.SlotID)
	if err != nil {
		return err
	}
	a, err := h.Service.Book(r.Context(), scheduling.BookRequest{BookedBy: p.Sub, BeneficiaryID: in.BeneficiaryID,
		SlotID: in.SlotID, Mode: in.Mode, Reason: in.Reason, Authorize: func(ctx context.Context) (audit.Event, error) {
			_, ev, err := h.Policy.AuthorizeBooking(ctx, p, in.BeneficiaryID, slot.PractitionerID, "makeAppointment", access.Resource{Type: "appointment"})
			return ev, err
		}})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/appointments/"+a.ID)
	respond(w, http.StatusCreated, a)
	return nil
}

// load reads an appointment and decides whether p may act on it: its
// practitioner always (it sees only its own); otherwise the policy's action
// on the appointment's beneficiary. Every decision is audited; a denial is
// 404.
func (h *Handlers) load(r *http.Request, p auth.Principal, action access.Action, op string, practitionerMay bool) (scheduling.Appointment, error) {
	id, err := lambdahttp.PathID(r, "appointmentId")
	if err != nil {
		return scheduling.Appointment{}, err
	}
	a, err := h.Service.Appointment(r.Context(), id)
	if err != nil {
		return a, err
	}
	res := access.Resource{Type: "appointment", ID: a.ID}
	pid, own, err := h.Policy.OwnPractitioner(r.Context(), p)
	if err != nil {
		return a, err
	}
	if own {
		if pid == a.PractitionerID {
			if !practitionerMay {
				return a, problem.New(problem.Forbidden, "only the beneficiary's side may do this")
			}
			if err := h.Policy.Record(r.Context(), p, string(access.CareRelationship), op, res, a.BeneficiaryID, audit.Allowed); err != nil {
				return a, err
			}
			return a, nil
		}
	}
	if action == "" {
		if err := h.Policy.Record(r.Context(), p, "", op, res, a.BeneficiaryID, audit.Denied); err != nil {
			return a, err
		}
		return a, problem.New(problem.NotFound, "no appointment %s", id)
	}
	if _, err := h.Policy.Authorize(r.Context(), p, action, a.BeneficiaryID, op, res); err != nil {
		if problem.Is(err, problem.NotFound) {
			err = problem.New(problem.NotFound, "no appointment %s", id)
		}
		return a, err
	}
	return a, nil
}

// Get serves getAppointment.
func (h *Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	a, err := h.load(r, p, access.ReadAppointments, "getAppointment", true)
	if err != nil {
		return err
	}
	respond(w, http.StatusOK, a)
	return nil
}

// change serves a change of one appointment at the version its If-Match
// names: the body decoded into in and checked, the appointment loaded and
// authorized for action (a denial reads as an absence), then apply.
func change[T any](h *Handlers, w http.ResponseWriter, r *http.Request, op string, action access.Action, check func(T) error,
	apply func(ctx context.Context, a scheduling.Appointment, by string, in T, version int64) (scheduling.Appointment, error)) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	version, err := etag.IfMatch(r)
	if err != nil {
		return err
	}
	var in T
	if err := jsonio.Decode(r, &in); err != nil {
		return err
	}
	if err := check(in); err != nil {
		return err
	}
	a, err := h.load(r, p, action, op, true)
	if err != nil {
		return err
	}
	if a, err = apply(r.Context(), a, p.Sub, in, version); err != nil {
		return err
	}
	respond(w, http.StatusOK, a)
	return nil
}

type cancelIn struct {
	Reason string `json:"reason"`
}

// Cancel serves cancelAppointment.
func (h *Handlers) Cancel(w http.ResponseWriter, r *http.Request) error {
	return change(h, w, r, "cancelAppointment", access.Book, func(in cancelIn) error {
		if strings.TrimSpace(in.Reason) == "" || utf8.RuneCountInString(in.Reason) > 1000 {
			return problem.Field("reason", "is required, at most 1000 characters")
		}
		return nil
	}, func(ctx context.Context, a scheduling.Appointment, by string, in cancelIn, version int64) (scheduling.Appointment, error) {
		return h.Service.Cancel(ctx, a, by, in.Reason, version)
	})
}

type rescheduleIn struct {
	NewSlotID string `json:"newSlotId"`
}

// Reschedule serves rescheduleAppointment.
func (h *Handlers) Reschedule(w http.ResponseWriter, r *http.Request) error {
	return change(h, w, r, "rescheduleAppointment", access.Book, func(in rescheduleIn) error {
		if in.NewSlotID == "" || len(in.NewSlotID) > 200 {
			return problem.Field("newSlotId", "is required")
		}
		return nil
	}, func(ctx context.Context, a scheduling.Appointment, _ string, in rescheduleIn, version int64) (scheduling.Appointment, error) {
		return h.Service.Reschedule(ctx, a, in.NewSlotID, version)
	})
}

type statusIn struct {
	Status string `json:"status"`
}

// SetStatus serves updateAppointmentStatus (its practitioner only: no
// policy action).
func (h *Handlers) SetStatus(w http.ResponseWriter, r *http.Request) error {
	return change(h, w, r, "updateAppointmentStatus", "", func(in statusIn) error {
		if in.Status != string(scheduling.Completed) && in.Status != string(scheduling.NoShow) {
			return problem.Field("status", "must be completed or noShow")
		}
		return nil
	}, func(ctx context.Context, a scheduling.Appointment, _ string, in statusIn, version int64) (scheduling.Appointment, error) {
		return h.Service.SetStatus(ctx, a, scheduling.Status(in.Status), version)
	})
}

// List serves listAppointments.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	v := r.URL.Query()
	var l problem.FieldList
	q := scheduling.AppointmentQuery{From: parseTime(&l, v, "from", false), To: parseTime(&l, v, "to", false),
		Status: scheduling.Status(v.Get("status"))}
	if q.Status != "" && !slices.Contains(scheduling.Statuses, q.Status) {
		l.Add("status", "must be one of booked, cancelled, completed, noShow")
	}
	benID := v.Get("beneficiaryId")
	if v.Has("beneficiaryId") && !validate.IsID(benID) {
		l.Add("beneficiaryId", "is not an id")
	}
	if err := l.Err(); err != nil {
		return err
	}
	switch {
	case benID != "":
		if _, err := h.Policy.Authorize(ctx, p, access.ReadAppointments, benID, "listAppointments", access.Resource{Type: "appointment"}); err != nil {
			return err
		}
		q.BeneficiaryID = benID
	case p.Has(auth.Practitioner):
		// Only a practitioner verified now lists its appointments; any
		// other lists none, as if it had none.
		pid, own, err := h.Policy.OwnPractitioner(ctx, p)
		if err != nil {
			return err
		}
		if own {
			q.PractitionerID = pid
		}
	case p.Has(auth.Beneficiary):
		bid, err := h.Beneficiaries.BeneficiaryOf(ctx, p.Sub)
		if err != nil && !problem.Is(err, problem.NotFound) {
			return err
		}
		if bid != "" {
			if _, err := h.Policy.Authorize(ctx, p, access.ReadAppointments, bid, "listAppointments", access.Resource{Type: "appointment"}); err != nil {
				return err
			}
		}
		q.BeneficiaryID = bid
	default:
		return problem.Field("beneficiaryId", "a caregiver names the beneficiary whose appointments it lists")
	}
	scope := strings.Join([]string{"listAppointments", p.Sub, q.PractitionerID, q.BeneficiaryID, string(q.Status), v.Get("from"), v.Get("to")}, "\x1f")
	pg, err := paging.Parse(r, h.Cursors, scope)
	if err != nil {
		return err
	}
	out := struct {
		Items      []appointmentJSON `json:"items"`
		NextCursor string            `json:"nextCursor,omitempty"`
	}{Items: []appointmentJSON{}}
	if q.PractitionerID == "" && q.BeneficiaryID == "" {
		jsonio.Write(w, http.StatusOK, out)
		return nil
	}
	q.Limit, q.After = pg.Limit, pg.After
	page, err := h.Service.Appointments(ctx, q)
	if err != nil {
		return err
	}
	for _, a := range page.Items {
		out.Items = append(out.Items, appointmentOut(a))
	}
	if out.NextCursor, err = paging.Next(h.Cursors, scope, page.Next); err != nil {
		return err
	}
	jsonio.Write(w, http.StatusOK, out)
	return nil
}
