package clinical

import (
	"fmt"
	"html"
	"io"
	"sort"
	"strings"
	"time"
)

// ReportInputs are what a report is built from.
type ReportInputs struct {
	Demographics  map[string]any
	Entries       []Entry
	Consultations []Consultation
	Plans         []Plan
	Upcoming      []map[string]any
	From, To      time.Time // the period, To exclusive
}

// BuildSections assembles a report's sections from a beneficiary's data:
// active conditions and allergies whatever their date, the rest within the
// period.
func BuildSections(in ReportInputs) Sections {
	s := Sections{Demographics: in.Demographics, ActiveConditions: []map[string]any{}, Allergies: []map[string]any{},
		Medications: []map[string]any{}, Vitals: []VitalSeries{}, Consultations: []map[string]any{}, TreatmentPlans: []map[string]any{},
		RiskAssessments: []map[string]any{}, UpcomingAppointments: in.Upcoming}
	if s.UpcomingAppointments == nil {
		s.UpcomingAppointments = []map[string]any{}
	}
	within := func(t time.Time) bool { return !t.Before(in.From) && t.Before(in.To) }
	series := map[string]*VitalSeries{}
	for _, e := range in.Entries {
		code := map[string]any{}
		if e.Code != nil {
			code = map[string]any{"system": e.Code.System, "code": e.Code.Code, "display": e.Code.Display}
		}
		switch {
		case e.Kind == "condition" && (e.Status == "" || e.Status == "active"):
			s.ActiveConditions = append(s.ActiveConditions, map[string]any{"code": code, "recordedAt": e.RecordedAt.Format(time.RFC3339)})
		case e.Kind == "allergy":
			s.Allergies = append(s.Allergies, map[string]any{"code": code, "recordedAt": e.RecordedAt.Format(time.RFC3339)})
		case e.Kind == "medication" && within(e.RecordedAt):
			s.Medications = append(s.Medications, map[string]any{"code": code, "note": e.Note, "recordedAt": e.RecordedAt.Format(time.RFC3339)})
		case e.Kind == "riskAssessment" && within(e.RecordedAt) && e.Value != nil:
			s.RiskAssessments = append(s.RiskAssessments, map[string]any{"at": e.RecordedAt.Format(time.RFC3339), "total": *e.Value, "risk": e.Code.Code})
		case e.Kind == "observation" && within(e.RecordedAt) && e.Code != nil && e.Value != nil:
			v := series[e.Code.Code]
			if v == nil {
				v = &VitalSeries{Code: e.Code.Code, Display: e.Code.Display, Unit: e.Unit}
				series[e.Code.Code] = v
			}
			v.Points = append(v.Points, Point{At: e.RecordedAt.Format(time.RFC3339), Value: *e.Value})
		}
	}
	codes := make([]string, 0, len(series))
	for c := range series {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		v := series[c]
		sort.Slice(v.Points, func(i, j int) bool { return v.Points[i].At < v.Points[j].At })
		v.Latest, v.Min, v.Max = v.Points[len(v.Points)-1].Value, v.Points[0].Value, v.Points[0].Value
		for _, p := range v.Points {
			v.Min, v.Max = min(v.Min, p.Value), max(v.Max, p.Value)
		}
		s.Vitals = append(s.Vitals, *v)
	}
	for _, c := range in.Consultations {
		if !within(c.CreatedAt) {
			continue
		}
		var diags []string
		for _, d := range c.Diagnoses {
			diags = append(diags, d.Code+" "+d.Display)
		}
		s.Consultations = append(s.Consultations, map[string]any{"id": c.ID, "at": c.CreatedAt.Format(time.RFC3339), "practitionerId": c.PractitionerID,
			"summary": c.Summary, "diagnoses": diags})
		for _, p := range c.Prescriptions {
			s.Medications = append(s.Medications, map[string]any{"medication": p.Medication, "dose": p.Dose, "frequency": p.Frequency,
				"prescribedAt": c.CreatedAt.Format(time.RFC3339)})
		}
	}
	for _, p := range in.Plans {
		s.TreatmentPlans = append(s.TreatmentPlans, map[string]any{"id": p.ID, "title": p.Title, "status": p.Status, "start": p.Start, "end": p.End})
	}
	return s
}

// head is the page's start: its title and print style.
const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Health report</title>
<style>body{font-family:sans-serif;max-width:52rem;margin:2rem auto;color:#222}h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left}svg{border:1px solid #ddd;margin:.3rem 0}@media print{body{margin:0}}</style></head>
<body><h1>Health report</h1>
`

// chart draws a vital's points as an SVG line.
func chart(v VitalSeries) string {
	const w, h, pad = 600.0, 160.0, 20.0
	lo, hi := v.Min, v.Max
	if hi == lo {
		lo, hi = lo-1, hi+1
	}
	var pts []string
	for i, p := range v.Points {
		x := pad
		if len(v.Points) > 1 {
			x = pad + float64(i)*(w-2*pad)/float64(len(v.Points)-1)
		}
		y := h - pad - (p.Value-lo)/(hi-lo)*(h-2*pad)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" role="img" aria-label="%s over the period">`, w, h, html.EscapeString(v.Code))
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#1a6" stroke-width="2" points="%s"/>`, strings.Join(pts, " "))
	for _, p := range pts {
		xy := strings.Split(p, ",")
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="#1a6"/>`, xy[0], xy[1])
	}
	fmt.Fprintf(&b, `<text x="2" y="14" font-size="11">%g</text><text x="2" y="%.0f" font-size="11">%g</text></svg>`, hi, h-4, lo)
	return b.String()
}

// RenderHTML writes a report as a printable page. Every value of the record
// is escaped. It is written by hand, not by a template: executing one
// reflects on methods by name, and the linker then keeps every method of
// every type in the function (get-health-report was 13 MB).
func RenderHTML(w io.Writer, r Report) error {
	s := r.Sections
	var b strings.Builder
	b.WriteString(head)
	fmt.Fprintf(&b, "<p>%s · born %s · period %s to %s</p>\n", esc(s.Demographics["fullName"]), esc(s.Demographics["birthDate"]), esc(r.PeriodStart), esc(r.PeriodEnd))
	list := func(title string, items []map[string]any, none string, line func(map[string]any) string) {
		fmt.Fprintf(&b, "<h2>%s</h2><ul>", title)
		for _, it := range items {
			b.WriteString("<li>" + line(it) + "</li>")
		}
		if len(items) == 0 {
			b.WriteString("<li>" + none + "</li>")
		}
		b.WriteString("</ul>\n")
	}
	list("Active conditions", s.ActiveConditions, "None recorded", func(m map[string]any) string {
		return esc(codeOf(m, "code")) + " " + esc(codeOf(m, "display"))
	})
	list("Allergies", s.Allergies, "None recorded", func(m map[string]any) string { return esc(codeOf(m, "display")) })
	list("Medications", s.Medications, "None", func(m map[string]any) string {
		return esc(m["medication"]) + esc(codeOf(m, "display")) + " " + esc(m["dose"]) + " " + esc(m["frequency"])
	})
	b.WriteString("<h2>Vital signs</h2>")
	for _, v := range s.Vitals {
		fmt.Fprintf(&b, "<h3>%s (%s), %s: latest %s, min %s, max %s</h3>%s", esc(v.Display), esc(v.Code), esc(v.Unit), esc(v.Latest), esc(v.Min), esc(v.Max), chart(v))
	}
	if len(s.Vitals) == 0 {
		b.WriteString("<p>No measurements in the period.</p>")
	}
	b.WriteString("\n")
	list("Consultations", s.Consultations, "None in the period", func(m map[string]any) string { return esc(m["at"]) + ": " + esc(m["summary"]) })
	list("Treatment plans", s.TreatmentPlans, "None", func(m map[string]any) string { return esc(m["title"]) + " (" + esc(m["status"]) + ")" })
	list("Risk assessments", s.RiskAssessments, "None", func(m map[string]any) string {
		return esc(m["at"]) + ": NEWS2 " + esc(m["total"]) + " (" + esc(m["risk"]) + ")"
	})
	list("Upcoming appointments", s.UpcomingAppointments, "None", func(m map[string]any) string { return esc(m["start"]) + " (" + esc(m["mode"]) + ")" })
	b.WriteString("</body></html>")
	_, err := io.WriteString(w, b.String())
	return err
}

// esc writes a value as escaped HTML text; nothing for none.
func esc(v any) string {
	if v == nil {
		return ""
	}
	return html.EscapeString(fmt.Sprint(v))
}

// codeOf is a field of an entry's code.
func codeOf(m map[string]any, field string) any {
	if c, ok := m["code"].(map[string]any); ok {
		return c[field]
	}
	return nil
}
