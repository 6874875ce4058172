// Package notificationhttp serves notices over HTTP: sending (checked
// against the access policy: a practitioner only reaches beneficiaries it
// has a care relationship with), reading counts, inboxes and preferences.
package notificationhttp

import (
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"ohcs/shared/app"
	"ohcs/shared/page"

	"ohcs/shared/auth"
	"ohcs/shared/cursor"
	"ohcs/shared/jsonio"
	"ohcs/shared/lambdahttp"
	"ohcs/shared/notification"
	"ohcs/shared/paging"
	"ohcs/shared/platform"
	"ohcs/shared/problem"
	"ohcs/shared/tables"
	"ohcs/shared/validate"
)

func SendNotification() platform.Operation {
	return platform.Ops(New, []tables.Table{tables.Notifications, tables.People, tables.Practitioners, tables.Scheduling, tables.Registry, tables.Audit, tables.Idempotency})(
		(*Handlers).Send, tables.Notifications, tables.Outbox, tables.Audit, tables.Idempotency)
}

// The operations, a function each: a function's main calls its own, and
// links that handler alone.
func GetNotification() platform.Operation      { return op((*Handlers).Get) }
func ListMyNotifications() platform.Operation  { return op((*Handlers).Inbox) }
func MarkNotificationRead() platform.Operation { return op((*Handlers).MarkRead, tables.Notifications) }
func UpdateNotificationPreferences() platform.Operation {
	return op((*Handlers).Preferences, tables.Notifications)
}

var op = platform.Ops(New, []tables.Table{tables.Notifications})

// Handlers serves the notification operations.
type Handlers struct {
	Service *notification.Service
	Cursors *cursor.Sealer
}

// New builds the handlers over the DynamoDB stores of env.
func New(env *platform.Env) *Handlers {
	parts := app.Of(env)
	return &Handlers{Service: parts.Notifications(), Cursors: env.Cursors}
}

type sendJSON struct {
	Recipients struct {
		BeneficiaryIDs []string `json:"beneficiaryIds"`
		Role           string   `json:"role"`
		OrganizationID string   `json:"organizationId"`
	} `json:"recipients"`
	Subject  string   `json:"subject"`
	Message  string   `json:"message"`
	Channels []string `json:"channels"`
	Priority string   `json:"priority"`
}

// Send serves sendNotification.
func (h *Handlers) Send(w http.ResponseWriter, r *http.Request) error {
	var in sendJSON
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	var l problem.FieldList
	rc := in.Recipients
	audiences := 0
	for _, set := range []bool{len(rc.BeneficiaryIDs) > 0, rc.Role != "", rc.OrganizationID != ""} {
		if set {
			audiences++
		}
	}
	if audiences != 1 {
		l.Add("recipients", "name exactly one of beneficiaryIds, role, organizationId")
	}
	for i, id := range rc.BeneficiaryIDs {
		if !validate.IsID(id) {
			l.Add("recipients.beneficiaryIds["+strconv.Itoa(i)+"]", "is not an id")
		}
	}
	if len(rc.BeneficiaryIDs) > 100 {
		l.Add("recipients.beneficiaryIds", "at most 100")
	}
	validate.Text(&l, "subject", in.Subject, true, 200)
	if in.Message == "" || utf8.RuneCountInString(in.Message) > 2000 {
		l.Add("message", "is required, at most 2000 characters")
	}
	n := notification.Notification{Kind: "manual", Subject: in.Subject, Message: in.Message, Priority: in.Priority,
		BeneficiaryIDs: rc.BeneficiaryIDs, Role: rc.Role, OrganizationID: rc.OrganizationID}
	if n.Priority == "" {
		n.Priority = "normal"
	}
	if n.Priority != "normal" && n.Priority != "urgent" {
		l.Add("priority", "must be normal or urgent")
	}
	if len(in.Channels) == 0 {
		l.Add("channels", "at least one channel")
	}
	for i, c := range in.Channels {
		ch := notification.Channel(c)
		if !slices.Contains(notification.Channels, ch) || slices.Contains(n.Channels, ch) {
			l.Add("channels["+strconv.Itoa(i)+"]", "must be one of inApp, email, sms, once")
		}
		n.Channels = append(n.Channels, ch)
	}
	if err := l.Err(); err != nil {
		return err
	}
	// An administrator's organisation is looked up: its id must be one.
	if p.Has(auth.Administrator) && len(rc.BeneficiaryIDs) == 0 && rc.OrganizationID != "" && !validate.IsID(rc.OrganizationID) {
		return problem.Field("recipients.organizationId", "is not an id")
	}
	n, err = h.Service.Send(r.Context(), p, n)
	if err != nil {
		return err
	}
	jsonio.Write(w, http.StatusAccepted, map[string]any{"id": n.ID, "status": "queued", "recipientCount": n.RecipientCount})
	return nil
}

// Get serves getNotification: its sender only.
func (h *Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	p, id, err := lambdahttp.Target(r, "notificationId")
	if err != nil {
		return err
	}
	n, err := h.Service.Sent(r.Context(), p.Sub, id)
	if err != nil {
		return err
	}
	deliveries := map[string]map[string]int{}
	for _, ch := range n.Channels {
		counts := map[string]int{notification.Sent: 0, notification.Failed: 0, notification.Suppressed: 0}
		for status, c := range n.Counts[ch] {
			if status != "sending" {
				counts[status] = c
			}
		}
		done := counts[notification.Sent] + counts[notification.Failed] + counts[notification.Suppressed]
		counts[notification.Queued] = max(0, n.RecipientCount-done)
		deliveries[string(ch)] = counts
	}
	channels := make([]string, 0, len(n.Channels))
	for _, c := range n.Channels {
		channels = append(channels, string(c))
	}
	jsonio.Write(w, http.StatusOK, map[string]any{"id": n.ID, "subject": n.Subject, "message": n.Message, "channels": channels,
		"priority": n.Priority, "recipientCount": n.RecipientCount, "deliveries": deliveries, "createdAt": jsonio.Time(n.CreatedAt)})
	return nil
}

func inboxOut(it notification.InboxItem) map[string]any {
	return map[string]any{"notificationId": it.NotificationID, "subject": it.Subject, "message": it.Message,
		"priority": it.Priority, "read": it.Read, "createdAt": jsonio.Time(it.CreatedAt)}
}

// Inbox serves listMyNotifications.
func (h *Handlers) Inbox(w http.ResponseWriter, r *http.Request) error {
	p, err := auth.FromRequest(r)
	if err != nil {
		return err
	}
	unread := r.URL.Query().Get("unread")
	if unread != "" && unread != "true" && unread != "false" {
		return problem.Field("unread", "must be true or false")
	}
	scope := "listMyNotifications\x1f" + p.Sub + "\x1f" + unread
	return paging.Serve(w, r, h.Cursors, scope, func(limit int, after map[string]string) (page.Of[notification.InboxItem], error) {
		return h.Service.Inbox(r.Context(), p.Sub, unread == "true", limit, after)
	}, inboxOut)
}

// MarkRead serves markNotificationRead.
func (h *Handlers) MarkRead(w http.ResponseWriter, r *http.Request) error {
	p, id, err := lambdahttp.Target(r, "notificationId")
	if err != nil {
		return err
	}
	it, err := h.Service.MarkRead(r.Context(), p.Sub, id)
	if err != nil {
		return err
	}
	jsonio.Write(w, http.StatusOK, inboxOut(it))
	return nil
}

// Preferences serves updateNotificationPreferences.
func (h *Handlers) Preferences(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Channels   map[string]bool `json:"channels"`
		QuietHours *struct {
			Start string `json:"start"`
			End   string `json:"end"`
		} `json:"quietHours"`
		TimeZone string `json:"timeZone"`
		Language string `json:"language"`
	}
	p, err := lambdahttp.Input(r, &in)
	if err != nil {
		return err
	}
	var l problem.FieldList
	if in.Channels == nil {
		l.Add("channels", "is required")
	}
	prefs := notification.Preferences{TimeZone: in.TimeZone, Language: in.Language}
	for name, on := range in.Channels {
		if !slices.Contains(notification.Channels, notification.Channel(name)) {
			l.Add("channels."+name, "is not a channel")
		}
		if !on {
			prefs.Off = append(prefs.Off, notification.Channel(name))
		}
	}
	slices.Sort(prefs.Off)
	if in.QuietHours != nil {
		start, err1 := time.Parse("15:04", in.QuietHours.Start)
		end, err2 := time.Parse("15:04", in.QuietHours.End)
		if err1 != nil || err2 != nil {
			l.Add("quietHours", "start and end must be times HH:MM")
		}
		prefs.QuietStart, prefs.QuietEnd = start.Hour()*60+start.Minute(), end.Hour()*60+end.Minute()
	}
	if in.TimeZone != "" {
		validate.TimeZone(&l, "timeZone", in.TimeZone)
	}
	if in.Language != "" {
		validate.Language(&l, "language", in.Language, false)
	}
	if err := l.Err(); err != nil {
		return err
	}
	if err := h.Service.SetPreferences(r.Context(), p.Sub, prefs); err != nil {
		return err
	}
	out := map[string]any{"channels": map[string]bool{}}
	for _, ch := range notification.Channels {
		out["channels"].(map[string]bool)[string(ch)] = !slices.Contains(prefs.Off, ch)
	}
	if prefs.QuietStart != prefs.QuietEnd {
		out["quietHours"] = map[string]string{"start": fmtClock(prefs.QuietStart), "end": fmtClock(prefs.QuietEnd)}
	}
	if prefs.TimeZone != "" {
		out["timeZone"] = prefs.TimeZone
	}
	if prefs.Language != "" {
		out["language"] = prefs.Language
	}
	jsonio.Write(w, http.StatusOK, out)
	return nil
}

func fmtClock(m int) string { return time.Date(0, 1, 1, 0, m, 0, 0, time.UTC).Format("15:04") }
