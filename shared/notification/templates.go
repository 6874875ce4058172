package notification

import (
	"strings"
)

// templates are the automatic notices' texts: subject and body per kind and
// language, with {placeholders}.
var templates = map[string]map[string][2]string{
	"appointmentBooked": {
		"en": {"Appointment booked", "Your appointment with {practitioner} for {beneficiary} is booked for {time}."},
		"pt": {"Consulta marcada", "A consulta com {practitioner} para {beneficiary} está marcada para {time}."},
	},
	"appointmentCancelled": {
		"en": {"Appointment cancelled", "The appointment with {practitioner} for {beneficiary} on {time} was cancelled."},
		"pt": {"Consulta cancelada", "A consulta com {practitioner} para {beneficiary} de {time} foi cancelada."},
	},
	"appointmentRescheduled": {
		"en": {"Appointment moved", "The appointment with {practitioner} for {beneficiary} is now on {time}."},
		"pt": {"Consulta alterada", "A consulta com {practitioner} para {beneficiary} passou para {time}."},
	},
	"appointmentReminder": {
		"en": {"Appointment tomorrow", "Reminder: appointment with {practitioner} for {beneficiary} on {time}."},
		"pt": {"Consulta amanhã", "Lembrete: consulta com {practitioner} para {beneficiary} em {time}."},
	},
	"donationReceipt": {
		"en": {"Thank you for your gift", "We received your gift of {amount} {currency}. Receipt {receipt}."},
		"pt": {"Obrigado pelo seu donativo", "Recebemos o seu donativo de {amount} {currency}. Recibo {receipt}."},
	},
}

// Render returns the subject and body of an automatic notice in the
// language (its primary subtag; English when there is no text in it).
func Render(kind, language string, data map[string]string) (string, string) {
	lang, _, _ := strings.Cut(strings.ToLower(language), "-")
	t, ok := templates[kind][lang]
	if !ok {
		t = templates[kind]["en"]
	}
	repl := make([]string, 0, 2*len(data))
	for k, v := range data {
		repl = append(repl, "{"+k+"}", v)
	}
	r := strings.NewReplacer(repl...)
	return r.Replace(t[0]), r.Replace(t[1])
}

// Kinds lists the automatic kinds.
func Kinds() []string {
	out := make([]string, 0, len(templates))
	for k := range templates {
		out = append(out, k)
	}
	return out
}
