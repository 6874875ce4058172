package schedulinghttp

import (
	"fmt"
	"slices"
	"time"

	"ohcs/shared/jsonio"
	"ohcs/shared/problem"
	"ohcs/shared/scheduling"
)

type ruleJSON struct {
	DayOfWeek string   `json:"dayOfWeek"`
	Start     string   `json:"start"`
	End       string   `json:"end"`
	Modes     []string `json:"modes,omitempty"`
}

type exceptionJSON struct {
	Date        string `json:"date"`
	Unavailable bool   `json:"unavailable,omitempty"`
	Start       string `json:"start,omitempty"`
	End         string `json:"end,omitempty"`
}

type scheduleJSON struct {
	ID                string          `json:"id,omitempty"`
	PractitionerID    string          `json:"practitionerId,omitempty"`
	TimeZone          string          `json:"timeZone"`
	SlotMinutes       int             `json:"slotMinutes"`
	BufferMinutes     int             `json:"bufferMinutes"`
	EffectiveFrom     string          `json:"effectiveFrom"`
	EffectiveTo       string          `json:"effectiveTo"`
	WeeklyRules       []ruleJSON      `json:"weeklyRules"`
	Exceptions        []exceptionJSON `json:"exceptions"`
	MaxBookingsPerDay int             `json:"maxBookingsPerDay,omitempty"`
	jsonio.Stamps
}

// scheduleIn converts a request body; clock and day formats are checked
// here, the rules of the domain by Schedule.Validate.
type scheduleIn struct {
	TimeZone          string          `json:"timeZone"`
	SlotMinutes       int             `json:"slotMinutes"`
	BufferMinutes     int             `json:"bufferMinutes"`
	EffectiveFrom     string          `json:"effectiveFrom"`
	EffectiveTo       string          `json:"effectiveTo"`
	WeeklyRules       []ruleJSON      `json:"weeklyRules"`
	Exceptions        []exceptionJSON `json:"exceptions"`
	MaxBookingsPerDay *int            `json:"maxBookingsPerDay"`
}

func (in scheduleIn) schedule() (scheduling.Schedule, error) {
	var l problem.FieldList
	s := scheduling.Schedule{TimeZone: in.TimeZone, SlotMinutes: in.SlotMinutes, BufferMinutes: in.BufferMinutes,
		EffectiveFrom: in.EffectiveFrom, EffectiveTo: in.EffectiveTo}
	if in.MaxBookingsPerDay != nil {
		s.MaxBookingsPerDay = *in.MaxBookingsPerDay
		if s.MaxBookingsPerDay < 1 {
			l.Add("maxBookingsPerDay", "must be from 1 to 500")
		}
	}
	if len(in.WeeklyRules) > 50 {
		l.Add("weeklyRules", "at most 50 rules")
	}
	if len(in.Exceptions) > 400 {
		l.Add("exceptions", "at most 400 exceptions")
	}
	for i, r := range in.WeeklyRules {
		f := fmt.Sprintf("weeklyRules[%d]", i)
		day := slices.Index(scheduling.Days, r.DayOfWeek)
		if day < 0 {
			l.Add(f+".dayOfWeek", "must be one of mon, tue, wed, thu, fri, sat, sun")
		}
		start, ok1 := scheduling.ParseClock(r.Start)
		end, ok2 := scheduling.ParseEnd(r.End)
		if !ok1 {
			l.Add(f+".start", "must be a time HH:MM")
		}
		if !ok2 {
			l.Add(f+".end", "must be a time HH:MM, or 24:00")
		}
		s.Rules = append(s.Rules, scheduling.Rule{Day: time.Weekday(max(day, 0)), Start: start, End: end, Modes: r.Modes})
	}
	for i, e := range in.Exceptions {
		f := fmt.Sprintf("exceptions[%d]", i)
		ex := scheduling.Exception{Date: e.Date, Unavailable: e.Unavailable}
		if e.Start != "" || e.End != "" {
			var ok1, ok2 bool
			ex.Start, ok1 = scheduling.ParseClock(e.Start)
			ex.End, ok2 = scheduling.ParseEnd(e.End)
			if !ok1 || !ok2 {
				l.Add(f, "start and end must be times HH:MM")
			}
		}
		s.Exceptions = append(s.Exceptions, ex)
	}
	return s, l.Err()
}

func scheduleOut(s scheduling.Schedule) scheduleJSON {
	out := scheduleJSON{ID: s.ID, PractitionerID: s.PractitionerID, TimeZone: s.TimeZone, SlotMinutes: s.SlotMinutes,
		BufferMinutes: s.BufferMinutes, EffectiveFrom: s.EffectiveFrom, EffectiveTo: s.EffectiveTo,
		MaxBookingsPerDay: s.MaxBookingsPerDay, Stamps: jsonio.StampsOf(s.CreatedAt, s.UpdatedAt, s.Version), WeeklyRules: []ruleJSON{}, Exceptions: []exceptionJSON{}}
	for _, r := range s.Rules {
		out.WeeklyRules = append(out.WeeklyRules, ruleJSON{DayOfWeek: scheduling.Days[r.Day],
			Start: scheduling.Clock(r.Start), End: scheduling.Clock(r.End), Modes: r.Modes})
	}
	for _, e := range s.Exceptions {
		ej := exceptionJSON{Date: e.Date, Unavailable: e.Unavailable}
		if !e.Unavailable {
			ej.Start, ej.End = scheduling.Clock(e.Start), scheduling.Clock(e.End)
		}
		out.Exceptions = append(out.Exceptions, ej)
	}
	return out
}

type slotJSON struct {
	SlotID string   `json:"slotId"`
	Start  string   `json:"start"`
	End    string   `json:"end"`
	Mode   string   `json:"mode"`
	Modes  []string `json:"modes"`
}

type appointmentJSON struct {
	ID             string `json:"id"`
	PractitionerID string `json:"practitionerId"`
	BeneficiaryID  string `json:"beneficiaryId"`
	SlotID         string `json:"slotId"`
	Start          string `json:"start"`
	End            string `json:"end"`
	Mode           string `json:"mode"`
	Status         string `json:"status"`
	BookedBy       string `json:"bookedBy"`
	Reason         string `json:"reason,omitempty"`
	CancelReason   string `json:"cancelReason,omitempty"`
	CancelledBy    string `json:"cancelledBy,omitempty"`
	CancelledAt    string `json:"cancelledAt,omitempty"`
	jsonio.Stamps
}

func appointmentOut(a scheduling.Appointment) appointmentJSON {
	out := appointmentJSON{ID: a.ID, PractitionerID: a.PractitionerID, BeneficiaryID: a.BeneficiaryID, SlotID: a.SlotID,
		Start: jsonio.Time(a.Start), End: jsonio.Time(a.End), Mode: a.Mode, Status: string(a.Status), BookedBy: a.BookedBy,
		Reason: a.Reason, CancelReason: a.CancelReason, CancelledBy: a.CancelledBy,
		Stamps: jsonio.StampsOf(a.CreatedAt, a.UpdatedAt, a.Version)}
	if !a.CancelledAt.IsZero() {
		out.CancelledAt = jsonio.Time(a.CancelledAt)
	}
	return out
}
